"""The booking write path is lean (issue 6 `booking_p95_ms`, `race_loser_p95_ms`,
`sqlite_bookings_per_s`): the read-only checks run before the write transaction, which holds
only the slot check, the insert and its companions; a lost slot's alternatives are looked up
after the rollback; the API's idempotency layer stores a refusal, and a "just taken" answer
computed after the rollback, like any other answer.

Inside a test the write transaction is a savepoint (pytest-django wraps each test in one), so
the SAVEPOINT / RELEASE / ROLLBACK TO statements mark where it begins and ends."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from backrelief.accounts.tests.mfa_helpers import sign_in
from backrelief.core.errors import Invalid
from backrelief.scheduling.idempotency import AnswerAfterRollback, idempotent_run
from backrelief.scheduling.models import Booking, IdempotencyRecord, Notification
from backrelief.scheduling.services_booking import SlotTaken, booking_create
from backrelief.scheduling.tests.booking_helpers import NOW, SLOT, H, bookable

pytestmark = pytest.mark.django_db

# Reads before the transaction: the service (with therapist, user and policy), whether the
# therapist is listed, the client's latest assessment.
READS = 3
# Inside: lock the therapist (PostgreSQL only), cancel expired holds in the way, the slot
# check (hours, then bookings and time off), the insert, the free-time invalidation, the two
# confirmations in one insert.
WRITES = 6


def _sql(captured: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in captured.captured_queries]


def _split(statements: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(before the write transaction, inside it, after it)."""
    begin = next(i for i, sql in enumerate(statements) if sql.startswith("SAVEPOINT"))
    end = next(
        i
        for i, sql in enumerate(statements)
        if sql.startswith(("RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))
    )
    after = [sql for sql in statements[end + 1 :] if "SAVEPOINT" not in sql]
    return statements[:begin], statements[begin + 1 : end], after


def test_a_booking_reads_before_the_write_transaction_and_writes_in_few_statements(
    therapist, client_user
):
    with time_machine.travel(NOW, tick=False):
        _, service = bookable(therapist)
        with CaptureQueriesContext(connection) as captured:
            booking = booking_create(
                client=client_user, service_id=service.public_id, start=SLOT, now=NOW
            )
        before, inside, after = _split(_sql(captured))
        lock = 1 if connection.vendor == "postgresql" else 0
        assert len(before) == READS, before
        assert all(sql.startswith("SELECT") for sql in before)
        assert len(inside) == WRITES + lock, inside
        assert after == []
        assert not any("SAVEPOINT" in sql for sql in inside)  # no savepoint per row
        assert Notification.objects.filter(booking=booking).count() == 2


def test_a_lost_slot_rolls_back_first_and_then_looks_up_the_alternatives(
    therapist, client_user, other_client
):
    with time_machine.travel(NOW, tick=False):
        _, service = bookable(therapist)
        booking_create(client=other_client, service_id=service.public_id, start=SLOT, now=NOW)
        with CaptureQueriesContext(connection) as captured:
            with pytest.raises(SlotTaken) as lost:
                booking_create(
                    client=client_user, service_id=service.public_id, start=SLOT, now=NOW
                )
        statements = _sql(captured)
        before, inside, after = _split(statements)
        assert any(s.startswith("ROLLBACK TO SAVEPOINT") for s in statements)
        assert len(before) == READS
        # inside: (lock,) holds, hours, bookings, whether a booking is in the way; no insert
        assert not any(s.startswith("INSERT") for s in inside)
        assert len(inside) <= 5
        # the alternatives: hours, then bookings and time off, after the rollback
        assert len(after) == 2
        assert lost.value.alternatives
        assert lost.value.alternatives[0] > NOW
        assert SLOT not in lost.value.alternatives
        assert Booking.objects.count() == 1


def _api(user):
    web = Client()
    sign_in(web, user)
    return web


def _post(web, body, key):
    return web.post(
        "/api/v1/bookings",
        json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )


def test_the_api_books_in_one_short_write_transaction(therapist, client_user):
    with time_machine.travel(NOW, tick=False):
        _, service = bookable(therapist)
        web = _api(client_user)
        body = {"service_id": str(service.public_id), "start": SLOT.isoformat()}
        with CaptureQueriesContext(connection) as captured:
            response = _post(web, body, "k1")
        assert response.status_code == 201, response.content
        statements = _sql(captured)
        begin = next(i for i, s in enumerate(statements) if s.startswith("SAVEPOINT"))
        end = statements.index(f"RELEASE {statements[begin]}")  # the same savepoint's end
        inside = [s for s in statements[begin + 1 : end] if "SAVEPOINT" not in s]
        lock = 1 if connection.vendor == "postgresql" else 0
        # the booking's writes and the key's record
        assert len(inside) == WRITES + lock + 1, "\n".join(s[:90] for s in inside)
        assert "scheduling_idempotencyrecord" in inside[-1]
        assert IdempotencyRecord.objects.get().response_status == 201


def test_a_refusal_of_the_checks_is_stored_and_replayed_without_a_write_of_the_booking(
    therapist, client_user
):
    with time_machine.travel(NOW, tick=False):
        _, service = bookable(therapist)
        web = _api(client_user)
        body = {"service_id": str(service.public_id), "start": (NOW - H).isoformat()}
        first = _post(web, body, "k1")
        assert (first.status_code, first.json()["code"]) == (422, "start_in_past")
        again = _post(web, body, "k1")
        assert (again.status_code, again.json()) == (422, first.json())
        assert again["Idempotent-Replayed"] == "true"
        assert Booking.objects.count() == 0
        assert IdempotencyRecord.objects.get().response_status == 422


def test_an_answer_after_rollback_undoes_the_run_and_is_stored_and_replayed(therapist, client_user):
    with time_machine.travel(NOW, tick=False):
        _, service = bookable(therapist)
        seen: list[int] = []

        def run():
            booking_create(client=client_user, service_id=service.public_id, start=SLOT, now=NOW)
            seen.append(Booking.objects.count())
            raise AnswerAfterRollback(lambda: (409, {"bookings": Booking.objects.count()}))

        first = idempotent_run(user=client_user, key="k", payload={}, now=NOW, run=run)
        assert seen == [1]  # the run had written a booking ...
        assert (first.status, first.body, first.replayed) == (409, {"bookings": 0}, False)
        assert Booking.objects.count() == 0  # ... rolled back before the answer was made
        again = idempotent_run(user=client_user, key="k", payload={}, now=NOW, run=run)
        assert (again.status, again.body, again.replayed) == (409, {"bookings": 0}, True)
        assert seen == [1]


def test_a_refusal_before_the_run_is_stored_and_the_run_never_called(client_user):
    calls: list[str] = []

    def run():
        calls.append("run")
        return 201, {}

    def before():
        calls.append("before")
        return 422, {"code": "nope"}

    first = idempotent_run(
        user=client_user, key="k", payload={"a": 1}, now=NOW, run=run, before=before
    )
    again = idempotent_run(
        user=client_user, key="k", payload={"a": 1}, now=NOW, run=run, before=before
    )
    assert (first.status, first.body, first.replayed) == (422, {"code": "nope"}, False)
    assert (again.status, again.replayed) == (422, True)
    assert calls == ["before"]
    with pytest.raises(Invalid):  # another body with the key: refused, as before
        idempotent_run(user=client_user, key="k", payload={"a": 2}, now=NOW, run=run, before=before)


def test_a_stored_answer_replaces_an_expired_record_of_the_key(client_user):
    old = NOW - dt.timedelta(days=2)
    idempotent_run(user=client_user, key="k", payload={}, now=old, run=lambda: (201, {"n": 1}))
    fresh = idempotent_run(
        user=client_user,
        key="k",
        payload={},
        now=NOW,
        run=lambda: (201, {}),
        before=lambda: (403, {"n": 2}),
    )
    assert (fresh.status, fresh.body, fresh.replayed) == (403, {"n": 2}, False)
    record = IdempotencyRecord.objects.get()
    assert (record.created_at, record.response_status) == (NOW, 403)
