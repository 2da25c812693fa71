"""booking_cancel and booking_reschedule (issue 6 item 6): who may, until when, the late
cancellation warning, each side told of the other's cancellation and move, an atomic move."""

from __future__ import annotations

from typing import Any

import pytest

from backrelief.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from backrelief.scheduling.models import Booking, Notification
from backrelief.scheduling.services_booking import (
    SlotTaken,
    booking_cancel,
    booking_create,
    booking_reschedule,
)
from backrelief.scheduling.tests.booking_helpers import NOW, SLOT, H, M, bookable, set_policy
from backrelief.therapists.tests.directory_helpers import make_assessment
from backrelief.therapists.tests.factories import make_booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(therapist):
    return bookable(therapist)


@pytest.fixture
def booking(client_user, offer):
    _, service = offer
    return booking_create(client=client_user, service_id=service.public_id, start=SLOT, now=NOW)


def _cancel(actor, booking, *, now=NOW, **extra):
    return booking_cancel(
        actor=actor, booking_id=booking.public_id, reason=extra.pop("reason", ""), now=now, **extra
    )


def test_a_client_cancels_ahead_of_the_cut_off_and_who_when_why_are_recorded(client_user, booking):
    cancelled = _cancel(client_user, booking, reason="  Travelling that week.  ")
    assert cancelled.status == "cancelled"
    assert cancelled.cancelled_by == client_user
    assert cancelled.cancelled_at == NOW
    assert cancelled.cancel_reason == "Travelling that week."
    assert cancelled.late_cancellation is False


def test_a_clients_cancellation_tells_the_therapist_and_not_the_client(
    client_user, therapist, booking
):
    _cancel(client_user, booking, reason="Travelling that week.")
    rows = Notification.objects.filter(kind="booking_cancelled")
    assert [(n.booking, n.recipient, n.status) for n in rows] == [(booking, therapist, "pending")]
    confirmations = Notification.objects.filter(kind="booking_confirmed")
    assert sorted(n.recipient.pk for n in confirmations) == sorted([client_user.pk, therapist.pk])


def test_inside_the_cut_off_a_client_is_warned_first_and_nothing_changes(client_user, booking):
    later = SLOT - 23 * H  # default cut-off: 24 hours
    with pytest.raises(Conflict) as caught:
        _cancel(client_user, booking, now=later)
    assert caught.value.code == "late_cancellation_confirm"
    assert "24 hours" in caught.value.message
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_a_client_who_confirms_cancels_late_and_is_marked_late(client_user, booking):
    cancelled = _cancel(client_user, booking, now=SLOT - 23 * H, confirm_late=True)
    assert cancelled.status == "cancelled"
    assert cancelled.late_cancellation is True


def test_exactly_at_the_cut_off_is_not_late(client_user, booking):
    assert _cancel(client_user, booking, now=SLOT - 24 * H).late_cancellation is False


def test_the_therapists_own_cut_off_applies(client_user, offer, booking):
    profile, _ = offer
    set_policy(profile, cancellation_cutoff_hours=48)
    with pytest.raises(Conflict) as caught:
        _cancel(client_user, booking, now=SLOT - 47 * H)
    assert "48 hours" in caught.value.message


def test_a_therapists_cancellation_is_never_late_and_tells_the_client(
    client_user, therapist, booking
):
    cancelled = _cancel(therapist, booking, now=SLOT - 2 * H, reason="Ill, sorry.")
    assert cancelled.status == "cancelled"
    assert cancelled.cancelled_by == therapist
    assert cancelled.late_cancellation is False
    # only the client hears of it: the therapist just did it
    note = Notification.objects.get(kind="booking_cancelled")
    assert (note.booking, note.recipient, note.status) == (cancelled, client_user, "pending")


@pytest.mark.parametrize("persona", ["other_client", "other_therapist", "staff_user"])
def test_anyone_else_gets_not_found(request, persona, booking):
    with pytest.raises(NotFound):
        _cancel(request.getfixturevalue(persona), booking)
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_a_session_that_has_started_cannot_be_cancelled(client_user, booking):
    with pytest.raises(Conflict) as caught:
        _cancel(client_user, booking, now=SLOT, confirm_late=True)
    assert caught.value.code == "booking_past"


def test_a_cancelled_session_cannot_be_cancelled_again(client_user, booking):
    _cancel(client_user, booking)
    with pytest.raises(Conflict) as caught:
        _cancel(client_user, booking)
    assert caught.value.code == "booking_cancelled"


def test_a_completed_session_cannot_be_cancelled(client_user, offer):
    profile, service = offer
    done = make_booking(client_user, profile, start=SLOT, service=service, status="completed")
    with pytest.raises(Conflict) as caught:
        _cancel(client_user, done)
    assert caught.value.code == "booking_not_changeable"


def test_a_reason_over_500_characters_is_refused(client_user, booking):
    with pytest.raises(Invalid) as caught:
        _cancel(client_user, booking, reason="x" * 501)
    assert caught.value.code == "reason_too_long"
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def _move(actor, booking, new_start, now=NOW):
    return booking_reschedule(
        actor=actor, booking_id=booking.public_id, new_start=new_start, now=now
    )


@pytest.mark.parametrize("who", ["client_user", "therapist"])
def test_rescheduling_cancels_the_old_and_creates_the_new_in_one_go(request, who, booking):
    actor = request.getfixturevalue(who)
    new = _move(actor, booking, SLOT + 24 * H)
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert booking.cancelled_by == actor
    assert booking.cancel_reason == "Rescheduled"
    assert booking.late_cancellation is False
    assert new.rescheduled_from == booking
    assert (new.start, new.end, new.status) == (SLOT + 24 * H, SLOT + 25 * H, "confirmed")
    assert new.client == booking.client
    assert new.client_time_zone == booking.client_time_zone
    told = {n.recipient for n in Notification.objects.filter(kind="booking_rescheduled")}
    assert not Notification.objects.filter(kind="booking_rescheduled").exclude(booking=new)
    # the client always (their confirmation of the new time); the therapist when the client
    # moved it — not about their own move
    expected = (
        {booking.client, booking.therapist.user} if who == "client_user" else {booking.client}
    )
    assert told == expected


def test_a_session_may_move_into_its_own_old_time(client_user, booking):
    new = _move(client_user, booking, SLOT + 30 * M)
    assert new.start == SLOT + 30 * M


def test_a_move_to_a_taken_slot_changes_nothing(client_user, other_client, offer, booking):
    _, service = offer
    other = booking_create(
        client=other_client, service_id=service.public_id, start=SLOT + 3 * H, now=NOW
    )
    with pytest.raises(SlotTaken):
        _move(client_user, booking, other.start)
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert Booking.objects.count() == 2
    assert not Notification.objects.filter(kind="booking_rescheduled").exists()


def test_a_move_outside_the_hours_changes_nothing(client_user, booking):
    with pytest.raises(Invalid) as caught:
        _move(client_user, booking, SLOT + 10 * H)
    assert caught.value.code == "slot_unavailable"
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert Booking.objects.count() == 1


def test_a_move_to_the_same_time_is_refused(client_user, booking):
    with pytest.raises(Invalid) as caught:
        _move(client_user, booking, SLOT)
    assert caught.value.code == "reschedule_same_time"


def test_a_move_follows_the_clients_current_assessment(client_user, booking):
    make_assessment(client_user, blocks_booking=True, created_at=NOW - H)
    with pytest.raises(PermissionDenied) as caught:
        _move(client_user, booking, SLOT + 24 * H)
    assert caught.value.code == "triage_blocks_booking"
    booking.refresh_from_db()
    assert booking.status == "confirmed"


@pytest.mark.parametrize("persona", ["other_client", "other_therapist", "staff_user"])
def test_nobody_else_can_move_a_booking(request, persona, booking):
    with pytest.raises(NotFound):
        _move(request.getfixturevalue(persona), booking, SLOT + 24 * H)
    assert Booking.objects.count() == 1


def test_a_started_session_cannot_be_moved(client_user, booking):
    with pytest.raises(Conflict) as caught:
        _move(client_user, booking, SLOT + 24 * H, now=SLOT + M)
    assert caught.value.code == "booking_past"


@pytest.mark.parametrize("blocks_booking", [True, False])
def test_a_therapists_move_never_reveals_or_depends_on_the_clients_assessment(
    therapist, client_user, booking, blocks_booking
):
    """The client's triage message and technique advice are health data the therapist may
    not see (PRODUCT.md: the intake is shared only with consent): moving the session they
    already have does not consult it, so no refusal can quote or hint at it."""
    avoid: list[dict[str, Any]] = [
        {"technique": "swedish", "action": "AVOID", "rank": None},
        {"technique": "shiatsu", "action": "CONSIDER", "rank": 1},
    ]
    make_assessment(
        client_user,
        blocks_booking=blocks_booking,
        techniques=None if blocks_booking else avoid,
        created_at=NOW - H,
    )
    new = _move(therapist, booking, SLOT + 24 * H)
    assert (new.start, new.status) == (SLOT + 24 * H, "confirmed")
    booking.refresh_from_db()
    assert booking.status == "cancelled"


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_therapist_must_give_a_reason_and_nothing_changes_without_one(therapist, booking, reason):
    """docs/rules.md: a client's reason is optional, a therapist's required — in the service,
    so the API cannot skip what the page form asks for."""
    with pytest.raises(Invalid) as caught:
        _cancel(therapist, booking, reason=reason)
    assert caught.value.code == "reason_required"
    assert list(caught.value.fields) == ["reason"]
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert not Notification.objects.filter(kind="booking_cancelled").exists()


def test_a_client_may_cancel_without_a_reason(client_user, booking):
    assert _cancel(client_user, booking, reason="").status == "cancelled"


def test_a_move_to_a_taken_slot_never_offers_the_sessions_own_time(
    client_user, other_client, offer, booking
):
    """The alternatives are computed while the session being moved counts as free (as in the
    move picker), so its neighbouring times are fair — but its own start would only be refused
    as 'already at this time'."""
    _, service = offer
    taken = booking_create(
        client=other_client, service_id=service.public_id, start=SLOT + 3 * H, now=NOW
    )
    late_evening = SLOT - 13 * H  # 12 h notice: the first free start is one hour before SLOT
    with pytest.raises(SlotTaken) as caught:
        _move(client_user, booking, taken.start, now=late_evening)
    alternatives = caught.value.alternatives
    assert len(alternatives) == 5
    assert SLOT not in alternatives
    assert alternatives[0] == SLOT - H
    booking.refresh_from_db()
    assert booking.status == "confirmed"
