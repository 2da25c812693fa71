"""Reads for availability management (issue 6 item 1): the therapist's policy (with the
defaults when they never saved one), weekly hours, date overrides, upcoming time off, and the
upcoming bookings that lie outside their availability ("conflicts").

Conflicts (issue 6 item 1, "editing availability never drops existing bookings silently"):
an upcoming active booking (`ACTIVE_STATUSES`, start at or after `now`) whose session
[start, end) is not inside the therapist's working time — the weekly hours in their zone,
replaced on dates with overrides, minus time off. The expansion of hours into instants is the
one in `scheduling.availability.working_intervals` (the same the slots use), so a booking is a
conflict exactly when no slot could offer it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from backrelief.scheduling import availability
from backrelief.scheduling.availability_rules import subtract
from backrelief.scheduling.models import (
    ACTIVE_STATUSES,
    Booking,
    DateOverride,
    SchedulingPolicy,
    TimeOff,
    WeeklyHours,
)
from backrelief.therapists.models import TherapistProfile
from backrelief.therapists.selectors_credentials import technique_name


@dataclass(frozen=True)
class BookingConflict:
    """An upcoming booking outside the availability: what the therapist needs to reschedule
    or cancel it, and no more (the client's first name only, no contact or health data)."""

    booking_id: uuid.UUID
    start: dt.datetime
    end: dt.datetime
    service: str  # technique name and duration, e.g. "Swedish massage, 60 min"
    client_label: str


def therapist_today(*, therapist: TherapistProfile, now: dt.datetime) -> dt.date:
    """The calendar date at `now` in the therapist's zone."""
    return now.astimezone(ZoneInfo(therapist.time_zone)).date()


def policy_get(*, therapist: TherapistProfile) -> SchedulingPolicy:
    """The therapist's policy; an unsaved one with the defaults when they never saved one."""
    policy = SchedulingPolicy.objects.filter(therapist=therapist).first()
    return policy or SchedulingPolicy(therapist=therapist)


def weekly_hours_list(*, therapist: TherapistProfile) -> list[WeeklyHours]:
    """The week, by weekday then start."""
    return list(WeeklyHours.objects.filter(therapist=therapist).order_by("weekday", "start_time"))


def date_override_list(
    *, therapist: TherapistProfile, start: dt.date, end: dt.date | None = None
) -> dict[dt.date, list[DateOverride]]:
    """Override rows by date from `start` (to `end`, inclusive, when given), dates in order."""
    rows: QuerySet[DateOverride] = DateOverride.objects.filter(therapist=therapist, date__gte=start)
    if end is not None:
        rows = rows.filter(date__lte=end)
    by_date: dict[dt.date, list[DateOverride]] = {}
    for row in rows.order_by("date", "start_time"):
        by_date.setdefault(row.date, []).append(row)
    return by_date


def time_off_list_upcoming(*, therapist: TherapistProfile, now: dt.datetime) -> list[TimeOff]:
    """Time off that has not ended at `now`, soonest first."""
    return list(TimeOff.objects.filter(therapist=therapist, end__gt=now).order_by("start"))


def client_label(display_name: str) -> str:
    """The client as the therapist's availability pages show them: the first name only."""
    first = display_name.strip().split()
    return first[0] if first else "Client"


def _service_label(booking: Booking) -> str:
    return f"{technique_name(booking.service.technique)}, {booking.service.duration_min} min"


def availability_conflicts(
    *, therapist: TherapistProfile, now: dt.datetime
) -> list[BookingConflict]:
    """Upcoming active bookings outside the therapist's availability (module docstring)."""
    bookings = list(
        Booking.objects.filter(therapist=therapist, status__in=ACTIVE_STATUSES, start__gte=now)
        .select_related("service", "client")
        .order_by("start", "id")
    )
    if not bookings:
        return []
    zone = ZoneInfo(therapist.time_zone)
    first = min(b.start for b in bookings).astimezone(zone).date() - dt.timedelta(days=1)
    last = max(b.end for b in bookings).astimezone(zone).date() + dt.timedelta(days=1)
    weekly = [(r.weekday, r.start_time, r.end_time) for r in weekly_hours_list(therapist=therapist)]
    overrides: dict[dt.date, list[tuple[dt.time, dt.time]]] = {}
    for day, rows in date_override_list(therapist=therapist, start=first, end=last).items():
        overrides[day] = [
            (r.start_time, r.end_time)
            for r in rows
            if not r.closed and r.start_time is not None and r.end_time is not None
        ]
    intervals = availability.working_intervals(
        weekly=weekly, overrides=overrides, zone=therapist.time_zone, start=first, end=last
    )
    holes = [
        (t.start, t.end)
        for t in TimeOff.objects.filter(
            therapist=therapist,
            end__gt=min(b.start for b in bookings),
            start__lt=max(b.end for b in bookings),
        )
    ]
    free = subtract(intervals, holes)
    outside = availability.bookings_outside(
        intervals=free, bookings=[(b.start, b.end) for b in bookings]
    )
    return [
        BookingConflict(
            booking_id=b.public_id,
            start=b.start,
            end=b.end,
            service=_service_label(b),
            client_label=client_label(b.client.display_name),
        )
        for b in (bookings[i] for i in outside)
    ]


@dataclass(frozen=True)
class AvailabilityOverview:
    """Everything the availability page and `GET /api/v1/availability` show."""

    time_zone: str
    today: dt.date
    policy: SchedulingPolicy
    week: list[WeeklyHours]
    dates: dict[dt.date, list[DateOverride]]
    time_off: list[TimeOff]
    conflicts: list[BookingConflict]


def availability_overview(*, therapist: TherapistProfile, now: dt.datetime) -> AvailabilityOverview:
    """The therapist's policy, week, date overrides from today on, upcoming time off and the
    conflicts (module docstring), all as of `now`."""
    today = therapist_today(therapist=therapist, now=now)
    return AvailabilityOverview(
        time_zone=therapist.time_zone,
        today=today,
        policy=policy_get(therapist=therapist),
        week=weekly_hours_list(therapist=therapist),
        dates=date_override_list(therapist=therapist, start=today),
        time_off=time_off_list_upcoming(therapist=therapist, now=now),
        conflicts=availability_conflicts(therapist=therapist, now=now),
    )
