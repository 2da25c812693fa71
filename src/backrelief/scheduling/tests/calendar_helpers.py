"""A therapist's week for the calendar tests: Berlin, Monday 2 to Sunday 8 March 2026 (CET),
frozen on Wednesday 4 March at 13:00 local, with split weekday shifts, two date overrides, two
stretches of time off and bookings in every status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from backrelief.scheduling.models import Booking, DateOverride
from backrelief.therapists.models import TherapistProfile
from backrelief.therapists.tests.factories import (
    make_booking,
    make_profile,
    make_service,
    make_time_off,
    make_weekly_hours,
)

BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 3, 4, 13, 0, tzinfo=BERLIN).astimezone(dt.UTC)  # Wed 13:00 CET
MONDAY = dt.date(2026, 3, 2)


def berlin(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """An instant on `day` March 2026 at hour:minute in Berlin, in UTC."""
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=BERLIN).astimezone(dt.UTC)


@dataclass
class Week:
    profile: TherapistProfile
    past_unmarked: Booking  # Mon 10:00, confirmed, ended: may be marked completed / no-show
    completed: Booking  # Wed 09:00, completed
    upcoming: Booking  # Wed 15:00, confirmed, later today: may be cancelled
    late_cancelled: Booking  # Tue 11:00, cancelled late by the client
    outside: Booking  # Fri 17:30, confirmed, after the hours (kept when hours changed)
    foreign: Booking  # another therapist's session, never shown


def make_week(therapist: Any, other_therapist: Any, client: Any, other_client: Any) -> Week:
    past = NOW - dt.timedelta(days=60)
    profile = make_profile(therapist, now=past)
    service = make_service(profile, technique="shiatsu", duration_min=45, now=past)
    make_weekly_hours(profile, shifts=(("09:00", "12:30"), ("13:30", "17:00")))
    DateOverride.objects.create(therapist=profile, date=dt.date(2026, 3, 5), closed=True)
    DateOverride.objects.create(
        therapist=profile,
        date=dt.date(2026, 3, 7),
        start_time=dt.time(10),
        end_time=dt.time(14),
    )
    make_time_off(profile, start=berlin(6, 14), end=berlin(6, 18), note="Dentist")
    make_time_off(profile, start=berlin(8, 0), end=berlin(10, 0), note="Trip")
    other = make_profile(other_therapist, now=past)
    return Week(
        profile=profile,
        past_unmarked=make_booking(
            client, profile, start=berlin(2, 10), service=service, minutes=45, now=past
        ),
        completed=make_booking(
            other_client,
            profile,
            start=berlin(4, 9),
            service=service,
            minutes=45,
            status="completed",
            now=past,
        ),
        upcoming=make_booking(
            client, profile, start=berlin(4, 15), service=service, minutes=45, now=past
        ),
        late_cancelled=make_booking(
            other_client,
            profile,
            start=berlin(3, 11),
            service=service,
            minutes=45,
            status="cancelled",
            late_cancellation=True,
            cancelled_by=other_client,
            now=past,
        ),
        outside=make_booking(
            other_client, profile, start=berlin(6, 17, 30), service=service, minutes=45, now=past
        ),
        foreign=make_booking(client, other, start=berlin(4, 15), now=past),
    )
