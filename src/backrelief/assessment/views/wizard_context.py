"""What each wizard step's template shows (issue 4 item 2): the step's answers (saved, or just
sent back with errors) arranged with their labels and their errors. Plain values only."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from backrelief.assessment import labels
from backrelief.assessment.data.red_flags import QUESTIONS
from backrelief.assessment.instruments import INSTRUMENTS
from backrelief.assessment.wizard import NPRS, WIZARD_STEPS, asked_questionnaires
from backrelief.catalog.data.conditions import CONDITIONS, QUALIFIERS
from backrelief.catalog.data.regions import REGIONS, REGIONS_BY_CODE

Errors = Mapping[str, list[str]]


def with_bold(marked: str) -> SafeString:
    """DOMAIN wording with its `**bold**` marks as <strong> (everything else escaped)."""
    parts = str(escape(_(marked))).split("**")
    html = "".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(parts))
    return mark_safe(html)  # noqa: S308 - every piece was escaped above


def anchor(field: str) -> str:
    """An element id for a field name (`regions.NECK` → `f-regions-NECK`)."""
    return "f-" + re.sub(r"[^A-Za-z0-9_-]+", "-", field).strip("-")


def error_summary(errors: Errors) -> list[dict[str, Any]]:
    return [
        {"field": name, "anchor": anchor(name), "message": message}
        for name, messages in errors.items()
        for message in messages
    ]


def _under(errors: Errors, prefix: str) -> list[str]:
    return [
        m
        for name, ms in errors.items()
        if name == prefix or name.startswith(prefix + ".") or name.startswith(prefix + "[")
        for m in ms
    ]


def progress(step: str, completed: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "step": s,
            "label": labels.STEP_LABELS[s],
            "current": s == step,
            "done": s in completed,
            "number": i,
        }
        for i, s in enumerate(WIZARD_STEPS, start=1)
    ]


def pain(values: Mapping[str, Any], errors: Errors) -> dict[str, Any]:
    regions = values.get("regions") or {}
    triggers = values.get("triggers") or []
    symptoms = values.get("symptoms") or []
    recurrent = values.get("is_recurrent_episode")
    return {
        "regions": [
            {
                "code": r.code,
                "label": _(r.label),
                "marked": r.code in regions,
                "intensity": regions.get(r.code, ""),
                "errors": _under(errors, f"regions.{r.code}"),
                "anchor": anchor(f"regions.{r.code}"),
            }
            for r in REGIONS
        ],
        "primary_region": values.get("primary_region") or "",
        "pain_onset_date": values.get("pain_onset_date") or "",
        "nprs": "" if values.get(NPRS) is None else values.get(NPRS),
        "nprs_recall": INSTRUMENTS[NPRS].recall_period,
        "recurrent": "" if recurrent is None else ("yes" if recurrent else "no"),
        "triggers": [
            {"code": c, "label": lbl, "checked": c in triggers}
            for c, lbl in labels.TRIGGER_LABELS.items()
        ],
        "symptoms": [
            {"code": c, "label": lbl, "checked": c in symptoms}
            for c, lbl in labels.SYMPTOM_LABELS.items()
        ],
        "e_regions": [m for name, ms in errors.items() if name == "regions" for m in ms],
        "e_primary": _under(errors, "primary_region"),
        "e_onset": _under(errors, "pain_onset_date"),
        "e_nprs": _under(errors, NPRS),
        "e_recurrent": _under(errors, "is_recurrent_episode"),
        "e_triggers": _under(errors, "triggers"),
        "e_symptoms": _under(errors, "symptoms"),
    }


def warning_signs(values: Mapping[str, Any], errors: Errors) -> dict[str, Any]:
    answers = values.get("red_flags") or {}
    return {
        "questions": [
            {
                "id": q.id,
                "html": with_bold(q.marked),
                "answer": "" if answers.get(q.id) is None else ("yes" if answers[q.id] else "no"),
                "errors": _under(errors, f"red_flags.{q.id}"),
                "anchor": anchor(f"red_flags.{q.id}"),
            }
            for q in QUESTIONS
        ],
        "e_red_flags": [m for name, ms in errors.items() if name == "red_flags" for m in ms],
    }


def conditions(values: Mapping[str, Any], errors: Errors) -> dict[str, Any]:
    given = {}
    index = {}
    for i, item in enumerate(values.get("conditions") or []):
        item = {"code": item} if isinstance(item, str) else item
        given[item.get("code")] = item
        index[item.get("code")] = i
    rows = []
    for c in CONDITIONS:
        item = given.get(c.code) or {}
        where = (item.get("regions") or [None])[0]
        prefix = f"conditions[{index[c.code]}]" if c.code in index else None
        rows.append(
            {
                "code": c.code,
                "label": _(c.label),
                "local": c.local,
                "checked": c.code in given,
                "side": item.get("side") or "",
                "where": where or "",
                "qualifiers": [
                    {
                        "code": q,
                        "label": _(QUALIFIERS[q]),
                        "checked": q in (item.get("qualifiers") or []),
                    }
                    for q in c.qualifiers
                ],
                "errors": _under(errors, prefix) if prefix else [],
                "anchor": anchor(prefix) if prefix else anchor(f"condition-{c.code}"),
            }
        )
    return {
        "conditions": rows,
        "sides": list(labels.SIDE_LABELS.items()),
        "region_choices": [(r.code, _(r.label)) for r in REGIONS],
        "e_conditions": [m for name, ms in errors.items() if name == "conditions" for m in ms],
    }


def asked_here(data: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(c for c in asked_questionnaires(data.get("primary_region")) if c != NPRS)


def questionnaires(
    values: Mapping[str, Any], errors: Errors, data: Mapping[str, Any]
) -> dict[str, Any]:
    answers = values.get("questionnaires") or {}
    instruments = []
    for code in asked_here(data):
        instrument = INSTRUMENTS[code]
        given = answers.get(code) or []
        items = []
        for item in instrument.items:
            current = given[item.number - 1] if len(given) >= item.number else None
            items.append(
                {
                    "number": item.number,
                    "name": f"q_{code}_{item.number}",
                    "summary": item.summary,
                    "options": [
                        {"value": o.value, "summary": o.summary, "checked": o.value == current}
                        for o in item.options
                    ],
                }
            )
        instruments.append(
            {
                "code": code,
                "name": instrument.name,
                "recall": instrument.recall_period,
                "items": items,
                "errors": _under(errors, f"questionnaires.{code}"),
                "anchor": anchor(f"questionnaires.{code}"),
            }
        )
    primary = data.get("primary_region")
    return {
        "instruments": instruments,
        "primary_label": _(REGIONS_BY_CODE[primary].label) if primary in REGIONS_BY_CODE else "",
    }


def preferences(values: Mapping[str, Any], errors: Errors) -> dict[str, Any]:
    prefs = values.get("preferences") or {}
    goals = values.get("goals") or []

    def choices(name: str, options: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "name": name,
            "current": prefs.get(name) or "",
            "options": list(options.items()),
            "errors": _under(errors, f"preferences.{name}"),
            "anchor": anchor(f"preferences.{name}"),
        }

    return {
        "pressure": choices("pressure", labels.PRESSURE_CHOICES),
        "clothing": choices("clothing", labels.CLOTHING_CHOICES),
        "heat": choices("heat", labels.HEAT_CHOICES),
        "goals": [
            {"code": c, "label": lbl, "checked": c in goals}
            for c, lbl in labels.GOAL_LABELS.items()
        ],
        "e_goals": _under(errors, "goals"),
    }


def review(data: Mapping[str, Any]) -> dict[str, Any]:
    """The draft's answers in words, step by step, for checking before submitting."""
    regions = data.get("regions") or {}
    flags = data.get("red_flags") or {}
    yes = [q for q in QUESTIONS if flags.get(q.id) is True]
    conditions_given = []
    for item in data.get("conditions") or []:
        item = {"code": item} if isinstance(item, str) else item
        label = next((_(c.label) for c in CONDITIONS if c.code == item["code"]), item["code"])
        side = item.get("side")
        conditions_given.append(f"{label} ({labels.SIDE_LABELS[side]})" if side else label)
    prefs = data.get("preferences") or {}
    q = data.get("questionnaires") or {}
    nprs = (q.get(NPRS) or [None])[0]
    return {
        "regions": [
            f"{_(REGIONS_BY_CODE[c].label)}: {v}/10"
            for c, v in regions.items()
            if c in REGIONS_BY_CODE
        ],
        "primary": _(REGIONS_BY_CODE[data["primary_region"]].label)
        if data.get("primary_region") in REGIONS_BY_CODE
        else "",
        "onset": data.get("pain_onset_date") or "",
        "nprs": nprs,
        "flags_answered": sum(1 for v in flags.values() if v is not None),
        "flags_total": len(QUESTIONS),
        "flags_yes": [with_bold(q.marked) for q in yes],
        "conditions": conditions_given,
        "questionnaires": [INSTRUMENTS[c].name for c in q if c != NPRS and c in INSTRUMENTS],
        "preferences": [
            str(dict(opts).get(str(prefs.get(name)), ""))
            for name, opts in (
                ("pressure", labels.PRESSURE_CHOICES),
                ("clothing", labels.CLOTHING_CHOICES),
                ("heat", labels.HEAT_CHOICES),
            )
            if prefs.get(name)
        ],
        "goals": [
            str(labels.GOAL_LABELS[g]) for g in data.get("goals") or [] if g in labels.GOAL_LABELS
        ],
    }
