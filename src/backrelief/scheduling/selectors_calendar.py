"""The therapist's day/week calendar (issue 6 item 9): working hours, time off and bookings of
a run of local dates in the therapist's zone, for `views/calendar.py`.

Three queries, whatever the number of days or bookings: the weekly hours and that range's
date overrides (one UNION, `selectors_slots.hours_rows`, the same loading the slots use), the time
off overlapping the range, and the bookings starting in it with their client and service.
The rules stay in the pure modules: `availability.working_intervals` expands the hours with
the one time rule (`core.time`), `completion` says when a session may be marked.

A booking belongs to the local date of its start. Time off is shown on every date it touches,
cut to that date. Cancelled bookings are listed apart: they no longer block the time. A booking
not wholly inside that date's working time is flagged (`outside_hours`): editing availability
never moves a booking (docs/rules.md "Availability"), so the calendar shows where it now lies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from backrelief.core.time import local_date, local_to_utc_forward, utc_to_local, zone_get
from backrelief.scheduling import completion
from backrelief.scheduling.availability import Interval, bookings_outside, working_intervals
from backrelief.scheduling.models import Booking, BookingStatus, TimeOff
from backrelief.scheduling.selectors_slots import FIRST_DATE, LAST_DATE, hours_rows
from backrelief.therapists.models import TherapistProfile
from backrelief.therapists.selectors_credentials import technique_name

MIDNIGHT = dt.time(0, 0)
# The longest run of dates one calendar page shows (a week).
MAX_DAYS = 7
# Statuses whose session can still be cancelled (services_booking._check_changeable).


@dataclass(frozen=True)
class Period:
    """A stretch of one local date, as wall times in the therapist's zone. `start_of_day` /
    `end_of_day`: it began before the date or runs past it (cut to the date)."""

    start: dt.datetime  # aware, in the therapist's zone
    end: dt.datetime
    start_of_day: bool = False
    end_of_day: bool = False

    @property
    def whole_day(self) -> bool:
        return self.start_of_day and self.end_of_day


@dataclass(frozen=True)
class CalendarTimeOff:
    period: Period
    note: str


@dataclass(frozen=True)
class CalendarBooking:
    """One booking as the calendar shows it, with the quick actions `now` allows."""

    booking: Booking
    start: dt.datetime  # aware, in the therapist's zone
    end: dt.datetime
    client_label: str
    technique: str
    duration_min: int
    status: str
    status_label: str
    late_cancellation: bool
    outside_hours: bool
    counts_as_completed: bool  # confirmed, ended more than 12 hours ago (completion)
    may_cancel: bool
    may_complete: bool
    may_mark_no_show: bool

    @property
    def public_id(self) -> str:
        return str(self.booking.public_id)

    @property
    def start_abbreviation(self) -> str:
        """CET / CEST ... at the start: tells the two 02:30 of an autumn change apart (Django's
        `date:"T"` gives nothing for an ambiguous wall time)."""
        return self.start.tzname() or ""

    @property
    def end_abbreviation(self) -> str:
        return self.end.tzname() or ""


@dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    is_today: bool
    working: list[Period] = field(default_factory=list)
    time_off: list[CalendarTimeOff] = field(default_factory=list)
    bookings: list[CalendarBooking] = field(default_factory=list)  # not cancelled, by start
    cancelled: list[CalendarBooking] = field(default_factory=list)


@dataclass(frozen=True)
class Calendar:
    time_zone: str
    first: dt.date
    last: dt.date
    today: dt.date
    days: list[CalendarDay]


def calendar_week_start(day: dt.date) -> dt.date:
    """The Monday of `day`'s week (ISO weeks, as the weekly hours count them)."""
    return day - dt.timedelta(days=day.weekday())


# The dates the calendar can show with the week around them (inside 2000-2099, as elsewhere).
CALENDAR_FIRST_DATE = FIRST_DATE + dt.timedelta(days=7)
CALENDAR_LAST_DATE = LAST_DATE - dt.timedelta(days=7)


def calendar_date_in_range(day: dt.date) -> bool:
    """Whether the calendar can show `day` and the week around it."""
    return CALENDAR_FIRST_DATE <= day <= CALENDAR_LAST_DATE


def _cut(
    start: dt.datetime, end: dt.datetime, *, lo: dt.datetime, hi: dt.datetime, zone: str
) -> Period | None:
    """[start, end) cut to the local date [lo, hi), in the therapist's zone; None if apart."""
    a, b = max(start, lo), min(end, hi)
    if b <= a:
        return None
    return Period(
        start=utc_to_local(a, zone),
        end=utc_to_local(b, zone),
        start_of_day=start <= lo,
        end_of_day=end >= hi,
    )


def _row(booking: Booking, *, zone: str, outside: bool, now: dt.datetime) -> CalendarBooking:
    status = booking.status
    confirmed = status == BookingStatus.CONFIRMED
    return CalendarBooking(
        booking=booking,
        start=utc_to_local(booking.start, zone),
        end=utc_to_local(booking.end, zone),
        client_label=booking.client.label,
        technique=technique_name(booking.service.technique),
        duration_min=int((booking.end - booking.start).total_seconds() // 60),
        status=status,
        status_label=booking.get_status_display(),
        late_cancellation=booking.late_cancellation,
        outside_hours=outside and status != BookingStatus.CANCELLED,
        counts_as_completed=completion.counts_as_completed(status=status, end=booking.end, now=now)
        and confirmed,
        may_cancel=completion.change_allowed(status=status, start=booking.start, now=now),
        may_complete=confirmed
        and completion.complete_allowed(status=status, start=booking.start, now=now),
        may_mark_no_show=confirmed
        and now >= booking.end
        and completion.no_show_allowed(status=status, end=booking.end, now=now),
    )


def calendar_for_therapist(
    *, therapist: TherapistProfile, first: dt.date, last: dt.date, now: dt.datetime
) -> Calendar:
    """The local dates `first`..`last` (at most `MAX_DAYS`) of `therapist`'s calendar in their
    zone: for each date its working periods (weekly hours or that date's overrides), its time
    off, its bookings (by start) and, apart, its cancelled bookings. Three queries."""
    if last < first or (last - first).days >= MAX_DAYS:
        raise ValueError("A calendar shows 1 to 7 days.")
    zone = therapist.time_zone
    zone_get(zone)  # an unknown zone fails here, before any query
    bounds = [
        local_to_utc_forward(day=first + dt.timedelta(days=i), at=MIDNIGHT, zone=zone)
        for i in range((last - first).days + 2)
    ]
    lo, hi = bounds[0], bounds[-1]
    weekly, overrides = hours_rows(therapist=therapist, first=first, last=last)
    time_off = list(
        TimeOff.objects.filter(therapist_id=therapist.pk, start__lt=hi, end__gt=lo)
        .order_by("start", "pk")
        .values_list("start", "end", "note")
    )
    bookings = list(
        Booking.objects.filter(therapist_id=therapist.pk, start__gte=lo, start__lt=hi)
        .select_related("client", "service")
        .order_by("start", "pk")
    )
    today = local_date(now, zone)
    days: list[CalendarDay] = []
    for index in range((last - first).days + 1):
        day = first + dt.timedelta(days=index)
        day_lo, day_hi = bounds[index], bounds[index + 1]
        working: list[Interval] = working_intervals(
            weekly=weekly, overrides=overrides, zone=zone, start=day, end=day
        )
        mine = [b for b in bookings if day_lo <= b.start < day_hi]
        outside = set(
            bookings_outside(intervals=working, bookings=[(b.start, b.end) for b in mine])
        )
        rows = [_row(b, zone=zone, outside=i in outside, now=now) for i, b in enumerate(mine)]
        days.append(
            CalendarDay(
                date=day,
                is_today=day == today,
                working=[
                    p
                    for a, b in working
                    if (p := _cut(a, b, lo=day_lo, hi=day_hi, zone=zone)) is not None
                ],
                time_off=[
                    CalendarTimeOff(period=p, note=note)
                    for a, b, note in time_off
                    if (p := _cut(a, b, lo=day_lo, hi=day_hi, zone=zone)) is not None
                ],
                bookings=[r for r in rows if r.status != BookingStatus.CANCELLED],
                cancelled=[r for r in rows if r.status == BookingStatus.CANCELLED],
            )
        )
    return Calendar(time_zone=zone, first=first, last=last, today=today, days=days)
