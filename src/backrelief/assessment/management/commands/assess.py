"""`backrelief assess FILE.json [--json] [--today YYYY-MM-DD]` (issue 3 item 8; a stable
contract, README "Assessment from the command line").

Reads one assessment (the `parse_assessment` shape: `red_flags` keyed by DOMAIN §2.2 ids,
`regions`, `primary_region`, `pain_onset_date`, `conditions`, optional `symptoms`,
`triggers`, `preferences`, `goals`, `questionnaires`, `country`; neutral defaults except red
flags) and prints the recommendation: readable text by default, the `Recommendation.as_dict`
JSON with `--json` (`triage.level`, `duration_class`, `scores`, all six `techniques`,
`versions`, …). Pure computation: nothing is stored. Exit 0 with a result (whatever the
triage level), 2 on a usage or file error — missing or unreadable file, invalid JSON, or
input that breaks a rule — with a message naming the field on stderr and nothing on stdout.
"""

from __future__ import annotations

import datetime as dt
import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from backrelief.assessment.management.commands.score import describe
from backrelief.assessment.recommendation import parse_assessment, recommend
from backrelief.core.errors import Invalid

EXIT_USAGE = 2


def _usage(message: str) -> CommandError:
    return CommandError(message, returncode=EXIT_USAGE)


def read_input(path: Path) -> Any:
    """The JSON in `path`; a missing file or bad JSON is a usage error naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _usage(f"FILE: {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _usage(f"FILE: {path} could not be read ({exc}).") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _usage(
            f"FILE: {path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    if not isinstance(data, dict):
        raise _usage(f"FILE: {path} must hold one JSON object with fields such as red_flags.")
    return data


def render_text(out: dict[str, Any]) -> str:
    """The readable form: the same facts as the JSON, in reading order."""
    tri = out["triage"]
    lines = [f"Warning signs: {tri['level']}", f"  {tri['message']}"]
    contacts = tri["emergency_contacts"]
    if contacts:
        lines.append(f"  Emergency number: {contacts['emergency']}")
    lines.append(f"Pain duration: {out['duration_class'] or 'not known (no onset date)'}")
    lines.append("Techniques:")
    for t in sorted(out["techniques"], key=lambda t: (t["rank"] is None, t["rank"] or 0)):
        place = f"{t['rank']}." if t["rank"] is not None else "-"
        points = f" ({t['points']:+d} points)" if t["rank"] is not None else ""
        lines.append(f"  {place} {t['name']}: {t['action']}{points}")
        lines += [f"      + {text}" for text in t["why"]]
        lines += [f"      - {text}" for text in t["why_not"]]
        lines += [f"      change: {text}" for text in t["modifications"]]
        lines += [
            f"      benefit: {b['claim']} [evidence: {b['evidence_grade']}]" for b in t["benefits"]
        ]
    regions = ", ".join(r["label"] for r in out["self_massage"]["regions"]) or "none"
    lines.append(f"Self-massage regions: {regions}")
    for code, score in out["scores"].items():
        shown = score["display"] if score["valid"] else f"not scored ({score['error']})"
        label = f" ({score['band_label']})" if score.get("band_label") else ""
        lines.append(f"Score {code}: {shown}{label}")
    lines.append(f"Questionnaires to track: {', '.join(out['questionnaires_to_track'])}")
    lines.append("Next steps:")
    lines += [f"  - {step}" for step in out["next_steps"]]
    versions = out["versions"]
    simple = ", ".join(f"{k} {v}" for k, v in versions.items() if not isinstance(v, dict))
    lines.append(f"Versions: {simple}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Compute the explained recommendation for one assessment file (nothing is stored). "
        "Exit 0 with a result, 2 on a usage or input error."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE.json", type=Path, help="the assessment")
        parser.add_argument("--json", action="store_true", help="print JSON, not text")
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="the date to assess on (default: today's local date)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = self._today(options.get("today"))
        raw = read_input(options["file"])
        try:
            result = recommend(parse_assessment(raw, today=today)).as_dict()
        except Invalid as exc:
            raise _usage(describe(exc)) from None
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_text(result))

    @staticmethod
    def _today(value: str | None) -> dt.date:
        if value is None:
            # The command line's local date; the rules themselves never read the clock.
            return dt.datetime.now(dt.UTC).astimezone().date()
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise _usage(f"--today: use YYYY-MM-DD, not {value!r}.") from None
