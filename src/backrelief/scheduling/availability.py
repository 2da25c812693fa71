"""Working hours as instants (issue 6 items 1-2), pure.

A therapist states their hours on the wall clock of their own zone: weekly rows (weekday,
start, end; several rows on one weekday are split shifts) and date overrides that replace the
weekly rows of one local date (an empty list is a day off). `working_intervals` expands them,
date by local date, into aware UTC intervals with `core.time` — the one time rule — so 09:00
local stays 09:00 local across daylight-saving changes.

A boundary that does not exist on the wall clock (it falls in the spring-forward gap) is moved
forward by the gap (`local_to_utc_forward`): a shift 01:00-04:00 on Berlin's spring-forward
day runs 01:00 CET-04:00 CEST, two hours, shortened by the gap, not lost; a shift starting at
02:30 starts at 03:30 CEST. An ambiguous boundary (the fall-back fold) takes its first
occurrence, so 01:00-04:00 on the fall-back day lasts four hours.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from backrelief.core.time import local_to_utc_forward, zone_get

Interval = tuple[dt.datetime, dt.datetime]


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, with overlapping or touching intervals joined; empty ones dropped."""
    merged: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def working_intervals(
    *,
    weekly: Sequence[tuple[int, dt.time, dt.time]],
    overrides: Mapping[dt.date, Sequence[tuple[dt.time, dt.time]]],
    zone: str,
    start: dt.date,
    end: dt.date,
) -> list[Interval]:
    """The therapist's working time on the local dates `start`..`end` (both included) as sorted,
    merged UTC intervals (issue 6 item 1). For each date the override rows when the date has
    any entry in `overrides` (an empty list: closed), else the weekly rows of its weekday
    (0 = Monday). Boundaries are wall times in `zone`, expanded by `core.time`; one that does
    not exist is moved forward by the gap (module docstring). A row whose end does not come
    after its start once expanded is skipped."""
    tz = zone_get(zone)
    by_weekday: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for weekday, begin, finish in weekly:
        by_weekday.setdefault(weekday, []).append((begin, finish))
    found: list[Interval] = []
    day = start
    while day <= end:
        rows = overrides[day] if day in overrides else by_weekday.get(day.weekday(), ())
        for begin, finish in rows:
            a = local_to_utc_forward(day=day, at=begin, zone=tz)
            b = local_to_utc_forward(day=day, at=finish, zone=tz)
            if b > a:
                found.append((a, b))
        day += dt.timedelta(days=1)
    return merge_intervals(found)


def bookings_outside(*, intervals: Sequence[Interval], bookings: Sequence[Interval]) -> list[int]:
    """Indexes (in `bookings`) of the bookings whose [start, end) is not wholly inside one of
    the working `intervals` — the conflicts listed when availability is edited (issue 6 item 1:
    editing never drops a booking silently). `intervals` are merged first, so a booking across
    two touching shifts is inside. O((n + m) log n)."""
    merged = merge_intervals(intervals)
    starts = [a for a, _ in merged]
    outside: list[int] = []
    for index, (begin, finish) in enumerate(bookings):
        position = bisect.bisect_right(starts, begin) - 1
        if position < 0 or not (merged[position][0] <= begin and finish <= merged[position][1]):
            outside.append(index)
    return outside
