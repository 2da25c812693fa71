"""Free slots of a service read from the database (issue 6 items 3-4).

The rules are in the pure modules: `availability.working_intervals` expands the therapist's
weekly hours and date overrides in their zone, `slots.free_slots` sweeps them against time off
and the active bookings. This module only loads the rows, in at most three queries (given a
`service` whose therapist is loaded, e.g. `select_related("therapist")`):

1. the therapist's `SchedulingPolicy` (none when `select_related("therapist__scheduling_policy")`
   already brought it; the model's defaults, unsaved, when the therapist never saved one);
2. the weekly hours and the date overrides of the dates in range (one UNION);
3. the time off and the active bookings overlapping the range (one UNION). Active: the
   statuses in `ACTIVE_STATUSES`, except a hold that expired (`held_until < now`); each
   booking occupies [start, blocked_until), its session and its buffer.

Slots start no earlier than `now + min_notice_minutes` and before `now + horizon_days`
(the booking horizon, counted in days of 24 hours from `now`).

Booking never trusts a time sent by a client: `slot_is_free` recomputes one start exactly as
the list was computed (issue 6 item 4).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import overload

from django.db.models import DateField, IntegerField, Q, Value
from django.utils.translation import gettext as _

from backrelief.core.errors import Invalid, NotFound
from backrelief.core.time import (
    local_date,
    local_to_utc_forward,
    unknown_zone_message,
    zone_get,
    zone_names,
)
from backrelief.scheduling.availability import Interval, working_intervals
from backrelief.scheduling.models import (
    ACTIVE_STATUSES,
    Booking,
    BookingStatus,
    DateOverride,
    SchedulingPolicy,
    TimeOff,
    WeeklyHours,
)
from backrelief.scheduling.slots import Slot, free_slots
from backrelief.therapists.models import Service, TherapistProfile
from backrelief.therapists.selectors import therapist_list_listed

MIDNIGHT = dt.time(0, 0)
# The longest range one request may ask for (two months of a month view; issue 6 item 9).
MAX_RANGE_DAYS = 62
# Dates the public endpoint accepts at all (keeps every conversion far from datetime limits).
FIRST_DATE = dt.date(2000, 1, 1)
LAST_DATE = dt.date(2099, 12, 31)


@dataclass(frozen=True)
class SlotList:
    """The free slots of `service` on the local dates `start`..`end` (both included) read in
    `time_zone`, as aware UTC `Slot`s in order. Iterating, `len()` and indexing go over the
    slots. `therapist_time_zone` is the zone of the therapist's hours (pages name it when it
    differs from the viewer's); `not_before`/`not_after` are the instants the notice and the
    horizon allowed within the range."""

    service: Service
    therapist_time_zone: str
    time_zone: str
    start: dt.date
    end: dt.date
    not_before: dt.datetime
    not_after: dt.datetime
    slots: list[Slot] = field(default_factory=list)

    def __iter__(self) -> Iterator[Slot]:
        return iter(self.slots)

    def __len__(self) -> int:
        return len(self.slots)

    @overload
    def __getitem__(self, index: int) -> Slot: ...

    @overload
    def __getitem__(self, index: slice) -> list[Slot]: ...

    def __getitem__(self, index: int | slice) -> Slot | list[Slot]:
        return self.slots[index]


def policy_or_defaults(*, therapist: TherapistProfile) -> SchedulingPolicy:
    """The therapist's policy; the model's defaults (unsaved, never written) when there is
    none. No query when `therapist__scheduling_policy` was select_related."""
    try:
        return therapist.scheduling_policy
    except SchedulingPolicy.DoesNotExist:
        # therapist_id, not therapist=: do not cache the unsaved row on the profile
        return SchedulingPolicy(therapist_id=therapist.pk)


def _as_date(value: dt.date, zone: str) -> dt.date:
    """A date as given; an aware datetime is read as its calendar date in `zone`."""
    if isinstance(value, dt.datetime):
        return local_date(value, zone)
    return value


def hours_rows(
    *, therapist: TherapistProfile, first: dt.date, last: dt.date
) -> tuple[list[tuple[int, dt.time, dt.time]], dict[dt.date, list[tuple[dt.time, dt.time]]]]:
    """Weekly rows and the override rows of `first`..`last`, in one query (a UNION). A date
    with only closed override rows maps to an empty list (closed day)."""
    weekly_rows = (
        WeeklyHours.objects.filter(therapist_id=therapist.pk)
        .annotate(
            row_kind=Value(0, output_field=IntegerField()),
            row_date=Value(None, output_field=DateField()),
            row_closed=Value(False),
        )
        .values_list("row_kind", "weekday", "row_date", "row_closed", "start_time", "end_time")
        .order_by()  # no ORDER BY inside a UNION (the models order by default)
    )
    override_rows = (
        DateOverride.objects.filter(therapist_id=therapist.pk, date__gte=first, date__lte=last)
        .annotate(
            row_kind=Value(1, output_field=IntegerField()),
            row_weekday=Value(None, output_field=IntegerField()),
        )
        .values_list("row_kind", "row_weekday", "date", "closed", "start_time", "end_time")
        .order_by()  # no ORDER BY inside a UNION (the models order by default)
    )
    weekly: list[tuple[int, dt.time, dt.time]] = []
    overrides: dict[dt.date, list[tuple[dt.time, dt.time]]] = {}
    for kind, weekday, day, closed, begin, finish in weekly_rows.union(override_rows, all=True):
        if kind == 0:
            weekly.append((weekday, begin, finish))
            continue
        rows = overrides.setdefault(day, [])
        if not closed and begin is not None and finish is not None:
            rows.append((begin, finish))
    return weekly, overrides


def _busy(
    *,
    therapist: TherapistProfile,
    lo: dt.datetime,
    hi: dt.datetime,
    now: dt.datetime,
    ignoring: int | None = None,
) -> tuple[list[Interval], list[Interval]]:
    """(active bookings as [start, blocked_until), time off) overlapping [lo, hi): one UNION.
    `ignoring`: the pk of a booking left out (the one being moved)."""
    bookings = (
        Booking.objects.filter(
            therapist_id=therapist.pk,
            status__in=ACTIVE_STATUSES,
            start__lt=hi,
            blocked_until__gt=lo,
        )
        .exclude(Q(status=BookingStatus.HELD) & Q(held_until__lt=now))
        .exclude(pk=ignoring if ignoring is not None else -1)
        .annotate(row_kind=Value(0, output_field=IntegerField()))
        .values_list("row_kind", "start", "blocked_until")
        .order_by()  # no ORDER BY inside a UNION (the models order by default)
    )
    time_off = (
        TimeOff.objects.filter(therapist_id=therapist.pk, start__lt=hi, end__gt=lo)
        .annotate(row_kind=Value(1, output_field=IntegerField()))
        .values_list("row_kind", "start", "end")
        .order_by()  # no ORDER BY inside a UNION (the models order by default)
    )
    busy: list[Interval] = []
    away: list[Interval] = []
    for kind, begin, finish in bookings.union(time_off, all=True):
        (busy if kind == 0 else away).append((begin, finish))
    return busy, away


def free_between(
    *,
    service: Service,
    policy: SchedulingPolicy,
    lo: dt.datetime,
    hi: dt.datetime,
    now: dt.datetime,
    ignoring: int | None = None,
) -> tuple[list[Slot], dt.datetime, dt.datetime]:
    """Slots of `service` starting in [lo, hi) ∩ [now + notice, now + horizon); with the
    bounds used. `ignoring`: a booking (pk) treated as free, see `slot_list`."""
    therapist = service.therapist
    zone = therapist.time_zone
    # Strictly after now even with no notice: booking refuses a start at or before now.
    notice = max(dt.timedelta(minutes=policy.min_notice_minutes), dt.timedelta(microseconds=1))
    not_before = max(lo, now + notice)
    not_after = min(hi, now + dt.timedelta(days=policy.horizon_days))
    if not_before >= not_after:
        return [], not_before, not_after
    duration = dt.timedelta(minutes=service.duration_min)
    buffer = dt.timedelta(minutes=service.buffer_min)
    first = local_date(not_before, zone)
    last = local_date(not_after, zone)
    weekly, overrides = hours_rows(therapist=therapist, first=first, last=last)
    working = working_intervals(
        weekly=weekly, overrides=overrides, zone=zone, start=first, end=last
    )
    if not working:
        return [], not_before, not_after
    busy, away = _busy(
        therapist=therapist,
        lo=not_before,
        hi=not_after + duration + buffer,
        now=now,
        ignoring=ignoring,
    )
    found = free_slots(
        working=working,
        busy=busy,
        time_off=away,
        duration=duration,
        buffer=buffer,
        step=dt.timedelta(minutes=policy.slot_step_minutes),
        zone=zone,
        not_before=not_before,
        not_after=not_after,
    )
    return found, not_before, not_after


def slot_list(
    *,
    service: Service,
    start: dt.date,
    end: dt.date,
    now: dt.datetime,
    zone: str | None = None,
    ignoring: int | None = None,
) -> SlotList:
    """The free slots of `service` on the local dates `start`..`end` (both included) of
    `zone` (default the therapist's; a client's page passes the client's zone so "Tuesday"
    is their Tuesday). Issue 6 item 3; rules in `scheduling.slots`. At most three queries
    (module docstring). An unknown zone raises Invalid (field `time_zone`); `end` before
    `start` gives no slots. `ignoring`: the pk of a booking whose time counts as free — the
    session being moved, so it can move by less than its own length (the reschedule service
    cancels it in the same transaction before booking the new time)."""
    therapist = service.therapist
    zone_name = zone or therapist.time_zone
    zone_get(zone_name)  # Invalid (field time_zone) when unknown
    first = _as_date(start, zone_name)
    last = _as_date(end, zone_name)
    lo = local_to_utc_forward(day=first, at=MIDNIGHT, zone=zone_name)
    hi = local_to_utc_forward(day=last + dt.timedelta(days=1), at=MIDNIGHT, zone=zone_name)
    policy = policy_or_defaults(therapist=therapist)
    found, not_before, not_after = free_between(
        service=service, policy=policy, lo=lo, hi=hi, now=now, ignoring=ignoring
    )
    return SlotList(
        service=service,
        therapist_time_zone=therapist.time_zone,
        time_zone=zone_name,
        start=first,
        end=last,
        not_before=not_before,
        not_after=not_after,
        slots=found,
    )


def slot_is_free(*, service: Service, start: dt.datetime, now: dt.datetime) -> bool:
    """Whether a session of `service` may start at exactly `start` now: the same computation
    as `slot_list` (working time, time off, active bookings with their buffers, the local
    step grid, notice and horizon), for that one instant. The booking service calls it
    instead of trusting the time a client sent (issue 6 item 4). At most three queries."""
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("slot_is_free needs an aware datetime")
    instant = start.astimezone(dt.UTC)
    policy = policy_or_defaults(therapist=service.therapist)
    found, _not_before, _not_after = free_between(
        service=service,
        policy=policy,
        lo=instant,
        hi=instant + dt.timedelta(microseconds=1),
        now=now,
    )
    return bool(found) and found[0].start == instant


def service_get_bookable(*, public_id: uuid.UUID | str, now: dt.datetime) -> Service:
    """An active service of a listed therapist (the listing rule of issue 5,
    `therapists.selectors`, as a subquery), with its therapist and policy loaded so that
    `slot_list` needs two more queries. Anything else does not exist (NotFound)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        key = None
    service = (
        None
        if key is None
        else Service.objects.select_related("therapist", "therapist__scheduling_policy")
        .filter(public_id=key, active=True, therapist__in=therapist_list_listed(now=now))
        .first()
    )
    if service is None:
        raise NotFound(
            _("Service not found. Choose a service on a therapist's profile."),
            code="service_not_found",
        )
    return service


def slot_request_problems(*, start: dt.date, end: dt.date, zone: str) -> dict[str, list[str]]:
    """What is wrong with a public request for slots (fields `from`, `to`, `tz`): dates from
    2000 to 2099, `to` not before `from`, at most MAX_RANGE_DAYS days, an IANA zone."""
    problems: dict[str, list[str]] = {}
    for name, value in (("from", start), ("to", end)):
        if not FIRST_DATE <= value <= LAST_DATE:
            problems[name] = [
                _("Choose a date between %(first)s and %(last)s.")
                % {"first": FIRST_DATE, "last": LAST_DATE}
            ]
    if not problems:
        if end < start:
            problems["to"] = [_("The end date is before the start date. Choose a later 'to'.")]
        elif (end - start).days + 1 > MAX_RANGE_DAYS:
            problems["to"] = [
                _("Ask for at most %(n)s days at a time; choose an earlier 'to'.")
                % {"n": MAX_RANGE_DAYS}
            ]
    if zone not in zone_names():
        problems["tz"] = [unknown_zone_message(zone)]
    return problems


def slot_list_public(
    *, service_id: uuid.UUID | str, start: dt.date, end: dt.date, zone: str, now: dt.datetime
) -> SlotList:
    """`slot_list` for anyone (GET /api/v1/slots and the booking pages): the dates `start`..
    `end` read in the client's `zone`; bad input is Invalid with the fields `from`, `to`, `tz`
    (checked first, stores nothing); a service that is retired or whose therapist is not
    listed is NotFound. Three queries."""
    problems = slot_request_problems(start=start, end=end, zone=zone)
    if problems:
        first = next(iter(problems.values()))[0]
        raise Invalid(first, fields=problems)
    service = service_get_bookable(public_id=service_id, now=now)
    return slot_list(service=service, start=start, end=end, now=now, zone=zone)
