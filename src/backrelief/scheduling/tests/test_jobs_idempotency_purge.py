"""scheduling.jobs.idempotency_records_purge and the worker's housekeeping: idempotency records
older than 24 hours are deleted in batches, younger ones kept; the worker purges on its first
pass (and every --once) and then at most every PURGE_EVERY_S."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine
from django.core.management import call_command

from backrelief.scheduling.idempotency import RETENTION
from backrelief.scheduling.jobs import idempotency_records_purge
from backrelief.scheduling.management.commands import worker as worker_module
from backrelief.scheduling.models import IdempotencyRecord
from backrelief.scheduling.tests.booking_helpers import NOW

pytestmark = pytest.mark.django_db


def _record(user, key: str, created_at: dt.datetime) -> IdempotencyRecord:
    return IdempotencyRecord.objects.create(
        user=user,
        key=key,
        request_hash="0" * 64,
        response_status=201,
        response_body={},
        created_at=created_at,
    )


def _keys() -> set[str]:
    return set(IdempotencyRecord.objects.values_list("key", flat=True))


def test_only_records_of_24_hours_or_more_are_deleted(client_user, other_client):
    _record(client_user, "expired-just", NOW - RETENTION)
    _record(other_client, "expired-long", NOW - 3 * RETENTION)
    _record(client_user, "young", NOW - RETENTION + dt.timedelta(seconds=1))
    _record(other_client, "new", NOW)
    assert idempotency_records_purge(now=NOW) == 2
    assert _keys() == {"young", "new"}
    assert idempotency_records_purge(now=NOW) == 0


def test_batches_repeat_until_done_within_the_limit(client_user):
    for i in range(7):
        _record(client_user, f"k{i}", NOW - RETENTION - dt.timedelta(minutes=i))
    assert idempotency_records_purge(now=NOW, batch=2, max_batches=2) == 4  # bounded per call
    assert len(_keys()) == 3
    assert idempotency_records_purge(now=NOW, batch=2, max_batches=10) == 3
    assert _keys() == set()


def test_the_purge_takes_a_bounded_number_of_queries(client_user, django_assert_max_num_queries):
    for i in range(5):
        _record(client_user, f"k{i}", NOW - 2 * RETENTION)
    with django_assert_max_num_queries(3):  # read a batch, delete it; short batch: done
        assert idempotency_records_purge(now=NOW) == 5


def test_worker_once_purges_expired_records(client_user):
    with time_machine.travel(NOW, tick=False):
        _record(client_user, "expired", NOW - RETENTION)
        _record(client_user, "young", NOW - dt.timedelta(hours=1))
        call_command("worker", "--once", "--worker-id", "test-purge")
        assert _keys() == {"young"}


def test_the_worker_purges_at_most_every_purge_interval(client_user):
    with time_machine.travel(NOW, tick=False):
        command = worker_module.Command()
        command._purged_at = None
        _record(client_user, "a", NOW - RETENTION)
        command._housekeeping(worker_id="w")
        assert _keys() == set()
        _record(client_user, "b", NOW - RETENTION)
        command._housekeeping(worker_id="w")  # just purged: waits for the interval
        assert _keys() == {"b"}
        command._purged_at = time.monotonic() - worker_module.PURGE_EVERY_S - 1
        command._housekeeping(worker_id="w")
        assert _keys() == set()
