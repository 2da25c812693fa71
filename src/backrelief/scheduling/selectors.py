"""Reads for bookings (issue 5 item 3; issue 6 extends this module).

`completed_q` is `scheduling.completion.counts_as_completed` in SQL; a test checks that the two
agree on every status and around the 12-hour boundary.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from backrelief.accounts.models import User
from backrelief.scheduling.completion import AUTO_COMPLETE_AFTER
from backrelief.scheduling.models import Booking, BookingStatus
from backrelief.therapists.models import Review, TherapistProfile


def completed_q(*, now: dt.datetime) -> Q:
    """Bookings that count as completed at `now`: marked completed, or confirmed and at least
    12 hours past their end (issue 5 item 3)."""
    return Q(status=BookingStatus.COMPLETED) | Q(
        status=BookingStatus.CONFIRMED, end__lte=now - AUTO_COMPLETE_AFTER
    )


def booking_list_reviewable(
    *, client: User, now: dt.datetime, window_days: int | None = None
) -> QuerySet[Booking]:
    """The client's sessions they may review now: completed, ended no more than the review
    window ago (settings.REVIEW_WINDOW_DAYS), not reviewed yet; newest first."""
    days = window_days if window_days is not None else settings.REVIEW_WINDOW_DAYS
    return (
        Booking.objects.filter(
            completed_q(now=now),
            client=client,
            end__gte=now - dt.timedelta(days=days),
        )
        .exclude(Exists(Review.objects.filter(booking=OuterRef("pk"))))
        .select_related("therapist", "service")
        .order_by("-end", "-id")
    )


def booking_list_for_therapist_to_mark(
    *, therapist: TherapistProfile, now: dt.datetime, limit: int = 100
) -> list[Booking]:
    """The therapist's confirmed sessions that have ended and are not marked yet, most recent
    first (those past 12 hours already count as completed; they can still be marked
    completed, no longer no-show)."""
    return list(
        Booking.objects.filter(therapist=therapist, status=BookingStatus.CONFIRMED, end__lte=now)
        .select_related("client", "service")
        .order_by("-end", "-id")[:limit]
    )


BOOKING_LIST_LIMIT = 200


def booking_list_for_user(
    *, user: User, now: dt.datetime, when: str | None = None, limit: int = BOOKING_LIST_LIMIT
) -> list[Booking]:
    """The user's own bookings, as client or as therapist (issue 6 item 9, "My sessions").

    `when`: "upcoming" (not cancelled, not started yet; soonest first), "past" (not
    cancelled, started; latest first), "cancelled" (latest first), or None (all, by start).
    Anyone else's bookings never appear (staff have none)."""
    rows = Booking.objects.filter(Q(client=user) | Q(therapist__user=user)).select_related(
        "therapist", "service", "rescheduled_from"
    )
    if when == "upcoming":
        rows = rows.exclude(status=BookingStatus.CANCELLED).filter(start__gt=now)
        rows = rows.order_by("start", "id")
    elif when == "past":
        rows = rows.exclude(status=BookingStatus.CANCELLED).filter(start__lte=now)
        rows = rows.order_by("-start", "-id")
    elif when == "cancelled":
        rows = rows.filter(status=BookingStatus.CANCELLED).order_by("-start", "-id")
    else:
        rows = rows.order_by("start", "id")
    return list(rows[:limit])
