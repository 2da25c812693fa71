"""The outbox worker's batch (issue 6 item 7): due rows are claimed, the booking re-read at send
time (cancelled or changed → voided, begun → dropped), the email sent with the time in the
recipient's zone and the zone named, failures retried with backoff and given up after six;
never a health detail in a message, never an address in `last_error`."""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Iterator

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from backrelief.accounts.models import ConsentPurpose
from backrelief.accounts.services.consent import consent_give
from backrelief.assessment.services import assessment_create
from backrelief.assessment.tests.assess_inputs import all_no, raw_input
from backrelief.scheduling.jobs import notifications_send_due
from backrelief.scheduling.models import Booking, Notification
from backrelief.scheduling.notifications import notification_enqueue
from backrelief.therapists.tests.factories import make_booking, make_profile, make_service

pytestmark = pytest.mark.django_db

# 8 March 2026: New York is on summer time (EDT, UTC-4), Berlin not yet (CET, UTC+1).
NOW = dt.datetime(2026, 3, 9, 12, 0, tzinfo=dt.UTC)
START = dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)
CLIENT_TIME = "Tue 10 Mar 2026, 11:00 EDT (America/New_York)"
THERAPIST_TIME = "Tue 10 Mar 2026, 16:00 CET (Europe/Berlin)"
MIN = dt.timedelta(minutes=1)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def client_ny(make_user, clock):
    return make_user("client", display_name="Nora York", time_zone="America/New_York")


@pytest.fixture
def profile(therapist, clock):
    return make_profile(therapist, display_name="Theo Therapist", time_zone="Europe/Berlin")


@pytest.fixture
def booking(client_ny, profile):
    service = make_service(profile, technique="shiatsu", duration_min=45)
    return make_booking(client_ny, profile, service=service, start=START, minutes=45, now=NOW)


def _enqueue(booking, recipient, kind="booking_confirmed", **extra):
    row = notification_enqueue(
        booking=booking, kind=kind, recipient=recipient, now=extra.pop("now", NOW), **extra
    )
    assert row is not None
    return row


class Refusing(BaseEmailBackend):
    """An SMTP server that is down (or refuses the recipient)."""

    def __init__(self, exc: Exception | None = None, **kwargs):
        super().__init__(**kwargs)
        self.exc = exc or smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    def send_messages(self, email_messages):
        raise self.exc


def _body(message) -> str:
    return message.body


def _html(message) -> str:
    return message.alternatives[0][0]


def test_a_due_confirmation_is_sent_to_each_recipient_in_their_own_zone(
    booking, client_ny, therapist
):
    client_row = _enqueue(booking, client_ny)
    therapist_row = _enqueue(booking, therapist)
    result = notifications_send_due(now=NOW, worker_id="w1")
    assert (result.claimed, result.sent) == (2, 2)
    by_address = {m.to[0]: m for m in mail.outbox}
    to_client, to_therapist = by_address[client_ny.email], by_address[therapist.email]
    # generic subjects, worded for each side
    assert to_client.subject == "Your BackRelief session is confirmed"
    assert to_therapist.subject == "A new BackRelief booking"
    assert "New booking: Nora York" in _body(to_therapist)
    assert "Drink some water" not in _body(to_therapist)
    for message in (to_client, to_therapist):
        assert f"<title>{message.subject}</title>" in _html(message)
        assert _html(message).startswith("<!doctype html>")
        assert "Shiatsu" in _body(message)
        assert "45 minutes" in _body(message)
        assert "Torstraße 1, 10119 Berlin" in _body(message)
    assert CLIENT_TIME in _body(to_client)
    assert CLIENT_TIME in _html(to_client)
    assert "11:45" in _body(to_client)  # the end, same zone
    assert THERAPIST_TIME in _body(to_therapist)
    assert THERAPIST_TIME in _html(to_therapist)
    # a client in another zone also sees the therapist's local time, named as such
    assert f"Therapist's local time: {THERAPIST_TIME}" in _body(to_client)
    assert "America/New_York" not in _body(to_therapist)
    assert "Theo Therapist" in _body(to_client)
    assert "Nora York" in _body(to_therapist)
    assert "Drink some water" in _body(to_client)
    assert "loose, comfortable clothing" in _html(to_client)
    for message in (to_client, to_therapist):  # a link to the session's own page
        assert f"/schedule/sessions/{booking.public_id}/" in _body(message)
    for row in (client_row, therapist_row):
        row.refresh_from_db()
        assert row.status == "sent"
        assert row.sent_at == NOW
        assert row.attempts == 1
        assert row.claimed_by == "w1"


def test_a_session_across_the_autumn_change_names_the_zone_of_its_end(client_ny, profile):
    """02:30 CEST + 30 minutes is 02:00 CET in Berlin: the end carries its abbreviation."""
    service = make_service(profile, technique="shiatsu", duration_min=30)
    start = dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)
    across = make_booking(client_ny, profile, service=service, start=start, minutes=30, now=NOW)
    _enqueue(across, profile.user)
    notifications_send_due(now=NOW, worker_id="w1")
    body = _body(mail.outbox[0])
    assert "Sun 25 Oct 2026, 02:30 CEST (Europe/Berlin) – 02:00 CET" in body


def test_a_mobile_session_takes_place_at_the_clients_place(client_ny, therapist, clock):
    profile = make_profile(therapist, in_clinic=False, mobile=True, travel_radius_km=10, address="")
    booking = make_booking(client_ny, profile, start=START, now=NOW)
    _enqueue(booking, client_ny)
    notifications_send_due(now=NOW, worker_id="w1")
    assert "At your place" in _body(mail.outbox[0])


def test_a_row_not_yet_due_waits(booking, client_ny):
    row = _enqueue(booking, client_ny, due_at=NOW + MIN)
    assert notifications_send_due(now=NOW, worker_id="w1").claimed == 0
    row.refresh_from_db()
    assert row.status == "pending"
    assert row.claimed_at is None
    assert mail.outbox == []


def test_a_confirmation_for_a_booking_cancelled_meanwhile_is_voided(booking, client_ny, clock):
    row = _enqueue(booking, client_ny)
    clock.move_to(NOW + MIN)
    Booking.objects.filter(pk=booking.pk).update(
        status="cancelled", cancelled_at=NOW + MIN, updated_at=NOW + MIN
    )
    result = notifications_send_due(now=NOW + 2 * MIN, worker_id="w1")
    assert result.voided == 1
    row.refresh_from_db()
    assert row.status == "voided"
    assert mail.outbox == []


def test_a_confirmation_for_a_booking_changed_after_it_was_written_is_voided(
    booking, client_ny, clock
):
    row = _enqueue(booking, client_ny)
    Booking.objects.filter(pk=booking.pk).update(updated_at=NOW + MIN)
    clock.move_to(NOW + 2 * MIN)
    assert notifications_send_due(now=NOW + 2 * MIN, worker_id="w1").voided == 1
    row.refresh_from_db()
    assert row.status == "voided"
    assert mail.outbox == []


def test_a_message_for_a_session_that_has_begun_is_dropped(booking, client_ny, clock):
    row = _enqueue(booking, client_ny)
    clock.move_to(START)
    assert notifications_send_due(now=START, worker_id="w1").dropped == 1
    row.refresh_from_db()
    assert row.status == "dropped"
    assert row.sent_at is None
    assert mail.outbox == []


def test_a_cancellation_by_the_therapist_tells_the_client_who_cancelled(
    booking, client_ny, therapist, clock
):
    later = NOW + dt.timedelta(hours=1)
    clock.move_to(later)
    Booking.objects.filter(pk=booking.pk).update(
        status="cancelled",
        cancelled_at=later,
        cancelled_by=therapist,
        cancel_reason="I have a bad back myself today",
        updated_at=later,
    )
    _enqueue(booking, client_ny, kind="booking_cancelled", now=later)
    assert notifications_send_due(now=later, worker_id="w1").sent == 1
    message = mail.outbox[0]
    assert message.subject == "Your BackRelief session was cancelled"
    assert "Theo Therapist cancelled this session" in _body(message)
    assert CLIENT_TIME in _body(message)
    assert "bad back" not in _body(message)  # the reason is never mailed
    assert "bad back" not in _html(message)


def test_a_moved_session_names_the_old_and_the_new_time(booking, client_ny, profile, clock):
    later = NOW + dt.timedelta(hours=1)
    clock.move_to(later)
    Booking.objects.filter(pk=booking.pk).update(
        status="cancelled", cancelled_at=later, updated_at=later
    )
    moved = make_booking(
        client_ny,
        profile,
        service=booking.service,
        start=START + dt.timedelta(days=1),
        minutes=45,
        now=later,
        rescheduled_from=booking,
    )
    _enqueue(moved, client_ny, kind="booking_rescheduled", now=later)
    assert notifications_send_due(now=later, worker_id="w1").sent == 1
    message = mail.outbox[0]
    assert message.subject == "Your BackRelief session was moved"
    assert f"The session of {CLIENT_TIME} was moved" in _body(message)
    assert "Wed 11 Mar 2026, 11:00 EDT (America/New_York)" in _body(message)


def test_a_failed_send_is_retried_with_backoff_and_given_up_after_six_attempts(
    booking, client_ny, clock
):
    row = _enqueue(booking, client_ny)
    at = NOW
    for attempt, wait in enumerate((1, 5, 15, 60, 240), start=1):
        clock.move_to(at)
        result = notifications_send_due(now=at, worker_id="w1", connection=Refusing())
        assert result.retried == 1
        row.refresh_from_db()
        assert row.status == "pending"
        assert row.attempts == attempt
        assert row.last_error == "SMTPServerDisconnected"
        assert row.due_at == at + wait * MIN
        assert row.claimed_at is None  # released: any worker may retry
        # not due before the backoff has passed
        assert notifications_send_due(now=row.due_at - MIN, worker_id="w2").claimed == 0
        at = row.due_at
    clock.move_to(at)
    assert notifications_send_due(now=at, worker_id="w1", connection=Refusing()).failed == 1
    row.refresh_from_db()
    assert row.status == "failed"
    assert row.attempts == 6
    assert notifications_send_due(now=at + dt.timedelta(days=1), worker_id="w1").claimed == 0


def test_a_retry_that_then_succeeds_is_sent(booking, client_ny, clock):
    row = _enqueue(booking, client_ny)
    notifications_send_due(now=NOW, worker_id="w1", connection=Refusing())
    clock.move_to(NOW + MIN)
    assert notifications_send_due(now=NOW + MIN, worker_id="w2").sent == 1
    row.refresh_from_db()
    assert row.status == "sent"
    assert row.attempts == 2
    assert row.last_error == "SMTPServerDisconnected"  # kept for the record
    assert len(mail.outbox) == 1


def test_a_message_that_cannot_be_built_counts_as_a_failed_attempt(booking, client_ny, monkeypatch):
    row = _enqueue(booking, client_ny)

    def broken(notification):
        raise ValueError(f"bad data for {client_ny.email}")

    monkeypatch.setattr("backrelief.scheduling.jobs.booking_email_build", broken)
    assert notifications_send_due(now=NOW, worker_id="w1").retried == 1
    row.refresh_from_db()
    assert row.attempts == 1
    assert row.last_error == "ValueError"
    assert row.claimed_at is None


def test_last_error_keeps_the_smtp_code_but_never_the_address(booking, client_ny):
    row = _enqueue(booking, client_ny)
    refused = smtplib.SMTPRecipientsRefused({client_ny.email: (550, b"No such user here")})
    notifications_send_due(now=NOW, worker_id="w1", connection=Refusing(refused))
    row.refresh_from_db()
    assert row.last_error == "SMTPRecipientsRefused"
    data_error = smtplib.SMTPDataError(451, f"greylisted {client_ny.email}".encode())
    notifications_send_due(now=row.due_at, worker_id="w1", connection=Refusing(data_error))
    row.refresh_from_db()
    assert row.last_error == "SMTPDataError 451"


def test_a_stop_request_finishes_the_message_in_hand_and_releases_the_rest(
    make_user, profile, clock
):
    rows = []
    for i in range(3):
        client = make_user("client")
        booking = make_booking(client, profile, start=START + dt.timedelta(hours=2 * i), now=NOW)
        rows.append(_enqueue(booking, client))
    asked = {"n": 0}

    def should_stop() -> bool:
        asked["n"] += 1
        return asked["n"] > 1  # SIGTERM arrives while the first message is being sent

    result = notifications_send_due(now=NOW, worker_id="w1", should_stop=should_stop)
    assert (result.claimed, result.sent, result.released) == (3, 1, 2)
    assert Notification.objects.filter(status="pending", claimed_at__isnull=True).count() == 2
    assert len(mail.outbox) == 1


def test_a_deactivated_recipient_gets_nothing(booking, client_ny):
    row = _enqueue(booking, client_ny)
    client_ny.is_active = False
    client_ny.save()
    assert notifications_send_due(now=NOW, worker_id="w1").voided == 1
    row.refresh_from_db()
    assert row.status == "voided"
    assert mail.outbox == []


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


HEALTH_WORDS = ("pain", "triage", "assessment", "red flag", "warning sign", "symptom", "diagnos")


def test_no_email_carries_health_details_of_the_clients_assessment(
    booking, client_ny, therapist, clock
):
    consent_give(user=client_ny, purpose=ConsentPurpose.HEALTH_DATA, now=NOW - MIN)
    assessment = assessment_create(
        owner=client_ny,
        raw=raw_input(red_flags=all_no(), regions={"NECK": 7, "LOWER_BACK": 5}),
        now=NOW,
    )
    _enqueue(booking, client_ny)
    _enqueue(booking, therapist)
    assert notifications_send_due(now=NOW, worker_id="w1").sent == 2
    later = NOW + dt.timedelta(hours=1)
    clock.move_to(later)
    Booking.objects.filter(pk=booking.pk).update(
        status="cancelled", cancelled_at=later, cancelled_by=client_ny, updated_at=later
    )
    _enqueue(booking, therapist, kind="booking_cancelled", now=later)
    assert notifications_send_due(now=later, worker_id="w1").sent == 1
    assert len(mail.outbox) == 3
    assessment_texts = {
        text
        for text in _strings([assessment.result, assessment.inputs])
        if len(text) >= 12 and "massage" not in text.lower() and not text.isupper()
    }
    assert assessment_texts  # the demo assessment says something
    for message in mail.outbox:
        content = " ".join([str(message.subject), _body(message), _html(message)])
        lowered = content.lower()
        for word in HEALTH_WORDS:
            assert word not in lowered, (word, message.subject)
        for text in assessment_texts:
            assert text not in content, text
