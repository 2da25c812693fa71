"""Idempotency keys for `POST /api/v1/bookings` (issue 6 item 5; docs/rules.md "Booking").

A client that lost the answer to a booking request may send it again with the same
`Idempotency-Key` and get the first answer back instead of a second booking:

- no key (or an unusable one: empty, over 200 characters, not printable ASCII) → 400
  `idempotency_key_required`;
- same user, same key, same body → the first response, status and body, replayed;
- same user, same key, another body → 422 `idempotency_key_reused`, nothing done.

"Same body" is the SHA-256 of the parsed request as canonical JSON (keys sorted, no
whitespace), so key order and spacing do not matter. Keys are per user.

What is stored: the outcome of every request that reached the service — a created booking
(201) and a domain refusal (403/404/409/422: the service ran and decided; retrying the same
request must get the same answer, e.g. "just taken"). Nothing is stored for requests refused
before (unauthenticated, no CSRF token, malformed JSON, missing key) or for an unexpected
error (500): that whole transaction rolls back, so a retry runs afresh.

Keys expire after `RETENTION` (24 hours from the first request): a key exists to retry *one*
request whose answer was lost, which a client does within seconds or minutes, not days. After
that the same key is treated as new — the request runs again (and may book again) — so a client
must not reuse a key for another booking; a fresh UUID per booking is what we document. The
expired record is replaced in the request's transaction; the worker also deletes expired
records in batches (`scheduling.jobs.idempotency_records_purge`), so the table holds about one
day of bookings.

The record is written first, as a placeholder, in the same transaction as the booking, then
completed with the response: a concurrent request with the same key waits on the unique
(user, key) index (PostgreSQL) or on the IMMEDIATE write lock (SQLite) and then replays the
committed answer — never a second booking.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backrelief.accounts.models import User
from backrelief.core.errors import DomainError, Invalid
from backrelief.scheduling.models import IdempotencyRecord

KEY_MAX = 200
# How long a key replays its first answer (module docstring); then it is as good as new.
RETENTION = dt.timedelta(hours=24)


def idempotency_expired_before(*, now: dt.datetime) -> dt.datetime:
    """Records created at or before this instant have expired (created_at + RETENTION <= now)."""
    return now - RETENTION


@dataclass(frozen=True)
class Outcome:
    """A response to send: `replayed` when it is the stored first answer."""

    status: int
    body: dict[str, Any]
    replayed: bool = False


def request_hash(payload: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of `payload` as canonical JSON: sorted keys, no whitespace."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def idempotency_key_check(key: str | None) -> str:
    """The key if usable, else a 400 `idempotency_key_required` saying what to send."""
    key = (key or "").strip()
    if not key or len(key) > KEY_MAX or not key.isascii() or not key.isprintable():
        raise DomainError(
            _(
                "Send an Idempotency-Key header (1-200 printable characters, e.g. a new UUID "
                "for each booking) so a retried request cannot book twice."
            ),
            code="idempotency_key_required",
        )
    return key


def _replay(record: IdempotencyRecord, digest: str) -> Outcome:
    if record.request_hash != digest:
        raise Invalid(
            _(
                "This Idempotency-Key was already used for a different request. Use a new key "
                "for a new booking."
            ),
            code="idempotency_key_reused",
        )
    return Outcome(status=record.response_status, body=record.response_body, replayed=True)


def idempotent_run(
    *,
    user: User,
    key: str | None,
    payload: Mapping[str, Any],
    now: dt.datetime,
    run: Callable[[], tuple[int, dict[str, Any]]],
) -> Outcome:
    """Run `run` once per (user, key): the first time, in one transaction with the stored
    record; afterwards, for `RETENTION`, replay its outcome; an expired key runs afresh
    (module docstring). `run` returns (status, body) —
    domain errors already turned into their error body by the caller."""
    key = idempotency_key_check(key)
    digest = request_hash(payload)
    try:
        with transaction.atomic():
            existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
            if existing is not None:
                if existing.created_at > idempotency_expired_before(now=now):
                    return _replay(existing, digest)
                # Expired: the key is new again. Deleted in this transaction, so a failure
                # below (rolled back) leaves the old record as it was.
                IdempotencyRecord.objects.filter(pk=existing.pk).delete()
            record = IdempotencyRecord(
                user=user,
                key=key,
                request_hash=digest,
                response_status=0,  # placeholder, completed below before the commit
                response_body={},
                created_at=now,
            )
            record.save(force_insert=True)  # a concurrent twin waits here, then fails
            status, body = run()
            record.response_status = status
            record.response_body = body
            record.save(update_fields=["response_status", "response_body"])
            return Outcome(status=status, body=body)
    except IntegrityError:
        # The same key was committed by a concurrent request first: replay its answer. An
        # expired record here is the one this request was replacing (restored by the rollback:
        # the error came from the run), not a twin's answer.
        committed = IdempotencyRecord.objects.filter(
            user=user, key=key, created_at__gt=idempotency_expired_before(now=now)
        ).first()
        if committed is None:
            raise
        return _replay(committed, digest)
