"""One-batch functions the `backrelief worker` loop calls (issue 6 item 7; STYLE.md `jobs.py`).

`notifications_send_due` claims due outbox rows (core.jobs: conditional UPDATE, a lease),
re-reads each booking, and sends, voids, drops or reschedules the row. Call it outside
`transaction.atomic`: every claim and every result commits on its own, so a crash loses at
most the row in hand (its claim expires after the lease and another worker retries it).

`idempotency_records_purge` deletes expired idempotency records (scheduling.idempotency,
24 hours) in batches; the worker runs it every `PURGE_EVERY` (worker command).

Delivery is at-least-once at worst: a worker that dies after the SMTP server accepted a
message but before it recorded "sent" leaves the row to be sent again after the lease.
Logs carry counts, notification public ids and error class names — never addresses or content.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend

from backrelief.core.jobs import CLAIM_LEASE, jobs_claim, jobs_release
from backrelief.scheduling.emails import booking_email_build
from backrelief.scheduling.idempotency import idempotency_expired_before
from backrelief.scheduling.models import IdempotencyRecord, Notification, NotificationStatus
from backrelief.scheduling.outbox import Outcome, notification_outcome, retry_due_at

logger = logging.getLogger(__name__)

# Seconds an SMTP server may take to answer before the attempt counts as failed; keeps a batch
# well inside the claim lease.
SMTP_TIMEOUT = 20
ERROR_MAX = 500
# Expired idempotency records deleted per statement; a purge repeats until none is left
# (bounded by `max_batches` so one pass of the worker stays short).
PURGE_BATCH = 1000
PURGE_MAX_BATCHES = 20


@dataclass
class SendResult:
    """What one batch did, for the worker's log line (counts only)."""

    claimed: int = 0
    sent: int = 0
    voided: int = 0
    dropped: int = 0
    retried: int = 0
    failed: int = 0
    released: int = 0  # claimed but handed back unprocessed (stop signal, batch out of time)
    lost: int = 0  # claimed, then found taken over by another worker (lease expired)

    @property
    def handled(self) -> int:
        return self.sent + self.voided + self.dropped + self.retried + self.failed


def error_summary(exc: BaseException) -> str:
    """The error class and SMTP code only: SMTP replies can quote addresses (e.g.
    SMTPRecipientsRefused), which must not land in the database or the logs."""
    code = getattr(exc, "smtp_code", None)
    text = type(exc).__name__ + (f" {code}" if isinstance(code, int) else "")
    return text[:ERROR_MAX]


def _finish(row: Notification, *, worker_id: str, **fields: object) -> bool:
    """Write the row's result only while this worker still holds the claim."""
    return (
        Notification.objects.filter(
            pk=row.pk, claimed_by=worker_id, status=NotificationStatus.PENDING
        ).update(**fields)
        == 1
    )


class _Mailer:
    """One SMTP connection per batch, opened on first use and reopened after a failure."""

    def __init__(self, connection: BaseEmailBackend | None) -> None:
        self._given = connection
        self._connection: BaseEmailBackend | None = connection

    def send(self, message: EmailMessage) -> None:
        if self._connection is None:
            timeout = getattr(settings, "EMAIL_TIMEOUT", None) or SMTP_TIMEOUT
            self._connection = get_connection(fail_silently=False, timeout=timeout)
            self._connection.open()
        message.connection = self._connection
        message.send(fail_silently=False)

    def reset(self) -> None:
        if self._connection is not None and self._connection is not self._given:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._connection.close()
        self._connection = self._given

    def close(self) -> None:
        self.reset()


def _record_failure(
    row: Notification,
    exc: BaseException,
    *,
    now: dt.datetime,
    worker_id: str,
    result: SendResult,
) -> None:
    """attempts + 1 and last_error; then either a later due_at (backoff) with the claim
    released, or — after the last attempt — failed."""
    attempts = row.attempts + 1
    retry_at = retry_due_at(attempts=attempts, now=now)
    error = error_summary(exc)
    if retry_at is None:
        done = _finish(
            row,
            worker_id=worker_id,
            status=NotificationStatus.FAILED,
            attempts=attempts,
            last_error=error,
        )
        if done:
            result.failed += 1
        logger.warning(
            "Notification %s failed for good after %d attempts: %s",
            row.public_id,
            attempts,
            error,
        )
        return
    done = _finish(
        row,
        worker_id=worker_id,
        attempts=attempts,
        last_error=error,
        due_at=retry_at,
        claimed_at=None,
        claimed_by="",
    )
    if done:
        result.retried += 1
    logger.info(
        "Notification %s attempt %d failed (%s); retrying later", row.public_id, attempts, error
    )


def _process(
    pk: int, *, now: dt.datetime, worker_id: str, mailer: _Mailer, result: SendResult
) -> None:
    row = (
        Notification.objects.select_related(
            "recipient",
            "booking__client",
            "booking__service",
            "booking__therapist",
            "booking__rescheduled_from",
        )
        .filter(pk=pk, claimed_by=worker_id, status=NotificationStatus.PENDING)
        .first()
    )
    if row is None:
        result.lost += 1
        return
    booking = row.booking
    outcome = notification_outcome(
        kind=row.kind,
        booking_status=booking.status,
        booking_start=booking.start,
        booking_updated_at=booking.updated_at,
        written_at=row.created_at,
        now=now,
    )
    if outcome is Outcome.SEND and (not row.recipient.is_active or not row.recipient.email):
        outcome = Outcome.VOID  # the account was closed since the row was written
    if outcome is Outcome.VOID:
        if _finish(row, worker_id=worker_id, status=NotificationStatus.VOIDED):
            result.voided += 1
        return
    if outcome is Outcome.DROP:
        if _finish(row, worker_id=worker_id, status=NotificationStatus.DROPPED):
            result.dropped += 1
        return
    try:
        mailer.send(booking_email_build(row))
    except Exception as exc:  # SMTP down or refusing, a timeout — or a template/data fault,
        # counted the same way so the row ends as failed instead of being retried for ever
        mailer.reset()
        _record_failure(row, exc, now=now, worker_id=worker_id, result=result)
        return
    if _finish(
        row,
        worker_id=worker_id,
        status=NotificationStatus.SENT,
        sent_at=now,
        attempts=row.attempts + 1,
    ):
        result.sent += 1
    else:
        result.lost += 1


def notifications_send_due(
    *,
    now: dt.datetime,
    worker_id: str,
    batch: int = 50,
    should_stop: Callable[[], bool] | None = None,
    connection: BaseEmailBackend | None = None,
) -> SendResult:
    """Claim up to `batch` due notifications for `worker_id` and handle each (issue 6 item 7).

    For every claimed row the booking is re-read (`scheduling.outbox.notification_outcome`):
    cancelled or changed → voided, session begun → dropped, otherwise the email is built from
    the booking as it is now (`scheduling.emails`) and sent. A send that fails (connection
    refused, timeout, SMTP error) records `attempts` and `last_error` (error class and SMTP
    code only), moves `due_at` by the backoff (1, 5, 15, 60, 240 min) and releases the claim;
    the 6th failure marks the row failed. Sent rows get `sent_at`.

    `should_stop` is asked before each row (the worker's SIGTERM flag): the row in hand is
    finished, the rest are released at once. A batch also stops and releases the rest when
    half the claim lease has passed, so no claim expires while its worker still holds it.
    """
    pks = jobs_claim(model=Notification, worker_id=worker_id, now=now, batch=batch)
    result = SendResult(claimed=len(pks))
    if not pks:
        return result
    started = time.monotonic()
    budget = CLAIM_LEASE.total_seconds() / 2
    mailer = _Mailer(connection)
    try:
        for index, pk in enumerate(pks):
            stop = should_stop is not None and should_stop()
            if stop or time.monotonic() - started > budget:
                result.released = jobs_release(
                    model=Notification, worker_id=worker_id, pks=pks[index:]
                )
                break
            _process(pk, now=now, worker_id=worker_id, mailer=mailer, result=result)
    finally:
        mailer.close()
    return result


def idempotency_records_purge(
    *, now: dt.datetime, batch: int = PURGE_BATCH, max_batches: int = PURGE_MAX_BATCHES
) -> int:
    """Delete idempotency records that expired at `now` (created 24 hours ago or more:
    `scheduling.idempotency.RETENTION`); returns how many. An expired key already behaves as
    new when it comes back, so this only keeps the table small; deleting one that a request
    is replacing at the same moment is harmless (that request deletes it too, or inserts
    after). Each batch commits on its own (call outside `transaction.atomic`) so no long lock
    is held; at most `batch * max_batches` rows per call, the next pass takes the rest."""
    cutoff = idempotency_expired_before(now=now)
    deleted = 0
    for _ in range(max_batches):
        pks = list(
            IdempotencyRecord.objects.filter(created_at__lte=cutoff)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not pks:
            break
        count, _by_model = IdempotencyRecord.objects.filter(pk__in=pks).delete()
        deleted += count
        if len(pks) < batch:
            break
    return deleted
