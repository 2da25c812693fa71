"""Reads for the client's "My sessions" and booking pages (issue 6 item 9).

- `session_lists`: the client's own sessions in three sections (upcoming, past, cancelled),
  each capped (one more row is read to tell whether a section was cut); with the ids of the
  past sessions the review flow accepts now (`selectors.booking_list_reviewable`).
- `booking_find_own_at`: the client's own active booking of a service at one instant — how a
  second press of "Book" (double submit) is recognised and answered with the existing booking
  instead of "Just taken".
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from backrelief.accounts.models import User
from backrelief.scheduling.models import ACTIVE_STATUSES, Booking, BookingStatus
from backrelief.scheduling.selectors import booking_list_reviewable

UPCOMING_LIMIT = 100
PAST_LIMIT = 50
CANCELLED_LIMIT = 50


@dataclass(frozen=True)
class Section:
    """One section of "My sessions": the rows shown and whether older/later rows were cut;
    `page` (from 1) is which `limit` rows are shown."""

    rows: list[Booking]
    capped: bool
    limit: int
    page: int = 1


@dataclass(frozen=True)
class SessionLists:
    upcoming: Section
    past: Section
    cancelled: Section
    reviewable_ids: frozenset[int] = field(default_factory=frozenset)


def _section(rows: list[Booking], limit: int, page: int = 1) -> Section:
    return Section(rows=rows[:limit], capped=len(rows) > limit, limit=limit, page=page)


def _page_slice(page: int, limit: int) -> slice:
    """The rows of `page` (from 1) and one more, which tells whether there are older ones."""
    offset = (max(1, page) - 1) * limit
    return slice(offset, offset + limit + 1)


def session_lists(
    *,
    client: User,
    now: dt.datetime,
    upcoming_limit: int = UPCOMING_LIMIT,
    past_limit: int = PAST_LIMIT,
    cancelled_limit: int = CANCELLED_LIMIT,
    past_page: int = 1,
    cancelled_page: int = 1,
) -> SessionLists:
    """The sessions `client` booked, by section: upcoming (not cancelled, not started; soonest
    first), past (not cancelled, started; latest first), cancelled (latest start first, with
    who cancelled); `past_page` and `cancelled_page` reach the older ones, `*_limit` rows a
    page. Four queries: one per section and one for the reviewable ids."""
    base = Booking.objects.filter(client=client).select_related(
        "therapist", "service", "cancelled_by"
    )
    active = base.exclude(status=BookingStatus.CANCELLED)
    upcoming = list(active.filter(start__gt=now).order_by("start", "id")[: upcoming_limit + 1])
    past = list(
        active.filter(start__lte=now).order_by("-start", "-id")[_page_slice(past_page, past_limit)]
    )
    cancelled = list(
        base.filter(status=BookingStatus.CANCELLED).order_by("-start", "-id")[
            _page_slice(cancelled_page, cancelled_limit)
        ]
    )
    reviewable = frozenset(
        booking_list_reviewable(client=client, now=now).values_list("id", flat=True)
    )
    return SessionLists(
        upcoming=_section(upcoming, upcoming_limit),
        past=_section(past, past_limit, max(1, past_page)),
        cancelled=_section(cancelled, cancelled_limit, max(1, cancelled_page)),
        reviewable_ids=reviewable,
    )


def booking_find_own_at(
    *, client: User, service_public_id: uuid.UUID | str, start: dt.datetime
) -> Booking | None:
    """The client's active booking of the service `service_public_id` starting exactly at
    `start`, if any."""
    return (
        Booking.objects.filter(
            client=client,
            service__public_id=service_public_id,
            start=start,
            status__in=ACTIVE_STATUSES,
        )
        .order_by("id")
        .first()
    )


def booking_is_reviewable(*, booking: Booking, now: dt.datetime) -> bool:
    """Whether the booking's client may review it now (the review flow's own rule)."""
    return booking_list_reviewable(client=booking.client, now=now).filter(pk=booking.pk).exists()
