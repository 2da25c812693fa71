"""Reading one assessment's input (issue 3 items 6 and 8), pure: JSON-like mapping in, checked
`AssessmentInput` out.

The shape is the `backrelief assess FILE.json` contract (README "Assessment from the command
line"): `red_flags` keyed by DOMAIN §2.2 ids, `regions` `{"LOWER_BACK": 6}` (DOMAIN §1.2),
`primary_region`, `pain_onset_date` (ISO), `is_recurrent_episode` (true/false/null, DOMAIN
§1.1: recorded, not used by the ranking), `conditions` (codes or `{code, side, regions,
qualifiers}`, DOMAIN §3.3), and optional `symptoms`, `triggers`, `preferences` (`pressure`,
`clothing`, `heat`), `goals`, `questionnaires` (`{"ndi": [item values, null unanswered]}`) and
`country`.

Fields not given take neutral defaults (no regions, onset unknown, no conditions, no
preferences, no goals, no questionnaires) — except red flags: a missing answer is unanswered,
never "no", so a missing `red_flags` means NOT_SCREENED (DOMAIN §2.3). Every problem in the
whole input is reported at once in one `core.errors.Invalid` whose fields name the input
(`regions.NEKC`, `conditions[1].code`, `pain_onset_date`, `questionnaires.ndi`,
`preferences.pressure`); an unknown top-level field is an error too, so a typo never silently
becomes a neutral default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from backrelief.assessment.duration import parse_pain_onset_date
from backrelief.assessment.instruments import INSTRUMENT_CODES
from backrelief.assessment.painmap import parse_regions, validate_primary_region
from backrelief.assessment.scoring import score
from backrelief.assessment.triage import parse_red_flags
from backrelief.catalog.contraindications import ConditionInput, parse_conditions
from backrelief.catalog.data import ranking
from backrelief.core.errors import Invalid

__all__ = ["FIELDS", "AssessmentInput", "Preferences", "parse_assessment"]

FIELDS: tuple[str, ...] = (
    "red_flags",
    "regions",
    "primary_region",
    "pain_onset_date",
    "is_recurrent_episode",
    "conditions",
    "symptoms",
    "triggers",
    "preferences",
    "goals",
    "questionnaires",
    "country",
)
PREFERENCE_VALUES: dict[str, tuple[str, ...]] = {
    "pressure": ranking.PRESSURE_VALUES,
    "clothing": ranking.CLOTHING_VALUES,
    "heat": ranking.HEAT_VALUES,
}
LIST_VALUES: dict[str, tuple[str, ...]] = {
    "symptoms": ranking.SYMPTOM_VALUES,
    "triggers": ranking.TRIGGER_VALUES,
    "goals": ranking.GOAL_VALUES,
}


@dataclass(frozen=True)
class Preferences:
    """None = no preference given (neutral: no points either way)."""

    pressure: str | None = None
    clothing: str | None = None
    heat: str | None = None


@dataclass(frozen=True)
class AssessmentInput:
    """One checked assessment input. `today` is the person's local date (never the clock)."""

    today: dt.date
    red_flags: Mapping[str, bool | None]
    regions: Mapping[str, int] = field(default_factory=dict)
    primary_region: str | None = None
    pain_onset_date: dt.date | None = None
    is_recurrent_episode: bool | None = None
    conditions: tuple[ConditionInput, ...] = ()
    symptoms: tuple[str, ...] = ()
    triggers: tuple[str, ...] = ()
    preferences: Preferences = Preferences()
    goals: tuple[str, ...] = ()
    questionnaires: Mapping[str, tuple[int | None, ...]] = field(default_factory=dict)
    country: str | None = None

    @property
    def painful_regions(self) -> frozenset[str]:
        """Marked regions with pain above 0 (a region marked 0 does not hurt now)."""
        return frozenset(code for code, value in self.regions.items() if value > 0)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, in the input's own shape: `parse_assessment(x.as_dict(), today=x.today)`
        gives `x` back. Stored as the assessment's inputs."""
        return {
            "red_flags": dict(self.red_flags),
            "regions": dict(self.regions),
            "primary_region": self.primary_region,
            "pain_onset_date": self.pain_onset_date.isoformat() if self.pain_onset_date else None,
            "is_recurrent_episode": self.is_recurrent_episode,
            "conditions": [
                {
                    "code": c.code,
                    "side": c.side,
                    "regions": sorted(c.regions) if c.regions is not None else None,
                    "qualifiers": sorted(c.qualifiers),
                }
                for c in self.conditions
            ],
            "symptoms": list(self.symptoms),
            "triggers": list(self.triggers),
            "preferences": {
                "pressure": self.preferences.pressure,
                "clothing": self.preferences.clothing,
                "heat": self.preferences.heat,
            },
            "goals": list(self.goals),
            "questionnaires": {code: list(v) for code, v in self.questionnaires.items()},
            "country": self.country,
        }


T = TypeVar("T")


def parse_assessment(raw: Mapping[str, Any], *, today: dt.date) -> AssessmentInput:
    """Check a whole assessment input (see the module docstring); `today` is the person's
    local calendar date, used for the onset date (DOMAIN §1.1)."""
    if not isinstance(raw, Mapping):
        raise Invalid(
            "The assessment must be a JSON object.",
            fields={"assessment": ["Send an object with fields such as red_flags and regions."]},
        )
    errors: dict[str, list[str]] = {}

    def attempt(parse: Callable[[], T], default: T) -> T:
        try:
            return parse()
        except Invalid as exc:
            for name, messages in (exc.fields or {"assessment": [exc.message]}).items():
                errors.setdefault(name, []).extend(messages)
            return default

    for key in raw:
        if key not in FIELDS:
            errors[str(key)] = [f"Unknown field; allowed: {', '.join(FIELDS)}."]
    red_flags: dict[str, bool | None] = attempt(lambda: parse_red_flags(raw.get("red_flags")), {})
    regions: dict[str, int] = attempt(lambda: parse_regions(raw.get("regions")), {})
    primary = attempt(lambda: validate_primary_region(raw.get("primary_region"), regions), None)
    onset_raw = raw.get("pain_onset_date")
    onset = attempt(
        lambda: None if onset_raw is None else parse_pain_onset_date(onset_raw, today=today),
        None,
    )
    recurrent = attempt(lambda: _recurrent(raw.get("is_recurrent_episode")), None)
    no_conditions: tuple[ConditionInput, ...] = ()
    conditions = attempt(lambda: parse_conditions(raw.get("conditions")), no_conditions)
    lists: dict[str, tuple[str, ...]] = {}
    for name in LIST_VALUES:
        lists[name] = attempt(partial(_codes, name, raw.get(name)), ())
    preferences = attempt(lambda: _preferences(raw.get("preferences")), Preferences())
    questionnaires: dict[str, tuple[int | None, ...]] = attempt(
        lambda: _questionnaires(raw.get("questionnaires")), {}
    )
    country = attempt(lambda: _country(raw.get("country")), None)
    if errors:
        raise Invalid(
            "Some of the assessment could not be read; correct the fields named and try again.",
            fields=errors,
        )
    return AssessmentInput(
        today=today,
        red_flags=red_flags,
        regions=regions,
        primary_region=primary,
        pain_onset_date=onset,
        is_recurrent_episode=recurrent,
        conditions=conditions,
        symptoms=lists["symptoms"],
        triggers=lists["triggers"],
        preferences=preferences,
        goals=lists["goals"],
        questionnaires=questionnaires,
        country=country,
    )


def _codes(name: str, raw: object) -> tuple[str, ...]:
    """A list of known codes, duplicates dropped, in the table's order (deterministic)."""
    if raw is None:
        return ()
    allowed = LIST_VALUES[name]
    if isinstance(raw, str | bytes) or not isinstance(raw, Sequence):
        raise Invalid(f"{name} must be a list.", fields={name: [f"Give a list of: {allowed}."]})
    bad = {
        f"{name}[{i}]": [f"Unknown value {v!r}; use one of {', '.join(allowed)}."]
        for i, v in enumerate(raw)
        if v not in allowed
    }
    if bad:
        raise Invalid(f"Some {name} could not be read.", fields=bad)
    return tuple(code for code in allowed if code in raw)


def _preferences(raw: object) -> Preferences:
    if raw is None:
        return Preferences()
    if not isinstance(raw, Mapping):
        raise Invalid(
            "Preferences must be an object.",
            fields={"preferences": ['Use an object such as {"pressure": "light"}.']},
        )
    bad: dict[str, list[str]] = {}
    for key, value in raw.items():
        allowed = PREFERENCE_VALUES.get(key)
        if allowed is None:
            bad[f"preferences.{key}"] = [f"Unknown preference; use {', '.join(PREFERENCE_VALUES)}."]
        elif value is not None and value not in allowed:
            bad[f"preferences.{key}"] = [f"Use one of {', '.join(allowed)}, or leave it out."]
    if bad:
        raise Invalid("Some preferences could not be read.", fields=bad)
    return Preferences(raw.get("pressure"), raw.get("clothing"), raw.get("heat"))


def _questionnaires(raw: object) -> dict[str, tuple[int | None, ...]]:
    """`{"ndi": [1, 2, null, …]}`: item values in published order; checked by scoring."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise Invalid(
            "Questionnaire answers must be an object.",
            fields={"questionnaires": ['Use an object such as {"nprs": [6]}.']},
        )
    bad: dict[str, list[str]] = {}
    found: dict[str, tuple[int | None, ...]] = {}
    for code, answers in raw.items():
        at = f"questionnaires.{code}"
        if code not in INSTRUMENT_CODES:
            bad[at] = [f"Unknown questionnaire; use one of {', '.join(INSTRUMENT_CODES)}."]
        elif isinstance(answers, str | bytes) or not isinstance(answers, Sequence):
            bad[at] = ["Give the item values as a list, null for unanswered."]
        else:
            try:
                score(code, list(answers))
            except Invalid as exc:
                for name, messages in exc.fields.items():
                    bad[at + name.removeprefix("answers")] = list(messages)
                continue
            found[code] = tuple(answers)
    if bad:
        raise Invalid("Some questionnaire answers could not be read.", fields=bad)
    return {code: found[code] for code in INSTRUMENT_CODES if code in found}


def _recurrent(raw: object) -> bool | None:
    """Has this kind of pain happened before (DOMAIN §1.1)? true, false or null (not said)."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return raw
    raise Invalid(
        "Whether the pain has happened before could not be read.",
        fields={"is_recurrent_episode": ["Answer true (yes), false (no) or null (not said)."]},
    )


def _country(raw: object) -> str | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str) or len(raw.strip()) != 2 or not raw.strip().isalpha():
        raise Invalid(
            "The country could not be read.",
            fields={"country": ["Use a two-letter country code such as GB or DE."]},
        )
    return raw.strip().upper()
