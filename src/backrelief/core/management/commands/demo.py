"""`backrelief demo [--size small|medium|large] [--seed N] [--progress]`: load demo data.

Local use only (refused in production, see `core/services/demo.py`). The same seed gives the
same people on every machine; running it again adds only what is missing. A progress bar goes
to stderr when stderr is a terminal, or always with `--progress`.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from backrelief.core.demo import DEFAULT_SEED, DEFAULT_SIZE, PERSONAS, SIZES
from backrelief.core.errors import DomainError
from backrelief.core.services.demo import demo_load


class Command(BaseCommand):
    help = "Load reproducible demo accounts (local profile only; refused in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size",
            choices=tuple(SIZES),
            default=DEFAULT_SIZE,
            help="extra clients besides the demo personas: "
            + ", ".join(f"{name}={count}" for name, count in SIZES.items()),
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="same seed, same people (default 42)"
        )
        parser.add_argument(
            "--progress", action="store_true", help="show the progress bar even without a TTY"
        )

    def handle(self, *args: Any, size: str, seed: int, progress: bool, **options: Any) -> None:
        total = len(PERSONAS) + SIZES[size]
        show = progress or sys.stderr.isatty()
        with tqdm(
            total=total, desc="demo accounts", unit="account", file=sys.stderr, disable=not show
        ) as bar:
            try:
                result = demo_load(size=size, seed=seed, now=timezone.now(), progress=bar.update)
            except DomainError as exc:
                raise CommandError(exc.message) from None
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Demo data ({size}, seed {seed}): {result.created} accounts created, "
                f"{result.existing} already there."
            )
