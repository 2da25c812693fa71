"""scheduling.idempotency (issue 6 item 5): canonical request hashes, the first outcome stored
and replayed, another body refused, unusable keys refused, unexpected errors store nothing; a
key expires after 24 hours and is then new again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError

from backrelief.core.errors import DomainError, Invalid
from backrelief.scheduling.idempotency import RETENTION, idempotent_run, request_hash
from backrelief.scheduling.models import IdempotencyRecord
from backrelief.scheduling.tests.booking_helpers import NOW


def test_the_hash_ignores_key_order_but_not_values():
    assert request_hash({"a": 1, "b": [1, 2]}) == request_hash({"b": [1, 2], "a": 1})
    assert request_hash({"a": 1}) != request_hash({"a": 2})
    assert len(request_hash({})) == 64


@pytest.mark.parametrize("key", [None, "", "   ", "x" * 201, "naïve", "tab\there"])
def test_an_unusable_key_is_refused_with_400(key):
    with pytest.raises(DomainError) as caught:
        idempotent_run(user=None, key=key, payload={}, now=NOW, run=lambda: (201, {}))  # type: ignore[arg-type]
    assert (caught.value.status, caught.value.code) == (400, "idempotency_key_required")


@pytest.mark.django_db
def test_the_first_outcome_is_stored_and_replayed_without_running_again(client_user):
    calls = []

    def run():
        calls.append(1)
        return 409, {"code": "slot_taken", "detail": "Just taken — choose another time."}

    first = idempotent_run(user=client_user, key="k", payload={"a": 1}, now=NOW, run=run)
    again = idempotent_run(user=client_user, key="k", payload={"a": 1}, now=NOW, run=run)
    assert (first.status, first.replayed) == (409, False)
    assert (again.status, again.body, again.replayed) == (409, first.body, True)
    assert len(calls) == 1
    record = IdempotencyRecord.objects.get()
    assert (record.user, record.key, record.response_status) == (client_user, "k", 409)


@pytest.mark.django_db
def test_another_body_with_the_same_key_is_refused(client_user):
    idempotent_run(user=client_user, key="k", payload={"a": 1}, now=NOW, run=lambda: (201, {}))
    with pytest.raises(Invalid) as caught:
        idempotent_run(user=client_user, key="k", payload={"a": 2}, now=NOW, run=lambda: (201, {}))
    assert (caught.value.status, caught.value.code) == (422, "idempotency_key_reused")


@pytest.mark.django_db
def test_an_unexpected_error_stores_nothing_so_a_retry_runs_afresh(client_user):
    def boom():
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        idempotent_run(user=client_user, key="k", payload={}, now=NOW, run=boom)
    assert not IdempotencyRecord.objects.exists()
    retry = idempotent_run(user=client_user, key="k", payload={}, now=NOW, run=lambda: (201, {}))
    assert (retry.status, retry.replayed) == (201, False)


# --- expiry (24 hours) -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_key_replays_until_24_hours_and_then_runs_afresh_as_new(client_user):
    calls = []

    def run():
        calls.append(1)
        return 201, {"n": len(calls)}

    idempotent_run(user=client_user, key="k", payload={"a": 1}, now=NOW, run=run)
    almost = NOW + RETENTION - dt.timedelta(seconds=1)
    replay = idempotent_run(user=client_user, key="k", payload={"a": 1}, now=almost, run=run)
    assert (replay.body, replay.replayed, len(calls)) == ({"n": 1}, True, 1)
    expired = NOW + RETENTION
    fresh = idempotent_run(user=client_user, key="k", payload={"a": 1}, now=expired, run=run)
    assert (fresh.status, fresh.body, fresh.replayed, len(calls)) == (201, {"n": 2}, False, 2)
    record = IdempotencyRecord.objects.get()  # replaced, not added
    assert (record.created_at, record.response_body) == (expired, {"n": 2})


@pytest.mark.django_db
def test_an_expired_key_may_carry_another_body(client_user):
    idempotent_run(user=client_user, key="k", payload={"a": 1}, now=NOW, run=lambda: (201, {}))
    later = NOW + RETENTION + dt.timedelta(hours=1)
    outcome = idempotent_run(
        user=client_user, key="k", payload={"a": 2}, now=later, run=lambda: (422, {"x": 1})
    )
    assert (outcome.status, outcome.replayed) == (422, False)
    assert IdempotencyRecord.objects.get().request_hash == request_hash({"a": 2})


@pytest.mark.django_db
def test_a_failed_run_on_an_expired_key_keeps_the_old_record(client_user):
    idempotent_run(user=client_user, key="k", payload={"a": 1}, now=NOW, run=lambda: (201, {}))

    def boom():
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        idempotent_run(
            user=client_user, key="k", payload={"a": 1}, now=NOW + 2 * RETENTION, run=boom
        )
    assert IdempotencyRecord.objects.get().created_at == NOW  # rolled back with the run


@pytest.mark.django_db
def test_expiry_is_per_record_not_per_user(client_user):
    idempotent_run(user=client_user, key="old", payload={}, now=NOW, run=lambda: (201, {}))
    later = NOW + RETENTION - dt.timedelta(hours=1)
    idempotent_run(user=client_user, key="new", payload={}, now=later, run=lambda: (201, {}))
    after = NOW + RETENTION
    assert idempotent_run(
        user=client_user, key="new", payload={}, now=after, run=lambda: (500, {})
    ).replayed
    assert not idempotent_run(
        user=client_user, key="old", payload={}, now=after, run=lambda: (201, {})
    ).replayed


@pytest.mark.django_db
def test_an_integrity_error_in_the_run_on_an_expired_key_never_replays_the_old_answer(
    client_user,
):
    """The except clause that replays a concurrent twin's committed answer must not take the
    expired record (restored by the rollback) for one: it answered another request a day ago."""
    idempotent_run(
        user=client_user, key="k", payload={"a": 1}, now=NOW, run=lambda: (201, {"n": 1})
    )

    def clash():
        raise IntegrityError("some other constraint")

    with pytest.raises(IntegrityError):
        idempotent_run(
            user=client_user, key="k", payload={"a": 1}, now=NOW + 2 * RETENTION, run=clash
        )
    assert IdempotencyRecord.objects.get().created_at == NOW
