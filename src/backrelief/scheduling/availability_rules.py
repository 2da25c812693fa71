"""Rules for editing a therapist's availability (issue 6 item 1), on plain values.

Pure: no ORM, no clock (`today` / `now` come in). The services in
`scheduling/services_availability.py` call these checks and raise `Invalid` with the field
messages they return, keyed like the form and API fields (`hours.<index>.end`).

- Weekly hours: rows (weekday 0 = Monday … 6 = Sunday, start, end) in the therapist's own zone;
  end after start (a shift ends by 23:59 — the schema stores times of day); rows on one weekday
  may not overlap (touching is fine: 09:00-12:30 and 12:30-17:00), so split shifts are several
  rows; at most `MAX_SHIFTS_PER_DAY` rows a weekday.
- Date overrides: the same checks for the periods of one local date, or the date closed.
- Policy ranges: the bounds of `SchedulingPolicy` (its database constraints say the same).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _

MAX_SHIFTS_PER_DAY = 6
MAX_NOTE_LENGTH = 200
NOTICE_MINUTES_MAX = 14 * 24 * 60  # 20,160: two weeks
HORIZON_DAYS_RANGE = (1, 365)
SLOT_STEPS = (5, 10, 15, 20, 30, 60)
CUTOFF_HOURS_MAX = 168  # one week

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

Interval = tuple[dt.datetime, dt.datetime]


def _hm(value: dt.time) -> str:
    return value.strftime("%H:%M")


def _day_problems(
    rows: Sequence[tuple[int, dt.time, dt.time]], *, prefix: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    ok: list[tuple[dt.time, dt.time]] = []
    for index, start, end in rows:
        if end <= start:
            errors[f"{prefix}.{index}.end"] = [
                _("End after the start (e.g. 09:00 to 17:00); a shift ends by 23:59.")
            ]
            continue
        clash = next((o for o in ok if start < o[1] and o[0] < end), None)
        if clash is not None:
            errors[f"{prefix}.{index}.start"] = [
                _(
                    "Overlaps %(start)s–%(end)s on the same day. Change one of them; "
                    "back-to-back shifts (one ends 12:30, the next starts 12:30) are fine."
                )
                % {"start": _hm(clash[0]), "end": _hm(clash[1])}
            ]
            continue
        ok.append((start, end))
    return errors


def periods_problems(
    periods: Sequence[tuple[dt.time, dt.time]], *, prefix: str = "hours"
) -> dict[str, list[str]]:
    """Field errors for the periods of one date: each end after its start, no two overlapping
    (issue 6 item 1: split shifts are allowed, overlaps are not), at most
    `MAX_SHIFTS_PER_DAY`. Keys are `<prefix>.<index>.start|end`."""
    errors = _day_problems([(i, s, e) for i, (s, e) in enumerate(periods)], prefix=prefix)
    if len(periods) > MAX_SHIFTS_PER_DAY:
        errors.setdefault(prefix, []).append(
            _("At most %(n)d periods a day; merge some of them.") % {"n": MAX_SHIFTS_PER_DAY}
        )
    return errors


def weekly_hours_problems(rows: Sequence[tuple[int, dt.time, dt.time]]) -> dict[str, list[str]]:
    """Field errors for a whole week of rows (weekday, start, end), keyed `hours.<index>.*`
    by the row's position in `rows` (issue 6 item 1): weekday 0-6, end after start, no
    overlap with another row of the same weekday, at most `MAX_SHIFTS_PER_DAY` a weekday."""
    errors: dict[str, list[str]] = {}
    by_day: dict[int, list[tuple[int, dt.time, dt.time]]] = {}
    for index, (weekday, start, end) in enumerate(rows):
        if not 0 <= weekday <= 6:
            errors[f"hours.{index}.weekday"] = [_("Choose a weekday: 0 (Monday) to 6 (Sunday).")]
            continue
        by_day.setdefault(weekday, []).append((index, start, end))
    for weekday, day_rows in sorted(by_day.items()):
        errors.update(_day_problems(day_rows, prefix="hours"))
        if len(day_rows) > MAX_SHIFTS_PER_DAY:
            errors.setdefault(f"hours.{day_rows[MAX_SHIFTS_PER_DAY][0]}.start", []).append(
                _("At most %(n)d shifts on %(day)s; merge some of them.")
                % {"n": MAX_SHIFTS_PER_DAY, "day": _(WEEKDAY_NAMES[weekday])}
            )
    return errors


def policy_problems(
    *,
    min_notice_minutes: int,
    horizon_days: int,
    slot_step_minutes: int,
    cancellation_cutoff_hours: int,
) -> dict[str, list[str]]:
    """Field errors for the scheduling policy (issue 6 items 1 and 6): minimum notice 0 to
    20,160 minutes (two weeks), horizon 1 to 365 days, slot step one of 5/10/15/20/30/60
    minutes, cancellation cut-off 0 to 168 hours (one week)."""
    errors: dict[str, list[str]] = {}
    if not 0 <= min_notice_minutes <= NOTICE_MINUTES_MAX:
        errors["min_notice_minutes"] = [
            _("Enter 0 to %(max)d minutes (two weeks).") % {"max": NOTICE_MINUTES_MAX}
        ]
    low, high = HORIZON_DAYS_RANGE
    if not low <= horizon_days <= high:
        errors["horizon_days"] = [_("Enter 1 to 365 days.")]
    if slot_step_minutes not in SLOT_STEPS:
        errors["slot_step_minutes"] = [_("Choose 5, 10, 15, 20, 30 or 60 minutes.")]
    if not 0 <= cancellation_cutoff_hours <= CUTOFF_HOURS_MAX:
        errors["cancellation_cutoff_hours"] = [_("Enter 0 to 168 hours (one week).")]
    return errors


def subtract(intervals: Sequence[Interval], holes: Sequence[Interval]) -> list[Interval]:
    """`intervals` minus `holes` (both lists of [start, end) instants), sorted: working time
    without the time off (issue 6 item 1)."""
    out: list[Interval] = []
    ordered_holes = sorted(holes)
    for start, end in sorted(intervals):
        cursor = start
        for h_start, h_end in ordered_holes:
            if h_end <= cursor or h_start >= end:
                continue
            if h_start > cursor:
                out.append((cursor, h_start))
            cursor = max(cursor, h_end)
            if cursor >= end:
                break
        if cursor < end:
            out.append((cursor, end))
    return out


def overlaps(a: Interval, b: Interval) -> bool:
    """Whether two [start, end) intervals share time."""
    return a[0] < b[1] and b[0] < a[1]
