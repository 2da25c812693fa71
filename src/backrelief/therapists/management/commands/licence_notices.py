"""`backrelief licence_notices`: the daily licence job (issue 5 item 2) — 30-day expiry
warnings, expired notices, and the sweep of orphaned evidence files. Run it once a day (cron
or a systemd timer); running it twice, or on two machines at once, sends nothing twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from backrelief.therapists.jobs import evidence_orphans_sweep, licence_notices_send


class Command(BaseCommand):
    help = "Send licence expiry warnings (30 days ahead) and expired notices, each once."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        result = licence_notices_send(now=now)
        removed = evidence_orphans_sweep(now=now)
        self.stdout.write(
            f"Sent {result.warnings_sent} expiry warnings and {result.expired_sent} expired "
            f"notices; removed {removed} orphaned evidence files."
        )
