"""scheduling/availability.py: working hours as UTC intervals (issue 6 items 1-2). Pure."""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backrelief.core.errors import Invalid
from backrelief.core.time import zone_names
from backrelief.scheduling.availability import (
    bookings_outside,
    merge_intervals,
    working_intervals,
)

UTC = dt.UTC
T = dt.time


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def every_day(begin: dt.time, finish: dt.time) -> list[tuple[int, dt.time, dt.time]]:
    return [(weekday, begin, finish) for weekday in range(7)]


def test_weekly_rows_with_a_split_shift_expand_on_their_weekdays_only():
    # 2026-03-02 is a Monday; Monday split shift, Wednesday one shift, other days closed
    weekly = [(0, T(9), T(12)), (0, T(13), T(17)), (2, T(10), T(14))]
    found = working_intervals(
        weekly=weekly,
        overrides={},
        zone="Europe/Berlin",
        start=dt.date(2026, 3, 2),
        end=dt.date(2026, 3, 8),
    )
    assert found == [
        (utc(2026, 3, 2, 8), utc(2026, 3, 2, 11)),
        (utc(2026, 3, 2, 12), utc(2026, 3, 2, 16)),
        (utc(2026, 3, 4, 9), utc(2026, 3, 4, 13)),
    ]


def test_an_override_replaces_the_weekly_rows_and_an_empty_one_closes_the_day():
    found = working_intervals(
        weekly=every_day(T(9), T(17)),
        overrides={dt.date(2026, 3, 3): [], dt.date(2026, 3, 4): [(T(7), T(8)), (T(18), T(20))]},
        zone="Europe/Berlin",
        start=dt.date(2026, 3, 3),
        end=dt.date(2026, 3, 5),
    )
    assert found == [
        (utc(2026, 3, 4, 6), utc(2026, 3, 4, 7)),
        (utc(2026, 3, 4, 17), utc(2026, 3, 4, 19)),
        (utc(2026, 3, 5, 8), utc(2026, 3, 5, 16)),
    ]


def test_an_override_on_a_day_without_weekly_hours_opens_it():
    found = working_intervals(
        weekly=[],
        overrides={dt.date(2026, 3, 8): [(T(10), T(12))]},
        zone="UTC",
        start=dt.date(2026, 3, 1),
        end=dt.date(2026, 3, 31),
    )
    assert found == [(utc(2026, 3, 8, 10), utc(2026, 3, 8, 12))]


def test_touching_rows_are_merged_into_one_interval():
    found = working_intervals(
        weekly=[(1, T(9), T(12)), (1, T(12), T(15))],
        overrides={},
        zone="UTC",
        start=dt.date(2026, 3, 3),
        end=dt.date(2026, 3, 3),
    )
    assert found == [(utc(2026, 3, 3, 9), utc(2026, 3, 3, 15))]


@pytest.mark.parametrize(
    ("zone", "before", "after", "utc_before", "utc_after"),
    [
        # Europe/Berlin changes on 2026-03-29, America/New_York on 2026-03-08,
        # Australia/Sydney (southern autumn) on 2026-04-05
        ("Europe/Berlin", dt.date(2026, 3, 27), dt.date(2026, 3, 30), 8, 7),
        ("America/New_York", dt.date(2026, 3, 6), dt.date(2026, 3, 9), 14, 13),
        ("Europe/Berlin", dt.date(2026, 10, 23), dt.date(2026, 10, 26), 7, 8),
        ("America/New_York", dt.date(2026, 10, 30), dt.date(2026, 11, 2), 13, 14),
    ],
)
def test_nine_local_stays_nine_local_across_daylight_saving(
    zone, before, after, utc_before, utc_after
):
    found = working_intervals(
        weekly=every_day(T(9), T(10)), overrides={}, zone=zone, start=before, end=after
    )
    assert found[0][0] == dt.datetime.combine(before, T(utc_before), tzinfo=UTC)
    assert found[-1][0] == dt.datetime.combine(after, T(utc_after), tzinfo=UTC)
    for begin, finish in found:
        assert begin.astimezone(zoneinfo.ZoneInfo(zone)).time() == T(9)
        assert finish - begin == dt.timedelta(hours=1)


def test_sydney_nine_local_stays_nine_local_in_april():
    found = working_intervals(
        weekly=every_day(T(9), T(10)),
        overrides={},
        zone="Australia/Sydney",
        start=dt.date(2026, 4, 4),
        end=dt.date(2026, 4, 6),
    )
    assert [begin for begin, _ in found] == [
        utc(2026, 4, 3, 22),  # AEDT, UTC+11
        utc(2026, 4, 4, 23),  # AEST, UTC+10 (changed at 03:00 that night)
        utc(2026, 4, 5, 23),
    ]


BERLIN, NEW_YORK, SYDNEY = "Europe/Berlin", "America/New_York", "Australia/Sydney"


@pytest.mark.parametrize(
    ("zone", "day", "begin", "finish", "utc_start", "utc_end"),
    [
        # Berlin spring forward (02:00 -> 03:00): a shift across the gap is one hour shorter
        (BERLIN, dt.date(2026, 3, 29), T(1), T(4), (3, 29, 0, 0), (3, 29, 2, 0)),
        # a start in the gap moves forward by the gap: 02:30 -> 03:30 CEST
        (BERLIN, dt.date(2026, 3, 29), T(2, 30), T(5), (3, 29, 1, 30), (3, 29, 3, 0)),
        # an end in the gap moves forward too: the shift keeps its length in real time
        (BERLIN, dt.date(2026, 3, 29), T(1), T(2, 30), (3, 29, 0, 0), (3, 29, 1, 30)),
        # Berlin fall back (03:00 -> 02:00): first occurrences, the shift is one hour longer
        (BERLIN, dt.date(2026, 10, 25), T(1), T(4), (10, 24, 23, 0), (10, 25, 3, 0)),
        (BERLIN, dt.date(2026, 10, 25), T(2, 30), T(4), (10, 25, 0, 30), (10, 25, 3, 0)),
        # New York spring forward 2026-03-08 and fall back 2026-11-01
        (NEW_YORK, dt.date(2026, 3, 8), T(1), T(4), (3, 8, 6, 0), (3, 8, 8, 0)),
        (NEW_YORK, dt.date(2026, 11, 1), T(1), T(3), (11, 1, 5, 0), (11, 1, 8, 0)),
        # Sydney spring forward 2026-10-04 and fall back 2026-04-05
        (SYDNEY, dt.date(2026, 10, 4), T(1), T(4), (10, 3, 15, 0), (10, 3, 17, 0)),
        (SYDNEY, dt.date(2026, 4, 5), T(1), T(4), (4, 4, 14, 0), (4, 4, 18, 0)),
    ],
)
def test_a_shift_on_a_change_day_is_shortened_or_lengthened_never_lost(
    zone, day, begin, finish, utc_start, utc_end
):
    found = working_intervals(
        weekly=[], overrides={day: [(begin, finish)]}, zone=zone, start=day, end=day
    )
    assert found == [(utc(2026, *utc_start), utc(2026, *utc_end))]


def test_a_shift_wholly_inside_the_gap_moves_forward_by_the_gap():
    day = dt.date(2026, 3, 29)
    found = working_intervals(
        weekly=[], overrides={day: [(T(2), T(2, 45))]}, zone="Europe/Berlin", start=day, end=day
    )
    assert found == [(utc(2026, 3, 29, 1), utc(2026, 3, 29, 1, 45))]  # 03:00-03:45 CEST


def test_an_unknown_zone_is_refused():
    with pytest.raises(Invalid) as caught:
        working_intervals(
            weekly=[],
            overrides={},
            zone="Nowhere/Town",
            start=dt.date(2026, 3, 1),
            end=dt.date(2026, 3, 1),
        )
    assert "time_zone" in caught.value.fields


def test_an_empty_range_has_no_working_time():
    found = working_intervals(
        weekly=every_day(T(9), T(17)),
        overrides={},
        zone="UTC",
        start=dt.date(2026, 3, 2),
        end=dt.date(2026, 3, 1),
    )
    assert found == []


def test_merge_joins_overlapping_and_touching_intervals_and_drops_empty_ones():
    a, b, c, d, e = (utc(2026, 3, 1, h) for h in (8, 9, 10, 11, 12))
    assert merge_intervals([(c, d), (a, b), (b, c), (e, e), (d, e)]) == [(a, e)]
    assert merge_intervals([(a, c), (b, c), (d, e)]) == [(a, c), (d, e)]


WORK = [
    (utc(2026, 3, 2, 8), utc(2026, 3, 2, 12)),
    (utc(2026, 3, 2, 12), utc(2026, 3, 2, 16)),  # touches the first: one shift 08-16
    (utc(2026, 3, 3, 8), utc(2026, 3, 3, 10)),
]


@pytest.mark.parametrize(
    ("booking", "outside"),
    [
        ((utc(2026, 3, 2, 8), utc(2026, 3, 2, 9)), False),
        ((utc(2026, 3, 2, 11), utc(2026, 3, 2, 13)), False),  # across touching shifts
        ((utc(2026, 3, 2, 15), utc(2026, 3, 2, 16)), False),  # ends exactly at the end
        ((utc(2026, 3, 2, 15), utc(2026, 3, 2, 16, 1)), True),  # one minute over
        ((utc(2026, 3, 2, 7, 59), utc(2026, 3, 2, 9)), True),  # starts before
        ((utc(2026, 3, 2, 16), utc(2026, 3, 2, 17)), True),  # starts at the end
        ((utc(2026, 3, 2, 15), utc(2026, 3, 3, 9)), True),  # across the night
        ((utc(2026, 3, 1, 9), utc(2026, 3, 1, 10)), True),  # before every interval
        ((utc(2026, 3, 4, 9), utc(2026, 3, 4, 10)), True),  # after every interval
    ],
)
def test_bookings_outside_lists_bookings_not_wholly_inside_working_time(booking, outside):
    assert bookings_outside(intervals=WORK, bookings=[booking]) == ([0] if outside else [])


def test_bookings_outside_returns_indexes_in_the_given_order():
    inside = (utc(2026, 3, 3, 8), utc(2026, 3, 3, 9))
    late = (utc(2026, 3, 3, 9, 30), utc(2026, 3, 3, 10, 30))
    early = (utc(2026, 3, 2, 7), utc(2026, 3, 2, 8))
    found = bookings_outside(intervals=WORK, bookings=[late, inside, early, inside])
    assert found == [0, 2]
    assert bookings_outside(intervals=[], bookings=[inside]) == [0]


ZONES = sorted(zone_names())
TIMES = st.builds(T, hour=st.integers(0, 23), minute=st.sampled_from([0, 15, 30, 45]))
ROWS = st.lists(
    st.tuples(st.integers(0, 6), TIMES, TIMES).filter(lambda r: r[2] > r[1]), max_size=6
)


def _steady_day(zone: zoneinfo.ZoneInfo, day: dt.date) -> bool:
    """No offset change on `day` (so its wall clock is a plain 24 hours)."""
    first = dt.datetime.combine(day, T(0), tzinfo=zone).utcoffset()
    last = dt.datetime.combine(day, T(23, 59), tzinfo=zone).utcoffset()
    return first == last


@given(
    zone_name=st.sampled_from(ZONES),
    start=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 1)),
    weekly=ROWS,
    probes=st.lists(st.integers(0, 10 * 24 * 60 - 1), min_size=1, max_size=40),
)
def test_any_zone_an_instant_is_working_time_exactly_when_its_wall_time_is_in_a_row(
    zone_name, start, weekly, probes
):
    zone = zoneinfo.ZoneInfo(zone_name)
    end = start + dt.timedelta(days=9)
    found = working_intervals(weekly=weekly, overrides={}, zone=zone_name, start=start, end=end)
    for (a, b), (c, _) in itertools.pairwise(found):
        assert a < b < c  # sorted, disjoint, not touching
    base = dt.datetime.combine(start, T(0), tzinfo=zone).astimezone(UTC)
    for minutes in probes:
        instant = base + dt.timedelta(minutes=minutes)
        local = instant.astimezone(zone)
        if not (start <= local.date() <= end) or not _steady_day(zone, local.date()):
            continue
        wall = local.time().replace(tzinfo=None)
        expected = any(
            weekday == local.weekday() and begin <= wall < finish
            for weekday, begin, finish in weekly
        )
        inside = any(a <= instant < b for a, b in found)
        assert inside == expected, (local, weekly)
