"""GET and PATCH /api/v1/me: personas, strict input (422 with fields), CSRF, tokens."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from backrelief.accounts.models import User
from backrelief.accounts.services.tokens import token_create
from backrelief.accounts.tests.mfa_helpers import enable_mfa, sign_in
from backrelief.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is the production hasher (settings); these tests are about flows, not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


ME = "/api/v1/me"
PERSONAS = ["client_user", "other_client", "therapist", "other_therapist", "staff_user"]
FIELDS = {
    "public_id",
    "email",
    "role",
    "display_name",
    "country",
    "time_zone",
    "locale",
    "email_verified",
    "mfa_enabled",
}


def signed_in_as(request, persona: str) -> tuple[Client, User]:
    user = request.getfixturevalue(persona)
    client = Client()
    if user.role == "staff":
        enable_mfa(user)
        sign_in(client, user, mfa_verified=True)
    else:
        sign_in(client, user)
    return client, user


def patch(client: Client, body: object, **extra):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.patch(ME, data=data, content_type="application/json", **extra)


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_reads_their_own_account(request, persona):
    client, user = signed_in_as(request, persona)
    response = client.get(ME)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == FIELDS
    assert body["public_id"] == str(user.public_id)
    assert body["email"] == user.email
    assert body["role"] == user.role
    assert body["email_verified"] is True
    assert body["mfa_enabled"] is (user.role == "staff")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_changes_only_their_own_profile(request, persona, client_user):
    client, user = signed_in_as(request, persona)
    response = patch(client, {"display_name": f"Renamed {persona}", "country": "nz"})
    assert response.status_code == 200, response.content
    assert response.json()["display_name"] == f"Renamed {persona}"
    assert response.json()["country"] == "NZ"
    user.refresh_from_db()
    assert user.display_name == f"Renamed {persona}"
    if user != client_user:
        client_user.refresh_from_db()
        assert client_user.display_name == "Cleo Client"


def test_anonymous_callers_get_401(client):
    assert client.get(ME).status_code == 401
    assert patch(client, {"display_name": "x"}).status_code == 401


def test_a_partial_patch_leaves_other_fields_alone(client, client_user):
    sign_in(client, client_user)
    response = patch(client, {"time_zone": "America/Los_Angeles"})
    assert response.status_code == 200
    client_user.refresh_from_db()
    assert client_user.time_zone == "America/Los_Angeles"
    assert client_user.display_name == "Cleo Client"
    row = AuditEvent.objects.get(action="profile.changed")
    assert row.object_id == "time_zone"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param({"display_name": "n" * 81}, "display_name", id="oversized-name"),
        pytest.param({"display_name": None}, "display_name", id="null-name"),
        pytest.param({"display_name": 7}, "display_name", id="number-name"),
        pytest.param({"display_name": "nul\u0000"}, "display_name", id="nul-character"),
        pytest.param({"country": "DEU"}, "country", id="three-letter-country"),
        pytest.param({"country": "QQ"}, "country", id="unassigned-country"),
        pytest.param({"time_zone": "Mars/Base"}, "time_zone", id="unknown-zone"),
        pytest.param({"time_zone": "z" * 65}, "time_zone", id="oversized-zone"),
        pytest.param({"locale": "fr"}, "locale", id="unknown-language"),
        pytest.param({"role": "staff"}, "role", id="role-is-not-writable"),
        pytest.param({"email": "new@example.test"}, "email", id="email-is-not-writable"),
    ],
)
def test_bad_input_is_422_with_field_details_and_nothing_is_stored(
    client, client_user, body, field
):
    sign_in(client, client_user)
    response = patch(client, {"country": "SE"} | body if field != "country" else body)
    assert response.status_code == 422, response.content
    payload = response.json()
    assert payload["code"] == "invalid"
    assert field in payload["fields"], payload
    stored = User.objects.get(pk=client_user.pk)
    assert (stored.display_name, stored.country, stored.role) == ("Cleo Client", "", "client")
    assert not AuditEvent.objects.filter(action="profile.changed").exists()


@pytest.mark.parametrize("body", ["not json", "[]", '"text"', "{"])
def test_malformed_bodies_are_client_errors(client, client_user, body):
    sign_in(client, client_user)
    assert patch(client, body).status_code in (400, 422)


def test_a_session_patch_without_the_csrf_token_is_refused(client_user):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, client_user)
    response = patch(client, {"display_name": "Forged"})
    assert response.status_code == 403
    client_user.refresh_from_db()
    assert client_user.display_name == "Cleo Client"


def test_a_session_patch_with_the_csrf_token_is_accepted(client_user):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, client_user)
    client.get("/accounts/profile/")  # sets the CSRF cookie, as a browser page load would
    token = client.cookies["csrftoken"].value
    response = patch(client, {"display_name": "Genuine"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    assert response.json()["display_name"] == "Genuine"


def test_a_personal_access_token_reads_and_writes_without_csrf(client_user):
    _row, raw = token_create(user=client_user, name="script", expires_at=None, now=timezone.now())
    client = Client(enforce_csrf_checks=True)
    auth: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(ME, **auth).json()["public_id"] == str(client_user.public_id)
    response = patch(client, {"locale": "de"}, **auth)
    assert response.status_code == 200
    assert response.json()["locale"] == "de"


def test_a_bad_token_is_401(client_user):
    response = Client().get(ME, HTTP_AUTHORIZATION="Bearer br_not-a-real-token")
    assert response.status_code == 401


def test_the_openapi_document_describes_me():
    response = Client().get("/api/v1/openapi.json")
    paths = response.json()["paths"]
    assert {"get", "patch"} <= set(paths[ME])
