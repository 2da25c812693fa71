"""Idempotency under a race (issue 6 item 5): 8 OS processes released together by a barrier
send the same booking with the same Idempotency-Key for one client, against a file SQLite
database and, in the PostgreSQL run, against PostgreSQL. One booking; every process answers 201
with it, exactly one as the first answer and the others replayed — never a second booking, a
409 against itself or an exception. Driven in a subprocess against its own database, as
test_race_booking.py (the test database's open transaction cannot race)."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from typing import Any

import pytest

from backrelief.scheduling.tests.test_race_booking import _env, _postgres_database

pytestmark = pytest.mark.db  # CI reruns it on PostgreSQL

PROCESSES = 8


def _race(env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "backrelief.scheduling.tests.race_idempotency", str(PROCESSES)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _assert_one_booking_replayed(result: dict[str, Any]) -> None:
    outcomes = result["outcomes"]
    assert len(outcomes) == PROCESSES
    assert all(isinstance(o, list) and o[0] == 201 for o in outcomes), outcomes
    assert len({o[1] for o in outcomes}) == 1, outcomes
    assert [o[2] for o in outcomes].count(False) == 1, outcomes
    assert result["bookings"] == 1


@pytest.mark.sqlite_only
def test_eight_processes_with_one_key_make_one_booking_on_a_file_sqlite_database(tmp_path):
    if _postgres_database() is not None:
        pytest.skip("the PostgreSQL run races on PostgreSQL")
    _assert_one_booking_replayed(_race(_env(tmp_path, None)))


def test_eight_processes_with_one_key_make_one_booking_on_postgresql(tmp_path):
    database = _postgres_database()
    if database is None:
        pytest.skip("runs in the PostgreSQL run (DATABASE_URL=postgres://...)")
    import psycopg

    name = f"br_idem_{uuid.uuid4().hex[:10]}"
    params: dict[str, Any] = {
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = f"{params['user'] or ''}" + (f":{params['password']}" if params["password"] else "")
        url = f"postgres://{auth}@{params['host'] or 'localhost'}:{params['port'] or 5432}/{name}"
        _assert_one_booking_replayed(_race(_env(tmp_path, url)))
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
