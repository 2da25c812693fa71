"""`backrelief demo [--size small|medium|large] [--therapists N] [--seed N] [--progress]`.

Loads demo data: the personas and extra clients (`core/services/demo.py`), then N demo
therapists with services, credentials in every state and reviews (`therapists/services/demo.py`,
default 40 so `make run` shows a populated directory; 0 loads none). Local use only (refused in
production). The same seed gives the same people on every machine; running it again adds only
what is missing. A progress bar goes to stderr when stderr is a terminal, or always with
`--progress`.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from backrelief.core.demo import DEFAULT_SEED, DEFAULT_SIZE, PERSONAS, SIZES
from backrelief.core.errors import DomainError
from backrelief.core.services.demo import demo_load
from backrelief.therapists.demo import DEFAULT_THERAPISTS
from backrelief.therapists.services.demo import therapist_demo_load


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of 0 or more")
    return number


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
            "--therapists",
            type=_count,
            default=DEFAULT_THERAPISTS,
            metavar="N",
            help=f"demo therapists to load (default {DEFAULT_THERAPISTS}; 0 for none)",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="same seed, same people (default 42)"
        )
        parser.add_argument(
            "--progress", action="store_true", help="show the progress bar even without a TTY"
        )

    def handle(
        self, *args: Any, size: str, seed: int, therapists: int, progress: bool, **options: Any
    ) -> None:
        total = len(PERSONAS) + SIZES[size]
        show = progress or sys.stderr.isatty()
        now = timezone.now()
        try:
            with tqdm(
                total=total, desc="demo accounts", unit="account", file=sys.stderr, disable=not show
            ) as bar:
                result = demo_load(size=size, seed=seed, now=now, progress=bar.update)
            with tqdm(
                total=therapists,
                desc="demo therapists",
                unit="therapist",
                file=sys.stderr,
                disable=not show,
            ) as bar:
                loaded = therapist_demo_load(
                    count=therapists, seed=seed, now=now, progress=bar.update
                )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Demo data ({size}, seed {seed}): {result.created} accounts created, "
                f"{result.existing} already there."
            )
            self.stdout.write(
                f"Demo therapists: {loaded.created} created, {loaded.existing} already there, "
                f"{loaded.reviews} reviews written."
            )
