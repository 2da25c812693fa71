"""`backrelief restore PATH [--yes] [--progress]`: replace the database with a backup.

The file is validated before anything is touched (missing, damaged or foreign files are
refused with the reason). A database that already holds data is replaced only with `--yes`,
and then a safety copy of it is written first (var/backups/backrelief-pre-restore-*), so a
mistaken restore can itself be undone. Stop the server while restoring: PostgreSQL's restore
waits for the locks open connections hold, and SQLite sessions would see their data vanish.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections

from backrelief.core.backup import (
    BackupError,
    PgParams,
    data_rows,
    pg_archive_tables,
    pg_restore,
    sqlite_restore,
    sqlite_validate,
)
from backrelief.core.diagnostics import check_migrations
from backrelief.core.management.commands.backup import backup_database, default_output
from backrelief.core.management.progress import absolute_updater, progress_bar


def row_counts() -> dict[str, int]:
    """Rows per table of the default database, through Django's connection (either vendor)."""
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = int(cursor.fetchone()[0])
    return counts


class Command(BaseCommand):
    help = "Restore a backup made by `backrelief backup` into the configured database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the backup file")
        parser.add_argument(
            "--yes", action="store_true", help="replace a database that already holds data"
        )
        parser.add_argument("--progress", action="store_true", help="progress bar without a TTY")

    def handle(self, *args: Any, path: Path, yes: bool, progress: bool, **options: Any) -> None:
        try:
            self._restore(path, yes=yes, progress=progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from None

    def _restore(self, path: Path, *, yes: bool, progress: bool) -> None:
        sqlite = connection.vendor == "sqlite"
        tables = [] if sqlite else pg_archive_tables(path)
        if sqlite:
            sqlite_validate(path)
        rows = data_rows(row_counts())
        if rows:
            if not yes:
                raise CommandError(
                    f"The database already holds data ({rows} rows); restoring replaces all "
                    "of it. Run again with --yes (a safety copy is written first)."
                )
            safety = backup_database(
                output=default_output(label="backrelief-pre-restore"), force_progress=progress
            )
            self.stdout.write(f"Safety copy of the current database: {safety}")
        connections.close_all()  # no connection of ours holds the old database open
        db = settings.DATABASES["default"]
        if sqlite:
            with progress_bar(desc="restore", unit="page", force=progress) as bar:
                sqlite_restore(
                    backup=path,
                    target=Path(str(db["NAME"])),
                    timeout_s=settings.SQLITE_BUSY_TIMEOUT_S,
                    progress=absolute_updater(bar),
                )
        else:
            with progress_bar(
                desc="restore", unit="table", total=len(tables), force=progress
            ) as bar:
                pg_restore(
                    params=PgParams.from_django(db), backup=path, on_table=lambda _t: bar.update()
                )
        self.stdout.write(f"Restored {path} into the {connection.vendor} database.")
        migrations = check_migrations()
        if not migrations.ok:
            self.stdout.write(f"Note: {migrations.detail}")
