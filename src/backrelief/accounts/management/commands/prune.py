"""`backrelief prune`: remove security state that no longer matters (run daily, e.g. by cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from backrelief.accounts.services.housekeeping import security_state_prune


class Command(BaseCommand):
    help = "Delete old login failures and ended or expired browser sessions."

    def handle(self, *args: Any, **options: Any) -> None:
        result = security_state_prune(now=timezone.now())
        self.stdout.write(
            f"Removed {result.login_failures} old login failures, "
            f"{result.django_sessions} expired sessions and "
            f"{result.user_sessions} ended session records."
        )
