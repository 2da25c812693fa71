"""core/time.py: the one time rule (issue 6 item 2). Pure; no database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backrelief.core.errors import Invalid
from backrelief.core.time import (
    format_local,
    local_date,
    local_to_utc,
    local_to_utc_forward,
    utc_to_local,
    zone_get,
    zone_names,
)

UTC = dt.UTC


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


# (zone, local date, local time, expected UTC instant or None for "does not exist")
LOCAL_TO_UTC = [
    # Europe/Berlin: spring forward 2026-03-29 02:00 CET -> 03:00 CEST
    ("Europe/Berlin", dt.date(2026, 3, 29), dt.time(1, 59), utc(2026, 3, 29, 0, 59)),
    ("Europe/Berlin", dt.date(2026, 3, 29), dt.time(2, 0), None),
    ("Europe/Berlin", dt.date(2026, 3, 29), dt.time(2, 30), None),
    ("Europe/Berlin", dt.date(2026, 3, 29), dt.time(2, 59), None),
    ("Europe/Berlin", dt.date(2026, 3, 29), dt.time(3, 0), utc(2026, 3, 29, 1, 0)),
    ("Europe/Berlin", dt.date(2026, 3, 29), dt.time(9, 0), utc(2026, 3, 29, 7, 0)),
    ("Europe/Berlin", dt.date(2026, 3, 28), dt.time(9, 0), utc(2026, 3, 28, 8, 0)),
    # Europe/Berlin: fall back 2026-10-25 03:00 CEST -> 02:00 CET; 02:30 happens twice
    ("Europe/Berlin", dt.date(2026, 10, 25), dt.time(2, 30), utc(2026, 10, 25, 0, 30)),
    ("Europe/Berlin", dt.date(2026, 10, 25), dt.time(3, 0), utc(2026, 10, 25, 2, 0)),
    ("Europe/Berlin", dt.date(2026, 10, 25), dt.time(9, 0), utc(2026, 10, 25, 8, 0)),
    # America/New_York: spring forward 2026-03-08 02:00 EST -> 03:00 EDT
    ("America/New_York", dt.date(2026, 3, 8), dt.time(2, 30), None),
    ("America/New_York", dt.date(2026, 3, 8), dt.time(3, 0), utc(2026, 3, 8, 7, 0)),
    ("America/New_York", dt.date(2026, 3, 8), dt.time(9, 0), utc(2026, 3, 8, 13, 0)),
    ("America/New_York", dt.date(2026, 3, 7), dt.time(9, 0), utc(2026, 3, 7, 14, 0)),
    # America/New_York: fall back 2026-11-01 02:00 EDT -> 01:00 EST; 01:30 happens twice
    ("America/New_York", dt.date(2026, 11, 1), dt.time(1, 30), utc(2026, 11, 1, 5, 30)),
    ("America/New_York", dt.date(2026, 11, 1), dt.time(2, 0), utc(2026, 11, 1, 7, 0)),
    # Australia/Sydney: fall back 2026-04-05 03:00 AEDT -> 02:00 AEST; 02:30 happens twice
    ("Australia/Sydney", dt.date(2026, 4, 5), dt.time(2, 30), utc(2026, 4, 4, 15, 30)),
    ("Australia/Sydney", dt.date(2026, 4, 5), dt.time(9, 0), utc(2026, 4, 4, 23, 0)),
    # Australia/Sydney: spring forward 2026-10-04 02:00 AEST -> 03:00 AEDT
    ("Australia/Sydney", dt.date(2026, 10, 4), dt.time(2, 30), None),
    ("Australia/Sydney", dt.date(2026, 10, 4), dt.time(3, 0), utc(2026, 10, 3, 16, 0)),
    ("Australia/Sydney", dt.date(2026, 10, 4), dt.time(9, 0), utc(2026, 10, 3, 22, 0)),
    # No daylight saving at all
    ("UTC", dt.date(2026, 3, 29), dt.time(2, 30), utc(2026, 3, 29, 2, 30)),
    ("Asia/Kathmandu", dt.date(2026, 3, 29), dt.time(9, 0), utc(2026, 3, 29, 3, 15)),
]


@pytest.mark.parametrize(("zone", "day", "at", "expected"), LOCAL_TO_UTC)
def test_local_to_utc_omits_nonexistent_and_takes_the_first_of_ambiguous_times(
    zone, day, at, expected
):
    assert local_to_utc(day=day, at=at, zone=zone) == expected


# (zone, local date, local time, expected UTC instant): a gap time moves forward by the gap
LOCAL_TO_UTC_FORWARD = [
    ("Europe/Berlin", dt.date(2026, 3, 29), dt.time(2, 0), utc(2026, 3, 29, 1, 0)),
    ("Europe/Berlin", dt.date(2026, 3, 29), dt.time(2, 30), utc(2026, 3, 29, 1, 30)),
    ("Europe/Berlin", dt.date(2026, 10, 25), dt.time(2, 30), utc(2026, 10, 25, 0, 30)),
    ("America/New_York", dt.date(2026, 3, 8), dt.time(2, 30), utc(2026, 3, 8, 7, 30)),
    ("America/New_York", dt.date(2026, 11, 1), dt.time(1, 30), utc(2026, 11, 1, 5, 30)),
    ("Australia/Sydney", dt.date(2026, 10, 4), dt.time(2, 30), utc(2026, 10, 3, 16, 30)),
    ("Australia/Sydney", dt.date(2026, 4, 5), dt.time(2, 30), utc(2026, 4, 4, 15, 30)),
    ("Europe/Berlin", dt.date(2026, 7, 1), dt.time(9, 0), utc(2026, 7, 1, 7, 0)),
]


@pytest.mark.parametrize(("zone", "day", "at", "expected"), LOCAL_TO_UTC_FORWARD)
def test_local_to_utc_forward_moves_a_gap_time_forward_by_the_gap(zone, day, at, expected):
    assert local_to_utc_forward(day=day, at=at, zone=zone) == expected


def test_a_moved_gap_time_reads_one_gap_later_on_the_wall_clock():
    moved = local_to_utc_forward(day=dt.date(2026, 3, 29), at=dt.time(2, 30), zone="Europe/Berlin")
    assert utc_to_local(moved, "Europe/Berlin").replace(tzinfo=None) == dt.datetime(
        2026, 3, 29, 3, 30
    )


@pytest.mark.parametrize(
    ("zone", "summer", "winter"),
    [
        ("Europe/Berlin", dt.date(2026, 3, 30), dt.date(2026, 3, 27)),
        ("America/New_York", dt.date(2026, 3, 9), dt.date(2026, 3, 6)),
        ("Australia/Sydney", dt.date(2026, 4, 6), dt.date(2026, 4, 3)),
    ],
)
def test_nine_local_stays_nine_local_across_the_change(zone, summer, winter):
    for day in (summer, winter):
        instant = local_to_utc(day=day, at=dt.time(9, 0), zone=zone)
        assert instant is not None
        assert utc_to_local(instant, zone).time() == dt.time(9, 0)
    first = local_to_utc(day=winter, at=dt.time(9, 0), zone=zone)
    second = local_to_utc(day=summer, at=dt.time(9, 0), zone=zone)
    assert first is not None
    assert second is not None
    # the UTC gap between the two 09:00s is not a whole number of days: the offset changed
    assert (second - first) % dt.timedelta(days=1) != dt.timedelta(0)


def test_zone_get_refuses_an_unknown_zone_with_the_time_zone_field():
    with pytest.raises(Invalid) as caught:
        zone_get("Mars/Olympus_Mons")
    assert caught.value.fields == {
        "time_zone": [
            "Unknown time zone 'Mars/Olympus_Mons'. Use an IANA name such as Europe/Berlin."
        ]
    }


@pytest.mark.parametrize("name", ["", "localtime", "Factory", "../etc/passwd", "europe/berlin"])
def test_zone_get_refuses_names_that_are_not_iana_zones(name):
    with pytest.raises(Invalid):
        zone_get(name)


def test_zone_get_returns_the_zone():
    assert zone_get("Europe/Berlin").key == "Europe/Berlin"


def test_utc_to_local_refuses_a_naive_datetime():
    with pytest.raises(ValueError, match="aware"):
        utc_to_local(dt.datetime(2026, 3, 3, 9, 0), "Europe/Berlin")


def test_local_date_is_the_calendar_date_in_the_zone():
    instant = utc(2026, 3, 3, 23, 30)
    assert local_date(instant, "Europe/Berlin") == dt.date(2026, 3, 4)
    assert local_date(instant, "America/New_York") == dt.date(2026, 3, 3)
    assert local_date(instant, "UTC") == dt.date(2026, 3, 3)


@pytest.mark.parametrize(
    ("instant", "zone", "expected"),
    [
        (utc(2026, 3, 3, 8, 0), "Europe/Berlin", "Tue 3 Mar 2026, 09:00 CET (Europe/Berlin)"),
        (utc(2026, 3, 30, 7, 0), "Europe/Berlin", "Mon 30 Mar 2026, 09:00 CEST (Europe/Berlin)"),
        (
            utc(2026, 3, 30, 7, 0),
            "America/New_York",
            "Mon 30 Mar 2026, 03:00 EDT (America/New_York)",
        ),
        (
            utc(2026, 10, 3, 22, 0),
            "Australia/Sydney",
            "Sun 4 Oct 2026, 09:00 AEDT (Australia/Sydney)",
        ),
        (utc(2026, 12, 24, 17, 5), "UTC", "Thu 24 Dec 2026, 17:05 UTC"),
        (utc(2026, 10, 25, 0, 30), "Europe/Berlin", "Sun 25 Oct 2026, 02:30 CEST (Europe/Berlin)"),
        (utc(2026, 10, 25, 1, 30), "Europe/Berlin", "Sun 25 Oct 2026, 02:30 CET (Europe/Berlin)"),
    ],
)
def test_format_local_names_the_wall_time_the_abbreviation_and_the_zone(instant, zone, expected):
    assert format_local(instant, zone) == expected


def test_format_local_can_leave_the_zone_out():
    assert (
        format_local(utc(2026, 3, 3, 8, 0), "Europe/Berlin", with_zone=False)
        == "Tue 3 Mar 2026, 09:00"
    )


ZONES = sorted(zone_names())
DAYS = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))
MINUTES = st.builds(dt.time, hour=st.integers(0, 23), minute=st.integers(0, 59))


@given(zone=st.sampled_from(ZONES), day=DAYS, at=MINUTES)
def test_any_zone_local_to_utc_round_trips_to_the_same_wall_time(zone, day, at):
    instant = local_to_utc(day=day, at=at, zone=zone)
    wall = dt.datetime.combine(day, at)
    if instant is None:
        # it really does not exist: the forward reading lands later on the wall clock
        moved = local_to_utc_forward(day=day, at=at, zone=zone)
        assert utc_to_local(moved, zone).replace(tzinfo=None) > wall
        return
    assert instant.tzinfo is UTC
    assert utc_to_local(instant, zone).replace(tzinfo=None) == wall
    # the first occurrence: no earlier instant shows the same wall time
    for earlier in (dt.timedelta(minutes=30), dt.timedelta(hours=1), dt.timedelta(hours=2)):
        assert utc_to_local(instant - earlier, zone).replace(tzinfo=None) != wall


@given(zone=st.sampled_from(ZONES), day=DAYS, at=MINUTES)
def test_any_zone_local_to_utc_forward_never_goes_back_in_time(zone, day, at):
    wall = dt.datetime.combine(day, at)
    instant = local_to_utc_forward(day=day, at=at, zone=zone)
    assert utc_to_local(instant, zone).replace(tzinfo=None) >= wall
    previous = wall - dt.timedelta(minutes=1)
    previous_instant = local_to_utc(day=previous.date(), at=previous.time(), zone=zone)
    if previous_instant is not None:
        # The previous minute exists: this minute is not earlier. (When the previous minute is
        # itself in a gap, it was moved forward by the whole gap and may land later than the
        # first minute after the gap; that is the rule "moved forward by the gap".)
        assert instant >= previous_instant
    existing = local_to_utc(day=day, at=at, zone=zone)
    if existing is not None:
        assert instant == existing
