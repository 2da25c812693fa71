"""The step-by-step assessment (issue 4 item 2), pure: which step owns which fields, checking one
step's answers, and merging them into a draft's data. No ORM, no clock (pass `today` in).

A draft's `data` is keyed exactly like the `assess` contract (`intake.FIELDS`), so submitting
is `parse_assessment(data)` and nothing is translated twice. Each step owns some contract
fields; saving a step replaces exactly those fields (a field left out of the step's body
becomes its neutral default, as in the contract) and checks them with the same parse helpers
as a whole assessment, so errors name the same fields (`regions.NEKC`, `conditions[0].code`).

Step rules (docs/rules.md "Assessment drafts and history"):

- `pain`: regions, primary_region, pain_onset_date, is_recurrent_episode, triggers, symptoms,
  and `nprs`, the overall pain 0-10 over the NPRS recall period, stored as the NPRS
  questionnaire answer (`questionnaires.nprs`). Changing the main region drops answers to
  questionnaires no longer asked for it (DOMAIN §4.8).
- `warning_signs`: every DOMAIN §2.2 question answered yes or no on this one step. Nothing is
  pre-answered: a missing or null answer is an error naming it (`red_flags.S3`).
- `conditions`: conditions (DOMAIN §3.3 codes).
- `questionnaires`: answers to the questionnaires selected for the main region
  (`scoring.select_instruments`), except the NPRS, which the pain step asks.
- `preferences`: preferences and goals.
- `review`: no fields; the person reads their answers and submits.

A draft may be submitted once every step before `review` has been saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from backrelief.assessment.instruments import INSTRUMENT_CODES, INSTRUMENTS
from backrelief.assessment.intake import FIELDS, parse_assessment
from backrelief.assessment.scoring import select_instruments
from backrelief.core.errors import Invalid

__all__ = [
    "NPRS",
    "STEPS_BEFORE_SUBMIT",
    "STEP_FIELDS",
    "WIZARD_STEPS",
    "apply_step",
    "asked_questionnaires",
    "completed_after",
    "contract_input",
    "next_step",
    "step_values",
    "submit_problems",
]

WIZARD_STEPS: tuple[str, ...] = (
    "pain",
    "warning_signs",
    "conditions",
    "questionnaires",
    "preferences",
    "review",
)
NPRS = "nprs"
# The fields a step's body may carry. `nprs` is the pain step's name for `questionnaires.nprs`.
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "pain": (
        "regions",
        "primary_region",
        "pain_onset_date",
        NPRS,
        "is_recurrent_episode",
        "triggers",
        "symptoms",
    ),
    "warning_signs": ("red_flags",),
    "conditions": ("conditions",),
    "questionnaires": ("questionnaires",),
    "preferences": ("preferences", "goals"),
    "review": (),
}
STEPS_BEFORE_SUBMIT: tuple[str, ...] = WIZARD_STEPS[:-1]
NPRS_MIN, NPRS_MAX = 0, 10


def _everyone() -> tuple[str, ...]:
    return tuple(code for code in INSTRUMENT_CODES if INSTRUMENTS[code].for_everyone)


def asked_questionnaires(primary_region: str | None) -> tuple[str, ...]:
    """The questionnaires the person is asked (DOMAIN §4.8), NPRS included; with no main region
    yet, only those for everyone."""
    if primary_region is None:
        return _everyone()
    return select_instruments(primary_region)


def next_step(completed_steps: Sequence[str]) -> str:
    """The first step not saved yet, in wizard order (`review` when all are)."""
    return next((s for s in STEPS_BEFORE_SUBMIT if s not in completed_steps), WIZARD_STEPS[-1])


def step_values(data: Mapping[str, Any], step: str) -> dict[str, Any]:
    """A step's current answers in the shape its body takes (to fill a form or resume)."""
    _check_step(step)
    out: dict[str, Any] = {}
    for name in STEP_FIELDS[step]:
        if name == NPRS:
            answers = (data.get("questionnaires") or {}).get(NPRS) or [None]
            out[name] = answers[0]
        elif name == "questionnaires":
            out[name] = {
                code: list(values)
                for code, values in _ordered(data.get("questionnaires") or {}).items()
                if code != NPRS
            }
        else:
            out[name] = data.get(name)
    return out


def _check_step(step: str) -> None:
    if step not in STEP_FIELDS:
        raise Invalid(
            "There is no such step.",
            fields={"step": [f"Use one of {', '.join(WIZARD_STEPS)}."]},
        )


def apply_step(
    data: Mapping[str, Any], step: str, raw: object, *, today: dt.date
) -> dict[str, Any]:
    """The draft data after saving `raw` for `step`; `data` itself is never changed.

    Raises `Invalid` naming every field that could not be read (all at once), or `step` for an
    unknown step. `today` is the person's local date (for the onset date, DOMAIN §1.1).
    """
    _check_step(step)
    if not isinstance(raw, Mapping):
        raise Invalid(
            "Send this step's answers as a JSON object.",
            fields={"body": [f"Use an object with: {', '.join(STEP_FIELDS[step]) or 'nothing'}."]},
        )
    owned = STEP_FIELDS[step]
    errors: dict[str, list[str]] = {}
    for key in raw:
        if key not in owned:
            allowed = ", ".join(owned) if owned else "no fields"
            errors[str(key)] = [f"Not part of the {step} step; it takes {allowed}."]
    contract = {name: raw[name] for name in owned if name in raw and name in FIELDS}
    current_q: dict[str, Any] = dict(data.get("questionnaires") or {})
    new_q: dict[str, Any] | None = None
    if step == "pain":
        new_q = _with_nprs(current_q, raw.get(NPRS), errors)
    elif step == "questionnaires":
        new_q = _step_questionnaires(raw.get("questionnaires"), data, errors)
        contract.pop("questionnaires", None)
        if new_q is not None:
            contract["questionnaires"] = new_q
    parsed: dict[str, Any] = {}
    try:
        parsed = parse_assessment(contract, today=today).as_dict()
    except Invalid as exc:
        for name, messages in exc.fields.items():
            errors.setdefault(name, []).extend(messages)
    if step == "warning_signs" and "red_flags" in parsed:
        for qid, answer in parsed["red_flags"].items():
            if answer is None:
                errors.setdefault(f"red_flags.{qid}", []).append(
                    "Answer yes or no; every warning-sign question needs an answer."
                )
    if errors:
        raise Invalid(
            "Some answers on this step could not be read; correct the fields named.",
            fields=errors,
        )
    out = dict(data)
    for name in owned:
        if name in FIELDS and name != "questionnaires":
            out[name] = parsed[name]
    if step == "questionnaires":
        kept = {NPRS: current_q[NPRS]} if NPRS in current_q else {}
        out["questionnaires"] = _ordered({**kept, **parsed["questionnaires"]})
    elif new_q is not None:
        out["questionnaires"] = new_q
    if step == "pain":
        # Answers to questionnaires no longer asked for the new main region are dropped.
        asked = asked_questionnaires(out.get("primary_region"))
        out["questionnaires"] = _ordered(
            {k: v for k, v in (out.get("questionnaires") or {}).items() if k in asked}
        )
    return out


def _with_nprs(
    current: dict[str, Any], value: object, errors: dict[str, list[str]]
) -> dict[str, Any]:
    if value is None:
        return {k: v for k, v in current.items() if k != NPRS}
    if isinstance(value, bool) or not isinstance(value, int) or not NPRS_MIN <= value <= NPRS_MAX:
        errors[NPRS] = ["Give your overall pain as a whole number from 0 to 10, or leave it out."]
        return current
    return _ordered({**current, NPRS: [value]})


def _step_questionnaires(
    raw: object,
    data: Mapping[str, Any],
    errors: dict[str, list[str]],
) -> dict[str, Any] | None:
    """The answers sent, less those not asked here (each named in `errors`); their items are
    checked by intake."""
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        errors["questionnaires"] = ['Use an object such as {"ndi": [1, 0, null, …]}.']
        return None
    asked = [c for c in asked_questionnaires(data.get("primary_region")) if c != NPRS]
    kept: dict[str, Any] = {}
    for code, answers in raw.items():
        if code == NPRS:
            errors["questionnaires.nprs"] = ["Your overall pain is asked on the pain step (nprs)."]
        elif code in INSTRUMENT_CODES and code not in asked:
            errors[f"questionnaires.{code}"] = [
                f"Not asked for your main region; answer: {', '.join(asked)}."
            ]
        else:
            kept[str(code)] = answers
    return _ordered(kept)


def _ordered(questionnaires: Mapping[str, Any]) -> dict[str, Any]:
    known = [code for code in INSTRUMENT_CODES if code in questionnaires]
    unknown = [code for code in questionnaires if code not in INSTRUMENT_CODES]
    return {code: questionnaires[code] for code in [*known, *unknown]}


def completed_after(
    completed_steps: Sequence[str],
    step: str,
    *,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> list[str]:
    """The saved steps after saving `step`, in wizard order. A new main region asks other
    questionnaires (DOMAIN §4.8), so the questionnaires step is open again."""
    done = {*completed_steps, step}
    if step == "pain" and before.get("primary_region") != after.get("primary_region"):
        done.discard("questionnaires")
    return [s for s in WIZARD_STEPS if s in done]


def submit_problems(completed_steps: Sequence[str]) -> dict[str, list[str]]:
    """Steps still to save before the draft may be submitted, as field errors `steps.<name>`."""
    return {
        f"steps.{step}": ["Complete this step first."]
        for step in STEPS_BEFORE_SUBMIT
        if step not in completed_steps
    }


def contract_input(data: Mapping[str, Any]) -> dict[str, Any]:
    """The draft data as an `assess` contract input (only contract fields)."""
    return {name: data[name] for name in FIELDS if name in data}
