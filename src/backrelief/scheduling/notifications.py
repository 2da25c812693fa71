"""The notification outbox (issue 6 item 7): services write rows here in their own transaction.

A row says only *that* a recipient should hear about a booking (kind, due time); it carries no
content. The worker (`scheduling.jobs.notifications_send_due`) renders the message at send time
from the booking as it then is, so a message never tells an outdated time, and a booking that
was rolled back never produces a message (the row rolled back with it).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from backrelief.accounts.models import User
from backrelief.scheduling.models import (
    Booking,
    Notification,
    NotificationKind,
    NotificationStatus,
)


def notification_enqueue(
    *,
    booking: Booking,
    kind: NotificationKind | str,
    recipient: User,
    now: dt.datetime,
    due_at: dt.datetime | None = None,
) -> Notification | None:
    """Write one pending outbox row for `recipient` about `booking`, due at `due_at` (default
    `now`), inside the CALLER's transaction (issue 6 item 7: "rows written in the same
    transaction as the change"). No commit of its own: a rolled-back change leaves no row.

    Idempotent: one row per (booking, kind, recipient) (constraint `notification_once_per_kind`);
    asking again returns the existing row unchanged and never raises. The insert runs in a
    savepoint so a duplicate does not break the caller's transaction. Returns None — and
    writes nothing — for a recipient who cannot receive mail (deactivated account or no
    address): the booking change itself must still go through.
    """
    kind = NotificationKind(kind)
    if not recipient.is_active or not recipient.email:
        return None
    existing = Notification.objects.filter(booking=booking, kind=kind, recipient=recipient).first()
    if existing is not None:
        return existing
    row = Notification(
        booking=booking,
        recipient=recipient,
        kind=kind,
        status=NotificationStatus.PENDING,
        due_at=due_at or now,
        created_at=now,
    )
    try:
        with transaction.atomic():  # a savepoint: a concurrent duplicate leaves the caller intact
            row.save()
    except IntegrityError:
        return Notification.objects.get(booking=booking, kind=kind, recipient=recipient)
    return row


def notifications_enqueue_new(
    *,
    booking: Booking,
    kind: NotificationKind | str,
    recipients: list[User],
    now: dt.datetime,
) -> list[Notification]:
    """`notification_enqueue` for a booking inserted in the CALLER's transaction (so no row
    about it can exist yet): one INSERT of a pending row per recipient who can receive mail,
    due `now`, instead of a lookup and a savepoint per row. A duplicate recipient would break
    the constraint and the caller's transaction: the same person is written once."""
    kind = NotificationKind(kind)
    rows: list[Notification] = []
    seen: set[int] = set()
    for recipient in recipients:
        if not recipient.is_active or not recipient.email or recipient.pk in seen:
            continue
        seen.add(recipient.pk)
        rows.append(
            Notification(
                booking=booking,
                recipient=recipient,
                kind=kind,
                status=NotificationStatus.PENDING,
                due_at=now,
                created_at=now,
            )
        )
    return Notification.objects.bulk_create(rows) if rows else []
