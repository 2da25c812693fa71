"""The outbox end to end through the booking services (issue 6 items 6 and 7): a booking's
confirmation, a move and a therapist's cancellation each reach the client once, in the
client's zone; the therapist hears of a new booking and of the client's move or cancellation,
in the therapist's zone; a change before the worker ran voids the outdated message."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from backrelief.scheduling.jobs import notifications_send_due
from backrelief.scheduling.models import Notification
from backrelief.scheduling.services_booking import (
    booking_cancel,
    booking_create,
    booking_reschedule,
)
from backrelief.scheduling.tests.booking_helpers import NOW, SLOT, H, bookable

pytestmark = pytest.mark.django_db

# NOW is Monday 2 March 2026 08:00 UTC; SLOT Wednesday 4 March 10:00 in Berlin (09:00 UTC),
# 04:00 in New York (EST, before the US change on 8 March).
SLOT_NY = "Wed 4 Mar 2026, 04:00 EST (America/New_York)"
MOVED_NY = "Thu 5 Mar 2026, 04:00 EST (America/New_York)"
SLOT_BERLIN = "Wed 4 Mar 2026, 10:00 CET (Europe/Berlin)"
MOVED_BERLIN = "Thu 5 Mar 2026, 10:00 CET (Europe/Berlin)"


@pytest.fixture
def client_ny(make_user):
    return make_user("client", display_name="Nora York", time_zone="America/New_York")


def _statuses() -> list[tuple[str, str]]:
    return sorted(Notification.objects.values_list("kind", "status"))


def _to(person) -> list:
    return [m for m in mail.outbox if m.to == [person.email]]


def test_confirmation_move_and_therapist_cancellation_reach_the_client_once(client_ny, therapist):
    with time_machine.travel(NOW, tick=False) as clock:
        _, service = bookable(therapist)
        booking = booking_create(
            client=client_ny, service_id=service.public_id, start=SLOT, now=NOW
        )
        assert notifications_send_due(now=NOW, worker_id="w").sent == 2  # client, therapist
        [confirmed] = _to(client_ny)
        assert confirmed.subject == "Your BackRelief session is confirmed"
        assert SLOT_NY in confirmed.body

        later = NOW + H
        clock.move_to(later)
        moved = booking_reschedule(
            actor=therapist, booking_id=booking.public_id, new_start=SLOT + 24 * H, now=later
        )
        assert notifications_send_due(now=later, worker_id="w").sent == 1
        message = mail.outbox[-1]
        assert message.subject == "Your BackRelief session was moved"
        assert f"The session of {SLOT_NY} was moved" in message.body
        assert MOVED_NY in message.body

        later += H
        clock.move_to(later)
        booking_cancel(
            actor=therapist, booking_id=moved.public_id, reason="I am ill today", now=later
        )
        assert notifications_send_due(now=later, worker_id="w").sent == 1
        message = mail.outbox[-1]
        assert message.subject == "Your BackRelief session was cancelled"
        assert "cancelled this session" in message.body
        assert MOVED_NY in message.body
        assert "ill today" not in message.body

        assert notifications_send_due(now=later + 24 * H, worker_id="w").claimed == 0
        # the therapist heard only of the new booking: the move and the cancellation were theirs
        assert len(_to(client_ny)) == 3
        assert [m.subject for m in _to(therapist)] == ["A new BackRelief booking"]
        assert _statuses() == [
            ("booking_cancelled", "sent"),
            ("booking_confirmed", "sent"),
            ("booking_confirmed", "sent"),
            ("booking_rescheduled", "sent"),
        ]


def test_the_therapist_reads_a_new_booking_in_their_own_zone_with_the_zone_named(
    client_ny, therapist
):
    with time_machine.travel(NOW, tick=False):
        _, service = bookable(therapist)
        booking_create(client=client_ny, service_id=service.public_id, start=SLOT, now=NOW)
        notifications_send_due(now=NOW, worker_id="w")
        [message] = _to(therapist)
        assert message.subject == "A new BackRelief booking"  # generic: no name, no technique
        assert "Nora York" not in message.subject
        assert "New booking: Nora York" in message.body
        assert SLOT_BERLIN in message.body
        assert "America/New_York" not in message.body  # the client's zone is theirs
        html = message.alternatives[0][0]
        assert "New booking: Nora York" in html
        assert SLOT_BERLIN in html
        assert "Good to know" not in message.body  # client preparation notes are not for them


def test_a_clients_move_and_cancellation_reach_the_therapist_without_the_reason(
    client_ny, therapist
):
    with time_machine.travel(NOW, tick=False) as clock:
        _, service = bookable(therapist)
        booking = booking_create(
            client=client_ny, service_id=service.public_id, start=SLOT, now=NOW
        )
        notifications_send_due(now=NOW, worker_id="w")
        later = NOW + H
        clock.move_to(later)
        moved = booking_reschedule(
            actor=client_ny, booking_id=booking.public_id, new_start=SLOT + 24 * H, now=later
        )
        assert notifications_send_due(now=later, worker_id="w").sent == 2  # client, therapist
        message = _to(therapist)[-1]
        assert message.subject == "A BackRelief booking changed"
        assert f"Nora York moved the session of {SLOT_BERLIN}" in message.body
        assert MOVED_BERLIN in message.body

        later = SLOT + 24 * H - 2 * H  # inside the 24-hour cut-off: a late cancellation
        clock.move_to(later)
        booking_cancel(
            actor=client_ny,
            booking_id=moved.public_id,
            reason="My sciatica is worse",
            now=later,
            confirm_late=True,
        )
        assert notifications_send_due(now=later, worker_id="w").sent == 1
        message = _to(therapist)[-1]
        assert message.subject == "A BackRelief booking was cancelled"
        assert "Nora York cancelled this session" in message.body
        assert MOVED_BERLIN in message.body
        assert "late cancellation" in message.body
        for part in (message.body, message.alternatives[0][0]):
            assert "sciatica" not in part
        assert len(_to(client_ny)) == 2  # the confirmation and the move: not their own cancel


def test_a_booking_cancelled_before_the_worker_ran_gets_no_confirmation(client_ny, therapist):
    with time_machine.travel(NOW, tick=False) as clock:
        _, service = bookable(therapist)
        booking = booking_create(
            client=client_ny, service_id=service.public_id, start=SLOT, now=NOW
        )
        clock.move_to(NOW + dt.timedelta(minutes=1))
        booking_cancel(
            actor=client_ny,
            booking_id=booking.public_id,
            reason="Plans changed",
            now=NOW + dt.timedelta(minutes=1),
        )
        notifications_send_due(now=NOW + dt.timedelta(minutes=2), worker_id="w")
        # both confirmations voided; the therapist is told of the cancellation only
        assert [m.to for m in mail.outbox] == [[therapist.email]]
        assert _statuses() == [
            ("booking_cancelled", "sent"),
            ("booking_confirmed", "voided"),
            ("booking_confirmed", "voided"),
        ]


def test_a_move_before_the_worker_ran_sends_only_the_move(client_ny, therapist):
    with time_machine.travel(NOW, tick=False) as clock:
        _, service = bookable(therapist)
        booking = booking_create(
            client=client_ny, service_id=service.public_id, start=SLOT, now=NOW
        )
        later = NOW + dt.timedelta(minutes=1)
        clock.move_to(later)
        booking_reschedule(
            actor=client_ny, booking_id=booking.public_id, new_start=SLOT + 24 * H, now=later
        )
        assert notifications_send_due(now=later, worker_id="w").sent == 2
        assert _to(client_ny)[0].subject == "Your BackRelief session was moved"
        assert _to(therapist)[0].subject == "A BackRelief booking changed"
        assert _statuses() == [
            ("booking_confirmed", "voided"),
            ("booking_confirmed", "voided"),
            ("booking_rescheduled", "sent"),
            ("booking_rescheduled", "sent"),
        ]
