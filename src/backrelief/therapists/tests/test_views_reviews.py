"""Review pages (issue 5 items 3 and 5): the persona matrix for every page, the review form
(rating 6, empty text, once, 12-hour auto-completion and the 90-day window with frozen time),
reporting, replies, marking sessions, the staff queue with audit rows, CSRF."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from backrelief.accounts.tests.mfa_helpers import sign_in, sign_in_staff
from backrelief.core.models import AuditEvent
from backrelief.scheduling.models import Booking
from backrelief.therapists.models import Review, ReviewReply, ReviewReport
from backrelief.therapists.tests.factories import (
    make_booking,
    make_listed_therapist,
    make_review,
    make_review_report,
)

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
END = START + dt.timedelta(hours=1)
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)
LATER = END + D
TEXT = "Friendly, careful and my shoulders felt better afterwards."
PERSONAS = ["client_user", "other_client", "therapist", "other_therapist", "staff_user"]


def _web(user=None, *, csrf=False):
    web = Client(enforce_csrf_checks=csrf)
    if user is not None:
        if user.role == "staff":
            sign_in_staff(web, user)
        else:
            sign_in(web, user)
    return web


@pytest.fixture
def world(client_user, other_client, therapist, other_therapist, staff_user):
    """The client had a completed session with `therapist`; `other_therapist` is listed too."""
    profile = make_listed_therapist(therapist)
    make_listed_therapist(other_therapist)
    booking = make_booking(client_user, profile, start=START, status="completed")
    return {"profile": profile, "booking": booking}


def _user(request, who):
    return None if who == "anonymous" else request.getfixturevalue(who)


# --- reviewable sessions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "sees_session"),
    [
        ("client_user", 200, True),
        ("other_client", 200, False),
        ("therapist", 200, False),
        ("other_therapist", 200, False),
        ("staff_user", 200, False),
        ("anonymous", 302, False),
    ],
)
def test_reviewable_sessions_show_only_your_own(request, world, who, status, sees_session):
    url = reverse("therapists:reviewable_sessions")
    new_url = reverse("therapists:review_new", args=[world["booking"].public_id])
    with time_machine.travel(LATER, tick=False):
        response = _web(_user(request, who)).get(url)
        assert response.status_code == status
        assert (new_url in response.content.decode()) is sees_session
        if who == "anonymous":
            assert response["Location"].startswith(reverse("accounts:login"))


def test_reviewable_sessions_list_reviews_you_wrote(client_user, world):
    make_review(world["booking"], text="Wonderful and attentive session.")
    with time_machine.travel(LATER, tick=False):
        body = _web(client_user).get(reverse("therapists:reviewable_sessions")).content.decode()
    assert "Wonderful and attentive session." in body
    assert "No sessions to review right now." in body


# --- the review form --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("client_user", 200),
        ("other_client", 404),
        ("therapist", 404),
        ("other_therapist", 404),
        ("staff_user", 404),
        ("anonymous", 302),
    ],
)
def test_review_form_is_for_the_sessions_client_only(request, world, who, status):
    url = reverse("therapists:review_new", args=[world["booking"].public_id])
    with time_machine.travel(LATER, tick=False):
        web = _web(_user(request, who))
        assert web.get(url).status_code == status
        post = web.post(url, {"rating": "5", "text": TEXT})
        assert post.status_code == (302 if who in ("client_user", "anonymous") else 404)
    assert Review.objects.count() == (1 if who == "client_user" else 0)


def test_review_form_is_accessible_and_name_is_hidden_by_default(client_user, world):
    url = reverse("therapists:review_new", args=[world["booking"].public_id])
    with time_machine.travel(LATER, tick=False):
        body = _web(client_user).get(url).content.decode()
    assert "<fieldset" in body
    assert "<legend>Your rating" in body
    assert body.count('type="radio" name="rating"') == 5
    assert 'name="show_name"' in body
    assert 'name="show_name" id="id_show_name" checked' not in body
    assert "tells everyone that you are this therapist" in body


def test_posting_a_review_publishes_it_and_redirects(client_user, world):
    url = reverse("therapists:review_new", args=[world["booking"].public_id])
    with time_machine.travel(LATER, tick=False):
        response = _web(client_user).post(
            url, {"rating": "4", "text": TEXT, "show_name": "on"}, follow=True
        )
        assert response.redirect_chain[-1][0] == reverse("therapists:reviewable_sessions")
        assert "Your review is published" in response.content.decode()
    review = Review.objects.get()
    assert (review.rating, review.show_name, review.created_at) == (4, True, LATER)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rating": "6", "text": TEXT}, "Choose a rating from 1 to 5 stars."),
        ({"rating": "0", "text": TEXT}, "Choose a rating from 1 to 5 stars."),
        ({"text": TEXT}, "Choose a rating from 1 to 5 stars."),
        ({"rating": "5", "text": ""}, "Write at least 10 characters."),
        ({"rating": "5", "text": "x" * 2001}, "Keep it to 2000 characters"),
    ],
)
def test_bad_review_input_shows_the_error_beside_the_field_and_stores_nothing(
    client_user, world, data, message
):
    url = reverse("therapists:review_new", args=[world["booking"].public_id])
    with time_machine.travel(LATER, tick=False):
        response = _web(client_user).post(url, data)
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body
    assert 'id="form-errors"' in body
    assert not Review.objects.exists()


def test_a_second_review_of_the_same_session_is_refused(client_user, world):
    make_review(world["booking"])
    url = reverse("therapists:review_new", args=[world["booking"].public_id])
    with time_machine.travel(LATER, tick=False):
        web = _web(client_user)
        page = web.get(url)
        assert page.status_code == 409
        assert "already reviewed" in page.content.decode()
        assert web.post(url, {"rating": "1", "text": TEXT}).status_code == 409
    assert Review.objects.count() == 1


def test_a_confirmed_session_can_be_reviewed_from_12_hours_after_its_end(client_user, world):
    booking = make_booking(client_user, world["profile"], start=START + 2 * D)
    url = reverse("therapists:review_new", args=[booking.public_id])
    with time_machine.travel(booking.end + 12 * H - dt.timedelta(seconds=1), tick=False):
        web = _web(client_user)
        page = web.get(url)
        assert page.status_code == 409
        assert "12 hours after its end" in page.content.decode()
        assert web.post(url, {"rating": "5", "text": TEXT}).status_code == 409
    with time_machine.travel(booking.end + 12 * H, tick=False):
        web = _web(client_user)
        assert web.get(url).status_code == 200
        assert web.post(url, {"rating": "5", "text": TEXT}).status_code == 302
    assert Review.objects.get().booking == booking


def test_the_review_window_closes_90_days_after_the_end(client_user, world):
    url = reverse("therapists:review_new", args=[world["booking"].public_id])
    with time_machine.travel(END + 90 * D, tick=False):
        assert _web(client_user).get(url).status_code == 200
    with time_machine.travel(END + 90 * D + dt.timedelta(seconds=1), tick=False):
        web = _web(client_user)
        page = web.get(url)
        assert page.status_code == 409
        assert "up to 90 days" in page.content.decode()
        assert web.post(url, {"rating": "5", "text": TEXT}).status_code == 409
    assert not Review.objects.exists()


@pytest.mark.parametrize("status", ["no_show", "cancelled"])
def test_no_show_and_cancelled_sessions_cannot_be_reviewed(client_user, world, status):
    booking = make_booking(client_user, world["profile"], start=START + D, status=status)
    url = reverse("therapists:review_new", args=[booking.public_id])
    with time_machine.travel(booking.end + D, tick=False):
        web = _web(client_user)
        assert web.get(url).status_code == 409
        assert web.post(url, {"rating": "5", "text": TEXT}).status_code == 409
    assert not Review.objects.exists()


def test_review_form_refuses_a_post_without_csrf(client_user, world):
    url = reverse("therapists:review_new", args=[world["booking"].public_id])
    with time_machine.travel(LATER, tick=False):
        assert (
            _web(client_user, csrf=True).post(url, {"rating": "5", "text": TEXT}).status_code == 403
        )
    assert not Review.objects.exists()


# --- reporting --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", PERSONAS)
def test_every_signed_in_persona_can_report_a_visible_review_once(request, world, who):
    review = make_review(world["booking"])
    url = reverse("therapists:review_report", args=[review.public_id])
    with time_machine.travel(LATER, tick=False):
        web = _web(request.getfixturevalue(who))
        assert web.get(url).status_code == 200
        response = web.post(url, {"reason": "offensive", "note": "Insulting"})
        assert response.status_code == 302
        again = web.get(url)
        assert "You have reported this review" in again.content.decode()
        assert web.post(url, {"reason": "fake"}).status_code == 409
    assert ReviewReport.objects.count() == 1
    assert AuditEvent.objects.filter(action="review.reported").count() == 1


def test_anonymous_visitors_are_sent_to_sign_in_to_report(world):
    review = make_review(world["booking"])
    url = reverse("therapists:review_report", args=[review.public_id])
    response = _web().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_report_without_a_reason_shows_an_error_and_stores_nothing(other_client, world):
    review = make_review(world["booking"])
    url = reverse("therapists:review_report", args=[review.public_id])
    with time_machine.travel(LATER, tick=False):
        response = _web(other_client).post(url, {"reason": "boring"})
    assert response.status_code == 422
    assert "Choose a reason from the list." in response.content.decode()
    assert not ReviewReport.objects.exists()


def test_a_hidden_review_cannot_be_reported(other_client, staff_user, world):
    review = make_review(world["booking"], hidden_by=staff_user)
    url = reverse("therapists:review_report", args=[review.public_id])
    with time_machine.travel(LATER, tick=False):
        assert _web(other_client).get(url).status_code == 404


# --- the therapist's reviews and replies ------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "sees"),
    [
        ("therapist", 200, True),
        ("other_therapist", 200, False),
        ("client_user", 404, False),
        ("other_client", 404, False),
        ("staff_user", 404, False),
        ("anonymous", 302, False),
    ],
)
def test_my_reviews_shows_the_therapists_own_reviews_hidden_ones_with_the_reason(
    request, world, staff_user, who, status, sees
):
    make_review(world["booking"], text="Visible review text here.")
    hidden_booking = make_booking(
        request.getfixturevalue("client_user"),
        world["profile"],
        start=START + D,
        status="completed",
    )
    make_review(hidden_booking, hidden_by=staff_user, hidden_reason="Names a medication")
    with time_machine.travel(LATER + D, tick=False):
        response = _web(_user(request, who)).get(reverse("therapists:my_reviews"))
    assert response.status_code == status
    body = response.content.decode()
    assert ("Visible review text here." in body) is sees
    assert ("Names a medication" in body) is sees


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("therapist", 302),
        ("other_therapist", 404),
        ("client_user", 404),
        ("other_client", 404),
        ("staff_user", 404),
        ("anonymous", 302),
    ],
)
def test_only_the_reviewed_therapist_can_reply(request, world, who, status):
    review = make_review(world["booking"])
    url = reverse("therapists:review_reply", args=[review.public_id])
    with time_machine.travel(LATER, tick=False):
        response = _web(_user(request, who)).post(url, {"text": "Thank you for coming."})
    assert response.status_code == status
    assert ReviewReply.objects.count() == (1 if who == "therapist" else 0)


def test_an_empty_reply_shows_the_error_beside_the_review(therapist, world):
    review = make_review(world["booking"])
    url = reverse("therapists:review_reply", args=[review.public_id])
    with time_machine.travel(LATER, tick=False):
        response = _web(therapist).post(url, {"text": "  "})
    assert response.status_code == 422
    assert "Write your reply." in response.content.decode()
    assert not ReviewReply.objects.exists()


def test_a_reply_can_be_edited_and_shows_publicly(therapist, world):
    review = make_review(world["booking"])
    url = reverse("therapists:review_reply", args=[review.public_id])
    with time_machine.travel(LATER, tick=False):
        web = _web(therapist)
        web.post(url, {"text": "Thanks!"})
        web.post(url, {"text": "Thank you, see you soon."})
        body = web.get(reverse("therapists:my_reviews")).content.decode()
    assert ReviewReply.objects.get().text == "Thank you, see you soon."
    assert "Edit your public reply" in body


# --- sessions to mark -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("therapist", 200),
        ("other_therapist", 200),
        ("client_user", 404),
        ("other_client", 404),
        ("staff_user", 404),
        ("anonymous", 302),
    ],
)
def test_sessions_to_mark_page_is_for_therapists(request, world, who, status):
    booking = make_booking(
        request.getfixturevalue("client_user"), world["profile"], start=START + D
    )
    with time_machine.travel(booking.end + H, tick=False):
        response = _web(_user(request, who)).get(reverse("therapists:my_sessions"))
    assert response.status_code == status
    shown = reverse("therapists:session_no_show", args=[booking.public_id])
    assert (shown in response.content.decode()) is (who == "therapist")


@pytest.mark.parametrize("name", ["session_complete", "session_no_show"])
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("therapist", 302),
        ("other_therapist", 404),
        ("client_user", 404),
        ("other_client", 404),
        ("staff_user", 404),
        ("anonymous", 302),
    ],
)
def test_only_the_bookings_therapist_marks_it(request, world, name, who, status):
    booking = make_booking(
        request.getfixturevalue("client_user"), world["profile"], start=START + D
    )
    with time_machine.travel(booking.end + H, tick=False):
        response = _web(_user(request, who)).post(
            reverse(f"therapists:{name}", args=[booking.public_id])
        )
    assert response.status_code == status
    booking.refresh_from_db()
    expected = {"session_complete": "completed", "session_no_show": "no_show"}[name]
    assert booking.status == (expected if who == "therapist" else "confirmed")


def test_a_late_no_show_is_refused_with_a_message(therapist, client_user, world):
    booking = make_booking(client_user, world["profile"], start=START + D)
    url = reverse("therapists:session_no_show", args=[booking.public_id])
    with time_machine.travel(booking.end + 13 * H, tick=False):
        response = _web(therapist).post(url, follow=True)
        assert "counts as completed" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"


def test_marking_refuses_a_post_without_csrf(therapist, client_user, world):
    booking = make_booking(client_user, world["profile"], start=START + D)
    url = reverse("therapists:session_complete", args=[booking.public_id])
    with time_machine.travel(booking.end + H, tick=False):
        assert _web(therapist, csrf=True).post(url).status_code == 403


# --- staff moderation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("staff_user", 200),
        ("client_user", 404),
        ("other_client", 404),
        ("therapist", 404),
        ("other_therapist", 404),
        ("anonymous", 302),
    ],
)
def test_the_staff_queue_is_for_staff_only(request, world, other_client, who, status):
    review = make_review(world["booking"], text="Reported review text.")
    make_review_report(review, other_client, note="Looks fake to me")
    with time_machine.travel(LATER, tick=False):
        response = _web(_user(request, who)).get(reverse("therapists:staff_reviews"))
    assert response.status_code == status
    assert ("Looks fake to me" in response.content.decode()) is (who == "staff_user")


def test_staff_without_two_factor_are_sent_to_set_it_up(staff_user, world):
    web = Client()
    sign_in(web, staff_user)
    response = web.get(reverse("therapists:staff_reviews"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:mfa_setup")


def test_reviews_with_open_reports_come_first(client_user, other_client, staff_user, world):
    old = make_review(world["booking"], text="Older review with an open report.")
    new_booking = make_booking(client_user, world["profile"], start=START + D, status="completed")
    new = make_review(new_booking, text="Newer review, reports resolved.", now=LATER + D)
    make_review_report(old, other_client)
    make_review_report(new, other_client, resolved_at=LATER, resolved_by=staff_user)
    with time_machine.travel(LATER + 2 * D, tick=False):
        body = _web(staff_user).get(reverse("therapists:staff_reviews")).content.decode()
    assert body.index("Older review with an open report.") < body.index("Newer review")


@pytest.mark.parametrize("who", ["client_user", "other_client", "therapist", "other_therapist"])
def test_non_staff_cannot_hide_unhide_or_dismiss(request, world, other_client, who):
    review = make_review(world["booking"])
    make_review_report(review, other_client)
    web = _web(request.getfixturevalue(who))
    for name, data in (
        ("review_hide", {"reason": "x"}),
        ("review_unhide", {}),
        ("review_dismiss_reports", {}),
    ):
        assert (
            web.post(reverse(f"therapists:{name}", args=[review.public_id]), data).status_code
            == 404
        )
    review.refresh_from_db()
    assert review.hidden_at is None
    assert not AuditEvent.objects.filter(action__startswith="review.").exists()


def test_staff_hide_show_again_and_dismiss_with_audit_rows(
    staff_user, other_client, world, client_user
):
    review = make_review(world["booking"])
    make_review_report(review, other_client)
    profile = world["profile"]
    with time_machine.travel(LATER, tick=False):
        web = _web(staff_user)
        hide = reverse("therapists:review_hide", args=[review.public_id])
        missing = web.post(hide, {"reason": ""})
        assert missing.status_code == 422
        assert "Write your reason." in missing.content.decode()
        assert web.post(hide, {"reason": "Reveals a diagnosis"}).status_code == 302
        profile.refresh_from_db()
        assert (profile.review_count, profile.review_sum) == (0, 0)
        assert web.post(hide, {"reason": "Again"}).status_code == 409
        unhide = reverse("therapists:review_unhide", args=[review.public_id])
        assert web.post(unhide).status_code == 302
        profile.refresh_from_db()
        assert (profile.review_count, profile.review_sum) == (1, 5)
        make_review_report(review, client_user)
        dismiss = reverse("therapists:review_dismiss_reports", args=[review.public_id])
        assert web.post(dismiss).status_code == 302
    actions = list(
        AuditEvent.objects.filter(object_id=str(review.public_id))
        .order_by("id")
        .values_list("action", "actor_public_id")
    )
    assert actions == [
        ("review.hidden", staff_user.public_id),
        ("review.unhidden", staff_user.public_id),
        ("review.reports_dismissed", staff_user.public_id),
    ]


def test_staff_actions_refuse_a_post_without_csrf(staff_user, world):
    review = make_review(world["booking"])
    web = _web(staff_user, csrf=True)
    response = web.post(reverse("therapists:review_hide", args=[review.public_id]), {"reason": "x"})
    assert response.status_code == 403
    review.refresh_from_db()
    assert review.hidden_at is None


def test_a_therapist_without_a_profile_yet_gets_404_on_my_reviews(therapist):
    assert _web(therapist).get(reverse("therapists:my_reviews")).status_code == 404


# --- the reviews on the public profile --------------------------------------------------------


def test_the_public_profile_shows_reviews_pages_without_js_and_report_links_when_signed_in(
    client_user, world
):
    for i in range(11):
        booking = make_booking(
            client_user, world["profile"], start=START + (i + 1) * D, status="completed"
        )
        make_review(booking, text=f"Review number {i:02d} of a good session.")
    url = reverse("therapists:profile_public", args=[world["profile"].public_id])
    with time_machine.travel(START + 30 * D, tick=False):
        first = _web().get(url).content.decode()
        second = _web().get(url, {"review_page": "2"}).content.decode()
        signed_in = _web(client_user).get(url).content.decode()
    assert "5.0 from 11 reviews" in first
    assert "Review number 10" in first
    assert "Review number 00" not in first
    assert "Review number 00" in second
    assert 'href="?review_page=2#reviews"' in first
    assert 'hx-select="#reviews"' in first
    assert "/report/" not in first
    assert "/report/" in signed_in
    assert "Cleo Client" not in first


@pytest.mark.parametrize("reviews", [1, 8])
def test_review_pages_take_a_fixed_number_of_queries(
    client_user, other_client, therapist, staff_user, world, reviews, django_assert_max_num_queries
):
    """Session, user and MFA lookups plus the page's own reads; the same for 1 or 8 reviews."""
    from backrelief.therapists.models import ReviewReply

    for i in range(reviews):
        booking = make_booking(
            client_user, world["profile"], start=START + (i + 1) * D, status="completed"
        )
        review = make_review(booking)
        make_review_report(review, other_client)
        ReviewReply.objects.create(review=review, text="Thanks", created_at=END, updated_at=END)
    pages = [
        (therapist, "therapists:my_reviews", 8),
        (staff_user, "therapists:staff_reviews", 10),
        (client_user, "therapists:reviewable_sessions", 8),
    ]
    with time_machine.travel(START + 30 * D, tick=False):
        for user, name, limit in pages:
            web = _web(user)
            with django_assert_max_num_queries(limit):
                assert web.get(reverse(name)).status_code == 200
