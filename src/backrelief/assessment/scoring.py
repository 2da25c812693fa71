"""Questionnaire scoring (DOMAIN §4), pure: raw answers in, an exact result out.

The rules come from the instrument data files (`assessment/instruments/*.json`); this module
only applies them. Arithmetic is exact (`fractions.Fraction`) and bands are decided on the
unrounded value; rounding is for display only (DOMAIN §0 point 5, §4.0 point 2; ADR 0012).
Answers are the item values in published order, `None` for unanswered or "not applicable".
Input that breaks a rule (wrong number of items, a value that is not an option) is refused
with `Invalid` naming `answers[i]`, never clamped (§4.0 point 3). Answers that are well formed
but too incomplete to score give a result with `valid=False` and the reason.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from django.utils.translation import gettext as _

from backrelief.assessment.instruments import (
    INSTRUMENT_CODES,
    INSTRUMENTS,
    SUMMARY_NOTE,
    SUMMARY_WORDING,
    Instrument,
    get_instrument,
)
from backrelief.assessment.instruments.licensed import Wording
from backrelief.catalog.data.regions import REGION_CODES, sorted_regions
from backrelief.core.errors import Invalid

Answers = Sequence[int | None]
_WHOLE = re.compile(r"[+-]?[0-9]+")


@dataclass(frozen=True, slots=True)
class SubscaleResult:
    code: str
    score: int | None  # None when any of its items is unanswered (DOMAIN §4.5)
    positive: bool | None


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """One scored questionnaire. `score` is the headline value, exact and unrounded: NDI raw
    0-50 after proration, ODI percent, PSS-10 total, PHQ-4 total, NPRS and sleep the value."""

    instrument: str
    edition: str
    version: int
    answers: tuple[int | None, ...]
    valid: bool
    error: str | None
    answered: int
    prorated: bool
    score: Fraction | None
    percent: Fraction | None  # NDI and ODI only
    band: str | None  # the paper's code, stored
    band_label: str | None  # soft wording for people (DOMAIN §0 point 9)
    subscales: tuple[SubscaleResult, ...]
    wording: str
    wording_note: str | None
    notes: tuple[str, ...]

    @property
    def display(self) -> str | None:
        """The score as shown to people: rounded half up, 1 decimal place for percentages
        and fractional totals (DOMAIN §4.0 point 2), e.g. `17.8 (35.6%)` for a prorated NDI."""
        if self.score is None:
            return None
        if get_instrument(self.instrument).rule == "percent_of_answered":
            return f"{display_number(self.score, places=1)}%"
        shown = display_number(self.score)
        if self.percent is not None:
            return f"{shown} ({display_number(self.percent, places=1)}%)"
        return shown

    def as_dict(self) -> dict[str, Any]:
        """The `backrelief score` JSON contract (issue 3 §8): floats of the exact values."""
        out: dict[str, Any] = {"instrument": self.instrument, "valid": self.valid}
        if not self.valid:
            out["error"] = self.error
        out.update(answered=self.answered, prorated=self.prorated, score=_float(self.score))
        if get_instrument(self.instrument).percent:
            out["percent"] = _float(self.percent)
        out.update(band=self.band, band_label=self.band_label, display=self.display)
        for sub in self.subscales:
            out[sub.code] = sub.score
            out[f"{sub.code}_positive"] = sub.positive
        out.update(
            edition=self.edition,
            version=self.version,
            wording=self.wording,
            wording_note=self.wording_note,
            notes=list(self.notes),
        )
        return out


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def display_number(value: Fraction, *, places: int | None = None) -> str:
    """Round half away from zero on the exact value. Without `places`, whole numbers stay
    whole and anything else gets one decimal place (a [P] display choice, docs/rules.md)."""
    if places is None:
        places = 0 if value.denominator == 1 else 1
    scale = 10**places
    magnitude = math.floor(abs(value) * scale + Fraction(1, 2))
    sign = "-" if value < 0 and magnitude else ""
    whole, fraction = divmod(magnitude, scale)
    return f"{sign}{whole}.{fraction:0{places}d}" if places else f"{sign}{whole}"


def parse_answers(text: str) -> tuple[int | None, ...]:
    """`"1,2,,0"` -> (1, 2, None, 0): comma-separated item values, empty for unanswered."""
    values: list[int | None] = []
    errors: dict[str, list[str]] = {}
    for i, token in enumerate(text.split(",")):
        token = token.strip()
        if not token:
            values.append(None)
        elif _WHOLE.fullmatch(token):
            values.append(int(token))
        else:
            errors[f"answers[{i}]"] = [
                _("%(value)r is not a whole number; give the item's value or leave it empty.")
                % {"value": token}
            ]
    if errors:
        raise Invalid(_("Answers must be whole numbers separated by commas."), fields=errors)
    return tuple(values)


def _checked(instrument: Instrument, answers: Answers) -> tuple[int | None, ...]:
    """DOMAIN §4.0 point 3: integers inside the item's range, else refused (never clamped)."""
    if isinstance(answers, str | bytes) or len(answers) != len(instrument.items):
        count = "?" if isinstance(answers, str | bytes) else len(answers)
        message = _("%(name)s has %(n)d items; %(got)s answers were given.") % {
            "name": instrument.name,
            "n": len(instrument.items),
            "got": count,
        }
        raise Invalid(message, fields={"answers": [message]})
    errors: dict[str, list[str]] = {}
    for i, (value, item) in enumerate(zip(answers, instrument.items, strict=True)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value not in item.values:
            errors[f"answers[{i}]"] = [
                _("Item %(n)d (%(item)s) takes %(low)d to %(high)d or no answer; got %(got)r.")
                % {
                    "n": item.number,
                    "item": item.id,
                    "low": item.values[0],
                    "high": item.values[-1],
                    "got": value,
                }
            ]
    if errors:
        raise Invalid(_("Some answers are outside the items' ranges."), fields=errors)
    return tuple(answers)


def score(instrument: str, answers: Answers, *, wording: Wording | None = None) -> ScoreResult:
    """Score one questionnaire by its data file's rule (DOMAIN §4.1-4.6).

    Reverse items score `lowest + highest - response` (PSS-10: all "never" = 16). Missing
    items: NDI prorates to raw `sum * 10 / answered`, ODI divides by `5 * answered` (one
    section missing -> 45), PSS-10 prorates; beyond the file's `max_missing` (NDI/ODI 2, PSS-10
    1, PHQ-4 0) the result is not valid. A PHQ-4 subscale with all its items is reported even
    when the total is not. `wording` is the licensed text the person saw, if any; it is
    checked but never changes the arithmetic.
    """
    definition = get_instrument(instrument)
    values = _checked(definition, answers)
    if wording is not None and wording.instrument != definition.code:
        message = _("The wording is for %(other)s, not %(code)s.") % {
            "other": wording.instrument,
            "code": definition.code,
        }
        raise Invalid(message, fields={"wording": [message]})
    scored = [
        None if value is None else item.scored(value)
        for value, item in zip(values, definition.items, strict=True)
    ]
    answered = sum(value is not None for value in values)
    missing = len(values) - answered
    subscales = tuple(
        _subscale(sub.code, [scored[i] for i in sub.items], sub.positive_at)
        for sub in definition.subscales
    )
    notes = list(definition.notes)
    for sub, result in zip(definition.subscales, subscales, strict=True):
        if result.positive:
            notes.append(sub.positive_note)
    common: dict[str, Any] = {
        "instrument": definition.code,
        "edition": definition.edition,
        "version": definition.version,
        "answers": values,
        "answered": answered,
        "subscales": subscales,
        "wording": SUMMARY_WORDING if wording is None else wording.label,
        "wording_note": SUMMARY_NOTE if wording is None else None,
        "notes": tuple(notes),
    }
    if missing > definition.max_missing:
        return ScoreResult(
            valid=False,
            error=_missing_error(definition, missing),
            prorated=False,
            score=None,
            percent=None,
            band=None,
            band_label=None,
            **common,
        )
    total = sum(value for value in scored if value is not None)
    value, percent = _headline(definition, total, answered)
    band = next(band for band in definition.bands if band.admits(value))
    return ScoreResult(
        valid=True,
        error=None,
        prorated=missing > 0,
        score=value,
        percent=percent,
        band=band.code,
        band_label=band.label,
        **common,
    )


def _subscale(code: str, scored: list[int | None], positive_at: Fraction) -> SubscaleResult:
    """DOMAIN §4.5: no proration; a subscale with a missing item is null, >= 3 is positive."""
    if any(value is None for value in scored):
        return SubscaleResult(code, None, None)
    total = sum(value for value in scored if value is not None)
    return SubscaleResult(code, total, total >= positive_at)


def _headline(
    definition: Instrument, total: int, answered: int
) -> tuple[Fraction, Fraction | None]:
    """The exact headline score and, for NDI/ODI, the percentage (DOMAIN §4.2, §4.3)."""
    n = len(definition.items)
    if definition.rule == "percent_of_answered":
        value = Fraction(total * 100, definition.items[0].values[-1] * answered)
        return value, value
    value = Fraction(total * n, answered) if definition.rule == "sum_prorated" else Fraction(total)
    if definition.percent:
        return value, value * 100 / definition.score_range[1]
    return value, None


def _missing_error(definition: Instrument, missing: int) -> str:
    n = len(definition.items)
    if n == 1:
        return _("%(name)s needs an answer to be scored.") % {"name": definition.name}
    if definition.max_missing == 0:
        return _("%(name)s is scored only with all %(n)d items answered; %(m)d unanswered.") % {
            "name": definition.name,
            "n": n,
            "m": missing,
        }
    return _("%(name)s needs at least %(need)d of %(n)d items answered; %(got)d were.") % {
        "name": definition.name,
        "need": n - definition.max_missing,
        "n": n,
        "got": n - missing,
    }


def percent_change(baseline: Fraction | int, current: Fraction | int) -> Fraction | None:
    """Signed change relative to baseline in percent; undefined (None, "not applicable") at
    baseline 0 (DOMAIN §4.1 edge cases)."""
    errors = {
        name: [_("Scores are never negative.")]
        for name, value in (("baseline", baseline), ("current", current))
        if value < 0
    }
    if errors:
        raise Invalid(_("Scores are never negative."), fields=errors)
    if baseline == 0:
        return None
    return (Fraction(current) - Fraction(baseline)) * 100 / Fraction(baseline)


@dataclass(frozen=True, slots=True)
class Change:
    """Change between two headline scores, flagged against the MCIDs in the data files."""

    instrument: str
    baseline: Fraction
    current: Fraction
    change: Fraction  # current - baseline, in the headline score's units
    percent: Fraction | None  # signed; None at baseline 0
    direction: Literal["improved", "worsened", "unchanged"]
    absolute_met: bool | None  # |change| >= MCID points; None when there is none
    percent_met: bool | None  # improvement >= MCID percent; None when none or baseline 0
    beyond_error: bool | None  # NDI: |change| >= 10 raw points
    meaningful: bool | None  # either criterion met; None when the instrument has no MCID


def meaningful_change(instrument: str, baseline: Fraction | int, current: Fraction | int) -> Change:
    """Absolute and percentage change with "meaningful change" flags (DOMAIN §4.0 point 6).

    Thresholds come from the instrument file's `mcid` (NPRS 2 points or 30%, NDI 5 raw with
    10 beyond measurement error, ODI 10 points or 30%, sleep 2 points; PSS-10 and PHQ-4 have
    none). The points criterion counts in either direction; the percentage criterion is
    published as an improvement from baseline, so only improvements meet it. Sleep improves
    upwards, the others downwards.
    """
    definition = get_instrument(instrument)
    low, high = definition.score_range
    errors: dict[str, list[str]] = {}
    for name, value in (("baseline", baseline), ("current", current)):
        if (
            isinstance(value, bool)
            or not isinstance(value, int | Fraction)
            or value < low
            or value > high
        ):
            errors[name] = [
                _("Give a %(code)s score from %(low)s to %(high)s.")
                % {"code": definition.code, "low": low, "high": high}
            ]
    if errors:
        raise Invalid(_("Scores are out of range."), fields=errors)
    base, now = Fraction(baseline), Fraction(current)
    change = now - base
    percent = percent_change(base, now)
    gain = change if definition.higher_is_better else -change
    mcid = definition.mcid
    absolute_met = percent_met = beyond_error = meaningful = None
    if mcid is not None:
        if mcid.absolute is not None:
            absolute_met = abs(change) >= mcid.absolute
        if mcid.percent is not None and percent is not None:
            percent_met = gain * 100 / base >= mcid.percent
        if mcid.beyond_error is not None:
            beyond_error = abs(change) >= mcid.beyond_error
        meaningful = bool(absolute_met) or bool(percent_met)
    direction: Literal["improved", "worsened", "unchanged"] = (
        "improved" if gain > 0 else "worsened" if gain < 0 else "unchanged"
    )
    return Change(
        instrument=definition.code,
        baseline=base,
        current=now,
        change=change,
        percent=percent,
        direction=direction,
        absolute_met=absolute_met,
        percent_met=percent_met,
        beyond_error=beyond_error,
        meaningful=meaningful,
    )


def select_instruments(primary_region: str) -> tuple[str, ...]:
    """Questionnaires to track for a primary region (DOMAIN §4.8 [P]).

    Everyone: NPRS, PSS-10, PHQ-4 and sleep (files with `for_everyone`). Plus the disability
    index whose file lists the region: NECK, SHOULDER_*, UPPER_BACK, ARM_* (and HEAD, a
    project choice) -> NDI; LOWER_BACK, LEG_*, BUTTOCK_* -> ODI. MID_BACK gets neither,
    because neither is designed for it.
    """
    if primary_region not in REGION_CODES:
        message = _("Unknown region %(region)r; use one of %(codes)s.") % {
            "region": primary_region,
            "codes": ", ".join(sorted_regions(REGION_CODES)),
        }
        raise Invalid(message, fields={"primary_region": [message]})
    return tuple(
        code
        for code in INSTRUMENT_CODES
        if INSTRUMENTS[code].for_everyone or primary_region in INSTRUMENTS[code].primary_regions
    )
