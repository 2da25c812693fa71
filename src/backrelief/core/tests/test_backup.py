"""Backups restore into a fresh database with the same rows in every table; bad files are
refused before the target is touched; a database with data is replaced only with --yes.

The end-to-end tests drive the real CLI in subprocesses against scratch databases: the
backup tools read committed data only, and the test database's rows live in an open
transaction (SQLite's backup API cannot even copy from a connection mid-transaction).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from backrelief.core.backup import (
    BackupError,
    PgParams,
    backup_filename,
    data_rows,
    sniff,
    sqlite_backup,
    sqlite_restore,
    sqlite_row_counts,
    sqlite_validate,
)

BACKRELIEF = str(Path(sys.executable).parent / "backrelief")
IS_POSTGRES = "postgresql" in str(settings.DATABASES["default"]["ENGINE"])


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BACKRELIEF, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def _ok(*args: str, env: dict[str, str]) -> str:
    done = _cli(*args, env=env)
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done.stdout


def _env(var_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BACKRELIEF_ENV")}
    env["BACKRELIEF_VAR_DIR"] = str(var_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _django_like_db(path: Path, users: int = 3) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT, name TEXT);"
        "INSERT INTO django_migrations (app, name) VALUES ('core', '0001_initial');"
        "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT);"
    )
    conn.executemany("INSERT INTO people (name) VALUES (?)", [(f"p{i}",) for i in range(users)])
    conn.commit()
    conn.close()
    return path


# --- helpers on plain files ---------------------------------------------------------------


def test_backup_file_name_carries_the_utc_time():
    now = dt.datetime(2026, 11, 21, 13, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert backup_filename(now=now, vendor="sqlite") == "backrelief-20261121T120405Z.sqlite3"
    assert backup_filename(now=now, vendor="postgresql") == "backrelief-20261121T120405Z.dump"


def test_sqlite_backup_then_restore_into_a_fresh_file_keeps_every_row(tmp_path):
    source = _django_like_db(tmp_path / "source.sqlite3", users=500)
    backup = tmp_path / "backups" / "b.sqlite3"
    seen: list[tuple[int, int]] = []
    sqlite_backup(source=source, destination=backup, progress=lambda d, t: seen.append((d, t)))
    assert sniff(backup) == "sqlite"
    assert seen[-1][0] == seen[-1][1] > 0  # the bar reached its end
    fresh = tmp_path / "fresh.sqlite3"
    sqlite_restore(backup=backup, target=fresh)
    assert sqlite_row_counts(fresh) == sqlite_row_counts(source)
    assert sqlite_row_counts(fresh)["people"] == 500


def test_backup_never_overwrites_an_existing_file(tmp_path):
    source = _django_like_db(tmp_path / "source.sqlite3")
    existing = tmp_path / "b.sqlite3"
    existing.write_text("keep me")
    with pytest.raises(BackupError, match="already exists"):
        sqlite_backup(source=source, destination=existing)
    assert existing.read_text() == "keep me"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        (b"garbage, not a database" * 10, "not a SQLite database"),
        (b"PGDMP\x01\x0e\x00", "PostgreSQL dump"),
        (b"SQLite format 3\x00" + b"\x00" * 200, "cannot be read|integrity|not a BackRelief"),
    ],
)
def test_a_bad_backup_file_is_refused_and_the_target_is_unchanged(tmp_path, content, message):
    target = _django_like_db(tmp_path / "target.sqlite3")
    before = target.read_bytes()
    bad = tmp_path / "bad.sqlite3"
    if content is not None:
        bad.write_bytes(content)
    with pytest.raises(BackupError, match=message):
        sqlite_restore(backup=bad, target=target)
    assert target.read_bytes() == before


def test_a_sqlite_file_that_is_not_a_django_database_is_refused(tmp_path):
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(BackupError, match="not a BackRelief database"):
        sqlite_validate(other)


def test_only_rows_outside_migrate_bookkeeping_count_as_data():
    assert data_rows({"django_migrations": 40, "django_content_type": 20}) == 0
    assert data_rows({"django_migrations": 40, "accounts_user": 2}) == 2


def test_postgres_password_goes_to_the_environment_never_the_command_line():
    params = PgParams.from_django(
        {"NAME": "db", "HOST": "h", "PORT": 5432, "USER": "u", "PASSWORD": "s3cret"}
    )
    assert "s3cret" not in " ".join(params.args())
    assert "--no-password" in params.args()
    assert params.env({"PATH": "/bin", "PGPASSWORD": "stale"})["PGPASSWORD"] == "s3cret"
    assert "PGPASSWORD" not in PgParams(dbname="db").env({"PGPASSWORD": "stale"})


# --- end to end through the CLI -----------------------------------------------------------


def _backup_restore_round_trip(source_env: dict[str, str], fresh_env: dict[str, str], out: Path):
    _ok("migrate", "-v0", env=source_env)
    _ok("demo", "--size", "small", "--therapists", "2", env=source_env)
    printed = _ok("backup", "--output", str(out), env=source_env)
    assert str(out) in printed
    _ok("restore", str(out), env=fresh_env)  # an empty database needs no --yes


def test_sqlite_cli_backup_restores_into_a_fresh_database_with_equal_row_counts(tmp_path):
    source_env, fresh_env = _env(tmp_path / "a"), _env(tmp_path / "b")
    out = tmp_path / "backup.sqlite3"
    _backup_restore_round_trip(source_env, fresh_env, out)
    source = sqlite_row_counts(tmp_path / "a" / "backrelief.sqlite3")
    restored = sqlite_row_counts(tmp_path / "b" / "backrelief.sqlite3")
    assert restored == source
    assert source["accounts_user"] > 6  # personas, 3 clients, demo therapists and reviewers
    assert source["therapists_therapistprofile"] == 3  # 2 demo therapists and the persona
    # Every demo booking is reviewed except the demo client's one waiting for a review.
    assert source["scheduling_booking"] == source["therapists_review"] + 1
    assert source["core_auditevent"] >= 1

    # Now the fresh database holds data: without --yes it is refused and left as it is.
    before = (tmp_path / "b" / "backrelief.sqlite3").read_bytes()
    refused = _cli("restore", str(out), env=fresh_env)
    assert refused.returncode == 1
    assert "--yes" in refused.stderr
    assert (tmp_path / "b" / "backrelief.sqlite3").read_bytes() == before


# --- PostgreSQL (runs when the suite runs on PostgreSQL) -------------------------------------


def _pg_admin() -> tuple[PgParams, str]:
    db = settings.DATABASES["default"]
    params = PgParams.from_django({**db, "NAME": "postgres"})
    auth = params.user + (f":{params.password}" if params.password else "")
    base = f"postgres://{auth}@{params.host or '127.0.0.1'}:{params.port or 5432}"
    return params, base


def _pg_connect(params: PgParams, dbname: str):
    import psycopg

    return psycopg.connect(
        dbname=dbname,
        host=params.host or None,
        port=params.port or None,
        user=params.user or None,
        password=params.password or None,
        autocommit=True,
    )


@pytest.fixture
def scratch_databases() -> Iterator[tuple[str, str, PgParams, str]]:
    params, base = _pg_admin()
    names = [f"br_scratch_{uuid.uuid4().hex[:10]}_{role}" for role in ("src", "fresh")]
    with _pg_connect(params, "postgres") as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield names[0], names[1], params, base
    finally:
        with _pg_connect(params, "postgres") as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_counts(params: PgParams, dbname: str) -> dict[str, int]:
    with _pg_connect(params, dbname) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.mark.db
@pytest.mark.postgres_only
@pytest.mark.skipif(
    not IS_POSTGRES, reason="PostgreSQL variant: run with a PostgreSQL DATABASE_URL"
)
def test_postgres_cli_backup_restores_into_a_fresh_database_with_equal_row_counts(
    tmp_path, scratch_databases
):
    source, fresh, params, base = scratch_databases
    source_env = _env(tmp_path / "a", f"{base}/{source}")
    fresh_env = _env(tmp_path / "b", f"{base}/{fresh}")
    out = tmp_path / "backup.dump"
    _backup_restore_round_trip(source_env, fresh_env, out)
    counts = _pg_counts(params, source)
    assert _pg_counts(params, fresh) == counts
    assert counts["accounts_user"] > 6
    assert counts["therapists_therapistprofile"] == 3

    garbage = tmp_path / "garbage.dump"
    garbage.write_bytes(b"PGDMP" + b"\x00" * 64)
    failed = _cli("restore", str(garbage), "--yes", env=fresh_env)
    assert failed.returncode == 1
    assert "pg_restore" in failed.stderr
    assert _pg_counts(params, fresh) == counts
    refused = _cli("restore", str(out), env=fresh_env)
    assert refused.returncode == 1
    assert "--yes" in refused.stderr
