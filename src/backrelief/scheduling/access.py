"""Who may see or change which booking (issue 5 item 3; STYLE.md rule 5): a booking exists
only for its client and for its therapist. Anyone else, and an id that is not a UUID, gets
NotFound — the same answer as for a booking that does not exist."""

from __future__ import annotations

import uuid

from django.db.models import Q
from django.utils.translation import gettext as _

from backrelief.accounts.models import User
from backrelief.core.errors import NotFound
from backrelief.scheduling.models import Booking


def _booking_not_found() -> NotFound:
    return NotFound(_("Session not found. Open it from your list of sessions."))


def _key(public_id: uuid.UUID | str) -> uuid.UUID:
    try:
        return uuid.UUID(str(public_id))
    except ValueError:
        raise _booking_not_found() from None


def booking_get_for_client(*, user: User, public_id: uuid.UUID | str) -> Booking:
    """The booking if `user` is its client, else NotFound."""
    booking = (
        Booking.objects.select_related("therapist", "service")
        .filter(public_id=_key(public_id), client=user)
        .first()
    )
    if booking is None:
        raise _booking_not_found()
    return booking


def booking_get_for_therapist(*, user: User, public_id: uuid.UUID | str) -> Booking:
    """The booking if `user` is its therapist, else NotFound."""
    booking = (
        Booking.objects.select_related("therapist", "service", "client")
        .filter(public_id=_key(public_id), therapist__user=user)
        .first()
    )
    if booking is None:
        raise _booking_not_found()
    return booking


def booking_get_for_party(*, user: User, public_id: uuid.UUID | str) -> Booking:
    """The booking if `user` is its client or its therapist, else NotFound (issue 6 item 6:
    either side may cancel or move it)."""
    booking = (
        Booking.objects.select_related("therapist", "therapist__user", "service", "client")
        .filter(Q(client=user) | Q(therapist__user=user), public_id=_key(public_id))
        .first()
    )
    if booking is None:
        raise _booking_not_found()
    return booking
