"""/api/v1/availability (issue 6 item 1): the signed-in therapist's own booking policy,
weekly hours, date overrides and time off.

Therapists only (403 `therapist_only` for other roles; 404 `no_profile` before onboarding).
Every change answers with `conflicts`: upcoming bookings that now lie outside the
availability. They are kept — nothing is cancelled — so the therapist can reschedule or
cancel them deliberately. The same services as the availability pages.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from backrelief.accounts.auth import api_user
from backrelief.core.schemas import ErrorOut
from backrelief.scheduling.schemas_availability import (
    AvailabilityOut,
    ChangeOut,
    ConflictOut,
    DateIn,
    DateOut,
    PolicyIn,
    PolicyOut,
    ShiftOut,
    TimeOffIn,
    TimeOffOut,
    WeekIn,
)
from backrelief.scheduling.selectors_availability import availability_overview
from backrelief.scheduling.services_availability import (
    date_override_clear,
    date_override_set,
    policy_update,
    time_off_add,
    time_off_remove,
    weekly_hours_set,
)
from backrelief.therapists.access import own_profile

router = Router(tags=["availability"])

_READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
_WRITE = {**_READ, 422: ErrorOut}
_CONFLICTS = (
    " The answer lists `conflicts`: upcoming bookings now outside your availability; they are "
    "kept, reschedule or cancel them yourself."
)


@router.get(
    "",
    response={200: AvailabilityOut, **_READ},
    summary="My availability (therapists)",
    description="Policy, weekly hours, date overrides from today, upcoming time off, conflicts.",
)
def get_availability(request: HttpRequest) -> AvailabilityOut:
    profile = own_profile(user=api_user(request))
    view = availability_overview(therapist=profile, now=timezone.now())
    return AvailabilityOut(
        time_zone=view.time_zone,
        policy=PolicyOut.of(view.policy),
        week=[ShiftOut.of(row) for row in view.week],
        dates=[DateOut.of(day, rows) for day, rows in view.dates.items()],
        time_off=[TimeOffOut.of(row) for row in view.time_off],
        conflicts=[ConflictOut.of(c) for c in view.conflicts],
    )


@router.put(
    "/policy",
    response={200: ChangeOut, **_WRITE},
    summary="Set my booking rules",
    description="Minimum notice, horizon, slot step, cancellation cut-off." + _CONFLICTS,
)
def put_policy(request: HttpRequest, payload: PolicyIn) -> ChangeOut:
    change = policy_update(user=api_user(request), now=timezone.now(), **payload.dict())
    return ChangeOut.of(change)


@router.put(
    "/week",
    response={200: ChangeOut, **_WRITE},
    summary="Replace my weekly hours",
    description=(
        "The whole week at once, times in your zone; split shifts are several rows of one "
        "weekday; 422 with `hours.<index>.end` etc." + _CONFLICTS
    ),
)
def put_week(request: HttpRequest, payload: WeekIn) -> ChangeOut:
    change = weekly_hours_set(
        user=api_user(request),
        hours=[(row.weekday, row.start, row.end) for row in payload.hours],
        now=timezone.now(),
    )
    return ChangeOut.of(change)


@router.put(
    "/dates/{date}",
    response={200: ChangeOut, **_WRITE},
    summary="Set the hours of one date",
    description="Closed, or periods replacing the weekly hours of that date." + _CONFLICTS,
)
def put_date(request: HttpRequest, date: dt.date, payload: DateIn) -> ChangeOut:
    change = date_override_set(
        user=api_user(request),
        date=date,
        closed=payload.closed,
        hours=[(p.start, p.end) for p in payload.hours],
        now=timezone.now(),
    )
    return ChangeOut.of(change)


@router.delete(
    "/dates/{date}",
    response={200: ChangeOut, **_WRITE},
    summary="Clear the special hours of one date",
    description="The weekly hours apply again; 404 when the date has none." + _CONFLICTS,
)
def delete_date(request: HttpRequest, date: dt.date) -> ChangeOut:
    return ChangeOut.of(date_override_clear(user=api_user(request), date=date, now=timezone.now()))


@router.post(
    "/time-off",
    response={201: ChangeOut, **_WRITE},
    summary="Add time off",
    description="From `start` to `end`; local times are read in your zone." + _CONFLICTS,
)
def post_time_off(request: HttpRequest, payload: TimeOffIn) -> Status[ChangeOut]:
    change = time_off_add(
        user=api_user(request),
        start=payload.start,
        end=payload.end,
        note=payload.note,
        now=timezone.now(),
    )
    return Status(201, ChangeOut.of(change))


@router.delete(
    "/time-off/{time_off_id}",
    response={200: ChangeOut, **_WRITE},
    summary="Remove time off",
    description="Someone else's time off is a 404." + _CONFLICTS,
)
def delete_time_off(request: HttpRequest, time_off_id: uuid.UUID) -> ChangeOut:
    change = time_off_remove(user=api_user(request), time_off_id=time_off_id, now=timezone.now())
    return ChangeOut.of(change)
