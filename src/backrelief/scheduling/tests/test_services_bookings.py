"""Booking services for reviews (issue 5 item 3): recording a completed session, the
therapist marking completed or no-show, who may, when, and the audit rows."""

from __future__ import annotations

import datetime as dt

import pytest

from backrelief.core.errors import Conflict, Invalid, NotFound
from backrelief.core.models import AuditEvent
from backrelief.scheduling.models import Booking
from backrelief.scheduling.services import (
    booking_mark_completed,
    booking_mark_no_show,
    booking_record_completed,
)
from backrelief.therapists.tests.factories import make_booking, make_profile, make_service

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
END = START + dt.timedelta(hours=1)
H = dt.timedelta(hours=1)
S = dt.timedelta(seconds=1)


def test_record_completed_stores_a_completed_session_ending_after_the_services_duration(
    client_user, therapist
):
    service = make_service(make_profile(therapist), duration_min=45)
    booking = booking_record_completed(
        client=client_user, service=service, start=START, now=START + 2 * H
    )
    assert booking.status == "completed"
    assert booking.end == START + dt.timedelta(minutes=45)
    assert booking.completed_at == START + 2 * H
    event = AuditEvent.objects.get(action="booking.completed")
    assert event.actor_public_id == therapist.public_id
    assert event.subject_public_id == client_user.public_id
    assert event.object_id == str(booking.public_id)


def test_record_completed_refuses_a_session_that_has_not_ended_and_stores_nothing(
    client_user, therapist
):
    service = make_service(make_profile(therapist))
    with pytest.raises(Invalid) as exc:
        booking_record_completed(client=client_user, service=service, start=START, now=START)
    assert "start" in exc.value.fields
    assert not Booking.objects.exists()
    assert not AuditEvent.objects.exists()


def test_record_completed_refuses_non_clients_and_retired_services(therapist, other_therapist):
    service = make_service(make_profile(therapist), active=False)
    with pytest.raises(Invalid) as exc:
        booking_record_completed(
            client=other_therapist, service=service, start=START, now=START + 2 * H
        )
    assert set(exc.value.fields) == {"client", "service"}
    assert not Booking.objects.exists()


def test_the_therapist_marks_a_started_session_completed_and_it_is_audited(client_user, therapist):
    booking = make_booking(client_user, make_profile(therapist), start=START)
    marked = booking_mark_completed(user=therapist, booking_id=booking.public_id, now=START)
    assert marked.status == "completed"
    assert marked.completed_at == START
    event = AuditEvent.objects.get(action="booking.completed")
    assert event.actor_public_id == therapist.public_id
    assert event.object_id == str(booking.public_id)


def test_a_session_cannot_be_marked_completed_before_it_starts(client_user, therapist):
    booking = make_booking(client_user, make_profile(therapist), start=START)
    with pytest.raises(Conflict) as exc:
        booking_mark_completed(user=therapist, booking_id=booking.public_id, now=START - S)
    assert exc.value.code == "booking_not_started"
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("status", ["completed", "no_show", "cancelled"])
def test_only_a_confirmed_session_can_be_marked(client_user, therapist, status):
    booking = make_booking(client_user, make_profile(therapist), start=START, status=status)
    for mark in (booking_mark_completed, booking_mark_no_show):
        with pytest.raises(Conflict) as exc:
            mark(user=therapist, booking_id=booking.public_id, now=END + H)
        assert exc.value.code == "booking_not_confirmed"
    booking.refresh_from_db()
    assert booking.status == status


@pytest.mark.parametrize("who", ["client_user", "other_client", "other_therapist", "staff_user"])
def test_nobody_but_the_bookings_therapist_can_mark_it(request, client_user, therapist, who):
    booking = make_booking(client_user, make_profile(therapist), start=START)
    user = request.getfixturevalue(who)
    for mark in (booking_mark_completed, booking_mark_no_show):
        with pytest.raises(NotFound):
            mark(user=user, booking_id=booking.public_id, now=END + H)
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_a_bad_booking_id_is_not_found(therapist):
    with pytest.raises(NotFound):
        booking_mark_completed(user=therapist, booking_id="not-a-uuid", now=START)


def test_no_show_is_allowed_from_the_end_until_12_hours_after(client_user, therapist):
    profile = make_profile(therapist)
    early = make_booking(client_user, profile, start=START)
    with pytest.raises(Conflict) as exc:
        booking_mark_no_show(user=therapist, booking_id=early.public_id, now=END - S)
    assert exc.value.code == "booking_not_ended"
    late = make_booking(client_user, profile, start=START + 2 * H)
    with pytest.raises(Conflict) as exc:
        booking_mark_no_show(user=therapist, booking_id=late.public_id, now=late.end + 12 * H)
    assert exc.value.code == "booking_auto_completed"
    marked = booking_mark_no_show(user=therapist, booking_id=early.public_id, now=END + 12 * H - S)
    assert marked.status == "no_show"
    event = AuditEvent.objects.get(action="booking.no_show")
    assert event.actor_public_id == therapist.public_id
    assert event.subject_public_id == client_user.public_id
    assert Booking.objects.get(pk=late.pk).status == "confirmed"


def test_an_auto_completed_session_can_still_be_marked_completed(client_user, therapist):
    booking = make_booking(client_user, make_profile(therapist), start=START)
    marked = booking_mark_completed(user=therapist, booking_id=booking.public_id, now=END + 20 * H)
    assert marked.status == "completed"
