"""The consent API at /api/v1/consents (issue 2 §7, §10): wiring, personas, input, CSRF."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from backrelief.accounts.models import Consent, ConsentPurpose
from backrelief.accounts.services.consent import consent_give
from backrelief.accounts.services.tokens import token_create
from backrelief.core.models import AuditEvent
from backrelief.core.tests.audit_helpers import login_verified

pytestmark = pytest.mark.django_db

URL = "/api/v1/consents"
NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


def _withdraw_url(public_id):
    return f"{URL}/{public_id}/withdraw"


def _api(user):
    client = Client()
    client.force_login(user)
    return client


def _post(client, url, body=None, **extra):
    return client.post(
        url, body if body is not None else {}, content_type="application/json", **extra
    )


def test_anonymous_callers_get_401(client_user):
    row = consent_give(user=client_user, purpose=ConsentPurpose.HEALTH_DATA, now=NOW)
    client = Client()
    assert client.get(URL).status_code == 401
    assert _post(client, URL, {"purpose": "health_data"}).status_code == 401
    assert _post(client, _withdraw_url(row.public_id)).status_code == 401
    row.refresh_from_db()
    assert row.active


def test_giving_consent_is_idempotent(client_user):
    client = _api(client_user)
    first = _post(client, URL, {"purpose": "health_data"})
    assert first.status_code == 200, first.content
    body = first.json()
    assert body["purpose"] == "health_data"
    assert body["active"] is True
    assert body["grantee"] is None
    assert body["withdrawn_at"] is None
    second = _post(client, URL, {"purpose": "health_data"})
    assert second.json()["id"] == body["id"]
    assert Consent.objects.filter(user=client_user).count() == 1
    assert AuditEvent.objects.filter(action="consent.given", object_id=body["id"]).count() == 1


def test_history_lists_every_consent_newest_first_and_only_mine(client_user, other_client):
    first = consent_give(user=client_user, purpose=ConsentPurpose.HEALTH_DATA, now=NOW)
    client = _api(client_user)
    _post(client, _withdraw_url(first.public_id))
    second = consent_give(user=client_user, purpose=ConsentPurpose.HEALTH_DATA, now=timezone.now())
    consent_give(user=other_client, purpose=ConsentPurpose.HEALTH_DATA, now=NOW)
    rows = client.get(URL).json()
    assert [r["id"] for r in rows] == [str(second.public_id), str(first.public_id)]
    assert rows[1]["active"] is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"purpose": "marketing"}, "purpose"),
        ({}, "purpose"),
        ({"purpose": "health_data", "grantee": "not-a-uuid"}, "grantee"),
        ({"purpose": "health_data", "extra": 1}, "extra"),
        ({"purpose": ["health_data"]}, "purpose"),
    ],
)
def test_bad_input_is_422_with_field_details_and_stores_nothing(client_user, body, field):
    response = _post(_api(client_user), URL, body)
    assert response.status_code == 422
    assert field in response.json()["fields"]
    assert not Consent.objects.exists()


def test_sharing_needs_health_consent_first(client_user, therapist):
    response = _post(
        _api(client_user), URL, {"purpose": "share_intake", "grantee": str(therapist.public_id)}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "consent_required"
    assert "/accounts/consent/" in response.json()["detail"]


def test_sharing_with_a_therapist(client_user, therapist):
    client = _api(client_user)
    _post(client, URL, {"purpose": "health_data"})
    response = _post(client, URL, {"purpose": "share_intake", "grantee": str(therapist.public_id)})
    assert response.status_code == 200
    assert response.json()["grantee"] == str(therapist.public_id)


@pytest.mark.parametrize("who", ["unknown", "other_client", "staff_user"])
def test_sharing_grantee_must_be_a_therapist(who, request, client_user):
    grantee_id = uuid.uuid4() if who == "unknown" else request.getfixturevalue(who).public_id
    client = _api(client_user)
    _post(client, URL, {"purpose": "health_data"})
    response = _post(client, URL, {"purpose": "share_progress", "grantee": str(grantee_id)})
    assert response.status_code == 422
    assert "grantee" in response.json()["fields"]


def test_withdrawing_health_consent_stops_sharing(client_user, therapist):
    client = _api(client_user)
    health = _post(client, URL, {"purpose": "health_data"}).json()
    _post(client, URL, {"purpose": "share_intake", "grantee": str(therapist.public_id)})
    response = _post(client, _withdraw_url(health["id"]))
    assert response.status_code == 200
    assert response.json()["active"] is False
    assert all(not row["active"] for row in client.get(URL).json())


@pytest.mark.parametrize("persona", ["other_client", "therapist", "staff_user"])
def test_someone_elses_consent_is_404(persona, request, client_user):
    row = consent_give(user=client_user, purpose=ConsentPurpose.HEALTH_DATA, now=NOW)
    client = login_verified(Client(), request.getfixturevalue(persona))
    response = _post(client, _withdraw_url(row.public_id))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    row.refresh_from_db()
    assert row.active


def test_a_malformed_consent_id_is_422(client_user):
    response = _post(_api(client_user), _withdraw_url("nope"))
    assert response.status_code == 422


def test_session_writes_without_csrf_token_are_refused(client_user):
    row = consent_give(user=client_user, purpose=ConsentPurpose.HEALTH_DATA, now=NOW)
    client = Client(enforce_csrf_checks=True)
    client.force_login(client_user)
    assert _post(client, URL, {"purpose": "health_data"}).status_code == 403
    assert _post(client, _withdraw_url(row.public_id)).status_code == 403
    row.refresh_from_db()
    assert row.active
    assert Consent.objects.filter(user=client_user).count() == 1


def test_session_writes_with_the_csrf_token_succeed(client_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(client_user)
    client.get("/accounts/consent/")  # sets the CSRF cookie, as the browser would
    token = client.cookies["csrftoken"].value
    response = _post(client, URL, {"purpose": "health_data"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    withdraw = _post(client, _withdraw_url(response.json()["id"]), HTTP_X_CSRFTOKEN=token)
    assert withdraw.status_code == 200


def test_a_personal_access_token_needs_no_csrf_token(client_user):
    _row, raw = token_create(user=client_user, name="script", expires_at=None, now=timezone.now())
    client = Client(enforce_csrf_checks=True)
    auth = {"Authorization": f"Bearer {raw}"}
    response = _post(client, URL, {"purpose": "health_data"}, headers=auth)
    assert response.status_code == 200
    assert client.get(URL, headers=auth).json()[0]["id"] == response.json()["id"]


def test_openapi_documents_the_purposes_as_an_enum():
    from backrelief.api import api

    schema = api.get_openapi_schema()
    purpose = schema["components"]["schemas"]["ConsentPurpose"]
    assert set(purpose["enum"]) == set(ConsentPurpose.values)
