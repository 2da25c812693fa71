"""Reading the wizard's plain HTML forms into step bodies (issue 4 item 2).

Each step's body has the shape the JSON API sends (`wizard.STEP_FIELDS`), so the web pages
and the API call the same service (`services.draft_save_step`) and get errors named the same
way (`regions.NECK`, `red_flags.E3`, `conditions[0].side`). Only what HTML cannot express
(text to number, "yes"/"no" to true/false) is done here; every rule is the service's.
Problems found while reading (a number that is not a number) are named the same way too.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from backrelief.assessment.data.red_flags import QUESTION_IDS
from backrelief.assessment.instruments import INSTRUMENTS
from backrelief.catalog.data.conditions import CONDITION_CODES, CONDITIONS_BY_CODE
from backrelief.catalog.data.regions import REGIONS

Errors = dict[str, list[str]]


def _int(raw: str, name: str, errors: Errors, message: str) -> int | None:
    raw = raw.strip()
    if raw == "":
        return None
    if not raw.isdigit():
        errors.setdefault(name, []).append(message)
        return None
    return int(raw)


def _yes_no(raw: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(raw or "")


def pain_body(post: QueryDict) -> tuple[dict[str, Any], Errors]:
    """The pain step: marked regions with 0-10 intensity, main region, onset, overall pain."""
    errors: Errors = {}
    regions: dict[str, Any] = {}
    for region in REGIONS:
        marked = post.get(f"region_{region.code}") == "on"
        raw = post.get(f"intensity_{region.code}", "")
        value = _int(
            raw,
            f"regions.{region.code}",
            errors,
            _("Give how much it hurts as a whole number from 0 to 10."),
        )
        if marked and value is None and not raw.strip():
            errors.setdefault(f"regions.{region.code}", []).append(
                _("Give how much it hurts here, from 0 (not at all) to 10 (worst).")
            )
        elif value is not None:
            regions[region.code] = value
    nprs = _int(
        post.get("nprs", ""), "nprs", errors, _("Give your overall pain as a number from 0 to 10.")
    )
    body = {
        "regions": regions,
        "primary_region": post.get("primary_region") or None,
        "pain_onset_date": post.get("pain_onset_date", "").strip() or None,
        "nprs": nprs,
        "is_recurrent_episode": _yes_no(post.get("is_recurrent_episode")),
        "triggers": post.getlist("triggers"),
        "symptoms": post.getlist("symptoms"),
    }
    return body, errors


def warning_signs_body(post: QueryDict) -> tuple[dict[str, Any], Errors]:
    """Every DOMAIN §2.2 question as true / false / None (unanswered: the service names it)."""
    return {"red_flags": {qid: _yes_no(post.get(f"red_flag_{qid}")) for qid in QUESTION_IDS}}, {}


def conditions_body(post: QueryDict) -> tuple[dict[str, Any], Errors]:
    """Ticked conditions, each with its side, place and qualifiers where they apply."""
    conditions: list[dict[str, Any]] = []
    for code in CONDITION_CODES:
        if post.get(f"condition_{code}") != "on":
            continue
        condition = CONDITIONS_BY_CODE[code]
        item: dict[str, Any] = {"code": code}
        if condition.local:
            item["side"] = post.get(f"side_{code}") or None
            where = post.get(f"where_{code}") or None
            item["regions"] = [where] if where else None
        if condition.qualifiers:
            item["qualifiers"] = [
                q for q in post.getlist(f"qualifiers_{code}") if q in condition.qualifiers
            ]
        conditions.append(item)
    return {"conditions": conditions}, {}


def questionnaires_body(post: QueryDict, asked: tuple[str, ...]) -> tuple[dict[str, Any], Errors]:
    """Item answers of the questionnaires asked on this step; a skipped item is None, and a
    questionnaire with no answer at all is not sent (not "answered with every item missing")."""
    errors: Errors = {}
    answers: dict[str, list[int | None]] = {}
    for code in asked:
        instrument = INSTRUMENTS[code]
        values: list[int | None] = []
        for item in instrument.items:
            name = f"q_{code}_{item.number}"
            values.append(
                _int(
                    post.get(name, ""),
                    f"questionnaires.{code}[{item.number - 1}]",
                    errors,
                    _("Choose one of the answers."),
                )
            )
        if any(v is not None for v in values):  # one not started at all is left out
            answers[code] = values
    return {"questionnaires": answers}, errors


def preferences_body(post: QueryDict) -> tuple[dict[str, Any], Errors]:
    """Pressure, clothing and heat preferences (None: no preference) and goals."""
    prefs = {name: post.get(name) or None for name in ("pressure", "clothing", "heat")}
    return {"preferences": prefs, "goals": post.getlist("goals")}, {}
