"""Backups and restores for SQLite and PostgreSQL (issue 2 §13), behind `backrelief backup`
and `backrelief restore`. Plain paths and connection parameters in, no Django settings read
here, so every function can be tested against scratch databases.

SQLite
- Backup uses SQLite's online backup API (`sqlite3.Connection.backup`): a consistent copy
  while the app keeps running, unlike copying the file (which can catch a half-written page
  or miss what is still in the WAL). It is written to a temporary file beside the target,
  checked with `PRAGMA quick_check`, and only then renamed into place, so a file with the
  final name is always a complete backup.
- Restore validates the file first (exists, is SQLite, passes quick_check, is a Django
  database); anything else is refused before the target is touched. It then copies with the
  backup API in the other direction, which takes the target's write lock and replaces every
  page in one step; other connections see the old or the new database, never a mixture.

PostgreSQL
- `pg_dump --format=custom` and `pg_restore --clean --if-exists --no-owner --no-acl
  --single-transaction --exit-on-error`: the restore commits completely or not at all. The
  password travels in PGPASSWORD, never on the command line (visible to every local user
  through `ps`). Progress is counted per table from the tools' `--verbose` lines.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import subprocess
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Progress = Callable[[int, int], None]  # (done, total)
OnTable = Callable[[str], object]  # called with each table name as its data is processed

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
SQLITE_PAGES_PER_STEP = 64  # 256 KiB per step with 4 KiB pages: smooth progress, short locks
# Bookkeeping tables that `migrate` fills; rows elsewhere mean someone's data is there.
BOOKKEEPING_TABLES = frozenset(
    {"django_migrations", "django_content_type", "auth_permission", "sqlite_sequence"}
)


class BackupError(Exception):
    """A backup or restore cannot go ahead; the message says why and what to do."""


def backup_filename(*, now: dt.datetime, vendor: str, label: str = "backrelief") -> str:
    """`backrelief-YYYYmmddTHHMMSSZ.sqlite3` (or `.dump` for pg_dump's custom format)."""
    if now.tzinfo is None:
        raise ValueError("Pass an aware datetime.")
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{label}-{stamp}{'.sqlite3' if vendor == 'sqlite' else '.dump'}"


def sniff(path: Path) -> str:
    """'sqlite', 'postgresql' or 'unknown', from the file's first bytes."""
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    return "unknown"


def _require_file(path: Path) -> None:
    if not path.is_file():
        raise BackupError(f"{path} does not exist (or is not a file); check the path.")


# --- SQLite -------------------------------------------------------------------------------


def sqlite_backup(
    *, source: Path, destination: Path, timeout_s: float = 20, progress: Progress | None = None
) -> None:
    """Copy the live database at `source` into the new file `destination`."""
    if destination.exists():
        raise BackupError(f"{destination} already exists; choose another --output.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=timeout_s)
    try:
        dst = sqlite3.connect(partial)
        try:
            _copy(src, dst, progress)
            # A self-contained single file: no -wal/-shm companions needed to read it.
            dst.execute("PRAGMA journal_mode=DELETE")
            _quick_check(dst, partial)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"Could not back up {source}: {exc}") from None
    finally:
        src.close()
    partial.replace(destination)


def sqlite_validate(path: Path) -> None:
    """Refuse anything that is not an intact SQLite database made by Django's migrate."""
    _require_file(path)
    kind = sniff(path)
    if kind == "postgresql":
        raise BackupError(f"{path} is a PostgreSQL dump; restore it into PostgreSQL.")
    if kind != "sqlite":
        raise BackupError(f"{path} is not a SQLite database (or it is damaged).")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            _quick_check(conn, path)
            tables = _sqlite_tables(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise BackupError(f"{path} cannot be read as a SQLite database: {exc}") from None
    if "django_migrations" not in tables:
        raise BackupError(f"{path} is a SQLite file but not a BackRelief database.")


def sqlite_row_counts(path: Path) -> dict[str, int]:
    """Rows per table (an empty dict for a missing or empty file)."""
    if not path.is_file() or path.stat().st_size == 0:
        return {}
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {t: _count(conn, t) for t in _sqlite_tables(conn)}
    finally:
        conn.close()


def sqlite_restore(
    *, backup: Path, target: Path, timeout_s: float = 20, progress: Progress | None = None
) -> None:
    """Replace the database at `target` (created if missing) with the validated `backup`."""
    sqlite_validate(backup)
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target, timeout=timeout_s)
        try:
            _copy(src, dst, progress, pages=-1)  # one step: the target is never half-restored
            _quick_check(dst, target)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(f"Could not restore into {target}: {exc}") from None
    finally:
        src.close()


def _copy(
    src: sqlite3.Connection,
    dst: sqlite3.Connection,
    progress: Progress | None,
    pages: int = SQLITE_PAGES_PER_STEP,
) -> None:
    def report(_status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    src.backup(dst, pages=pages, progress=report)


def _quick_check(conn: sqlite3.Connection, path: Path) -> None:
    result = conn.execute("PRAGMA quick_check").fetchone()
    if not result or result[0] != "ok":
        raise BackupError(f"{path} failed SQLite's integrity check: {result and result[0]}")


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [name for (name,) in rows]


def _count(conn: Any, table: str) -> int:
    quoted = '"' + table.replace('"', '""') + '"'
    row = conn.execute(f"SELECT COUNT(*) FROM {quoted}").fetchone()  # noqa: S608
    return int(row[0])


def data_rows(counts: Mapping[str, int]) -> int:
    """Rows outside migrate's own bookkeeping: more than 0 means someone's data is there."""
    return sum(n for table, n in counts.items() if table not in BOOKKEEPING_TABLES)


# --- PostgreSQL ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PgParams:
    dbname: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""
    sslmode: str = ""

    @classmethod
    def from_django(cls, db: Mapping[str, Any]) -> PgParams:
        """From a `settings.DATABASES` entry."""
        options = db.get("OPTIONS") or {}
        return cls(
            dbname=str(db.get("NAME") or ""),
            host=str(db.get("HOST") or ""),
            port=str(db.get("PORT") or ""),
            user=str(db.get("USER") or ""),
            password=str(db.get("PASSWORD") or ""),
            sslmode=str(options.get("sslmode") or ""),
        )

    def args(self) -> list[str]:
        """Connection flags for the libpq tools; deliberately without the password."""
        flags = ["--dbname", self.dbname, "--no-password"]
        for flag, value in (
            ("--host", self.host),
            ("--port", self.port),
            ("--username", self.user),
        ):
            if value:
                flags += [flag, value]
        return flags

    def env(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        env = dict(os.environ if base is None else base)
        for name in ("PGPASSWORD", "PGSSLMODE", "PGSERVICE", "PGDATABASE"):
            env.pop(name, None)
        if self.password:
            env["PGPASSWORD"] = self.password
        if self.sslmode:
            env["PGSSLMODE"] = self.sslmode
        return env


_MISSING_TOOL = (
    "{tool} is not installed; install the PostgreSQL client tools of the server's major "
    "version (Debian: apt-get install postgresql-client)."
)
_DUMPING = re.compile(r'dumping contents of table "([^"]+)"')
_RESTORING = re.compile(r'processing data for table "([^"]+)"')


def pg_backup(*, params: PgParams, destination: Path, on_table: OnTable | None = None) -> list[str]:
    """`pg_dump --format=custom` into `destination` (via a .partial file); returns the tables."""
    if destination.exists():
        raise BackupError(f"{destination} already exists; choose another --output.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    command = ["pg_dump", "--format=custom", "--verbose", "--file", str(partial), *params.args()]
    try:
        tables = _run_tool(command, params, _DUMPING, on_table)
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(destination)
    return tables


def pg_archive_tables(path: Path) -> list[str]:
    """The tables whose data a custom-format archive holds; refuses anything else."""
    _require_file(path)
    kind = sniff(path)
    if kind == "sqlite":
        raise BackupError(f"{path} is a SQLite database; restore it into SQLite.")
    if kind != "postgresql":
        raise BackupError(f"{path} is not a pg_dump custom-format archive (or it is damaged).")
    try:
        listing = subprocess.run(  # noqa: S603 (fixed program from PATH, no shell)
            ["pg_restore", "--list", str(path)],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise BackupError(_MISSING_TOOL.format(tool="pg_restore")) from None
    if listing.returncode != 0:
        raise BackupError(f"{path} cannot be read by pg_restore: {listing.stderr.strip()}")
    entries = re.findall(r" TABLE DATA (\S+) (\S+) ", listing.stdout)
    if not any(name == "django_migrations" for _schema, name in entries):
        raise BackupError(f"{path} is a PostgreSQL archive but not a BackRelief database.")
    return [f"{schema}.{name}" for schema, name in entries]


def pg_restore(*, params: PgParams, backup: Path, on_table: OnTable | None = None) -> list[str]:
    """Replace the objects in `params.dbname` with those in `backup`, in one transaction."""
    pg_archive_tables(backup)
    command = [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-acl",
        "--single-transaction",
        "--exit-on-error",
        "--verbose",
        *params.args(),
        str(backup),
    ]
    return _run_tool(command, params, _RESTORING, on_table)


def _run_tool(
    command: list[str], params: PgParams, pattern: re.Pattern[str], on_table: OnTable | None
) -> list[str]:
    try:
        process = subprocess.Popen(  # noqa: S603 (fixed program, no shell, no password)
            command,
            env=params.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
    except FileNotFoundError:
        raise BackupError(_MISSING_TOOL.format(tool=command[0])) from None
    tables: list[str] = []
    errors: list[str] = []
    assert process.stderr is not None
    for line in _lines(process.stderr):
        match = pattern.search(line)
        if match:
            tables.append(match.group(1))
            if on_table is not None:
                on_table(match.group(1))
        elif "error" in line.lower() or "fatal" in line.lower():
            errors.append(line.strip())
    if process.wait() != 0:
        detail = "; ".join(errors[-3:]) or f"exit status {process.returncode}"
        raise BackupError(f"{command[0]} failed: {detail}")
    return tables


def _lines(stream: Any) -> Iterator[str]:
    yield from iter(stream.readline, "")
