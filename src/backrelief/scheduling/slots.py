"""Free slots for a service (issue 6 item 3), pure: a sweep over sorted intervals.

Inputs are aware UTC intervals: the therapist's working time (`availability.working_intervals`),
their time off, and what is busy (active bookings' [start, blocked_until), i.e. each session
with its buffer). A slot for a service of `duration` with `buffer` after it starts at `s` when

1. the session [s, s + duration) lies inside one working interval with the time off removed —
   the **buffer may run past the end of working time** (it is the therapist's own time after
   the last session: changing, notes), so the last slot of a day ends when the day ends;
2. the session *and its buffer* [s, s + duration + buffer) overlap nothing busy — exactly the
   interval the database refuses to overlap (issue 6 item 4), so an offered slot can be booked;
3. `not_before <= s < not_after` (now + minimum notice; the booking horizon or the end of the
   range asked for);
4. `s` is on the `step` grid of the therapist's **local wall clock** (with a 15-minute step:
   :00, :15, :30, :45 local, also in zones whose offset is not a whole hour, and again after a
   daylight-saving change). A UTC instant always has a wall time, so no slot is ever offered at
   a local time that does not exist.

Complexity: O((w + t + b) log(w + t + b) + k) for w working intervals, t time off, b busy
intervals and k slots.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from backrelief.core.time import zone_get
from backrelief.scheduling.availability import Interval, merge_intervals

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MINUTE = dt.timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Slot:
    """A bookable session [start, end), aware UTC."""

    start: dt.datetime
    end: dt.datetime


def subtract_intervals(intervals: Iterable[Interval], holes: Iterable[Interval]) -> list[Interval]:
    """`intervals` with every instant of `holes` removed; sorted and merged. O(n log n)."""
    remaining: list[Interval] = []
    cut = merge_intervals(holes)
    j = 0
    for start, end in merge_intervals(intervals):
        while j < len(cut) and cut[j][1] <= start:
            j += 1
        k = j
        cursor = start
        while k < len(cut) and cut[k][0] < end:
            if cut[k][0] > cursor:
                remaining.append((cursor, cut[k][0]))
            cursor = max(cursor, cut[k][1])
            k += 1
        if cursor < end:
            remaining.append((cursor, end))
    return remaining


def _merge_overlapping(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _offset(instant: dt.datetime, zone: ZoneInfo) -> dt.timedelta:
    return instant.astimezone(zone).utcoffset() or dt.timedelta(0)


def _is_aligned(instant: dt.datetime, zone: ZoneInfo, step: dt.timedelta) -> bool:
    return (instant - _EPOCH + _offset(instant, zone)) % step == dt.timedelta(0)


def _next_aligned(instant: dt.datetime, zone: ZoneInfo, step: dt.timedelta) -> dt.datetime | None:
    """The first instant at or after `instant` whose local wall time is on the step grid."""
    found: list[dt.datetime] = []
    for offset in {_offset(instant, zone), _offset(instant + step, zone)}:
        candidate = instant + (-(instant - _EPOCH + offset)) % step
        if _is_aligned(candidate, zone, step):
            found.append(candidate)
    if found:
        return min(found)
    # Around an offset change the grid moves; walk minute by minute (rare: at most a few
    # dozen checks, and only on the night of a change).
    candidate = instant + (-(instant - _EPOCH)) % _MINUTE
    for _ in range(2 * (step // _MINUTE) + 2):
        if _is_aligned(candidate, zone, step):
            return candidate
        candidate += _MINUTE
    return None  # an offset of whole seconds (old local mean time): no grid at all


def _aligned_starts(
    first: dt.datetime, last: dt.datetime, zone: ZoneInfo, step: dt.timedelta
) -> Iterable[dt.datetime]:
    """Every instant in [first, last] on the local step grid, in order."""
    s = _next_aligned(first, zone, step)
    if s is None or s > last:
        return
    if _offset(s, zone) == _offset(last, zone):
        # no offset change between the two (offsets change at most once a day): plain steps
        while s <= last:
            yield s
            s += step
        return
    while s is not None and s <= last:
        yield s
        following = s + step
        s = (
            following
            if _is_aligned(following, zone, step)
            else _next_aligned(s + _MINUTE, zone, step)
        )


def free_slots(
    *,
    working: Sequence[Interval],
    busy: Sequence[Interval],
    duration: dt.timedelta,
    buffer: dt.timedelta,
    step: dt.timedelta,
    zone: str,
    not_before: dt.datetime,
    not_after: dt.datetime,
    time_off: Sequence[Interval] = (),
) -> list[Slot]:
    """The free slots of one service, in order (rules 1-4 of the module docstring; issue 6
    item 3). `zone` is the therapist's: the grid of `step` is their wall clock. Time off is
    removed from working time (the buffer may run into it, as past the end of a shift); busy
    time may overlap neither the session nor its buffer."""
    if duration <= dt.timedelta(0) or step <= dt.timedelta(0) or buffer < dt.timedelta(0):
        raise ValueError("duration and step must be positive, buffer not negative")
    tz = zone_get(zone)
    length = duration + buffer
    work = subtract_intervals(working, time_off)
    # A start s is blocked by busy [a, b) when [s, s + length) overlaps it: a - length < s < b.
    # Stretches that only touch stay apart: their shared instant is an allowed start.
    blocked = _merge_overlapping((a - length, b) for a, b in busy if b > a)
    slots: list[Slot] = []
    j = 0
    for work_start, work_end in work:
        lo = max(work_start, not_before)
        hi = work_end - duration  # the last start whose session ends by the end of work
        if lo >= not_after:
            break
        if lo > hi:
            continue
        while j < len(blocked) and blocked[j][1] <= lo:
            j += 1
        cursor = lo
        k = j
        while cursor <= hi:
            if k < len(blocked) and blocked[k][0] < cursor:
                # inside a blocked stretch (open at its start): jump to its end
                cursor = max(cursor, blocked[k][1])
                k += 1
                continue
            # free from cursor up to the next blocked stretch (its start itself is allowed)
            top = hi if k >= len(blocked) else min(hi, blocked[k][0])
            for s in _aligned_starts(cursor, top, tz, step):
                if s >= not_after:
                    return slots
                slots.append(Slot(start=s, end=s + duration))
            if k >= len(blocked) or blocked[k][0] > hi:
                break
            cursor = blocked[k][1]
            k += 1
    return slots
