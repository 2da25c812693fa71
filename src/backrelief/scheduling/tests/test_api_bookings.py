"""/api/v1/bookings (issue 6 items 4-6): booking with an Idempotency-Key (missing → 400, same
key and body → the first answer replayed, another body → 422), 409 "just taken" with
alternatives, listing, reading, cancelling and moving; the persona matrix and CSRF."""

from __future__ import annotations

import json
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from backrelief.accounts.tests.mfa_helpers import sign_in, sign_in_staff
from backrelief.scheduling.models import Booking, IdempotencyRecord
from backrelief.scheduling.services_booking import booking_create
from backrelief.scheduling.tests.booking_helpers import NOW, SLOT, H, bookable
from backrelief.therapists.tests.factories import make_booking

pytestmark = pytest.mark.django_db

URL = "/api/v1/bookings"
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


def _post(web, url, body=None, key=None):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return web.post(url, json.dumps(body or {}), content_type="application/json", headers=headers)


@pytest.fixture
def offer(therapist):
    return bookable(therapist)


def _body(service, start=SLOT, **extra):
    when = start if isinstance(start, str) else start.isoformat()
    return {"service_id": str(service.public_id), "start": when, **extra}


def test_a_client_books_and_gets_201_with_the_computed_end(client_user, offer):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        response = _post(_api(client_user), URL, _body(service), key="k-1")
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["status"] == "confirmed"
        assert data["start"] == "2026-03-04T09:00:00Z"
        assert data["end"] == "2026-03-04T10:00:00Z"
        assert Booking.objects.get().public_id == uuid.UUID(data["booking_id"])


def test_a_booking_without_an_idempotency_key_is_400_and_stores_nothing(client_user, offer):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        response = _post(_api(client_user), URL, _body(service))
        assert (response.status_code, response.json()["code"]) == (400, "idempotency_key_required")
        blank = _post(_api(client_user), URL, _body(service), key="   ")
        assert blank.status_code == 400
        assert Booking.objects.count() == 0
        assert IdempotencyRecord.objects.count() == 0


def test_the_same_key_and_body_replay_the_first_answer(client_user, offer):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        web = _api(client_user)
        first = _post(web, URL, _body(service), key="same")
        # the same body in another key order and spacing is the same request
        text = json.dumps({"start": SLOT.isoformat(), "service_id": str(service.public_id)})
        again = web.post(
            URL, text, content_type="application/json", headers={"Idempotency-Key": "same"}
        )
        assert again.status_code == first.status_code == 201
        assert again.json() == first.json()
        assert again["Idempotent-Replayed"] == "true"
        assert Booking.objects.count() == 1


def test_the_same_key_with_another_body_is_422_and_books_nothing(client_user, offer):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        web = _api(client_user)
        _post(web, URL, _body(service), key="k")
        other = _post(web, URL, _body(service, start=SLOT + 2 * H), key="k")
        assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
        assert Booking.objects.count() == 1


def test_the_same_instant_with_another_offset_is_the_same_request(client_user, offer):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        web = _api(client_user)
        first = _post(web, URL, _body(service), key="k")  # 09:00+00:00
        berlin = SLOT.astimezone(ZoneInfo("Europe/Berlin")).isoformat()  # 10:00+01:00
        again = _post(web, URL, _body(service, start=berlin), key="k")
        assert again.status_code == first.status_code == 201
        assert again["Idempotent-Replayed"] == "true"
        assert Booking.objects.count() == 1


def test_keys_are_per_user(client_user, other_client, offer):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        assert _post(_api(client_user), URL, _body(service), key="k").status_code == 201
        theirs = _post(_api(other_client), URL, _body(service, start=SLOT + 2 * H), key="k")
        assert theirs.status_code == 201
        assert Booking.objects.count() == 2


def test_a_taken_slot_is_409_with_alternatives_and_a_retry_replays_it(
    client_user, other_client, offer
):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        booking_create(client=other_client, service_id=service.public_id, start=SLOT, now=NOW)
        web = _api(client_user)
        taken = _post(web, URL, _body(service), key="try-1")
        assert taken.status_code == 409
        data = taken.json()
        assert data["code"] == "slot_taken"
        assert data["detail"] == "Just taken — choose another time."
        assert data["alternatives"]
        assert all(start.endswith("Z") for start in data["alternatives"])
        retry = _post(web, URL, _body(service), key="try-1")
        assert (retry.status_code, retry.json()) == (409, data)
        # a new key with one of the alternatives books it
        fresh = _post(web, URL, _body(service, start=data["alternatives"][0]), key="try-2")
        assert fresh.status_code == 201
        assert Booking.objects.count() == 2


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"start": (NOW - H).isoformat()}, 422, "start_in_past"),
        ({"start": (SLOT - 2 * H).isoformat()}, 422, "slot_unavailable"),
        ({"client_time_zone": "Mars/Olympus"}, 422, "unknown_time_zone"),
        ({"start": "2026-03-04T10:00:00"}, 422, "invalid"),  # no offset
        ({"end": "2026-03-04T08:00:00Z"}, 201, None),  # an end is ignored, never trusted
    ],
)
def test_bad_input_gets_a_specific_error_and_stores_no_booking(
    client_user, offer, body, status, code
):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        response = _post(_api(client_user), URL, {**_body(service), **body}, key="k")
        assert response.status_code == status, response.content
        if code is None:
            assert response.json()["end"] == "2026-03-04T10:00:00Z"
        else:
            assert response.json()["code"] == code
            assert Booking.objects.count() == 0


@pytest.mark.parametrize("who", ALL)
def test_only_clients_may_book(request, who, offer):
    _, service = offer
    user = _user(request, who)
    expected = {None: 401, "client": 201, "therapist": 403, "staff": 403}
    with time_machine.travel(NOW, tick=False):
        response = _post(_api(user), URL, _body(service), key="k")
        assert response.status_code == expected[user.role if user else None]


def test_booking_refuses_a_session_without_csrf(client_user, offer):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        response = _post(_api(client_user, csrf=True), URL, _body(service), key="k")
        assert response.status_code == 403
        assert Booking.objects.count() == 0


@pytest.fixture
def booked(client_user, offer):
    _, service = offer
    return booking_create(client=client_user, service_id=service.public_id, start=SLOT, now=NOW)


@pytest.mark.parametrize("who", ALL)
def test_a_booking_is_visible_to_its_client_and_therapist_only(request, who, booked):
    user = _user(request, who)
    expected = {"client_user": 200, "therapist": 200, "anonymous": 401}.get(who, 404)
    with time_machine.travel(NOW, tick=False):
        one = _api(user).get(f"{URL}/{booked.public_id}")
        assert one.status_code == expected
        listing = _api(user).get(URL)
        if user is None:
            assert listing.status_code == 401
        else:
            ids = [row["booking_id"] for row in listing.json()]
            assert ids == ([str(booked.public_id)] if expected == 200 else [])


def test_my_bookings_filter_upcoming_past_and_cancelled(client_user, offer, booked):
    profile, service = offer
    past = make_booking(client_user, profile, start=NOW - 48 * H, service=service)
    gone = make_booking(
        client_user, profile, start=SLOT + 24 * H, service=service, status="cancelled", now=NOW
    )
    with time_machine.travel(NOW, tick=False):
        web = _api(client_user)

        def ids(when):
            return [row["booking_id"] for row in web.get(URL, {"when": when}).json()]

        assert ids("upcoming") == [str(booked.public_id)]
        assert ids("past") == [str(past.public_id)]
        assert ids("cancelled") == [str(gone.public_id)]
        assert web.get(URL, {"when": "someday"}).status_code == 422


@pytest.mark.parametrize("who", ALL)
def test_cancel_persona_matrix(request, who, booked):
    user = _user(request, who)
    expected = {"client_user": 200, "therapist": 200, "anonymous": 401}.get(who, 404)
    with time_machine.travel(NOW, tick=False):
        response = _post(_api(user), f"{URL}/{booked.public_id}/cancel", {"reason": "Sorry"})
        assert response.status_code == expected
        booked.refresh_from_db()
        assert (booked.status == "cancelled") == (expected == 200)


def test_a_late_cancellation_is_warned_with_409_then_confirmed(client_user, booked):
    with time_machine.travel(SLOT - 2 * H, tick=False):
        web = _api(client_user)
        warned = _post(web, f"{URL}/{booked.public_id}/cancel", {})
        assert (warned.status_code, warned.json()["code"]) == (409, "late_cancellation_confirm")
        done = _post(web, f"{URL}/{booked.public_id}/cancel", {"confirm_late": True})
        assert done.status_code == 200
        assert done.json()["late_cancellation"] is True


def test_cancel_refuses_a_session_without_csrf(client_user, booked):
    with time_machine.travel(NOW, tick=False):
        response = _post(_api(client_user, csrf=True), f"{URL}/{booked.public_id}/cancel", {})
        assert response.status_code == 403
        booked.refresh_from_db()
        assert booked.status == "confirmed"


@pytest.mark.parametrize("who", ALL)
def test_reschedule_persona_matrix(request, who, booked):
    user = _user(request, who)
    expected = {"client_user": 201, "therapist": 201, "anonymous": 401}.get(who, 404)
    with time_machine.travel(NOW, tick=False):
        new_start = (SLOT + 24 * H).isoformat()
        response = _post(_api(user), f"{URL}/{booked.public_id}/reschedule", {"start": new_start})
        assert response.status_code == expected
        if expected == 201:
            assert response.json()["rescheduled_from"] == str(booked.public_id)
            assert response.json()["start"] == "2026-03-05T09:00:00Z"


def test_a_reschedule_to_a_taken_slot_is_409_with_alternatives(
    client_user, other_client, offer, booked
):
    _, service = offer
    other = booking_create(
        client=other_client, service_id=service.public_id, start=SLOT + 3 * H, now=NOW
    )
    with time_machine.travel(NOW, tick=False):
        response = _post(
            _api(client_user),
            f"{URL}/{booked.public_id}/reschedule",
            {"start": other.start.isoformat()},
        )
        assert (response.status_code, response.json()["code"]) == (409, "slot_taken")
        assert response.json()["alternatives"]
        booked.refresh_from_db()
        assert booked.status == "confirmed"


def test_reschedule_refuses_a_session_without_csrf(client_user, booked):
    with time_machine.travel(NOW, tick=False):
        response = _post(
            _api(client_user, csrf=True),
            f"{URL}/{booked.public_id}/reschedule",
            {"start": (SLOT + 24 * H).isoformat()},
        )
        assert response.status_code == 403


def test_a_therapist_cancelling_without_a_reason_gets_422_on_the_field(therapist, booked):
    with time_machine.travel(NOW, tick=False):
        response = _post(_api(therapist), f"{URL}/{booked.public_id}/cancel", {})
        assert response.status_code == 422
        assert response.json()["code"] == "reason_required"
        assert list(response.json()["fields"]) == ["reason"]
        booked.refresh_from_db()
        assert booked.status == "confirmed"


@pytest.mark.parametrize(
    ("start", "code"),
    [
        ("9999-12-31T23:00:00-05:00", "beyond_horizon"),  # year 10000 in UTC
        ("0001-01-01T00:00:00+05:00", "start_in_past"),  # year 0 in UTC
    ],
)
def test_a_start_outside_the_range_of_datetime_in_utc_is_refused_not_a_server_error(
    client_user, offer, start, code
):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        web = _api(client_user)
        response = _post(web, URL, _body(service, start=start), key="k")
        assert response.status_code == 422, response.content
        assert response.json()["code"] == code
        again = _post(web, URL, _body(service, start=start), key="k")
        assert again.status_code == 422
        assert again["Idempotent-Replayed"] == "true"
        assert Booking.objects.count() == 0
