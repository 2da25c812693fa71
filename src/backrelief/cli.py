"""`backrelief` — the command line (run, demo, check, backup, restore, audit purge, ...).

Subcommands are Django management commands; anything else is passed to Django's manage.py,
so `backrelief migrate` and `backrelief createsuperuser` work as usual.
"""

from __future__ import annotations

import os
import sys

# Our names for commands whose Django name differs (Django's own `check` stays reachable
# as `backrelief django-check`).
ALIASES = {"check": "healthcheck", "django-check": "check"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backrelief.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] in ALIASES:
        args[1] = ALIASES[args[1]]
    args[0] = "backrelief"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
