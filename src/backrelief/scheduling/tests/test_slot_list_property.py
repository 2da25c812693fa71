"""Issue 6 "Done when": a hypothesis test over random zones and dates finds no slot outside
working hours, in time off, or overlapping a booking — here through the whole read path
(`selectors_slots.slot_list`: weekly rows and date overrides stored in the database, expanded in
the therapist's zone, time off and bookings loaded by the UNION queries), for a viewer in
another random zone.

The check is independent of `availability.working_intervals` and `slots.free_slots`: each slot
is read on the therapist's wall clock and must lie inside the hours of its local date (the
override rows when the date has some, else the weekly rows of its weekday; touching rows
merged; boundaries made instants by the time rule of core/time), on the 15-minute grid; its
session must miss every time off and its session plus buffer every active booking's
[start, blocked_until). Each example runs in a
savepoint that is rolled back.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backrelief.core.time import local_to_utc_forward, utc_to_local
from backrelief.scheduling.models import ACTIVE_STATUSES, DateOverride, TimeOff, WeeklyHours
from backrelief.scheduling.selectors_slots import slot_list
from backrelief.scheduling.tests.booking_helpers import set_policy
from backrelief.therapists.tests.factories import make_booking, make_profile, make_service

pytestmark = pytest.mark.django_db

# Zones with daylight saving of 1 hour, 30 minutes (Lord Howe), odd offsets, the southern
# hemisphere, and none at all.
ZONES = (
    "Europe/Berlin",
    "America/New_York",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "America/St_Johns",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "America/Santiago",
    "UTC",
)
Q = dt.timedelta(minutes=15)
FIRST = dt.date(2026, 1, 1)


@st.composite
def shifts(draw: st.DrawFn) -> list[tuple[dt.time, dt.time]]:
    """0-3 non-overlapping shifts of one day on the quarter-hour grid (they may touch)."""
    marks = sorted(draw(st.sets(st.integers(0, 95), max_size=6)))
    pairs = list(zip(marks[0::2], marks[1::2], strict=False))
    return [(dt.time(a // 4, a % 4 * 15), dt.time(b // 4, b % 4 * 15)) for a, b in pairs]


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    start = FIRST + dt.timedelta(days=draw(st.integers(0, 700)))
    days = draw(st.integers(1, 9))
    return {
        "zone": draw(st.sampled_from(ZONES)),
        "viewer_zone": draw(st.sampled_from(ZONES)),
        "start": start,
        "end": start + dt.timedelta(days=days - 1),
        "weekly": {weekday: draw(shifts()) for weekday in range(7)},
        "overrides": draw(
            st.dictionaries(
                st.integers(0, days - 1),
                st.one_of(st.none(), shifts()),  # None: closed
                max_size=2,
            )
        ),
        "time_off": draw(
            st.lists(st.tuples(st.integers(0, days * 96), st.integers(1, 48)), max_size=2)
        ),
        "bookings": draw(
            st.lists(
                st.tuples(
                    st.integers(0, days * 96),
                    st.sampled_from([30, 45, 60, 90]),
                    st.sampled_from(["confirmed", "completed", "cancelled", "no_show"]),
                ),
                max_size=5,
            )
        ),
        "duration": draw(st.sampled_from([30, 45, 60, 90])),
        "buffer": draw(st.sampled_from([0, 5, 10, 15, 30])),
    }


def _merged(rows: list[tuple[dt.time, dt.time]]) -> list[tuple[dt.time, dt.time]]:
    merged: list[tuple[dt.time, dt.time]] = []
    for begin, finish in sorted(rows):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
        else:
            merged.append((begin, finish))
    return merged


def _build(therapist: Any, client: Any, case: dict[str, Any]) -> tuple[Any, list[Any]]:
    zone = case["zone"]
    lo = local_to_utc_forward(day=case["start"], at=dt.time(0), zone=zone)
    profile = make_profile(therapist, time_zone=zone, now=lo - dt.timedelta(days=30))
    service = make_service(
        profile,
        duration_min=case["duration"],
        buffer_min=case["buffer"],
        now=lo - dt.timedelta(days=30),
    )
    set_policy(profile, now=lo, min_notice_minutes=0, horizon_days=365)
    WeeklyHours.objects.bulk_create(
        WeeklyHours(therapist=profile, weekday=weekday, start_time=a, end_time=b)
        for weekday, rows in case["weekly"].items()
        for a, b in rows
    )
    for offset, rows in case["overrides"].items():
        date = case["start"] + dt.timedelta(days=offset)
        if rows is None or not rows:
            DateOverride.objects.create(therapist=profile, date=date, closed=True)
        for a, b in rows or []:
            DateOverride.objects.create(therapist=profile, date=date, start_time=a, end_time=b)
    for begin, quarters in case["time_off"]:
        TimeOff.objects.create(
            therapist=profile,
            start=lo + begin * Q,
            end=lo + (begin + quarters) * Q,
            created_at=lo,
        )
    made = []
    for begin, minutes, status in case["bookings"]:
        try:
            with transaction.atomic():  # an overlapping active one is refused by the database
                made.append(
                    make_booking(
                        client,
                        profile,
                        start=lo + begin * Q,
                        minutes=minutes,
                        service=service,
                        status=status,
                        now=lo,
                    )
                )
        except IntegrityError:
            pass
    return service, made


def _hours_of(case: dict[str, Any], date: dt.date) -> list[tuple[dt.time, dt.time]]:
    offset = (date - case["start"]).days
    if offset in case["overrides"]:
        return _merged(case["overrides"][offset] or [])
    return _merged(case["weekly"][date.weekday()])


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=scenarios())
def test_no_slot_outside_hours_in_time_off_or_overlapping_a_booking(
    therapist: Any, client_user: Any, case: dict[str, Any]
) -> None:
    with transaction.atomic():
        service, bookings = _build(therapist, client_user, case)
        zone = zoneinfo.ZoneInfo(case["zone"])
        now = local_to_utc_forward(day=case["start"], at=dt.time(0), zone=case["zone"])
        now -= dt.timedelta(days=1)
        # The viewer's dates: widen by a day each side so every therapist date is covered.
        found = slot_list(
            service=service,
            start=case["start"] - dt.timedelta(days=1),
            end=case["end"] + dt.timedelta(days=1),
            now=now,
            zone=case["viewer_zone"],
        )
        busy = [(b.start, b.blocked_until) for b in bookings if b.status in ACTIVE_STATUSES]
        time_off = list(TimeOff.objects.filter(therapist=service.therapist))
        buffer = dt.timedelta(minutes=case["buffer"])
        for slot in found:
            local_start = utc_to_local(slot.start, zone)
            local_end = utc_to_local(slot.end, zone)
            assert slot.end - slot.start == dt.timedelta(minutes=case["duration"])
            assert local_start.minute % 15 == 0
            assert local_start.second == 0
            day = local_start.date()
            # The date's hours as instants by the time rule (a boundary in a gap moves
            # forward, an ambiguous one is its first occurrence).
            hours = [
                (
                    local_to_utc_forward(day=day, at=a, zone=case["zone"]),
                    local_to_utc_forward(day=day, at=b, zone=case["zone"]),
                )
                for a, b in _hours_of(case, day)
            ]
            assert any(a <= slot.start and slot.end <= b for a, b in hours), (
                f"{slot.start} ({local_start}–{local_end}) outside the hours of {day}"
            )
            assert not any(t.start < slot.end and slot.start < t.end for t in time_off)
            assert not any(a < slot.end + buffer and slot.start < b for a, b in busy)
        transaction.set_rollback(True)
