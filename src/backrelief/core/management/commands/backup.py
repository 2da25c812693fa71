"""`backrelief backup [--output PATH] [--progress]`: a consistent copy of the database.

SQLite: the online backup API, safe while the app runs. PostgreSQL: `pg_dump` in its custom
format. Default file: var/backups/backrelief-YYYYmmddTHHMMSSZ.sqlite3 (or .dump). How and why:
`core/backup.py`. Keep var/secret_key with the backups: sessions and signed links need it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from backrelief.core.backup import BackupError, PgParams, backup_filename, pg_backup, sqlite_backup
from backrelief.core.management.progress import absolute_updater, progress_bar


def backup_database(*, output: Path, force_progress: bool = False) -> Path:
    """Back up the default database into `output`; shared with `restore`'s safety copy."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        with progress_bar(desc="backup", unit="page", force=force_progress) as bar:
            sqlite_backup(
                source=Path(str(db["NAME"])),
                destination=output,
                timeout_s=settings.SQLITE_BUSY_TIMEOUT_S,
                progress=absolute_updater(bar),
            )
    else:
        total = len(connection.introspection.table_names())
        with progress_bar(desc="backup", unit="table", total=total, force=force_progress) as bar:
            pg_backup(
                params=PgParams.from_django(db),
                destination=output,
                on_table=lambda _name: bar.update(),
            )
    return output


def default_output(*, label: str = "backrelief") -> Path:
    name = backup_filename(now=timezone.now(), vendor=connection.vendor, label=label)
    return Path(settings.VAR_DIR) / "backups" / name


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup API, or pg_dump on PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="file (or directory) to write")
        parser.add_argument("--progress", action="store_true", help="progress bar without a TTY")

    def handle(self, *args: Any, output: Path | None, progress: bool, **options: Any) -> None:
        target = default_output()
        if output is not None:
            target = output / target.name if output.is_dir() else output
        try:
            backup_database(output=target, force_progress=progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        size_kib = target.stat().st_size / 1024
        self.stdout.write(f"Backup written to {target} ({size_kib:,.0f} KiB).")
