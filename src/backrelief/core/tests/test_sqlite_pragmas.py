"""The SQLite connection settings of ADR 0003, read back from a real fresh connection."""

from __future__ import annotations

import copy

import pytest
from django.conf import settings
from django.db import connections
from django.db.backends.signals import connection_created


@pytest.mark.django_db
@pytest.mark.sqlite_only
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite configuration only",
)
def test_a_fresh_sqlite_connection_uses_wal_full_sync_busy_timeout_and_immediate(tmp_path):
    params = copy.deepcopy(settings.DATABASES["default"])
    params["NAME"] = str(tmp_path / "probe.sqlite3")
    wrapper = type(connections["default"])(params, alias="probe")
    # the suite relaxes fsync for speed (conftest); read the real configuration without it
    connection_created.disconnect(dispatch_uid="br-test-sqlite-sync")
    try:
        wrapper.connect()
        with wrapper.cursor() as cursor:
            values = {}
            for pragma in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout"):
                cursor.execute(f"PRAGMA {pragma}")
                values[pragma] = cursor.fetchone()[0]
        assert values == {
            "journal_mode": "wal",
            "synchronous": 2,  # FULL
            "foreign_keys": 1,
            "busy_timeout": settings.SQLITE_BUSY_TIMEOUT_S * 1000,
        }
        assert getattr(wrapper, "transaction_mode", None) == "IMMEDIATE"
        test_db: dict[str, str] = settings.DATABASES["default"]["TEST"]  # type: ignore[assignment]
        assert "test.sqlite3" in test_db["NAME"]  # a file (per xdist worker), not :memory:
    finally:
        wrapper.close()
        from conftest import _relax_sqlite_sync

        connection_created.connect(
            _relax_sqlite_sync, weak=False, dispatch_uid="br-test-sqlite-sync"
        )
