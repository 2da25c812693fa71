"""The job-queue claim helper (STYLE.md: rows claimed with a conditional UPDATE): due rows
only, oldest first, one owner per row, a lease after which a crashed worker's claim is
retaken, and release. The outbox table serves as the queue."""

from __future__ import annotations

import datetime as dt

import pytest

from backrelief.core.jobs import CLAIM_LEASE, jobs_claim, jobs_claim_one, jobs_release
from backrelief.scheduling.models import Notification
from backrelief.scheduling.notifications import notification_enqueue
from backrelief.therapists.tests.factories import make_booking, make_profile

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
MIN = dt.timedelta(minutes=1)


@pytest.fixture
def rows(make_user, therapist):
    """Five notifications due 5, 4, 3, 2, 1 minutes ago, plus one due in the future."""
    profile = make_profile(therapist)
    made = []
    for i in range(6):
        client = make_user("client")
        booking = make_booking(client, profile, start=NOW + dt.timedelta(days=1, hours=2 * i))
        due = NOW + MIN if i == 5 else NOW - (5 - i) * MIN
        made.append(
            notification_enqueue(
                booking=booking,
                kind="booking_confirmed",
                recipient=client,
                now=NOW - 9 * MIN,
                due_at=due,
            )
        )
    return made


def test_claim_takes_due_rows_oldest_first_up_to_the_batch(rows):
    claimed = jobs_claim(model=Notification, worker_id="a", now=NOW, batch=3)
    assert claimed == [rows[0].pk, rows[1].pk, rows[2].pk]
    for row in Notification.objects.filter(pk__in=claimed):
        assert row.claimed_by == "a"
        assert row.claimed_at == NOW


def test_a_row_due_later_is_not_claimed(rows):
    claimed = jobs_claim(model=Notification, worker_id="a", now=NOW, batch=50)
    assert rows[5].pk not in claimed
    assert len(claimed) == 5


def test_of_two_claims_on_one_row_exactly_one_wins(rows):
    pk = rows[0].pk
    assert jobs_claim_one(model=Notification, pk=pk, worker_id="a", now=NOW)
    assert not jobs_claim_one(model=Notification, pk=pk, worker_id="b", now=NOW)
    assert Notification.objects.get(pk=pk).claimed_by == "a"


def test_a_second_worker_gets_only_the_rows_the_first_left(rows):
    first = jobs_claim(model=Notification, worker_id="a", now=NOW, batch=3)
    second = jobs_claim(model=Notification, worker_id="b", now=NOW, batch=50)
    assert set(first).isdisjoint(second)
    assert sorted(first + second) == sorted(r.pk for r in rows[:5])


def test_rows_that_are_not_pending_are_never_claimed(rows):
    Notification.objects.filter(pk=rows[0].pk).update(status="sent")
    Notification.objects.filter(pk=rows[1].pk).update(status="voided")
    claimed = jobs_claim(model=Notification, worker_id="a", now=NOW, batch=50)
    assert rows[0].pk not in claimed
    assert rows[1].pk not in claimed


def test_a_crashed_workers_claim_is_retaken_only_after_the_lease(rows):
    pk = rows[0].pk
    assert jobs_claim_one(model=Notification, pk=pk, worker_id="crashed", now=NOW)
    just_before = NOW + CLAIM_LEASE - dt.timedelta(seconds=1)
    assert not jobs_claim_one(model=Notification, pk=pk, worker_id="b", now=just_before)
    assert jobs_claim_one(model=Notification, pk=pk, worker_id="b", now=NOW + CLAIM_LEASE)
    row = Notification.objects.get(pk=pk)
    assert row.claimed_by == "b"
    assert row.claimed_at == NOW + CLAIM_LEASE


def test_release_gives_back_only_this_workers_rows(rows):
    mine = jobs_claim(model=Notification, worker_id="a", now=NOW, batch=2)
    theirs = jobs_claim(model=Notification, worker_id="b", now=NOW, batch=2)
    assert jobs_release(model=Notification, worker_id="a", pks=mine + theirs) == 2
    assert not Notification.objects.filter(pk__in=mine, claimed_at__isnull=False).exists()
    assert Notification.objects.filter(pk__in=theirs, claimed_by="b").count() == 2
    again = jobs_claim(model=Notification, worker_id="c", now=NOW, batch=50)
    assert sorted(again) == [*mine, rows[4].pk]


def test_an_empty_batch_claims_nothing(rows):
    assert jobs_claim(model=Notification, worker_id="a", now=NOW, batch=0) == []
    assert jobs_release(model=Notification, worker_id="a", pks=[]) == 0
