"""`backrelief check`: health and deployment checks, one line each, exit status 1 on failure.

Django's own `check` stays reachable as `backrelief django-check` (and `manage.py check`).
What is checked and why: `core/diagnostics.py`.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from backrelief.core.diagnostics import run_all


class Command(BaseCommand):
    help = "System checks (deploy checks in production), database, migrations, assets, secret key."
    requires_system_checks: list[str] = []  # we run them ourselves and report them as a line

    def handle(self, *args: Any, **options: Any) -> None:
        results = run_all()
        width = max(len(r.name) for r in results)
        for result in results:
            mark = self.style.SUCCESS("ok  ") if result.ok else self.style.ERROR("FAIL")
            self.stdout.write(f"{mark} {result.name.ljust(width)}  {result.detail}")
        failed = [r for r in results if not r.ok]
        if failed:
            self.stderr.write(f"{len(failed)} check(s) failed.")
            sys.exit(1)
        self.stdout.write("All checks passed.")
