"""`backrelief score INSTRUMENT ANSWERS` (issue 3 §8, DOMAIN §4; a stable contract).

INSTRUMENT is nprs|ndi|odi|pss10|phq4|sleep; ANSWERS the item values in published order,
comma-separated, empty for unanswered (`1,2,,0,3,1,0,2,1,0`). Prints one JSON object
(`ScoreResult.as_dict`) and exits 0 when scored, 1 when the answers are well formed but not
scorable (too many unanswered items, any PHQ-4 item unanswered; the JSON still says why and
carries any complete PHQ-4 subscale), 2 on a usage error: unknown instrument, a value that is
not a whole number, the wrong number of items, or a value outside the item's range (refused,
never clamped, DOMAIN §4.0 point 3) — the message goes to stderr and nothing to stdout.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from backrelief.assessment.instruments import INSTRUMENT_CODES, get_instrument
from backrelief.assessment.scoring import parse_answers, score
from backrelief.assessment.wording import installed_wording
from backrelief.core.errors import Invalid

EXIT_NOT_SCORABLE = 1
EXIT_USAGE = 2


def describe(exc: Invalid) -> str:
    """The message plus each field's problems, so the person knows which answer to fix."""
    lines = [exc.message]
    lines += [
        f"  {field}: {msg}"
        for field, msgs in exc.fields.items()
        for msg in msgs
        if msg != exc.message
    ]
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Score one questionnaire and print the result as JSON. Exit 0 scored, 1 not "
        "scorable, 2 usage error."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("instrument", metavar="INSTRUMENT", help="|".join(INSTRUMENT_CODES))
        parser.add_argument(
            "answers",
            metavar="ANSWERS",
            help="item values in published order, comma-separated, empty for unanswered",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            code = get_instrument(options["instrument"]).code
            result = score(code, parse_answers(options["answers"]), wording=installed_wording(code))
        except Invalid as exc:
            raise CommandError(describe(exc), returncode=EXIT_USAGE) from None
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        if not result.valid:
            raise CommandError(result.error or "not scorable", returncode=EXIT_NOT_SCORABLE)
