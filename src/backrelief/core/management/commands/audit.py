"""`backrelief audit purge [--retention-days N] [--dry-run]` (issue 2 §8, §13; ADR 0004).

Purging rows older than the retention period is the only way audit rows are ever deleted.
`--dry-run` counts what would go and deletes nothing.
"""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from backrelief.core.audit import audit_purge
from backrelief.core.errors import Invalid
from backrelief.core.selectors import audit_count_older_than

# The same floor as `audit_purge` and the AUDIT_RETENTION_DAYS setting (minimum one year).
MIN_RETENTION_DAYS = 365


class Command(BaseCommand):
    help = "Audit log maintenance. Subcommand: purge (delete rows older than the retention)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="purge")
        purge = subcommands.add_parser(
            "purge", help="Delete audit rows older than the retention period."
        )
        purge.add_argument(
            "--retention-days",
            type=int,
            default=None,
            help=(
                "Keep rows younger than this many days (default: AUDIT_RETENTION_DAYS, "
                f"currently {settings.AUDIT_RETENTION_DAYS}; minimum {MIN_RETENTION_DAYS})."
            ),
        )
        purge.add_argument(
            "--dry-run", action="store_true", help="Only count the rows that would be deleted."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] != "purge":  # argparse already refuses anything else
            raise CommandError(_("Unknown subcommand; use `backrelief audit purge`."))
        retention_days = options["retention_days"]
        if retention_days is None:
            retention_days = settings.AUDIT_RETENTION_DAYS
        now = timezone.now()
        cutoff = now - dt.timedelta(days=retention_days)
        stamp = cutoff.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if options["dry_run"]:
            if retention_days < MIN_RETENTION_DAYS:
                raise CommandError(
                    _(
                        "Audit retention must be at least %(min)d days; "
                        "use --retention-days %(min)d or more."
                    )
                    % {"min": MIN_RETENTION_DAYS}
                )
            count = audit_count_older_than(cutoff=cutoff)
            self.stdout.write(
                _(
                    "Dry run: %(count)d audit rows older than %(cutoff)s (%(days)d days) "
                    "would be deleted; nothing was deleted."
                )
                % {"count": count, "cutoff": stamp, "days": retention_days}
            )
            return
        try:
            deleted = audit_purge(retention_days=retention_days, now=now)
        except Invalid as exc:
            raise CommandError(
                _("%(problem)s Use --retention-days %(min)d or more.")
                % {"problem": exc.message, "min": MIN_RETENTION_DAYS}
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Deleted %(count)d audit rows older than %(cutoff)s (%(days)d days).")
                % {"count": deleted, "cutoff": stamp, "days": retention_days}
            )
        )
