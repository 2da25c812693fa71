"""Booking state changes needed by reviews (issue 5 item 3). Issue 6 adds booking creation,
cancellation and the rest; the rules here stay.

- `booking_record_completed`: a session that already took place (demo data and tests).
- `booking_mark_completed` / `booking_mark_no_show`: the therapist of the booking marks how it
  went (`scheduling.completion` holds the time rules; docs/rules.md "Therapists: reviews").
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from backrelief.accounts.models import Role, User
from backrelief.core.audit import audit_record
from backrelief.core.errors import Conflict, Invalid
from backrelief.scheduling import completion
from backrelief.scheduling.access import booking_get_for_therapist
from backrelief.scheduling.free_time import free_time_invalidate
from backrelief.scheduling.models import Booking, BookingStatus
from backrelief.therapists.models import Service


@transaction.atomic
def booking_record_completed(
    *, client: User, service: Service, start: dt.datetime, now: dt.datetime
) -> Booking:
    """Store a session that already took place and was completed (demo data and tests).

    The client must be a client account, the service active, and the session must have ended
    by `now` (end = start + the service's duration). Marked completed at `now` and audited as
    "booking.completed" by the therapist.
    """
    errors: dict[str, list[str]] = {}
    if client.role != Role.CLIENT:
        errors["client"] = [_("Only client accounts have sessions with a therapist.")]
    if not service.active:
        errors["service"] = [_("This service is no longer offered; choose an active one.")]
    end = start + dt.timedelta(minutes=service.duration_min)
    if end > now:
        errors["start"] = [_("A completed session must have ended; choose an earlier start.")]
    if errors:
        raise Invalid(_("The session cannot be recorded."), fields=errors)
    booking = Booking(
        client=client,
        therapist=service.therapist,
        service=service,
        start=start,
        end=end,
        status=BookingStatus.COMPLETED,
        created_at=now,
        updated_at=now,
        completed_at=now,
        blocked_until=end + dt.timedelta(minutes=service.buffer_min),
        client_time_zone=client.time_zone,
    )
    booking.full_clean()
    booking.save()
    # Its buffer may reach past now (no notice): the earliest free slot can move (issue 6).
    free_time_invalidate(therapist_id=service.therapist_id)
    audit_record(
        action="booking.completed",
        actor=service.therapist.user,
        subject=client,
        object_type="booking",
        object_id=str(booking.public_id),
        at=now,
    )
    return booking


@transaction.atomic
def booking_mark_completed(*, user: User, booking_id: uuid.UUID | str, now: dt.datetime) -> Booking:
    """The booking's therapist marks it completed: confirmed → completed, once it has started
    (issue 5 item 3). Anyone else gets NotFound; audited "booking.completed"."""
    booking = booking_get_for_therapist(user=user, public_id=booking_id)
    if booking.status != BookingStatus.CONFIRMED:
        raise Conflict(
            _("This session is already marked %(status)s.")
            % {"status": booking.get_status_display().lower()},
            code="booking_not_confirmed",
        )
    if not completion.complete_allowed(status=booking.status, start=booking.start, now=now):
        raise Conflict(
            _("This session has not started yet. Mark it after it has taken place."),
            code="booking_not_started",
        )
    updated = Booking.objects.filter(pk=booking.pk, status=BookingStatus.CONFIRMED).update(
        status=BookingStatus.COMPLETED, completed_at=now, updated_at=now
    )
    if updated != 1:  # changed by a concurrent request
        raise Conflict(_("This session was just marked; reload the page."), code="booking_changed")
    booking.refresh_from_db()
    audit_record(
        action="booking.completed",
        actor=user,
        subject=booking.client,
        object_type="booking",
        object_id=str(booking.public_id),
        at=now,
    )
    return booking


@transaction.atomic
def booking_mark_no_show(*, user: User, booking_id: uuid.UUID | str, now: dt.datetime) -> Booking:
    """The booking's therapist marks that the client did not come: confirmed → no_show, after
    the end and within the 12 hours before it counts as completed (issue 5 item 3; a
    completed booking is never turned into a no-show, see `scheduling.completion`). Anyone
    else gets NotFound; audited "booking.no_show"."""
    booking = booking_get_for_therapist(user=user, public_id=booking_id)
    if booking.status != BookingStatus.CONFIRMED:
        raise Conflict(
            _("This session is already marked %(status)s.")
            % {"status": booking.get_status_display().lower()},
            code="booking_not_confirmed",
        )
    if now < booking.end:
        raise Conflict(
            _("This session has not ended yet. Mark a no-show after its end."),
            code="booking_not_ended",
        )
    if not completion.no_show_allowed(status=booking.status, end=booking.end, now=now):
        raise Conflict(
            _(
                "More than 12 hours have passed since the end, so this session counts as "
                "completed. Contact support if the client did not come."
            ),
            code="booking_auto_completed",
        )
    updated = Booking.objects.filter(pk=booking.pk, status=BookingStatus.CONFIRMED).update(
        status=BookingStatus.NO_SHOW, updated_at=now
    )
    if updated != 1:
        raise Conflict(_("This session was just marked; reload the page."), code="booking_changed")
    booking.refresh_from_db()
    audit_record(
        action="booking.no_show",
        actor=user,
        subject=booking.client,
        object_type="booking",
        object_id=str(booking.public_id),
        at=now,
    )
    return booking
