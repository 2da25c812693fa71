"""The outbox (issue 6 item 7): one pending row per (booking, kind, recipient), written in the
caller's transaction; asking twice returns the first row and never raises."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from backrelief.scheduling.models import Notification, NotificationKind
from backrelief.scheduling.notifications import notification_enqueue
from backrelief.therapists.tests.factories import make_booking, make_profile

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
START = NOW + dt.timedelta(days=3)


@pytest.fixture
def booking(client_user, therapist):
    return make_booking(client_user, make_profile(therapist), start=START, now=NOW)


def test_enqueue_writes_one_pending_row_due_now_by_default(booking, client_user):
    row = notification_enqueue(
        booking=booking, kind=NotificationKind.BOOKING_CONFIRMED, recipient=client_user, now=NOW
    )
    assert row is not None
    assert row.status == "pending"
    assert row.due_at == NOW
    assert row.created_at == NOW
    assert row.attempts == 0
    assert row.claimed_at is None


def test_enqueue_takes_an_explicit_due_time(booking, client_user):
    later = NOW + dt.timedelta(hours=2)
    row = notification_enqueue(
        booking=booking, kind="booking_confirmed", recipient=client_user, now=NOW, due_at=later
    )
    assert row is not None
    assert row.due_at == later


def test_enqueue_twice_returns_the_first_row_and_writes_no_second(booking, client_user):
    first = notification_enqueue(
        booking=booking, kind="booking_confirmed", recipient=client_user, now=NOW
    )
    second = notification_enqueue(
        booking=booking,
        kind="booking_confirmed",
        recipient=client_user,
        now=NOW + dt.timedelta(minutes=5),
    )
    assert first is not None
    assert second is not None
    assert second.pk == first.pk
    assert second.due_at == NOW
    assert Notification.objects.count() == 1


def test_each_kind_and_each_recipient_gets_its_own_row(booking, client_user, therapist):
    for kind in NotificationKind:
        for person in (client_user, therapist):
            notification_enqueue(booking=booking, kind=kind, recipient=person, now=NOW)
    assert Notification.objects.count() == len(NotificationKind) * 2


def test_a_duplicate_racing_past_the_check_is_absorbed_and_the_callers_transaction_goes_on(
    booking, client_user, monkeypatch
):
    first = notification_enqueue(
        booking=booking, kind="booking_cancelled", recipient=client_user, now=NOW
    )
    assert first is not None
    # Another transaction inserted between our check and our insert: the check sees nothing.
    real_filter = Notification.objects.filter

    class _Nothing:
        def first(self):
            return None

    monkeypatch.setattr(Notification.objects, "filter", lambda **kw: _Nothing())
    with transaction.atomic():
        again = notification_enqueue(
            booking=booking, kind="booking_cancelled", recipient=client_user, now=NOW
        )
        monkeypatch.setattr(Notification.objects, "filter", real_filter)
        assert Notification.objects.filter(booking=booking).count() == 1  # still usable
    assert again is not None
    assert again.pk == first.pk


def test_rolled_back_change_leaves_no_row(booking, client_user):
    def change() -> None:
        with transaction.atomic():
            notification_enqueue(
                booking=booking, kind="booking_confirmed", recipient=client_user, now=NOW
            )
            raise RuntimeError("the booking change failed")

    with pytest.raises(RuntimeError):
        change()
    assert not Notification.objects.exists()


def test_a_deactivated_recipient_gets_no_row(booking, client_user):
    client_user.is_active = False
    client_user.save()
    assert (
        notification_enqueue(
            booking=booking, kind="booking_confirmed", recipient=client_user, now=NOW
        )
        is None
    )
    assert not Notification.objects.exists()
