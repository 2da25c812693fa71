"""The booking benchmark's generator (bench/booking_plan.py, issue 6 `make bench`): the same
inputs give the same rows, and the rows are valid — no two bookings of a therapist overlap on
[start, blocked_until), every session lies in working time minus time off on the 15-minute
grid, statuses follow the clock — and the benchmark month crosses a daylight-saving change."""

from __future__ import annotations

import datetime as dt
import itertools
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

sys.path.append(str(Path(__file__).resolve().parents[4] / "bench"))

from booking_plan import Interval, TherapistPlan, dst_window, plan_therapist

from backrelief.scheduling.availability import working_intervals
from backrelief.scheduling.demo import demo_weekly_hours

NOW = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC)
SERVICES = [(60, 10), (90, 0), (45, 30)]


def _plan(
    index: int, zone: str = "Europe/Berlin", occupied: list[Interval] | None = None
) -> TherapistPlan:
    _first, last = dst_window([zone], NOW)
    return plan_therapist(
        seed=42,
        index=index,
        zone=zone,
        weekly=demo_weekly_hours(),
        services=SERVICES,
        first=(NOW - dt.timedelta(days=14)).date(),
        last=last,
        now=NOW,
        bookings=100,
        occupied=occupied or [],
    )


def test_same_inputs_same_rows_and_another_index_other_rows() -> None:
    assert _plan(7) == _plan(7)
    assert _plan(7).bookings != _plan(8).bookings


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Australia/Sydney"])
@pytest.mark.parametrize("index", [0, 1, 2, 3])
def test_rows_are_valid(zone: str, index: int) -> None:
    occupied = [(NOW - dt.timedelta(days=3), NOW - dt.timedelta(days=2))]
    plan = _plan(index, zone, occupied=occupied)
    assert len(plan.bookings) == 100
    first = (NOW - dt.timedelta(days=14)).date()
    _, last = dst_window([zone], NOW)
    working = working_intervals(
        weekly=[*demo_weekly_hours(), *plan.extra_weekly],
        overrides=plan.overrides,
        zone=zone,
        start=first,
        end=last,
    )
    spans = sorted([(b.start, b.blocked_until) for b in plan.bookings] + occupied)
    for (_, end_a), (start_b, _) in itertools.pairwise(spans):
        assert end_a <= start_b
    for b in plan.bookings:
        duration, buffer = SERVICES[b.service]
        assert b.end == b.start + dt.timedelta(minutes=duration)
        assert b.blocked_until == b.end + dt.timedelta(minutes=buffer)
        assert any(a <= b.start and b.end <= z for a, z in working)
        assert not any(a < b.end and b.start < z for a, z in plan.time_off)
        assert b.start.astimezone(ZoneInfo(zone)).minute % 15 == 0
        if b.status == "cancelled":
            assert b.cancelled_at is not None
            assert b.created_at <= b.cancelled_at <= NOW
        else:
            assert b.status in (("confirmed",) if b.end > NOW else ("completed", "no_show"))
    assert any(b.status == "cancelled" for b in plan.bookings)


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Australia/Sydney"])
def test_the_month_crosses_a_daylight_saving_change(zone: str) -> None:
    first, last = dst_window([zone], NOW)
    tz = ZoneInfo(zone)
    offsets = {
        dt.datetime.combine(first + dt.timedelta(days=d), dt.time(12), tzinfo=tz).utcoffset()
        for d in range((last - first).days + 1)
    }
    assert len(offsets) == 2
    assert (last - first).days + 1 == 30
