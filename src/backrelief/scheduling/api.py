"""/api/v1/bookings (issue 5 item 3; issue 6 adds creating and cancelling bookings).

The booking's therapist marks how a session went, with the same services as the "Sessions
to mark" page. Anyone else gets 404: the booking does not exist for them.
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from backrelief.accounts.auth import api_user
from backrelief.core.schemas import ErrorOut
from backrelief.scheduling.schemas import BookingOut
from backrelief.scheduling.services import booking_mark_completed, booking_mark_no_show

router = Router(tags=["bookings"])

_WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


@router.post(
    "/{booking_id}/complete",
    response={200: BookingOut, **_WRITE},
    summary="Mark a session completed (its therapist)",
    description=(
        "Confirmed → completed once the session has started. 409 `booking_not_started`, "
        "`booking_not_confirmed`. The client can then review it."
    ),
)
def complete_booking(request: HttpRequest, booking_id: uuid.UUID) -> BookingOut:
    booking = booking_mark_completed(
        user=api_user(request), booking_id=booking_id, now=timezone.now()
    )
    return BookingOut.of(booking)


@router.post(
    "/{booking_id}/no-show",
    response={200: BookingOut, **_WRITE},
    summary="Mark a session no-show (its therapist)",
    description=(
        "Confirmed → no_show after the end and within 12 hours of it (later it counts as "
        "completed: 409 `booking_auto_completed`); 409 `booking_not_ended`, "
        "`booking_not_confirmed`."
    ),
)
def no_show_booking(request: HttpRequest, booking_id: uuid.UUID) -> BookingOut:
    booking = booking_mark_no_show(
        user=api_user(request), booking_id=booking_id, now=timezone.now()
    )
    return BookingOut.of(booking)
