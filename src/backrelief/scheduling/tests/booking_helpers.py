"""Builders for the booking tests: a bookable therapist (listed, one service, weekday hours in
Berlin) and the instants the tests freeze at."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from backrelief.accounts.models import User
from backrelief.scheduling.models import SchedulingPolicy, TimeOff, WeeklyHours
from backrelief.therapists.models import Service, TherapistProfile
from backrelief.therapists.tests.factories import make_licence, make_profile, make_service

BERLIN = ZoneInfo("Europe/Berlin")
# Monday 2 March 2026, 08:00 UTC (09:00 in Berlin). Default policy: 12 h notice, 60 days.
NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
# Wednesday 4 March 2026, 10:00 in Berlin (09:00 UTC): inside the hours, beyond the notice.
SLOT = dt.datetime(2026, 3, 4, 10, 0, tzinfo=BERLIN).astimezone(dt.UTC)
H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)


def bookable(
    user: User,
    *,
    technique: str = "swedish",
    duration_min: int = 60,
    buffer_min: int = 10,
    hours: tuple[dt.time, dt.time] = (dt.time(9), dt.time(17)),
    now: dt.datetime = NOW,
) -> tuple[TherapistProfile, Service]:
    """A listed therapist in Berlin with one service, working Monday to Friday."""
    profile = make_profile(user, now=now - dt.timedelta(days=30))
    make_licence(profile, now=now - dt.timedelta(days=30))
    service = make_service(
        profile,
        technique=technique,
        duration_min=duration_min,
        buffer_min=buffer_min,
        now=now - dt.timedelta(days=30),
    )
    WeeklyHours.objects.bulk_create(
        WeeklyHours(therapist=profile, weekday=day, start_time=hours[0], end_time=hours[1])
        for day in range(5)
    )
    return profile, service


def set_policy(profile: TherapistProfile, *, now: dt.datetime = NOW, **fields: int) -> None:
    SchedulingPolicy.objects.update_or_create(
        therapist=profile, defaults={"updated_at": now, **fields}
    )


def add_time_off(
    profile: TherapistProfile, *, start: dt.datetime, end: dt.datetime, now: dt.datetime = NOW
) -> TimeOff:
    return TimeOff.objects.create(therapist=profile, start=start, end=end, created_at=now)
