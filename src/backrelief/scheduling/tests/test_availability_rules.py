"""Pure availability-editing rules (issue 6 item 1): row checks keyed by index, policy
ranges, interval subtraction (working time minus time off)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backrelief.scheduling.availability_rules import (
    overlaps,
    periods_problems,
    policy_problems,
    subtract,
    weekly_hours_problems,
)

T = dt.time.fromisoformat
BASE = dt.datetime(2026, 3, 23, tzinfo=dt.UTC)


def _at(minutes: int) -> dt.datetime:
    return BASE + dt.timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("rows", "keys"),
    [
        ([], set()),
        ([(0, "09:00", "12:30"), (0, "12:30", "17:00")], set()),  # touching is fine
        ([(0, "09:00", "17:00"), (1, "09:00", "17:00")], set()),  # other weekday
        ([(0, "09:00", "09:00")], {"hours.0.end"}),
        ([(0, "09:01", "09:00")], {"hours.0.end"}),
        ([(0, "09:00", "12:00"), (0, "11:59", "13:00")], {"hours.1.start"}),
        ([(0, "09:00", "12:00"), (0, "08:00", "18:00")], {"hours.1.start"}),  # encloses
        ([(0, "12:00", "09:00"), (0, "10:00", "11:00")], {"hours.0.end"}),  # bad row ignored
        ([(9, "09:00", "10:00")], {"hours.0.weekday"}),
    ],
)
def test_weekly_rows_are_checked_and_keyed_by_their_position(rows, keys):
    found = weekly_hours_problems([(w, T(s), T(e)) for w, s, e in rows])
    assert set(found) == keys


def test_more_than_six_shifts_on_a_day_is_refused_at_the_seventh():
    rows = [(2, dt.time(h, 0), dt.time(h, 30)) for h in range(8, 15)]
    assert set(weekly_hours_problems(rows)) == {"hours.6.start"}


def test_periods_of_a_date_use_the_same_checks():
    assert periods_problems([(T("09:00"), T("12:00")), (T("10:00"), T("11:00"))]) == {
        "hours.1.start": [
            "Overlaps 09:00–12:00 on the same day. Change one of them; back-to-back shifts "
            "(one ends 12:30, the next starts 12:30) are fine."
        ]
    }
    too_many = [(dt.time(h, 0), dt.time(h, 30)) for h in range(8, 15)]
    assert "hours" in periods_problems(too_many)


@pytest.mark.parametrize(
    ("values", "bad"),
    [
        ((0, 1, 5, 0), set()),
        ((20160, 365, 60, 168), set()),
        (
            (20161, 0, 45, 169),
            {
                "min_notice_minutes",
                "horizon_days",
                "slot_step_minutes",
                "cancellation_cutoff_hours",
            },
        ),
        (
            (-1, 366, 0, -1),
            {
                "min_notice_minutes",
                "horizon_days",
                "slot_step_minutes",
                "cancellation_cutoff_hours",
            },
        ),
    ],
)
def test_policy_bounds(values, bad):
    notice, horizon, step, cutoff = values
    found = policy_problems(
        min_notice_minutes=notice,
        horizon_days=horizon,
        slot_step_minutes=step,
        cancellation_cutoff_hours=cutoff,
    )
    assert set(found) == bad


@pytest.mark.parametrize(
    ("intervals", "holes", "expected"),
    [
        ([(0, 480)], [], [(0, 480)]),
        ([(0, 480)], [(60, 120)], [(0, 60), (120, 480)]),
        ([(0, 480)], [(-60, 60), (400, 600)], [(60, 400)]),
        ([(0, 480)], [(-60, 600)], []),
        ([(0, 60), (120, 180)], [(30, 150)], [(0, 30), (150, 180)]),
        ([(0, 60)], [(60, 120)], [(0, 60)]),  # touching removes nothing
    ],
)
def test_subtract_removes_time_off_from_working_time(intervals, holes, expected):
    result = subtract(
        [(_at(a), _at(b)) for a, b in intervals], [(_at(a), _at(b)) for a, b in holes]
    )
    assert result == [(_at(a), _at(b)) for a, b in expected]


_span = st.tuples(st.integers(0, 2000), st.integers(1, 300)).map(
    lambda p: (_at(p[0]), _at(p[0] + p[1]))
)


@given(st.lists(_span, max_size=6), st.lists(_span, max_size=6), st.integers(0, 2300))
def test_a_minute_is_left_exactly_when_it_worked_and_was_not_off(intervals, holes, minute):
    probe = (_at(minute), _at(minute + 1))
    left = any(overlaps(probe, i) for i in subtract(intervals, holes))
    assert left == (
        any(overlaps(probe, i) for i in intervals) and not any(overlaps(probe, h) for h in holes)
    )
