"""Race (issue 6 "Done when"): 8 OS processes released together by a barrier book the same slot
against a file SQLite database, and against PostgreSQL in the PostgreSQL run: exactly one
booking, every other process gets the friendly `slot_taken` (never an exception).

The race needs committed data and independent connections, which the test database (one
open transaction per test) cannot give; so the test drives `race_booking.py` in a subprocess
against its own throwaway database: a fresh SQLite file under tmp_path, or a fresh PostgreSQL
database on the server of the run (dropped afterwards)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

pytestmark = pytest.mark.db  # CI reruns it on PostgreSQL

PROCESSES = 8


def _race(env: dict[str, str]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "backrelief.scheduling.tests.race_booking", str(PROCESSES)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _env(tmp_path: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["BACKRELIEF_VAR_DIR"] = str(tmp_path)
    env["DJANGO_SETTINGS_MODULE"] = "backrelief.settings"
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _assert_one_winner(result: dict[str, object]) -> None:
    outcomes = result["outcomes"]
    assert isinstance(outcomes, list)
    assert len(outcomes) == PROCESSES
    assert outcomes.count("booked") == 1, outcomes
    assert outcomes.count("slot_taken") == PROCESSES - 1, outcomes
    assert result["active"] == 1


def _postgres_database() -> dict[str, object] | None:
    database = settings.DATABASES["default"]
    return database if "postgresql" in str(database["ENGINE"]) else None


@pytest.mark.sqlite_only
def test_eight_processes_race_for_one_slot_on_a_file_sqlite_database(tmp_path):
    if _postgres_database() is not None:
        pytest.skip("the PostgreSQL run races on PostgreSQL")
    _assert_one_winner(_race(_env(tmp_path, None)))


def test_eight_processes_race_for_one_slot_on_postgresql(tmp_path):
    database = _postgres_database()
    if database is None:
        pytest.skip("runs in the PostgreSQL run (DATABASE_URL=postgres://...)")
    import psycopg

    name = f"br_race_{uuid.uuid4().hex[:10]}"
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
        _assert_one_winner(_race(_env(tmp_path, url)))
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
