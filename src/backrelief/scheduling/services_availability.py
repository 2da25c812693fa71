"""Availability management (issue 6 item 1): a therapist edits their own booking policy,
weekly hours, date overrides and time off. Pages and `/api/v1/availability` call these.

Rules (docs/rules.md "Booking: availability"):
- Only the therapist themself, through `therapists.access.own_profile` (others:
  PermissionDenied; a therapist without a profile: NotFound).
- Bad input stores nothing: every check runs before the first write, `Invalid` names the field
  (`hours.<index>.end`, `date`, `start`, …) with a message that says what to do.
- Editing never drops bookings silently: a change is saved, bookings are never cancelled or
  moved by it, and every result carries `conflicts` — the upcoming active bookings that now lie
  outside the availability (`selectors_availability.availability_conflicts`), so the therapist
  can reschedule or cancel them deliberately. The pages show the same list on every visit
  until it is empty.
- Times of day are wall-clock times in the therapist's zone; time off is stored as aware UTC
  instants converted from the therapist's zone (`core.time.local_to_utc_forward`).
- Every change is audited (`availability.*`, subject and actor the therapist; no content).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from backrelief.accounts.models import User
from backrelief.core.audit import audit_record
from backrelief.core.errors import Invalid, NotFound
from backrelief.core.time import local_to_utc_forward
from backrelief.scheduling.availability_rules import (
    MAX_NOTE_LENGTH,
    periods_problems,
    policy_problems,
    weekly_hours_problems,
)
from backrelief.scheduling.free_time import free_time_invalidate
from backrelief.scheduling.models import DateOverride, SchedulingPolicy, TimeOff, WeeklyHours
from backrelief.scheduling.selectors_availability import (
    BookingConflict,
    availability_conflicts,
    therapist_today,
)
from backrelief.therapists.access import own_profile
from backrelief.therapists.models import TherapistProfile


@dataclass(frozen=True)
class AvailabilityChange:
    """What a change did: the conflicts after it (module docstring), and the row it wrote
    when there is one (the policy, the time off)."""

    conflicts: list[BookingConflict] = field(default_factory=list)
    policy: SchedulingPolicy | None = None
    time_off: TimeOff | None = None


def _record_change(
    *, action: str, profile: TherapistProfile, object_id: str, now: dt.datetime
) -> None:
    """Audit an availability change and mark the therapist's free-time index out of date
    (issue 6 item 8), both in the caller's transaction."""
    free_time_invalidate(therapist_id=profile.pk)
    audit_record(
        action=action,
        actor=profile.user,
        subject=profile.user,
        object_type="availability",
        object_id=object_id,
        at=now,
    )


@transaction.atomic
def policy_update(
    *,
    user: User,
    min_notice_minutes: int,
    horizon_days: int,
    slot_step_minutes: int,
    cancellation_cutoff_hours: int,
    now: dt.datetime,
) -> AvailabilityChange:
    """Save the therapist's booking policy (issue 6 items 1 and 6), creating it on first use:
    minimum notice 0-20,160 minutes, horizon 1-365 days, slot step 5/10/15/20/30/60 minutes,
    cancellation cut-off 0-168 hours. Existing bookings are kept whatever the new notice or
    horizon (they were valid when made), so the conflicts are those already there."""
    profile = own_profile(user=user)
    errors = policy_problems(
        min_notice_minutes=min_notice_minutes,
        horizon_days=horizon_days,
        slot_step_minutes=slot_step_minutes,
        cancellation_cutoff_hours=cancellation_cutoff_hours,
    )
    if errors:
        raise Invalid(
            _("The booking rules were not saved; correct the marked fields."), fields=errors
        )
    policy = SchedulingPolicy.objects.filter(therapist=profile).first() or SchedulingPolicy(
        therapist=profile
    )
    policy.min_notice_minutes = min_notice_minutes
    policy.horizon_days = horizon_days
    policy.slot_step_minutes = slot_step_minutes
    policy.cancellation_cutoff_hours = cancellation_cutoff_hours
    policy.updated_at = now
    policy.full_clean()
    policy.save()
    _record_change(
        action="availability.policy_changed", profile=profile, object_id="policy", now=now
    )
    return AvailabilityChange(
        conflicts=availability_conflicts(therapist=profile, now=now), policy=policy
    )


# Dates an absence may touch: the same bounds as slot requests, so no conversion to UTC can
# overflow (year 1 in a zone ahead of UTC, year 9999 behind it).
FIRST_YEAR, LAST_YEAR = 2000, 2099


def _offset_problems(times: Sequence[tuple[dt.time, dt.time]]) -> dict[str, list[str]]:
    """Working hours are wall-clock times in the therapist's zone; a time carrying a UTC offset
    ("09:00+02:00") is refused rather than silently stripped."""
    message = _("Give a wall-clock time without a UTC offset, e.g. 09:00.")
    errors: dict[str, list[str]] = {}
    for i, (start, end) in enumerate(times):
        for name, value in (("start", start), ("end", end)):
            if value.tzinfo is not None:
                errors[f"hours.{i}.{name}"] = [message]
    return errors


@transaction.atomic
def weekly_hours_set(
    *, user: User, hours: Sequence[tuple[int, dt.time, dt.time]], now: dt.datetime
) -> AvailabilityChange:
    """Replace the whole week at once with `hours` (weekday 0 = Monday … 6, start, end in the
    therapist's zone; issue 6 item 1). Several rows on one weekday are split shifts; they may
    touch but not overlap. An empty list means no weekly hours (only date overrides open
    days). Errors are keyed `hours.<index>.weekday|start|end`."""
    profile = own_profile(user=user)
    offsets = _offset_problems([(s, e) for _w, s, e in hours])
    if offsets:
        raise Invalid(
            _("The weekly hours were not saved; correct the marked rows."), fields=offsets
        )
    rows = [
        (int(w), s.replace(second=0, microsecond=0), e.replace(second=0, microsecond=0))
        for w, s, e in hours
    ]
    errors = weekly_hours_problems(rows)
    if errors:
        raise Invalid(_("The weekly hours were not saved; correct the marked rows."), fields=errors)
    WeeklyHours.objects.filter(therapist=profile).delete()
    new = [
        WeeklyHours(therapist=profile, weekday=w, start_time=s, end_time=e)
        for w, s, e in sorted(rows)
    ]
    for row in new:
        row.full_clean(exclude=["therapist"])
    WeeklyHours.objects.bulk_create(new)
    _record_change(action="availability.hours_changed", profile=profile, object_id="week", now=now)
    return AvailabilityChange(conflicts=availability_conflicts(therapist=profile, now=now))


def _date_not_past(profile: TherapistProfile, date: dt.date, now: dt.datetime) -> None:
    """The date is today or later in the therapist's zone, and within 2000-2099 (the dates
    slots and pages can show; a special date in year 9999 could never be used)."""
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        message = _("Use a date from %(first)s to %(last)s.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
        raise Invalid(message, fields={"date": [message]})
    today = therapist_today(therapist=profile, now=now)
    if date < today:
        raise Invalid(
            _("That date has passed."),
            fields={
                "date": [
                    _("Choose today (%(today)s) or a later date in %(zone)s.")
                    % {"today": today.isoformat(), "zone": profile.time_zone}
                ]
            },
        )


@transaction.atomic
def date_override_set(
    *,
    user: User,
    date: dt.date,
    closed: bool,
    hours: Sequence[tuple[dt.time, dt.time]],
    now: dt.datetime,
) -> AvailabilityChange:
    """Set the hours of one local date, replacing the weekly hours of that date (issue 6 item
    1): closed (a day off), or one or more non-overlapping periods. Replaces whatever the date
    had. The date may not be in the past in the therapist's zone (today is fine)."""
    profile = own_profile(user=user)
    _date_not_past(profile, date, now)
    offsets = _offset_problems(hours)
    if offsets:
        raise Invalid(_("The hours were not saved; correct the marked rows."), fields=offsets)
    periods = [
        (s.replace(second=0, microsecond=0), e.replace(second=0, microsecond=0)) for s, e in hours
    ]
    if closed and periods:
        raise Invalid(
            _("A closed day has no hours."),
            fields={"hours": [_("Remove the hours, or untick 'closed' to open the day.")]},
        )
    if not closed and not periods:
        raise Invalid(
            _("Add the hours for that day."),
            fields={"hours": [_("Add at least one period, or mark the day closed.")]},
        )
    errors = periods_problems(periods)
    if errors:
        raise Invalid(_("The hours were not saved; correct the marked rows."), fields=errors)
    DateOverride.objects.filter(therapist=profile, date=date).delete()
    rows = (
        [DateOverride(therapist=profile, date=date, closed=True)]
        if closed
        else [
            DateOverride(therapist=profile, date=date, closed=False, start_time=s, end_time=e)
            for s, e in sorted(periods)
        ]
    )
    for row in rows:
        row.full_clean(exclude=["therapist"])
    DateOverride.objects.bulk_create(rows)
    _record_change(
        action="availability.override_changed", profile=profile, object_id=date.isoformat(), now=now
    )
    return AvailabilityChange(conflicts=availability_conflicts(therapist=profile, now=now))


@transaction.atomic
def date_override_clear(*, user: User, date: dt.date, now: dt.datetime) -> AvailabilityChange:
    """Remove the special hours of a date, so its weekly hours apply again (issue 6 item 1).
    NotFound when the date has none."""
    profile = own_profile(user=user)
    deleted, _unused = DateOverride.objects.filter(therapist=profile, date=date).delete()
    if not deleted:
        raise NotFound(
            _("That date has no special hours. Open it from your availability page."),
            code="override_not_found",
        )
    _record_change(
        action="availability.override_changed", profile=profile, object_id=date.isoformat(), now=now
    )
    return AvailabilityChange(conflicts=availability_conflicts(therapist=profile, now=now))


def _instant(value: dt.datetime, zone: str) -> dt.datetime:
    if value.tzinfo is not None:
        return value.astimezone(dt.UTC)
    return local_to_utc_forward(day=value.date(), at=value.time(), zone=zone)


@transaction.atomic
def time_off_add(
    *, user: User, start: dt.datetime, end: dt.datetime, note: str = "", now: dt.datetime
) -> AvailabilityChange:
    """Add an absence from `start` to `end` (issue 6 item 1). Naive values are wall-clock times
    in the therapist's zone (a time in a DST gap moves forward by the gap, an ambiguous one
    takes the first occurrence); aware values are used as they are. End after start, the end
    not already past, note at most 200 characters (the therapist's own; clients never see
    it). Bookings inside the time off are kept and listed as conflicts."""
    profile = own_profile(user=user)
    bounds = {
        name: [
            _("Use a date from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        ]
        for name, value in (("start", start), ("end", end))
        if not FIRST_YEAR <= value.year <= LAST_YEAR
    }
    if bounds:
        raise Invalid(_("The time off was not saved."), fields=bounds)
    errors: dict[str, list[str]] = {}
    start_utc = _instant(start, profile.time_zone)
    end_utc = _instant(end, profile.time_zone)
    if end_utc <= start_utc:
        errors["end"] = [_("End after the start, e.g. the morning after your last day off.")]
    elif end_utc <= now:
        errors["end"] = [_("This time has already passed; choose an end in the future.")]
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        errors["note"] = [
            _("Keep the note to %(n)d characters (it has %(len)d).")
            % {"n": MAX_NOTE_LENGTH, "len": len(note)}
        ]
    if errors:
        raise Invalid(_("The time off was not saved; correct the marked fields."), fields=errors)
    row = TimeOff(therapist=profile, start=start_utc, end=end_utc, note=note, created_at=now)
    row.full_clean()
    row.save()
    _record_change(
        action="availability.time_off_added", profile=profile, object_id=str(row.public_id), now=now
    )
    return AvailabilityChange(
        conflicts=availability_conflicts(therapist=profile, now=now), time_off=row
    )


@transaction.atomic
def time_off_remove(
    *, user: User, time_off_id: uuid.UUID | str, now: dt.datetime
) -> AvailabilityChange:
    """Remove one of the therapist's own time off entries (issue 6 item 1); someone else's,
    or an unknown id, is NotFound."""
    profile = own_profile(user=user)
    try:
        key = uuid.UUID(str(time_off_id))
    except ValueError:
        key = None
    row = None if key is None else TimeOff.objects.filter(therapist=profile, public_id=key).first()
    if row is None:
        raise NotFound(
            _("Time off not found. Open it from your availability page."),
            code="time_off_not_found",
        )
    row.delete()
    _record_change(
        action="availability.time_off_removed", profile=profile, object_id=str(key), now=now
    )
    return AvailabilityChange(conflicts=availability_conflicts(therapist=profile, now=now))
