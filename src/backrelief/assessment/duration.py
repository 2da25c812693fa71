"""Pain duration class from the onset date, pure (DOMAIN §1.1, §0.1).

Guidelines disagree on the cut-offs, so the class is derived from the stored
`pain_onset_date` with a named profile, never asked of the person and never hard-coded:

| profile         | acute      | subacute         | chronic     | source (DOMAIN §1.1)           |
|-----------------|------------|------------------|-------------|--------------------------------|
| `international` | < 6 weeks  | 6 to < 12 weeks  | ≥ 12 weeks  | JOSPT 2017, Lancet 2018, IASP  |
| `acp`           | < 4 weeks  | 4 to < 12 weeks  | ≥ 12 weeks  | ACP, Qaseem 2017               |

Guidelines write "> 12 weeks"; exactly 12 weeks counts as chronic so the classes cover every
duration (DOMAIN §1.1 [P]). Weeks are whole days / 7 counted from the onset date to `today`
(both calendar dates in the person's own time zone, chosen by the caller): exactly 42 days is
6 weeks. The clock is never read here; pass `today` in.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from backrelief.core.errors import Invalid

FIELD = "pain_onset_date"
DEFAULT_PROFILE = "international"
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class DurationClass(StrEnum):
    ACUTE = "acute"
    SUBACUTE = "subacute"
    CHRONIC = "chronic"


@dataclass(frozen=True)
class DurationProfile:
    """Week thresholds: acute below `subacute_from`, chronic from `chronic_from` on."""

    subacute_from: int
    chronic_from: int
    source: str


DURATION_PROFILES: dict[str, DurationProfile] = {
    "international": DurationProfile(6, 12, "JOSPT neck pain CPG 2017; Lancet LBP series 2018"),
    "acp": DurationProfile(4, 12, "American College of Physicians, Qaseem et al. 2017"),
}


def _check_dates(onset: dt.date, today: dt.date) -> None:
    # datetime is a subclass of date; an instant would silently carry a time zone question.
    for value in (onset, today):
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise TypeError(f"Expected a calendar date, got {value!r}.")
    if onset > today:
        raise Invalid(
            "The date the pain started is in the future.",
            fields={FIELD: ["Enter the day the pain started: today or earlier."]},
        )


def days_since(*, onset: dt.date, today: dt.date) -> int:
    """Whole days from the onset date to `today` (0 on the day it started)."""
    _check_dates(onset, today)
    return (today - onset).days


def weeks_since(*, onset: dt.date, today: dt.date) -> int:
    """Completed weeks since the onset date (41 days → 5, 42 days → 6), as shown to people.

    Classifying on completed weeks equals classifying on days / 7: `days // 7 < n` exactly when
    `days < 7 n`.
    """
    return days_since(onset=onset, today=today) // 7


def duration_class(
    *, onset: dt.date, today: dt.date, profile: str = DEFAULT_PROFILE
) -> DurationClass:
    """acute / subacute / chronic for an episode that began on `onset` (DOMAIN §1.1).

    Raises `Invalid` naming `pain_onset_date` for an onset after `today`, and `ValueError` for
    a profile that is not in `DURATION_PROFILES` (configuration, not user input).
    """
    try:
        thresholds = DURATION_PROFILES[profile]
    except KeyError:
        raise ValueError(
            f"Unknown duration profile {profile!r}; use one of {', '.join(DURATION_PROFILES)}."
        ) from None
    weeks = weeks_since(onset=onset, today=today)
    if weeks < thresholds.subacute_from:
        return DurationClass.ACUTE
    if weeks < thresholds.chronic_from:
        return DurationClass.SUBACUTE
    return DurationClass.CHRONIC


def parse_pain_onset_date(raw: object, *, today: dt.date) -> dt.date:
    """An ISO calendar date (`"2026-09-30"`) from JSON-like input, not after `today`.

    Only the `YYYY-MM-DD` form is accepted (Python also reads week dates and compact forms,
    which people do not mean). Errors name `pain_onset_date`. A missing onset (None) is for
    the caller to decide; this function only reads a value that was given.
    """
    onset: dt.date | None = None
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        onset = raw
    elif isinstance(raw, str) and _ISO_DATE.fullmatch(raw.strip()):
        try:
            onset = dt.date.fromisoformat(raw.strip())
        except ValueError:
            onset = None
    if onset is None:
        raise Invalid(
            "The date the pain started could not be read.",
            fields={FIELD: ["Use the form YYYY-MM-DD, for example 2026-09-30."]},
        )
    _check_dates(onset, today)
    return onset
