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

The key is looked up first, outside any transaction (a committed answer is replayed at once);
then the read-only checks run (`before`, also outside: SQLite's write lock is not held for
them), then the write transaction, which stores the record with its answer last: a concurrent
request with the same key that committed first makes that insert fail on the unique (user, key)
index, everything this request wrote rolls back and the twin's answer is replayed — never a
second booking, as a booking commits only together with its key's record. A refusal of the checks,
and an answer computed after a rollback (`AnswerAfterRollback`: the alternatives of a slot lost
in a race, looked up outside the write lock), are stored in a short transaction of their own,
with the same replay of a twin's committed answer.
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


class AnswerAfterRollback(Exception):
    """Raised by `run` to roll back everything it wrote and answer with `answer()`, called
    after the rollback — outside the write transaction (SQLite's write lock) — and stored as
    the key's outcome like any other. The booking API raises it for a slot lost in a race:
    the "just taken" alternatives are looked up once the lock is released."""

    def __init__(self, answer: Callable[[], tuple[int, dict[str, Any]]]) -> None:
        super().__init__("answer after rollback")
        self.answer = answer


def _current(user: User, key: str, now: dt.datetime) -> IdempotencyRecord | None:
    """The unexpired record of (user, key), if committed."""
    return IdempotencyRecord.objects.filter(
        user=user, key=key, created_at__gt=idempotency_expired_before(now=now)
    ).first()


def _store(
    *, user: User, key: str, digest: str, now: dt.datetime, answer: tuple[int, dict[str, Any]]
) -> Outcome:
    """Store `answer` as the outcome of (user, key) in a transaction of its own, unless a
    concurrent request with the same key committed first: then replay that."""
    status, body = answer
    try:
        with transaction.atomic():
            IdempotencyRecord.objects.filter(
                user=user, key=key, created_at__lte=idempotency_expired_before(now=now)
            ).delete()
            IdempotencyRecord(
                user=user,
                key=key,
                request_hash=digest,
                response_status=status,
                response_body=body,
                created_at=now,
            ).save(force_insert=True)
    except IntegrityError:
        committed = _current(user, key, now)
        if committed is None:
            raise
        return _replay(committed, digest)
    return Outcome(status=status, body=body)


def idempotent_run(
    *,
    user: User,
    key: str | None,
    payload: Mapping[str, Any],
    now: dt.datetime,
    run: Callable[[], tuple[int, dict[str, Any]]],
    before: Callable[[], tuple[int, dict[str, Any]] | None] | None = None,
) -> Outcome:
    """Run `run` once per (user, key): the first time, in one transaction with the stored
    record; afterwards, for `RETENTION`, replay its outcome; an expired key runs afresh
    (module docstring). `run` returns (status, body) —
    domain errors already turned into their error body by the caller — or raises
    `AnswerAfterRollback`.

    `before` (optional) makes the read-only checks before the write transaction, so SQLite's
    write lock is not held for them: it returns None to go on with `run`, or the answer
    (a refusal), which is stored and returned without running `run`."""
    key = idempotency_key_check(key)
    digest = request_hash(payload)
    existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if existing is not None and existing.created_at > idempotency_expired_before(now=now):
        return _replay(existing, digest)
    if before is not None:
        early = before()
        if early is not None:
            return _store(user=user, key=key, digest=digest, now=now, answer=early)
    try:
        with transaction.atomic():
            if existing is not None:
                # Expired: the key is new again. Deleted in this transaction, so a failure
                # below (rolled back) leaves the old record as it was.
                IdempotencyRecord.objects.filter(pk=existing.pk).delete()
            status, body = run()
            # Stored with the answer, in the same transaction: a concurrent twin that
            # committed the key first makes this insert fail, and its answer is replayed.
            IdempotencyRecord(
                user=user,
                key=key,
                request_hash=digest,
                response_status=status,
                response_body=body,
                created_at=now,
            ).save(force_insert=True)
            return Outcome(status=status, body=body)
    except AnswerAfterRollback as later:
        return _store(user=user, key=key, digest=digest, now=now, answer=later.answer())
    except IntegrityError:
        # The same key was committed by a concurrent request first: replay its answer. An
        # expired record here is the one this request was replacing (restored by the rollback:
        # the error came from the run), not a twin's answer.
        committed = _current(user, key, now)
        if committed is None:
            raise
        return _replay(committed, digest)
