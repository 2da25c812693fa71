"""The review API under /api/v1/therapists and /api/v1/bookings (issue 5 items 3 and 5): the
persona matrix for every operation, public output without the author's identity, errors
naming the field (rating 6), CSRF on every write."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client

from backrelief.accounts.tests.mfa_helpers import sign_in, sign_in_staff
from backrelief.core.models import AuditEvent
from backrelief.therapists.models import Review, ReviewReply, ReviewReport
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
D = dt.timedelta(days=1)
LATER = END + D
URL = "/api/v1/therapists"
TEXT = "Friendly, careful and my shoulders felt better afterwards."
ALL = ["client_user", "other_client", "therapist", "other_therapist", "staff_user", "anonymous"]


def _api(user=None, *, csrf=False):
    web = Client(enforce_csrf_checks=csrf)
    if user is not None:
        if user.role == "staff":
            sign_in_staff(web, user)
        else:
            sign_in(web, user)
    return web


def _user(request, who):
    return None if who == "anonymous" else request.getfixturevalue(who)


def _post(web, url, body=None):
    return web.post(url, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def world(client_user, therapist, other_therapist):
    profile = make_listed_therapist(therapist)
    make_listed_therapist(other_therapist)
    booking = make_booking(client_user, profile, start=START, status="completed")
    return {"profile": profile, "booking": booking}


# --- public list ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ALL)
def test_public_reviews_of_a_listed_therapist_are_open_to_everyone(request, world, who):
    make_review(world["booking"], rating=4)
    with time_machine.travel(LATER, tick=False):
        response = _api(_user(request, who)).get(f"{URL}/{world['profile'].public_id}/reviews")
    assert response.status_code == 200
    body = response.json()
    assert body["rating"]["summary"] == "4.0 from 1 review"
    assert body["rating"]["bayesian"] == pytest.approx(44 / 11, abs=1e-3)
    assert body["count"] == 1
    assert body["items"][0]["author_label"].startswith("Client ")


def test_public_output_never_carries_the_authors_identity_unless_show_name(client_user, world):
    make_review(world["booking"])
    shown = make_booking(client_user, world["profile"], start=START + D, status="completed")
    make_review(shown, show_name=True, now=LATER + D)
    with time_machine.travel(LATER + 2 * D, tick=False):
        raw = _api().get(f"{URL}/{world['profile'].public_id}/reviews").content.decode()
    assert client_user.email not in raw
    assert str(client_user.public_id) not in raw
    assert raw.count("Cleo Client") == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("therapist", 200),
        ("staff_user", 200),
        ("client_user", 404),
        ("other_therapist", 404),
        ("anonymous", 404),
    ],
)
def test_reviews_of_an_unlisted_therapist_are_404_except_for_owner_and_staff(
    request, therapist, client_user, who, status
):
    profile = make_profile(therapist)  # no verified licence
    make_review(make_booking(client_user, profile, start=START, status="completed"))
    with time_machine.travel(LATER, tick=False):
        response = _api(_user(request, who)).get(f"{URL}/{profile.public_id}/reviews")
    assert response.status_code == status


def test_public_reviews_page_by_ten(client_user, world):
    for i in range(11):
        booking = make_booking(
            client_user, world["profile"], start=START + (i + 1) * D, status="completed"
        )
        make_review(booking)
    with time_machine.travel(START + 30 * D, tick=False):
        web = _api()
        first = web.get(f"{URL}/{world['profile'].public_id}/reviews").json()
        second = web.get(f"{URL}/{world['profile'].public_id}/reviews?page=2").json()
        assert web.get(f"{URL}/{world['profile'].public_id}/reviews?page=0").status_code == 422
    assert (len(first["items"]), len(second["items"]), first["num_pages"]) == (10, 1, 2)


# --- reviewable and create --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "count"),
    [
        ("client_user", 200, 1),
        ("other_client", 200, 0),
        ("therapist", 200, 0),
        ("other_therapist", 200, 0),
        ("staff_user", 200, 0),
        ("anonymous", 401, 0),
    ],
)
def test_reviewable_sessions_are_your_own(request, world, who, status, count):
    with time_machine.travel(LATER, tick=False):
        response = _api(_user(request, who)).get(f"{URL}/reviews/reviewable")
    assert response.status_code == status
    if status == 200:
        assert len(response.json()) == count
    if count:
        row = response.json()[0]
        assert row["booking_id"] == str(world["booking"].public_id)
        assert row["review_closes_at"].startswith("2026-05-31T10:00:00")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("client_user", 201),
        ("other_client", 404),
        ("therapist", 404),
        ("other_therapist", 404),
        ("staff_user", 404),
        ("anonymous", 401),
    ],
)
def test_only_the_sessions_client_creates_a_review(request, world, who, status):
    body = {"booking_id": str(world["booking"].public_id), "rating": 5, "text": TEXT}
    with time_machine.travel(LATER, tick=False):
        response = _post(_api(_user(request, who)), f"{URL}/reviews", body)
    assert response.status_code == status, response.content
    assert Review.objects.count() == (1 if status == 201 else 0)
    if status == 201:
        out = response.json()
        assert out["show_name"] is False
        assert out["author_label"].startswith("Client ")


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"rating": 6}, 422, "rating"),
        ({"rating": 0}, 422, "rating"),
        ({"text": ""}, 422, "text"),
        ({"text": "x" * 2001}, 422, "text"),
        ({"rating": "five"}, 422, "rating"),
        ({"booking_id": "nope"}, 422, "booking_id"),
    ],
)
def test_bad_review_input_names_the_field_and_stores_nothing(
    client_user, world, change, status, field
):
    body = {"booking_id": str(world["booking"].public_id), "rating": 5, "text": TEXT, **change}
    with time_machine.travel(LATER, tick=False):
        response = _post(_api(client_user), f"{URL}/reviews", body)
    assert response.status_code == status
    assert field in response.json()["fields"]
    assert not Review.objects.exists()


def test_rating_6_gets_the_services_message(client_user, world):
    body = {"booking_id": str(world["booking"].public_id), "rating": 6, "text": TEXT}
    with time_machine.travel(LATER, tick=False):
        response = _post(_api(client_user), f"{URL}/reviews", body)
    assert response.json()["fields"] == {"rating": ["Choose a rating from 1 to 5 stars."]}


def test_a_second_review_and_an_unfinished_session_are_409(client_user, world):
    pending = make_booking(client_user, world["profile"], start=START + 2 * D)
    with time_machine.travel(pending.end + 11 * H, tick=False):
        web = _api(client_user)
        body = {"booking_id": str(world["booking"].public_id), "rating": 5, "text": TEXT}
        assert _post(web, f"{URL}/reviews", body).status_code == 201
        again = _post(web, f"{URL}/reviews", body)
        assert (again.status_code, again.json()["code"]) == (409, "review_exists")
        early = _post(web, f"{URL}/reviews", {**body, "booking_id": str(pending.public_id)})
        assert (early.status_code, early.json()["code"]) == (409, "awaiting_completion")
    with time_machine.travel(pending.end + 12 * H, tick=False):
        web = _api(client_user)
        body = {"booking_id": str(pending.public_id), "rating": 4, "text": TEXT}
        assert _post(web, f"{URL}/reviews", body).status_code == 201


# --- reply, report ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("therapist", 200),
        ("other_therapist", 404),
        ("client_user", 403),
        ("other_client", 403),
        ("staff_user", 403),
        ("anonymous", 401),
    ],
)
def test_only_the_reviewed_therapist_replies(request, world, who, status):
    review = make_review(world["booking"])
    with time_machine.travel(LATER, tick=False):
        response = _api(_user(request, who)).put(
            f"{URL}/reviews/{review.public_id}/reply",
            json.dumps({"text": "Thank you!"}),
            content_type="application/json",
        )
    assert response.status_code == status
    assert ReviewReply.objects.count() == (1 if status == 200 else 0)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("client_user", 201),
        ("other_client", 201),
        ("therapist", 201),
        ("other_therapist", 201),
        ("staff_user", 201),
        ("anonymous", 401),
    ],
)
def test_anyone_signed_in_reports_a_visible_review_once(request, world, who, status):
    review = make_review(world["booking"])
    url = f"{URL}/reviews/{review.public_id}/report"
    with time_machine.travel(LATER, tick=False):
        web = _api(_user(request, who))
        response = _post(web, url, {"reason": "fake"})
        assert response.status_code == status
        if status == 201:
            assert _post(web, url, {"reason": "fake"}).status_code == 409
            assert _post(web, url, {"reason": "boring"}).status_code == 422
    assert ReviewReport.objects.count() == (1 if status == 201 else 0)


# --- staff moderation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("staff_user", 200),
        ("client_user", 403),
        ("other_client", 403),
        ("therapist", 403),
        ("other_therapist", 403),
        ("anonymous", 401),
    ],
)
def test_the_reported_list_is_for_staff(request, world, other_client, who, status):
    review = make_review(world["booking"])
    make_review_report(review, other_client, note="Fake")
    with time_machine.travel(LATER, tick=False):
        response = _api(_user(request, who)).get(f"{URL}/reviews/reported")
    assert response.status_code == status
    if status == 200:
        (row,) = response.json()
        assert row["open_reports"] == 1
        assert row["reports"][0]["note"] == "Fake"


@pytest.mark.parametrize("who", ["client_user", "other_client", "therapist", "other_therapist"])
def test_non_staff_get_403_on_moderation(request, world, other_client, who):
    review = make_review(world["booking"])
    make_review_report(review, other_client)
    web = _api(request.getfixturevalue(who))
    for action, body in (("hide", {"reason": "x"}), ("unhide", {}), ("dismiss-reports", {})):
        assert _post(web, f"{URL}/reviews/{review.public_id}/{action}", body).status_code == 403
    review.refresh_from_db()
    assert review.hidden_at is None


def test_anonymous_get_401_on_moderation(world):
    review = make_review(world["booking"])
    for action in ("hide", "unhide", "dismiss-reports"):
        assert _post(_api(), f"{URL}/reviews/{review.public_id}/{action}").status_code == 401


def test_staff_hide_unhide_and_dismiss_through_the_api_with_audit_rows(
    staff_user, other_client, world
):
    review = make_review(world["booking"])
    make_review_report(review, other_client)
    base = f"{URL}/reviews/{review.public_id}"
    with time_machine.travel(LATER, tick=False):
        web = _api(staff_user)
        missing = _post(web, f"{base}/hide", {"reason": " "})
        assert (missing.status_code, list(missing.json()["fields"])) == (422, ["reason"])
        hidden = _post(web, f"{base}/hide", {"reason": "Reveals a diagnosis"})
        assert hidden.status_code == 200
        assert hidden.json()["hidden"] is True
        assert _post(web, f"{base}/hide", {"reason": "Again"}).status_code == 409
        public = web.get(f"{URL}/{world['profile'].public_id}/reviews").json()
        assert public["count"] == 0
        assert public["rating"]["summary"] == "No reviews yet"
        assert _post(web, f"{base}/unhide").json()["hidden"] is False
        assert _post(web, f"{base}/dismiss-reports").status_code == 409  # resolved by hiding
        make_review_report(review, world["booking"].client)
        dismissed = _post(web, f"{base}/dismiss-reports")
        assert dismissed.json() == {"review_id": str(review.public_id), "resolved": 1}
    assert list(
        AuditEvent.objects.filter(object_id=str(review.public_id))
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["review.hidden", "review.unhidden", "review.reports_dismissed"]


def test_every_review_write_refuses_a_session_without_csrf(client_user, staff_user, world):
    review = make_review(world["booking"])
    client_web = _api(client_user, csrf=True)
    body = {"booking_id": str(world["booking"].public_id), "rating": 5, "text": TEXT}
    assert _post(client_web, f"{URL}/reviews", body).status_code == 403
    assert (
        _post(
            client_web, f"{URL}/reviews/{review.public_id}/report", {"reason": "fake"}
        ).status_code
        == 403
    )
    staff_web = _api(staff_user, csrf=True)
    assert (
        _post(staff_web, f"{URL}/reviews/{review.public_id}/hide", {"reason": "x"}).status_code
        == 403
    )
    assert not ReviewReport.objects.exists()


# --- bookings: complete / no-show -------------------------------------------------------------


@pytest.mark.parametrize("action", ["complete", "no-show"])
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("therapist", 200),
        ("other_therapist", 404),
        ("client_user", 404),
        ("other_client", 404),
        ("staff_user", 404),
        ("anonymous", 401),
    ],
)
def test_only_the_bookings_therapist_marks_it_through_the_api(
    request, world, client_user, action, who, status
):
    booking = make_booking(client_user, world["profile"], start=START + D)
    with time_machine.travel(booking.end + H, tick=False):
        response = _post(
            _api(_user(request, who)), f"/api/v1/bookings/{booking.public_id}/{action}"
        )
    assert response.status_code == status
    booking.refresh_from_db()
    if status == 200:
        assert (
            response.json()["status"]
            == booking.status
            == {"complete": "completed", "no-show": "no_show"}[action]
        )
    else:
        assert booking.status == "confirmed"


def test_marking_too_early_or_too_late_is_409(therapist, client_user, world):
    booking = make_booking(client_user, world["profile"], start=START + D)
    with time_machine.travel(booking.start - H, tick=False):
        early = _post(_api(therapist), f"/api/v1/bookings/{booking.public_id}/complete")
        assert (early.status_code, early.json()["code"]) == (409, "booking_not_started")
    with time_machine.travel(booking.end + 12 * H, tick=False):
        late = _post(_api(therapist), f"/api/v1/bookings/{booking.public_id}/no-show")
        assert (late.status_code, late.json()["code"]) == (409, "booking_auto_completed")


def test_marking_refuses_a_session_without_csrf(therapist, client_user, world):
    booking = make_booking(client_user, world["profile"], start=START + D)
    with time_machine.travel(booking.end + H, tick=False):
        web = _api(therapist, csrf=True)
        assert _post(web, f"/api/v1/bookings/{booking.public_id}/complete").status_code == 403
