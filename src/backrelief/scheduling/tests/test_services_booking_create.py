"""booking_create (issue 6 item 4): who may book what, when; the server computes the end and
the buffer; a taken slot is a friendly 409 with alternatives; bad input stores nothing."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest
import time_machine

from backrelief.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from backrelief.scheduling import services_booking
from backrelief.scheduling.models import Booking, Notification
from backrelief.scheduling.services_booking import SlotTaken, booking_create
from backrelief.scheduling.tests.booking_helpers import (
    NOW,
    SLOT,
    H,
    M,
    add_time_off,
    bookable,
    set_policy,
)
from backrelief.therapists.models import Licence
from backrelief.therapists.tests.directory_helpers import make_assessment
from backrelief.therapists.tests.factories import make_booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(therapist):
    return bookable(therapist)


def _book(client, service, start=SLOT, **extra):
    return booking_create(
        client=client, service_id=service.public_id, start=start, now=NOW, **extra
    )


def _nothing_stored():
    assert Booking.objects.count() == 0
    assert Notification.objects.count() == 0


def test_a_client_books_a_free_slot_and_the_server_computes_end_and_buffer(client_user, offer):
    profile, service = offer
    with time_machine.travel(NOW, tick=False):
        booking = _book(client_user, service)
        assert booking.therapist == profile
        assert booking.status == "confirmed"
        assert booking.start == SLOT
        assert booking.end == SLOT + H
        assert booking.blocked_until == SLOT + H + 10 * M
        assert booking.client_time_zone == client_user.time_zone
        assert booking.created_at == NOW
        # the client and the therapist each get a confirmation
        rows = Notification.objects.order_by("recipient_id")
        assert sorted((n.booking, n.kind, n.recipient.pk, n.status) for n in rows) == sorted(
            (booking, "booking_confirmed", person.pk, "pending")
            for person in (client_user, profile.user)
        )


def test_the_end_cannot_be_sent_so_it_can_never_be_before_the_start():
    assert "end" not in inspect.signature(booking_create).parameters


def test_the_clients_zone_is_stored_when_given(client_user, offer):
    _, service = offer
    booking = _book(client_user, service, client_time_zone="America/New_York")
    assert booking.client_time_zone == "America/New_York"


def test_an_unknown_zone_is_refused_and_stores_nothing(client_user, offer):
    _, service = offer
    with pytest.raises(Invalid) as caught:
        _book(client_user, service, client_time_zone="Mars/Olympus")
    assert caught.value.code == "unknown_time_zone"
    assert "client_time_zone" in caught.value.fields
    _nothing_stored()


@pytest.mark.parametrize("persona", ["therapist", "other_therapist", "staff_user"])
def test_only_client_accounts_can_book(request, persona, offer):
    _, service = offer
    with pytest.raises(PermissionDenied) as caught:
        _book(request.getfixturevalue(persona), service)
    assert caught.value.code == "clients_only"
    _nothing_stored()


@pytest.mark.parametrize("service_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_service_is_not_found(client_user, offer, service_id):
    with pytest.raises(NotFound) as caught:
        booking_create(client=client_user, service_id=service_id, start=SLOT, now=NOW)
    assert caught.value.code == "service_not_found"
    _nothing_stored()


def test_a_therapist_who_is_not_listed_cannot_be_booked(client_user, offer):
    profile, service = offer
    Licence.objects.filter(therapist=profile).update(expires_on=dt.date(2026, 3, 1))
    with pytest.raises(NotFound) as caught:
        _book(client_user, service)
    assert caught.value.code == "therapist_not_listed"
    _nothing_stored()


def test_a_retired_service_cannot_be_booked(client_user, offer):
    _, service = offer
    service.active = False
    service.save(update_fields=["active"])
    with pytest.raises(Invalid) as caught:
        _book(client_user, service)
    assert caught.value.code == "service_retired"
    _nothing_stored()


def test_a_latest_assessment_that_blocks_booking_refuses_with_the_triage_message(
    client_user, offer
):
    _, service = offer
    make_assessment(client_user, created_at=NOW - 50 * H)  # fine, but older
    make_assessment(client_user, blocks_booking=True, created_at=NOW - H)
    with pytest.raises(PermissionDenied) as caught:
        _book(client_user, service)
    assert caught.value.code == "triage_blocks_booking"
    assert caught.value.message == "Please speak to a doctor today."
    _nothing_stored()


def test_a_technique_the_assessment_marks_avoid_cannot_be_booked(client_user, therapist):
    _, service = bookable(therapist, technique="trigger_point")
    make_assessment(client_user, created_at=NOW - H)
    with pytest.raises(PermissionDenied) as caught:
        _book(client_user, service)
    assert caught.value.code == "technique_avoided"
    _nothing_stored()


def test_an_assessment_that_allows_the_technique_lets_the_client_book(client_user, offer):
    _, service = offer
    make_assessment(client_user, created_at=NOW - H)
    assert _book(client_user, service).status == "confirmed"


def test_consent_is_not_needed_to_book(client_user, offer):
    _, service = offer
    assert not client_user.consents.exists()
    assert _book(client_user, service).status == "confirmed"


@pytest.mark.parametrize(
    ("start", "code"),
    [
        (SLOT.replace(tzinfo=None), "start_not_aware"),
        (NOW - H, "start_in_past"),
        (NOW, "start_in_past"),
        (NOW + 11 * H, "inside_min_notice"),  # default notice: 12 hours
        (NOW + 61 * 24 * H, "beyond_horizon"),  # default horizon: 60 days
        (NOW + 60 * 24 * H, "beyond_horizon"),  # exactly at the horizon: slots stop before it
    ],
)
def test_a_start_that_breaks_a_time_rule_gets_a_specific_error(client_user, offer, start, code):
    _, service = offer
    with pytest.raises(Invalid) as caught:
        _book(client_user, service, start=start)
    assert caught.value.code == code
    assert "start" in caught.value.fields
    _nothing_stored()


def test_the_therapists_own_notice_and_horizon_apply(client_user, offer):
    profile, service = offer
    set_policy(profile, min_notice_minutes=3 * 24 * 60, horizon_days=7)
    with pytest.raises(Invalid) as caught:
        _book(client_user, service)  # 2 days ahead
    assert caught.value.code == "inside_min_notice"
    with pytest.raises(Invalid) as caught:
        _book(client_user, service, start=SLOT + 7 * 24 * H)
    assert caught.value.code == "beyond_horizon"
    _nothing_stored()


@pytest.mark.parametrize(
    "start",
    [
        SLOT - 2 * H,  # 08:00 Berlin, before the hours
        SLOT + 6 * H + 30 * M,  # 16:30 Berlin: a 60-minute session would end after 17:00
        SLOT + 3 * 24 * H,  # Saturday
    ],
)
def test_a_start_outside_the_working_hours_is_refused(client_user, offer, start):
    _, service = offer
    with pytest.raises(Invalid) as caught:
        _book(client_user, service, start=start)
    assert caught.value.code == "slot_unavailable"
    _nothing_stored()


def test_a_start_in_time_off_is_refused(client_user, offer):
    profile, service = offer
    add_time_off(profile, start=SLOT - H, end=SLOT + 3 * H)
    with pytest.raises(Invalid) as caught:
        _book(client_user, service)
    assert caught.value.code == "slot_unavailable"
    _nothing_stored()


def test_a_taken_slot_is_just_taken_with_fresh_alternatives(client_user, other_client, offer):
    _, service = offer
    taken = _book(other_client, service)
    with pytest.raises(SlotTaken) as caught:
        _book(client_user, service, start=SLOT + 30 * M)
    error = caught.value
    assert isinstance(error, Conflict)
    assert error.code == "slot_taken"
    assert error.message == "Just taken — choose another time."
    assert 0 < len(error.alternatives) <= 5
    for start in error.alternatives:
        assert start >= NOW
        assert start >= taken.blocked_until or start + H + 10 * M <= taken.start
    assert Booking.objects.get() == taken


def test_the_database_guard_answers_slot_taken_even_when_the_slot_check_is_fooled(
    client_user, other_client, offer, monkeypatch
):
    """A race the check cannot see (another transaction committed after it): the insert
    fails in the database and the answer is still a friendly 409, not a 500."""
    profile, service = offer
    make_booking(other_client, profile, start=SLOT, service=service)
    monkeypatch.setattr(services_booking.selectors_slots, "slot_is_free", lambda **_: True)
    with pytest.raises(SlotTaken):
        _book(client_user, service)
    assert Booking.objects.count() == 1
    assert Notification.objects.count() == 0


def test_a_cancelled_booking_does_not_take_the_slot(client_user, other_client, offer):
    profile, service = offer
    make_booking(other_client, profile, start=SLOT, service=service, status="cancelled", now=NOW)
    assert _book(client_user, service).start == SLOT


def test_the_next_session_may_start_when_the_buffer_ends(client_user, other_client, offer):
    _, service = offer
    first = _book(other_client, service)
    with pytest.raises(SlotTaken):
        _book(client_user, service, start=first.end)  # inside the 10-minute buffer
    # 11:15 is the next start on the 15-minute grid after 11:10
    assert _book(client_user, service, start=first.end + 15 * M).status == "confirmed"


def test_an_expired_hold_is_cancelled_and_no_longer_blocks(client_user, other_client, offer):
    profile, service = offer
    hold = make_booking(
        other_client, profile, start=SLOT, service=service, status="held", held_until=NOW - M
    )
    assert _book(client_user, service).start == SLOT
    hold.refresh_from_db()
    assert (hold.status, hold.cancelled_at) == ("cancelled", NOW)


def test_a_live_hold_blocks_the_slot(client_user, other_client, offer):
    profile, service = offer
    make_booking(
        other_client, profile, start=SLOT, service=service, status="held", held_until=NOW + M
    )
    with pytest.raises(SlotTaken):
        _book(client_user, service)
