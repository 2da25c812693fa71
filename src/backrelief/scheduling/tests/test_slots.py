"""scheduling/slots.py: free slots by a sweep (issue 6 item 3). Pure; no database."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backrelief.core.time import zone_names
from backrelief.scheduling.availability import merge_intervals, working_intervals
from backrelief.scheduling.slots import Slot, free_slots, subtract_intervals

UTC = dt.UTC
T = dt.time
M = dt.timedelta(minutes=1)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def at(hour: int, minute: int = 0) -> dt.datetime:
    """An instant on 2026-03-03 (a Tuesday, no change of offset anywhere near)."""
    return utc(2026, 3, 3, hour, minute)


def slots(**kwargs: Any) -> list[dt.datetime]:
    options: dict[str, Any] = {
        "busy": [],
        "duration": 60 * M,
        "buffer": 0 * M,
        "step": 60 * M,
        "zone": "UTC",
        "not_before": at(0),
        "not_after": at(23),
    }
    options.update(kwargs)
    return [slot.start for slot in free_slots(**options)]


def test_a_free_morning_offers_every_step_whose_session_ends_by_the_end_of_work():
    assert slots(working=[(at(9), at(12))]) == [at(9), at(10), at(11)]


def test_each_slot_ends_one_duration_after_it_starts():
    found = free_slots(
        working=[(at(9), at(11))],
        busy=[],
        duration=45 * M,
        buffer=10 * M,
        step=30 * M,
        zone="UTC",
        not_before=at(0),
        not_after=at(23),
    )
    assert found == [
        Slot(at(9), at(9, 45)),
        Slot(at(9, 30), at(10, 15)),
        Slot(at(10), at(10, 45)),
    ]


def test_the_buffer_may_run_past_the_end_of_work_but_not_into_a_booking():
    # 60 min + 15 min buffer, 15-minute grid, work 09-12, a booking (with its buffer) 10:30-11:40
    found = slots(
        working=[(at(9), at(12))],
        busy=[(at(10, 30), at(11, 40))],
        buffer=15 * M,
        step=15 * M,
    )
    # 09:15 + 75 min = 10:30 touches the booking: allowed; 09:30 would overlap it; after the
    # booking the next session would end past 12:00
    assert found == [at(9), at(9, 15)]
    assert slots(working=[(at(9), at(12))], buffer=15 * M, step=15 * M)[-1] == at(11)


def test_a_gap_exactly_one_session_long_between_two_bookings_is_offered():
    found = slots(working=[(at(9), at(12))], busy=[(at(9), at(10)), (at(11), at(12))])
    assert found == [at(10)]


def test_a_gap_one_minute_too_short_for_session_and_buffer_is_not_offered():
    found = slots(
        working=[(at(9), at(12))],
        busy=[(at(9), at(10)), (at(11, 9), at(12))],
        buffer=10 * M,
        step=5 * M,
    )
    assert found == []


def test_time_off_removes_working_time_and_the_buffer_may_run_into_it():
    found = slots(
        working=[(at(9), at(17))],
        time_off=[(at(12), at(13, 30))],
        buffer=10 * M,
        step=30 * M,
    )
    assert at(11) in found  # 11:00-12:00, its buffer runs into the time off
    assert at(11, 30) not in found
    assert at(12) not in found
    assert at(13) not in found
    assert at(13, 30) in found


def test_a_booking_across_the_whole_day_leaves_nothing():
    assert slots(working=[(at(9), at(17))], busy=[(at(8), at(18))]) == []


def test_touching_working_intervals_hold_a_session_across_their_boundary():
    found = slots(working=[(at(9), at(10, 30)), (at(10, 30), at(12))], step=30 * M)
    assert at(10) in found


def test_no_slot_starts_before_not_before_and_starts_stay_on_the_grid():
    found = slots(working=[(at(9), at(12))], not_before=at(9, 7) + dt.timedelta(seconds=30))
    assert found == [at(10), at(11)]
    found = slots(working=[(at(9), at(12))], step=15 * M, not_before=at(9, 7))
    assert found[0] == at(9, 15)


def test_no_slot_starts_at_or_after_not_after():
    assert slots(working=[(at(9), at(17))], not_after=at(11)) == [at(9), at(10)]


def test_the_grid_is_the_therapists_wall_clock_in_a_zone_with_a_quarter_hour_offset():
    # Asia/Kathmandu is UTC+05:45: 09:00 and 10:00 local are 03:15 and 04:15 UTC
    found = slots(working=[(at(3, 15), at(5, 15))], zone="Asia/Kathmandu")
    assert found == [at(3, 15), at(4, 15)]
    # a working interval starting off the local grid starts its slots on the next grid line
    found = slots(working=[(at(3), at(5, 15))], zone="Asia/Kathmandu")
    assert found == [at(3, 15), at(4, 15)]


def _local_walls(found: list[dt.datetime], zone: str) -> list[str]:
    return [s.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%H:%M %Z") for s in found]


@pytest.mark.parametrize(
    ("zone", "day", "begin", "finish", "walls"),
    [
        # Berlin spring forward: no slot in the missing hour 02:00-03:00
        (
            "Europe/Berlin",
            dt.date(2026, 3, 29),
            T(1),
            T(5),
            ["01:00 CET", "03:00 CEST", "04:00 CEST"],
        ),
        # Berlin fall back: 02:00 comes twice, both are real instants and both are offered
        (
            "Europe/Berlin",
            dt.date(2026, 10, 25),
            T(1),
            T(4),
            ["01:00 CEST", "02:00 CEST", "02:00 CET", "03:00 CET"],
        ),
        (
            "America/New_York",
            dt.date(2026, 3, 8),
            T(1),
            T(5),
            ["01:00 EST", "03:00 EDT", "04:00 EDT"],
        ),
        (
            "America/New_York",
            dt.date(2026, 11, 1),
            T(0),
            T(3),
            ["00:00 EDT", "01:00 EDT", "01:00 EST", "02:00 EST"],
        ),
        (
            "Australia/Sydney",
            dt.date(2026, 10, 4),
            T(1),
            T(5),
            ["01:00 AEST", "03:00 AEDT", "04:00 AEDT"],
        ),
        (
            "Australia/Sydney",
            dt.date(2026, 4, 5),
            T(1),
            T(4),
            ["01:00 AEDT", "02:00 AEDT", "02:00 AEST", "03:00 AEST"],
        ),
        # Lord Howe moves its clocks by 30 minutes (02:00 -> 02:30): the hour grid holds
        (
            "Australia/Lord_Howe",
            dt.date(2026, 10, 4),
            T(0),
            T(6),
            ["00:00 +1030", "01:00 +1030", "03:00 +11", "04:00 +11", "05:00 +11"],
        ),
    ],
)  # fmt: skip
def test_slots_on_a_change_day_sit_on_the_local_grid_and_never_at_a_missing_time(
    zone, day, begin, finish, walls
):
    working = working_intervals(
        weekly=[], overrides={day: [(begin, finish)]}, zone=zone, start=day, end=day
    )
    found = slots(
        working=working,
        zone=zone,
        not_before=utc(2026, 1, 1),
        not_after=utc(2027, 1, 1),
    )
    assert _local_walls(found, zone) == walls


def test_nine_local_stays_nine_local_for_a_week_across_the_change():
    working = working_intervals(
        weekly=[(d, T(9), T(10)) for d in range(7)],
        overrides={},
        zone="Europe/Berlin",
        start=dt.date(2026, 3, 26),
        end=dt.date(2026, 4, 1),
    )
    found = slots(
        working=working, zone="Europe/Berlin", not_before=utc(2026, 3, 1), not_after=utc(2026, 5, 1)
    )
    assert len(found) == 7
    assert {w[:5] for w in _local_walls(found, "Europe/Berlin")} == {"09:00"}


@pytest.mark.parametrize(
    "kwargs",
    [{"duration": 0 * M}, {"step": 0 * M}, {"buffer": -1 * M}],
)
def test_a_nonpositive_duration_or_step_or_a_negative_buffer_is_a_programming_error(kwargs):
    with pytest.raises(ValueError, match="positive"):
        slots(working=[(at(9), at(12))], **kwargs)


def test_subtract_intervals_removes_the_holes():
    assert subtract_intervals([(at(9), at(17))], [(at(12), at(13)), (at(16), at(18))]) == [
        (at(9), at(12)),
        (at(13), at(16)),
    ]
    assert subtract_intervals([(at(9), at(10)), (at(11), at(12))], [(at(8), at(13))]) == []
    assert subtract_intervals([(at(9), at(10))], []) == [(at(9), at(10))]
    assert subtract_intervals([(at(9), at(10)), (at(12), at(13))], [(at(9, 30), at(12, 30))]) == [
        (at(9), at(9, 30)),
        (at(12, 30), at(13)),
    ]


# --- property: the sweep equals a brute-force check of every minute ---------------------------

ZONES = sorted(zone_names())
FEW_ZONES = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe"]


@functools.cache
def _change_days(zone_name: str, year: int) -> tuple[dt.date, ...]:
    zone = zoneinfo.ZoneInfo(zone_name)
    days = []
    day = dt.date(year, 1, 1)
    while day.year == year:
        first = dt.datetime.combine(day, T(0), tzinfo=zone).utcoffset()
        last = dt.datetime.combine(day, T(23, 59), tzinfo=zone).utcoffset()
        if first != last:
            days.append(day)
        day += dt.timedelta(days=1)
    return tuple(days)


@st.composite
def scenarios(draw):
    zone = draw(st.sampled_from(FEW_ZONES) | st.sampled_from(ZONES))
    year = draw(st.integers(2000, 2040))
    changes = _change_days(zone, year)
    if changes and draw(st.booleans()):
        day = draw(st.sampled_from(changes))  # a daylight-saving (or other offset) change
    else:
        day = draw(st.dates(min_value=dt.date(year, 1, 2), max_value=dt.date(year, 12, 30)))
    times = st.builds(T, hour=st.integers(0, 23), minute=st.sampled_from([0, 10, 15, 30, 45]))
    shifts = draw(
        st.lists(st.tuples(times, times).filter(lambda r: r[1] > r[0]), min_size=1, max_size=3)
    )
    weekdays = draw(st.sets(st.integers(0, 6), min_size=1) | st.just(set(range(7))))
    rows = [(d, begin, finish) for d in sorted(weekdays) for begin, finish in shifts]
    working = working_intervals(
        weekly=rows,
        overrides={},
        zone=zone,
        start=day - dt.timedelta(days=1),
        end=day + dt.timedelta(days=1),
    )
    window_start = dt.datetime.combine(day - dt.timedelta(days=1), T(0), tzinfo=UTC)
    window = 3 * 24 * 60

    def stretches(max_size: int) -> list[tuple[dt.datetime, dt.datetime]]:
        found = draw(
            st.lists(st.tuples(st.integers(0, window), st.integers(5, 300)), max_size=max_size)
        )
        return [(window_start + a * M, window_start + (a + n) * M) for a, n in found]

    busy = stretches(6)
    time_off = stretches(2)
    not_before = (
        window_start
        + draw(st.integers(0, window)) * M
        + dt.timedelta(seconds=draw(st.sampled_from([0, 0, 1, 30])))
    )
    not_after = not_before + draw(st.integers(0, window)) * M
    return {
        "zone": zone,
        "working": working,
        "busy": busy,
        "time_off": time_off,
        "duration": draw(st.sampled_from([15, 30, 45, 60, 90])) * M,
        "buffer": draw(st.sampled_from([0, 5, 10, 15, 30])) * M,
        "step": draw(st.sampled_from([5, 10, 15, 20, 30, 60])) * M,
        "not_before": not_before,
        "not_after": not_after,
        "window": (window_start, window_start + 5 * 24 * 60 * M),
    }


def _expected(case: dict) -> list[dt.datetime]:
    """Every minute of the window that the rules allow, checked one by one."""
    zone = zoneinfo.ZoneInfo(case["zone"])
    step_minutes = case["step"] // M
    working = merge_intervals(case["working"])
    duration, length = case["duration"], case["duration"] + case["buffer"]
    found = []
    s, stop = case["window"]
    while s < stop:
        local = s.astimezone(zone)
        if (
            case["not_before"] <= s < case["not_after"]
            and local.second == 0
            and (local.hour * 60 + local.minute) % step_minutes == 0
            and any(a <= s and s + duration <= b for a, b in working)
            and not any(a < s + duration and s < b for a, b in case["time_off"])
            and not any(a < s + length and s < b for a, b in case["busy"])
        ):
            found.append(s)
        s += M
    return found


@given(case=scenarios())
def test_any_zone_the_sweep_offers_exactly_the_free_slots_a_minute_by_minute_check_finds(case):
    options = {k: v for k, v in case.items() if k != "window"}
    found = free_slots(**options)
    starts = [slot.start for slot in found]
    assert starts == sorted(set(starts))
    for slot in found:
        # no slot outside working hours, in time off, overlapping a booking or before notice
        assert any(a <= slot.start and slot.end <= b for a, b in merge_intervals(case["working"]))
        assert not any(a < slot.end and slot.start < b for a, b in case["time_off"])
        assert not any(a < slot.end + case["buffer"] and slot.start < b for a, b in case["busy"])
        assert case["not_before"] <= slot.start < case["not_after"]
        assert slot.end - slot.start == case["duration"]
    assert starts == _expected(case)
