"""scheduling.idempotency (issue 6 item 5): canonical request hashes, the first outcome stored
and replayed, another body refused, unusable keys refused, unexpected errors store nothing."""

from __future__ import annotations

import pytest

from backrelief.core.errors import DomainError, Invalid
from backrelief.scheduling.idempotency import idempotent_run, request_hash
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
