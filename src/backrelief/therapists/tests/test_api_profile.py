"""/api/v1/therapists profile, photo, services and experience (issue 5 items 1 and 5): the
persona matrix, 422 naming the field with nothing stored, CSRF on session writes, public
profiles 404 unless listed."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from PIL import Image

from backrelief.accounts.services.tokens import token_create
from backrelief.accounts.tests.mfa_helpers import sign_in, sign_in_staff
from backrelief.assessment.models import Assessment
from backrelief.therapists.models import Service, TechniqueExperience, TherapistProfile
from backrelief.therapists.tests.factories import (
    make_certification,
    make_experience,
    make_licence,
    make_profile,
    make_service,
)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/therapists"
NOW = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)
PERSONAS = ["anonymous", "client_user", "other_client", "other_therapist", "therapist", "staff"]


@pytest.fixture(autouse=True)
def _frozen(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(NOW, tick=False):
        yield


def _as(request, persona) -> Client:
    client = Client()
    if persona == "anonymous":
        return client
    if persona == "staff":
        sign_in_staff(client, request.getfixturevalue("staff_user"))
    else:
        sign_in(client, request.getfixturevalue(persona))
    return client


def _json(client, method, url, body: Any = None, **extra):
    return client.generic(
        method,
        url,
        data="" if body is None else __import__("json").dumps(body),
        content_type="application/json",
        **extra,
    )


# --- /me: who may --------------------------------------------------------------------------


SERVICE = {"technique": "swedish", "duration_min": 60, "price": "70", "currency": "EUR"}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/me/profile", None),
        ("POST", "/me/profile", {"display_name": "X", "languages": ["en"]}),
        ("PATCH", "/me/profile", {}),
        ("GET", "/me/services", None),
        ("POST", "/me/services", SERVICE),
        ("DELETE", "/me/photo", None),
        ("PUT", "/me/experience", {"years": {}}),
    ],
)
@pytest.mark.parametrize("persona", ["client_user", "staff"])
def test_non_therapists_get_403_on_me(request, persona, method, path, body):
    response = _json(_as(request, persona), method, BASE + path, body)
    assert response.status_code == 403
    assert response.json()["code"] == "therapist_only"


def test_anonymous_gets_401_on_me():
    assert Client().get(f"{BASE}/me/profile").status_code == 401


def test_a_therapist_without_a_profile_gets_404_no_profile(request):
    response = _as(request, "therapist").get(f"{BASE}/me/profile")
    assert response.status_code == 404
    assert response.json()["code"] == "no_profile"


# --- profile -------------------------------------------------------------------------------


def test_create_read_and_patch_my_profile(request, therapist):
    client = _as(request, "therapist")
    response = _json(
        client, "POST", f"{BASE}/me/profile", {"display_name": "Anna", "languages": ["en", "fr"]}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["languages"] == ["en", "fr"]
    assert body["listed"] is False
    assert "no verified licence yet" in body["listing_problem"]
    assert "Add at least one service with its price." in body["missing"]
    assert (
        _json(
            client, "POST", f"{BASE}/me/profile", {"display_name": "B", "languages": ["en"]}
        ).json()["code"]
        == "profile_exists"
    )
    response = _json(
        client,
        "PATCH",
        f"{BASE}/me/profile",
        {
            "latitude": 48.85,
            "longitude": 2.35,
            "address": "Paris",
            "mobile": True,
            "travel_radius_km": 9,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["latitude"], body["mobile"], body["travel_radius_km"]) == (48.85, True, 9)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"latitude": 95.0, "longitude": 2.0}, "latitude"),
        ({"longitude": 200.0}, "longitude"),
        ({"languages": []}, "languages"),
        ({"languages": ["xx"]}, "languages"),
        ({"time_zone": "Nowhere/City"}, "time_zone"),
        ({"in_clinic": False}, "in_clinic"),
        ({"mobile": True}, "travel_radius_km"),
        ({"display_name": ""}, "display_name"),
        ({"unknown_field": 1}, "unknown_field"),
        ({"latitude": "north"}, "latitude"),
    ],
)
def test_bad_profile_patches_are_422_naming_the_field_and_store_nothing(
    request, therapist, body, field
):
    profile = make_profile(therapist)
    response = _json(
        _as(request, "therapist"), "PATCH", f"{BASE}/me/profile", {"bio": "new", **body}
    )
    assert response.status_code == 422
    assert field in response.json()["fields"]
    profile.refresh_from_db()
    assert profile.bio == "Calm, careful sessions for back and neck pain."
    assert profile.latitude == 52.52


def test_coordinates_out_of_range_say_so(request, therapist):
    make_profile(therapist)
    response = _json(_as(request, "therapist"), "PATCH", f"{BASE}/me/profile", {"latitude": -91.0})
    assert "coordinates out of range" in response.json()["fields"]["latitude"][0]


# --- photo ---------------------------------------------------------------------------------


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (5, 5, 5)).save(out, format="PNG")
    return out.getvalue()


def test_upload_and_delete_my_photo(request, therapist):
    from django.core.files.uploadedfile import SimpleUploadedFile

    profile = make_profile(therapist)
    client = _as(request, "therapist")
    response = client.post(
        f"{BASE}/me/photo", {"photo": SimpleUploadedFile("a.png", _png(), "image/png")}
    )
    assert response.status_code == 200, response.content
    profile.refresh_from_db()
    assert response.json()["photo_url"].endswith(f"?v={profile.photo_name[:-4]}")
    assert client.delete(f"{BASE}/me/photo").status_code == 204
    profile.refresh_from_db()
    assert profile.photo_name == ""


def test_a_text_file_as_photo_is_422_and_stores_nothing(request, therapist):
    from django.core.files.uploadedfile import SimpleUploadedFile

    profile = make_profile(therapist)
    response = _as(request, "therapist").post(
        f"{BASE}/me/photo", {"photo": SimpleUploadedFile("a.jpg", b"hello", "image/jpeg")}
    )
    assert response.status_code == 422
    assert "not an image" in response.json()["fields"]["photo"][0]
    profile.refresh_from_db()
    assert profile.photo_name == ""


# --- services ------------------------------------------------------------------------------


def test_services_create_list_patch_retire(request, therapist):
    make_profile(therapist)
    client = _as(request, "therapist")
    response = _json(
        client,
        "POST",
        f"{BASE}/me/services",
        {"technique": "swedish", "duration_min": 60, "price": "69.50", "currency": "EUR"},
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["price"], created["price_minor"], created["currency"]) == ("69.50", 6950, "EUR")
    sid = created["public_id"]
    response = _json(client, "PATCH", f"{BASE}/me/services/{sid}", {"price": "75"})
    assert response.json()["price_minor"] == 7500
    assert [s["public_id"] for s in client.get(f"{BASE}/me/services").json()] == [sid]
    assert client.delete(f"{BASE}/me/services/{sid}").status_code == 204
    assert client.get(f"{BASE}/me/services").json() == []
    assert _json(client, "PATCH", f"{BASE}/me/services/{sid}", {"price": "1"}).status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"price": "-1"}, "price"),
        ({"price": 12.5}, "price"),  # a float is refused: money is a decimal string
        ({"technique": "reiki"}, "technique"),
        ({"duration_min": 5}, "duration_min"),
        ({"currency": "XYZ"}, "currency"),
    ],
)
def test_bad_services_are_422_naming_the_field_and_store_nothing(request, therapist, body, field):
    make_profile(therapist)
    data = {"technique": "swedish", "duration_min": 60, "price": "70", "currency": "EUR", **body}
    response = _json(_as(request, "therapist"), "POST", f"{BASE}/me/services", data)
    assert response.status_code == 422
    assert field in response.json()["fields"]
    assert not Service.objects.exists()


def test_a_duplicate_service_is_409(request, therapist):
    make_service(make_profile(therapist), technique="swedish", duration_min=60)
    data = {"technique": "swedish", "duration_min": 60, "price": "70", "currency": "EUR"}
    response = _json(_as(request, "therapist"), "POST", f"{BASE}/me/services", data)
    assert response.status_code == 409
    assert response.json()["code"] == "service_duplicate"


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_another_therapists_service_is_404(request, therapist, other_therapist, method):
    make_profile(therapist)
    theirs = make_service(make_profile(other_therapist))
    response = _json(
        _as(request, "therapist"), method, f"{BASE}/me/services/{theirs.public_id}", {"price": "1"}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.active
    assert theirs.price_minor == 7000


# --- experience ----------------------------------------------------------------------------


def test_put_experience_replaces_and_marks_verified(request, therapist):
    profile = make_profile(therapist)
    make_experience(profile, technique="hot_stone", years=1)
    make_certification(profile, technique="swedish", status="verified")
    response = _json(
        _as(request, "therapist"),
        "PUT",
        f"{BASE}/me/experience",
        {"years": {"swedish": 8, "shiatsu": 2}},
    )
    assert response.status_code == 200, response.content
    assert response.json() == [
        {"technique": "swedish", "years": 8, "verified": True},
        {"technique": "shiatsu", "years": 2, "verified": False},
    ]


def test_bad_experience_is_422_and_stores_nothing(request, therapist):
    profile = make_profile(therapist)
    make_experience(profile, technique="hot_stone", years=1)
    response = _json(
        _as(request, "therapist"), "PUT", f"{BASE}/me/experience", {"years": {"reiki": 3}}
    )
    assert response.status_code == 422
    assert "years.reiki" in response.json()["fields"]
    assert list(TechniqueExperience.objects.values_list("technique", "years")) == [("hot_stone", 1)]


# --- public profile ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("listed", [True, False])
def test_public_profile_matrix(request, therapist, persona, listed):
    profile = make_profile(therapist)
    make_service(profile)
    make_licence(profile, status="verified" if listed else "pending")
    client = _as(request, persona)
    profile_response = client.get(f"{BASE}/{profile.public_id}")
    services_response = client.get(f"{BASE}/{profile.public_id}/services")
    visible = listed or persona in ("therapist", "staff")
    assert profile_response.status_code == (200 if visible else 404)
    assert services_response.status_code == (200 if visible else 404)
    if visible:
        assert profile_response.json()["display_name"] == "Theo Therapist"
        assert "listing_problem" not in profile_response.json()
        assert services_response.json()[0]["price"] == "70.00"


def test_public_services_leave_out_avoid_techniques_for_that_client(
    request, therapist, client_user
):
    profile = make_profile(therapist)
    make_licence(profile, status="verified")
    make_service(profile, technique="deep_tissue")
    make_service(profile, technique="swedish")
    Assessment.objects.create(
        owner=client_user,
        created_at=NOW,
        assessed_on=NOW.date(),
        inputs={},
        result={"techniques": [{"technique": "deep_tissue", "action": "AVOID"}]},
        versions={},
        triage_level="NONE_REPORTED",
    )
    mine = _as(request, "client_user").get(f"{BASE}/{profile.public_id}/services").json()
    assert [s["technique"] for s in mine] == ["swedish"]
    anyone = Client().get(f"{BASE}/{profile.public_id}/services").json()
    assert [s["technique"] for s in anyone] == ["deep_tissue", "swedish"]


def test_an_unknown_or_malformed_id_is_404():
    assert Client().get(f"{BASE}/00000000-0000-0000-0000-000000000000").status_code == 404
    assert Client().get(f"{BASE}/not-a-uuid").status_code == 404


# --- CSRF and tokens -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", "/me/profile", {"bio": "forged"}),
        (
            "POST",
            "/me/services",
            {"technique": "swedish", "duration_min": 30, "price": "1", "currency": "EUR"},
        ),
        ("DELETE", "/me/photo", None),
        ("PUT", "/me/experience", {"years": {"swedish": 1}}),
    ],
)
def test_session_writes_without_csrf_are_refused(therapist, method, path, body):
    profile = make_profile(therapist)
    client = Client(enforce_csrf_checks=True)
    sign_in(client, therapist)
    response = _json(client, method, BASE + path, body)
    assert response.status_code == 403
    profile.refresh_from_db()
    assert profile.bio == "Calm, careful sessions for back and neck pain."
    assert not Service.objects.exists()
    assert not TechniqueExperience.objects.exists()


def test_a_session_write_with_csrf_and_a_token_write_are_accepted(therapist):
    make_profile(therapist)
    client = Client(enforce_csrf_checks=True)
    sign_in(client, therapist)
    client.get("/accounts/profile/")
    token = client.cookies["csrftoken"].value
    response = _json(
        client, "PATCH", f"{BASE}/me/profile", {"bio": "by session"}, HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200
    _row, raw = token_create(user=therapist, name="script", expires_at=None, now=timezone.now())
    response = _json(
        Client(enforce_csrf_checks=True),
        "PATCH",
        f"{BASE}/me/profile",
        {"bio": "by token"},
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200
    assert TherapistProfile.objects.get().bio == "by token"
