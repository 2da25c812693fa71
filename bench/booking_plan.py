"""The booking benchmark's data generator, pure part (issue 6 "Done when": `make bench`).

`plan_therapist` decides, for one therapist, from a seed and the therapist's index only (so the
same inputs always give the same rows): an extra Saturday shift for some, a few date overrides
(a closed day, a day with other split hours), time off (a few days' holiday, an afternoon off),
and bookings — each session inside working time minus time off on the 15-minute grid, its
[start, blocked_until) (blocked_until = end + the service's buffer) clear of every other
booking of the therapist, cancelled ones included, and of the `occupied` intervals already in
the database (the demo's completed sessions). Statuses: sessions ended before `now` are
completed (one in twenty no-show), later ones confirmed; one in ten of all is cancelled, so
its time is free again. No ORM, no clock: `bench/booking_data.py` writes the rows.

`dst_window` picks the month the benchmark reads: 30 days around the next daylight-saving
changes of the zones in use after `now`, so the slots searched cross at least one change.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from backrelief.core.time import local_to_utc_forward
from backrelief.scheduling.availability import Interval, working_intervals

STEP = dt.timedelta(minutes=15)
SATURDAY = ((dt.time(10, 0), dt.time(12, 0)), (dt.time(12, 30), dt.time(14, 30)))
OVERRIDE_HOURS = ((dt.time(8, 0), dt.time(11, 0)), (dt.time(14, 0), dt.time(19, 0)))
CANCELLED_SHARE = 0.1
NO_SHOW_SHARE = 0.05


@dataclass(frozen=True)
class PlannedBooking:
    service: int  # index into the therapist's services
    start: dt.datetime
    end: dt.datetime
    blocked_until: dt.datetime
    status: str  # confirmed, completed, no_show or cancelled
    created_at: dt.datetime
    cancelled_at: dt.datetime | None


@dataclass(frozen=True)
class TherapistPlan:
    extra_weekly: list[tuple[int, dt.time, dt.time]]
    # local date -> open hours ([] = closed all day)
    overrides: dict[dt.date, list[tuple[dt.time, dt.time]]]
    time_off: list[Interval]
    bookings: list[PlannedBooking] = field(default_factory=list)


def next_transitions(zone: str, after: dt.datetime, *, within_days: int = 370) -> list[dt.date]:
    """Local dates on which `zone`'s UTC offset changes, after `after`, hour by hour (pure)."""
    tz = ZoneInfo(zone)
    found: list[dt.date] = []
    probe = after.replace(minute=0, second=0, microsecond=0)
    offset = probe.astimezone(tz).utcoffset()
    for _ in range(within_days * 24):
        probe += dt.timedelta(hours=1)
        current = probe.astimezone(tz).utcoffset()
        if current != offset:
            found.append(probe.astimezone(tz).date())
            offset = current
    return found


def dst_window(
    zones: Iterable[str], now: dt.datetime, *, days: int = 30
) -> tuple[dt.date, dt.date]:
    """`days` local dates (first, last) starting 4 days before the earliest daylight-saving
    change after `now` (+ 2 days, clear of the minimum notice) among `zones`."""
    changes = [
        first
        for zone in sorted(set(zones))
        for first in next_transitions(zone, now + dt.timedelta(days=2))[:1]
    ]
    if not changes:  # no zone with a change: any month from next week
        start = (now + dt.timedelta(days=7)).date()
    else:
        start = min(changes) - dt.timedelta(days=4)
    return start, start + dt.timedelta(days=days - 1)


def subtract(intervals: Sequence[Interval], holes: Sequence[Interval]) -> list[Interval]:
    """`intervals` (sorted, disjoint) with the instants of `holes` removed."""
    out: list[Interval] = []
    for start, end in intervals:
        pieces = [(start, end)]
        for a, b in holes:
            pieces = [
                piece
                for s, e in pieces
                for piece in ((s, min(e, a)), (max(s, b), e))
                if piece[1] > piece[0]
            ]
        out.extend(pieces)
    return sorted(out)


def _on_grid(instant: dt.datetime) -> dt.datetime:
    """`instant` rounded up to the 15-minute grid (UTC; the zones used have whole-hour
    offsets, so this is also the local grid)."""
    minutes = instant.minute % 15
    if minutes == 0 and instant.second == 0 and instant.microsecond == 0:
        return instant
    return instant.replace(second=0, microsecond=0) + dt.timedelta(minutes=15 - minutes)


class _Taken:
    """Sorted disjoint [start, end) intervals with an overlap test."""

    def __init__(self, intervals: Iterable[Interval]) -> None:
        self.items = sorted(intervals)
        self.starts = [a for a, _ in self.items]

    def overlaps(self, start: dt.datetime, end: dt.datetime) -> bool:
        i = bisect.bisect_left(self.starts, end)  # intervals starting before `end`
        return any(self.items[j][1] > start for j in range(max(0, i - 3), i))

    def add(self, start: dt.datetime, end: dt.datetime) -> None:
        i = bisect.bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.items.insert(i, (start, end))


def plan_therapist(
    *,
    seed: int,
    index: int,
    zone: str,
    weekly: Sequence[tuple[int, dt.time, dt.time]],
    services: Sequence[tuple[int, int]],
    first: dt.date,
    last: dt.date,
    now: dt.datetime,
    bookings: int,
    occupied: Sequence[Interval] = (),
) -> TherapistPlan:
    """One therapist's extra availability rows and bookings on the local dates first..last
    (module docstring). `services`: (duration_min, buffer_min) each; `occupied`: intervals
    already taken in the database. Fewer than `bookings` when the time is full (it is not
    with the demo's 35 hours a week)."""
    rng = random.Random(f"booking-bench-{seed}-{index}")
    tz = ZoneInfo(zone)
    days = (last - first).days + 1
    extra_weekly = list((5, a, b) for a, b in SATURDAY) if index % 4 == 0 else []
    overrides: dict[dt.date, list[tuple[dt.time, dt.time]]] = {}
    if rng.random() < 0.4:
        overrides[first + dt.timedelta(days=rng.randrange(days))] = []
    if rng.random() < 0.4:
        overrides.setdefault(first + dt.timedelta(days=rng.randrange(days)), list(OVERRIDE_HOURS))
    time_off: list[Interval] = []
    if rng.random() < 0.5:  # a holiday of 1-3 days from local midnight
        day = first + dt.timedelta(days=rng.randrange(days))
        time_off.append(
            (
                local_to_utc_forward(day=day, at=dt.time(0), zone=tz),
                local_to_utc_forward(
                    day=day + dt.timedelta(days=rng.randint(1, 3)), at=dt.time(0), zone=tz
                ),
            )
        )
    if rng.random() < 0.5:  # an afternoon off
        day = first + dt.timedelta(days=rng.randrange(days))
        time_off.append(
            (
                local_to_utc_forward(day=day, at=dt.time(13, 30), zone=tz),
                local_to_utc_forward(day=day, at=dt.time(17, 0), zone=tz),
            )
        )
    time_off.sort()
    plan = TherapistPlan(extra_weekly=extra_weekly, overrides=overrides, time_off=time_off)
    if not services or bookings <= 0:
        return plan
    working = working_intervals(
        weekly=[*weekly, *extra_weekly], overrides=overrides, zone=zone, start=first, end=last
    )
    free = [(a, b) for a, b in subtract(working, time_off) if b - a >= STEP]
    if not free:
        return plan
    weights = [(b - a).total_seconds() for a, b in free]
    taken = _Taken(occupied)
    placed: list[PlannedBooking] = []
    attempts = 0
    while len(placed) < bookings and attempts < bookings * 20:
        attempts += 1
        which = rng.randrange(len(services))
        duration = dt.timedelta(minutes=services[which][0])
        buffer = dt.timedelta(minutes=services[which][1])
        a, b = rng.choices(free, weights=weights)[0]
        positions = int((b - _on_grid(a) - duration) / STEP) + 1
        if positions <= 0:
            continue
        start = _on_grid(a) + STEP * rng.randrange(positions)
        end = start + duration
        blocked = end + buffer
        if taken.overlaps(start, blocked):
            continue
        taken.add(start, blocked)
        created = min(now, start) - dt.timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 23))
        status = "completed" if end <= now else "confirmed"
        if status == "completed" and rng.random() < NO_SHOW_SHARE:
            status = "no_show"
        cancelled_at = None
        if rng.random() < CANCELLED_SHARE:
            status = "cancelled"
            cancelled_at = created + (min(now, start) - created) / 2
        placed.append(
            PlannedBooking(
                service=which,
                start=start,
                end=end,
                blocked_until=blocked,
                status=status,
                created_at=created,
                cancelled_at=cancelled_at,
            )
        )
    placed.sort(key=lambda p: p.start)
    plan.bookings.extend(placed)
    return plan
