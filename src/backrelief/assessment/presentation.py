"""How a stored result reads on a page (issue 4 item 3), pure: the stored `result` dict (the
`assess --json` contract) in, plain values for the templates out. No ORM, no clock.

The page never recomputes anything: it shows exactly what was stored with the assessment, so
what a person saw can be shown again unchanged (DOMAIN §2.1 audit).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backrelief.assessment.data.red_flags import QUESTIONS_BY_ID
from backrelief.assessment.instruments import INSTRUMENTS
from backrelief.catalog.labels import grade_label

# Levels whose message is the only thing the page shows (DOMAIN §2.3: nothing competes with
# "see a doctor" / "emergency care"; no technique is offered).
BLOCKING_LEVELS = ("EMERGENCY", "URGENT", "NOT_SCREENED")
NONE_REPORTED = "NONE_REPORTED"


def _instrument_name(code: str) -> str:
    instrument = INSTRUMENTS.get(code)
    return instrument.name if instrument is not None else code


def _emergency_lines(steps: list[str], message: str) -> set[str]:
    """The next steps already shown in the triage box (its message and the numbers)."""
    return {s for s in steps if s == message or s.startswith("Emergency number:")}


def _with_grade_labels(technique: Mapping[str, Any]) -> dict[str, Any]:
    benefits = [
        {**b, "grade_label": grade_label(b["evidence_grade"])} for b in technique["benefits"]
    ]
    return {**technique, "benefits": benefits}


def result_view(result: Mapping[str, Any]) -> dict[str, Any]:
    """The stored result arranged for the results page (see module docstring)."""
    tri = result["triage"]
    level = tri["level"]
    contacts = tri.get("emergency_contacts")
    techniques = result.get("techniques", [])
    ranked = sorted(
        (_with_grade_labels(t) for t in techniques if t["rank"] is not None),
        key=lambda t: t["rank"],
    )
    avoided = [t for t in techniques if t["rank"] is None]
    steps = list(result.get("next_steps", []))
    shown = _emergency_lines(steps, tri["message"])
    unanswered = [q for q in tri.get("unanswered", []) if q in QUESTIONS_BY_ID]
    # The stored next step names question ids; the page lists the questions in plain words.
    shown.update(s for s in steps if s.startswith("Answer these warning-sign questions:"))
    if contacts and contacts.get("crisis_name"):
        shown.add(f"{contacts['crisis_name']}: {contacts['crisis_number']}.")
    scores = [
        {
            "code": code,
            "name": _instrument_name(code),
            "valid": score.get("valid", False),
            "display": score.get("display", ""),
            "band_label": score.get("band_label") or "",
            "wording_note": score.get("wording_note", ""),
            "prorated": score.get("prorated", False),
            "notes": score.get("notes", []),
        }
        for code, score in result.get("scores", {}).items()
    ]
    return {
        "level": level,
        "message": tri["message"],
        "blocking": level in BLOCKING_LEVELS,
        "none_reported": level == NONE_REPORTED,
        "contacts": contacts,
        "unanswered": unanswered,
        "unanswered_questions": [QUESTIONS_BY_ID[q].text for q in unanswered],
        "ranked": ranked,
        "avoided": avoided,
        "scores": scores,
        "self_massage_regions": [
            r["label"] for r in result.get("self_massage", {}).get("regions", [])
        ],
        "to_track": [_instrument_name(c) for c in result.get("questionnaires_to_track", [])],
        "next_steps": [s for s in steps if s not in shown],
    }
