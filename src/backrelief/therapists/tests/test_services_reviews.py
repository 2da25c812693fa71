"""Review services (issue 5 item 3): only the client of a completed session reviews it, once,
inside the window; bad input stores nothing; replies, reports and moderation with audit rows;
the profile counters and the Bayesian figure follow every change."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backrelief.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from backrelief.core.models import AuditEvent
from backrelief.therapists.models import Review, ReviewReply, ReviewReport
from backrelief.therapists.rating import rating_of
from backrelief.therapists.services.reviews import (
    review_create,
    review_hide,
    review_reply_set,
    review_report,
    review_reports_dismiss,
    review_unhide,
)
from backrelief.therapists.tests.factories import (
    make_booking,
    make_listed_therapist,
    make_profile,
    make_review,
    make_review_report,
)

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
END = START + dt.timedelta(hours=1)
H = dt.timedelta(hours=1)
S = dt.timedelta(seconds=1)
D = dt.timedelta(days=1)
TEXT = "Friendly, careful and my shoulders felt better afterwards."


@pytest.fixture
def profile(therapist):
    return make_listed_therapist(therapist)


@pytest.fixture
def booking(client_user, profile):
    return make_booking(client_user, profile, start=START, status="completed")


def _create(author, booking, **kw):
    args: dict[str, Any] = {"rating": 5, "text": TEXT, "now": END + D}
    args.update(kw)
    return review_create(author=author, booking_id=booking.public_id, **args)


def _counters(profile):
    profile.refresh_from_db()
    return profile.review_count, profile.review_sum


def _nothing_stored(profile):
    assert not Review.objects.exists()
    assert _counters(profile) == (0, 0)
    assert not AuditEvent.objects.filter(action="review.created").exists()


# --- creating ----------------------------------------------------------------------------------


def test_the_client_of_a_completed_session_reviews_it_under_a_pseudonym_by_default(
    client_user, profile, booking
):
    review = _create(client_user, booking, rating=4, text=f"  {TEXT}  ")
    assert review.author == client_user
    assert review.therapist == profile
    assert review.text == TEXT
    assert review.show_name is False
    assert _counters(profile) == (1, 4)
    event = AuditEvent.objects.get(action="review.created")
    assert event.actor_public_id == client_user.public_id
    assert event.subject_public_id == profile.user.public_id
    assert event.object_id == str(review.public_id)


def test_the_author_may_choose_to_show_their_name(client_user, booking):
    assert _create(client_user, booking, show_name=True).show_name is True


def test_a_session_can_be_reviewed_only_once(client_user, profile, booking):
    _create(client_user, booking)
    with pytest.raises(Conflict) as exc:
        _create(client_user, booking, rating=1)
    assert exc.value.code == "review_exists"
    assert Review.objects.count() == 1
    assert _counters(profile) == (1, 5)


@pytest.mark.parametrize("rating", [6, 0, -1, 100, "5", 4.5, True, None])
def test_a_rating_outside_1_to_5_whole_stars_is_refused_on_the_rating_field(
    client_user, profile, booking, rating
):
    with pytest.raises(Invalid) as exc:
        _create(client_user, booking, rating=rating)
    assert exc.value.fields == {"rating": ["Choose a rating from 1 to 5 stars."]}
    _nothing_stored(profile)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write at least 10 characters."),
        ("          ", "Write at least 10 characters."),
        ("Too short", "Write at least 10 characters."),
        ("x" * 2001, "Keep it to 2000 characters (now 2001)."),
        (None, "Write at least 10 characters."),
    ],
)
def test_review_text_must_be_10_to_2000_characters(client_user, profile, booking, text, message):
    with pytest.raises(Invalid) as exc:
        _create(client_user, booking, text=text)
    assert exc.value.fields == {"text": [message]}
    _nothing_stored(profile)


def test_text_of_exactly_10_and_2000_characters_is_accepted(client_user, profile):
    a = make_booking(client_user, profile, start=START, status="completed")
    b = make_booking(client_user, profile, start=START + D, status="completed")
    assert len(_create(client_user, a, text="x" * 10, now=START + 3 * D).text) == 10
    assert len(_create(client_user, b, text="y" * 2000, now=START + 3 * D).text) == 2000


@pytest.mark.parametrize("who", ["other_client", "therapist", "other_therapist", "staff_user"])
def test_nobody_but_the_bookings_client_can_review_it(request, profile, booking, who):
    with pytest.raises(NotFound):
        _create(request.getfixturevalue(who), booking)
    _nothing_stored(profile)


def test_an_unknown_booking_is_not_found(client_user, profile):
    with pytest.raises(NotFound):
        review_create(author=client_user, booking_id="nope", rating=5, text=TEXT, now=START)


@pytest.mark.parametrize(
    ("status", "now", "code"),
    [
        ("no_show", END + D, "no_show"),
        ("cancelled", END + D, "cancelled"),
        ("confirmed", START + 30 * dt.timedelta(minutes=1), "not_ended"),
        ("confirmed", END + 12 * H - S, "awaiting_completion"),
        ("completed", END + 90 * D + S, "window_closed"),
        ("confirmed", END + 90 * D + S, "window_closed"),
    ],
)
def test_sessions_not_completed_or_outside_the_window_cannot_be_reviewed(
    client_user, profile, status, now, code
):
    booking = make_booking(client_user, profile, start=START, status=status)
    with pytest.raises(Conflict) as exc:
        _create(client_user, booking, now=now)
    assert exc.value.code == code
    _nothing_stored(profile)


def test_a_confirmed_session_counts_as_completed_exactly_12_hours_after_its_end(
    client_user, profile
):
    booking = make_booking(client_user, profile, start=START)
    assert _create(client_user, booking, now=END + 12 * H).booking == booking


def test_reviews_are_accepted_until_exactly_90_days_after_the_end(client_user, profile, booking):
    assert _create(client_user, booking, now=END + 90 * D) is not None


def test_the_window_follows_the_setting(client_user, profile, booking, settings):
    settings.REVIEW_WINDOW_DAYS = 7
    with pytest.raises(Conflict) as exc:
        _create(client_user, booking, now=END + 7 * D + S)
    assert "7 days" in exc.value.message


# --- replies -----------------------------------------------------------------------------------


def test_the_reviewed_therapist_replies_once_and_can_edit_the_reply(therapist, booking):
    review = make_review(booking)
    first = review_reply_set(user=therapist, review_id=review.public_id, text=" Thanks! ", now=END)
    second = review_reply_set(
        user=therapist, review_id=review.public_id, text="Thank you.", now=END + D
    )
    assert first.pk == second.pk
    assert ReviewReply.objects.get().text == "Thank you."
    assert second.created_at == END
    assert second.updated_at == END + D


@pytest.mark.parametrize(
    ("text", "field_message"), [("  ", "Write your reply."), ("x" * 1001, None)]
)
def test_a_reply_must_be_1_to_1000_characters(therapist, booking, text, field_message):
    review = make_review(booking)
    with pytest.raises(Invalid) as exc:
        review_reply_set(user=therapist, review_id=review.public_id, text=text, now=END)
    assert "text" in exc.value.fields
    if field_message:
        assert exc.value.fields["text"] == [field_message]
    assert not ReviewReply.objects.exists()


def test_another_therapist_cannot_reply_and_others_are_refused(
    booking, other_therapist, client_user, staff_user
):
    make_profile(other_therapist)
    review = make_review(booking)
    with pytest.raises(NotFound):
        review_reply_set(user=other_therapist, review_id=review.public_id, text="Hi", now=END)
    for user in (client_user, staff_user):
        with pytest.raises(PermissionDenied):
            review_reply_set(user=user, review_id=review.public_id, text="Hi", now=END)
    assert not ReviewReply.objects.exists()


# --- reports -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["other_client", "client_user", "therapist", "other_therapist"])
def test_anyone_signed_in_who_sees_the_review_can_report_it_once(request, booking, who):
    review = make_review(booking)
    user = request.getfixturevalue(who)
    report = review_report(
        user=user, review_id=review.public_id, reason="offensive", note=" rude ", now=END + D
    )
    assert (report.reporter, report.reason, report.note) == (user, "offensive", "rude")
    event = AuditEvent.objects.get(action="review.reported")
    assert event.actor_public_id == user.public_id
    assert event.object_id == str(review.public_id)
    with pytest.raises(Conflict) as exc:
        review_report(user=user, review_id=review.public_id, reason="fake", now=END + 2 * D)
    assert exc.value.code == "report_exists"
    assert ReviewReport.objects.count() == 1


def test_a_report_needs_a_known_reason_and_a_short_note(other_client, booking):
    review = make_review(booking)
    with pytest.raises(Invalid) as exc:
        review_report(user=other_client, review_id=review.public_id, reason="boring", now=END)
    assert "reason" in exc.value.fields
    with pytest.raises(Invalid) as exc:
        review_report(
            user=other_client, review_id=review.public_id, reason="other", note="x" * 501, now=END
        )
    assert "note" in exc.value.fields
    assert not ReviewReport.objects.exists()
    assert not AuditEvent.objects.filter(action="review.reported").exists()


def test_hidden_reviews_and_reviews_of_unlisted_therapists_cannot_be_reported_by_others(
    client_user, other_client, therapist, other_therapist, staff_user
):
    hidden = make_review(
        make_booking(
            client_user, make_listed_therapist(therapist), start=START, status="completed"
        ),
        hidden_by=staff_user,
    )
    unlisted_profile = make_profile(other_therapist)  # no licence: not listed
    unlisted = make_review(
        make_booking(client_user, unlisted_profile, start=START, status="completed")
    )
    for review in (hidden, unlisted):
        with pytest.raises(NotFound):
            review_report(user=other_client, review_id=review.public_id, reason="fake", now=END)
    # The unlisted therapist may still report a review of themselves.
    review_report(user=other_therapist, review_id=unlisted.public_id, reason="fake", now=END)


# --- moderation --------------------------------------------------------------------------------


def test_staff_hide_a_review_with_a_reason_it_leaves_the_rating_and_reports_are_resolved(
    client_user, other_client, staff_user, profile, booking
):
    review = _create(client_user, booking, rating=1)
    _create(
        client_user,
        make_booking(client_user, profile, start=START + D, status="completed"),
        rating=5,
    )
    make_review_report(review, other_client, now=END + D)
    assert _counters(profile) == (2, 6)
    hidden = review_hide(
        staff=staff_user, review_id=review.public_id, reason=" Health details ", now=END + 2 * D
    )
    assert hidden.hidden_at == END + 2 * D
    assert hidden.hidden_by == staff_user
    assert hidden.hidden_reason == "Health details"
    assert _counters(profile) == (1, 5)
    assert rating_of(count=1, total=5).bayesian == pytest.approx(45 / 11)
    report = ReviewReport.objects.get()
    assert (report.resolved_at, report.resolved_by) == (END + 2 * D, staff_user)
    event = AuditEvent.objects.get(action="review.hidden")
    assert event.actor_public_id == staff_user.public_id
    assert event.subject_public_id == profile.user.public_id
    assert event.object_id == str(review.public_id)


def test_hiding_needs_a_reason_and_stores_nothing_without_one(staff_user, profile, booking):
    review = make_review(booking)
    with pytest.raises(Invalid) as exc:
        review_hide(staff=staff_user, review_id=review.public_id, reason="   ", now=END)
    assert exc.value.fields == {"reason": ["Write your reason."]}
    review.refresh_from_db()
    assert review.hidden_at is None
    assert _counters(profile) == (1, 5)
    assert not AuditEvent.objects.filter(action="review.hidden").exists()


def test_hiding_a_hidden_review_is_a_conflict_and_counts_once(staff_user, profile, booking):
    review = make_review(booking, rating=3)
    review_hide(staff=staff_user, review_id=review.public_id, reason="Spam", now=END)
    with pytest.raises(Conflict) as exc:
        review_hide(staff=staff_user, review_id=review.public_id, reason="Spam", now=END)
    assert exc.value.code == "review_hidden"
    assert _counters(profile) == (0, 0)
    assert AuditEvent.objects.filter(action="review.hidden").count() == 1


def test_unhiding_restores_the_counters_and_is_audited(staff_user, profile, booking):
    review = make_review(booking, rating=3)
    review_hide(staff=staff_user, review_id=review.public_id, reason="Spam", now=END)
    shown = review_unhide(staff=staff_user, review_id=review.public_id, now=END + H)
    assert (shown.hidden_at, shown.hidden_by, shown.hidden_reason) == (None, None, "")
    assert _counters(profile) == (1, 3)
    assert AuditEvent.objects.filter(action="review.unhidden").count() == 1
    with pytest.raises(Conflict) as exc:
        review_unhide(staff=staff_user, review_id=review.public_id, now=END + H)
    assert exc.value.code == "review_not_hidden"
    assert _counters(profile) == (1, 3)


def test_dismissing_reports_resolves_them_keeps_the_review_and_is_audited(
    staff_user, other_client, therapist, profile, booking
):
    review = make_review(booking)
    make_review_report(review, other_client)
    make_review_report(review, therapist)
    assert review_reports_dismiss(staff=staff_user, review_id=review.public_id, now=END) == 2
    review.refresh_from_db()
    assert review.hidden_at is None
    assert not ReviewReport.objects.filter(resolved_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="review.reports_dismissed").count() == 1
    with pytest.raises(Conflict) as exc:
        review_reports_dismiss(staff=staff_user, review_id=review.public_id, now=END)
    assert exc.value.code == "no_open_reports"


@pytest.mark.parametrize("who", ["client_user", "other_client", "therapist", "other_therapist"])
def test_only_staff_moderate(request, booking, profile, who):
    review = make_review(booking)
    make_review_report(review, request.getfixturevalue("other_client"))
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        review_hide(staff=user, review_id=review.public_id, reason="No", now=END)
    with pytest.raises(PermissionDenied):
        review_unhide(staff=user, review_id=review.public_id, now=END)
    with pytest.raises(PermissionDenied):
        review_reports_dismiss(staff=user, review_id=review.public_id, now=END)
    review.refresh_from_db()
    assert review.hidden_at is None
    assert _counters(profile) == (1, 5)


def test_moderating_an_unknown_review_is_not_found(staff_user):
    with pytest.raises(NotFound):
        review_hide(
            staff=staff_user, review_id="00000000-0000-0000-0000-000000000000", reason="x", now=END
        )
