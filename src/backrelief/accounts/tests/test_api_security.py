"""The sessions, two-factor and token endpoints under /api/v1 (issue 2 §6, §10): token auth
end to end, expiry, 404 for foreign ids, CSRF on session writes, 422 on bad input, personas."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
import time_machine
from django.test import Client

from backrelief.accounts.models import ApiToken, UserSession
from backrelief.accounts.services.tokens import token_create
from backrelief.accounts.tests.mfa_helpers import current_code, enable_mfa, sign_in, sign_in_staff
from backrelief.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 21, 17, 0, 10, tzinfo=dt.UTC)
ZERO = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def _post(client: Client, path: str, body: object, **kw):
    return client.post(path, data=json.dumps(body), content_type="application/json", **kw)


def _csrf_client(user, *, staff: bool = False) -> tuple[Client, dict[str, str]]:
    """A browser-session client that sends the CSRF token, as htmx and fetch() would."""
    client = Client(enforce_csrf_checks=True)
    sign_in_staff(client, user) if staff else sign_in(client, user)
    client.get("/accounts/sessions/")  # sets the CSRF cookie
    return client, {"X-CSRFToken": client.cookies["csrftoken"].value}


# --- tokens --------------------------------------------------------------------------------------


def test_token_lifecycle_create_use_revoke(clock, client_user):
    client, csrf = _csrf_client(client_user)
    created = _post(client, "/api/v1/tokens", {"name": "backup script"}, headers=csrf)
    assert created.status_code == 201
    body = created.json()
    raw = body["token"]
    assert raw.startswith("br_")
    assert body["status"] == "active"
    assert body["expires_at"] is None

    listed = Client().get("/api/v1/tokens", headers=_bearer(raw))
    assert listed.status_code == 200
    assert [t["id"] for t in listed.json()] == [body["id"]]
    assert "token" not in listed.json()[0]  # shown once only

    revoked = Client().delete(f"/api/v1/tokens/{body['id']}", headers=_bearer(raw))
    assert revoked.status_code == 204
    assert Client().get("/api/v1/tokens", headers=_bearer(raw)).status_code == 401
    actions = set(
        AuditEvent.objects.filter(subject_public_id=client_user.public_id).values_list(
            "action", flat=True
        )
    )
    assert {"token.created", "token.revoked"} <= actions


def test_expired_token_is_refused(clock, client_user):
    _, raw = token_create(
        user=client_user, name="short", expires_at=NOW + dt.timedelta(hours=1), now=NOW
    )
    assert Client().get("/api/v1/mfa", headers=_bearer(raw)).status_code == 200
    clock.shift(dt.timedelta(hours=1))
    response = Client().get("/api/v1/mfa", headers=_bearer(raw))
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_token_with_an_expiry_is_created_with_it(clock, client_user):
    _, raw = token_create(user=client_user, name="admin", expires_at=None, now=NOW)
    response = _post(
        Client(),
        "/api/v1/tokens",
        {"name": "nightly", "expires_at": "2027-01-31T00:00:00+01:00"},
        headers=_bearer(raw),
    )
    assert response.status_code == 201
    row = ApiToken.objects.get(public_id=response.json()["id"])
    assert row.expires_at == dt.datetime(2027, 1, 30, 23, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"name": 5}, "name"),
        ({"name": "nul\u0000byte"}, "name"),
        ({"name": "tab\there"}, "name"),
        ({"name": "ok", "expires_at": "tomorrow"}, "expires_at"),
        ({"name": "ok", "expires_at": "2027-01-31T00:00:00"}, "expires_at"),
        ({"name": "ok", "expires_at": "9999-12-31T23:59:59-12:00"}, "expires_at"),
        ({"name": "ok", "expires_at": "2026-11-20T00:00:00Z"}, "expires_at"),
        ({"name": "ok", "extra": 1}, "extra"),
    ],
)
def test_bad_token_input_is_422_with_field_details(clock, client_user, body, field):
    _, raw = token_create(user=client_user, name="admin", expires_at=None, now=NOW)
    response = _post(Client(), "/api/v1/tokens", body, headers=_bearer(raw))
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid"
    assert any(key.startswith(field) for key in response.json()["fields"]), response.json()
    assert ApiToken.objects.filter(user=client_user).count() == 1


def test_someone_elses_token_is_404(clock, client_user, other_client):
    theirs, _ = token_create(user=other_client, name="theirs", expires_at=None, now=NOW)
    _, raw = token_create(user=client_user, name="mine", expires_at=None, now=NOW)
    for path in (f"/api/v1/tokens/{theirs.public_id}", f"/api/v1/tokens/{ZERO}"):
        response = Client().delete(path, headers=_bearer(raw))
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_malformed_ids_are_422_not_500(clock, client_user):
    _, raw = token_create(user=client_user, name="mine", expires_at=None, now=NOW)
    assert Client().delete("/api/v1/tokens/nope", headers=_bearer(raw)).status_code == 422
    assert Client().delete("/api/v1/sessions/nope", headers=_bearer(raw)).status_code == 422


# --- CSRF on session-authenticated writes --------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/v1/tokens", {"name": "x"}),
        ("delete", "/api/v1/tokens/{token}", None),
        ("delete", "/api/v1/sessions/{session}", None),
        ("post", "/api/v1/sessions/end-all", {}),
        ("post", "/api/v1/mfa/setup", {}),
        ("post", "/api/v1/mfa/confirm", {"code": "123456"}),
    ],
)
def test_session_writes_without_csrf_are_403(clock, client_user, method, path, body):
    token, _ = token_create(user=client_user, name="t", expires_at=None, now=NOW)
    client = Client(enforce_csrf_checks=True)
    session = sign_in(client, client_user)
    url = path.format(token=token.public_id, session=session.public_id)
    response = client.generic(
        method.upper(), url, data=json.dumps(body or {}), content_type="application/json"
    )
    assert response.status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
    assert UserSession.objects.filter(pk=session.pk).exists()
    assert ApiToken.objects.filter(user=client_user).count() == 1


# --- sessions ------------------------------------------------------------------------------------


def test_sessions_list_marks_the_current_one(clock, client_user, other_client):
    client, _ = _csrf_client(client_user)
    sign_in(Client(), client_user)
    sign_in(Client(), other_client)
    rows = client.get("/api/v1/sessions").json()
    assert len(rows) == 2
    assert [r["current"] for r in rows].count(True) == 1
    assert {r["device"] for r in rows} == {"Firefox on Linux"}


def test_token_caller_has_no_current_session(clock, client_user):
    sign_in(Client(), client_user)
    _, raw = token_create(user=client_user, name="t", expires_at=None, now=NOW)
    rows = Client().get("/api/v1/sessions", headers=_bearer(raw)).json()
    assert len(rows) == 1
    assert rows[0]["current"] is False


def test_deleting_a_session_signs_that_device_out(clock, client_user):
    client, csrf = _csrf_client(client_user)
    phone = Client()
    phone_row = sign_in(phone, client_user)
    response = client.delete(f"/api/v1/sessions/{phone_row.public_id}", headers=csrf)
    assert response.status_code == 204
    assert phone.get("/api/v1/sessions").status_code == 401
    assert client.get("/api/v1/sessions").status_code == 200


def test_deleting_my_own_session_signs_me_out(clock, client_user):
    client, csrf = _csrf_client(client_user)
    mine = next(r for r in client.get("/api/v1/sessions").json() if r["current"])
    assert client.delete(f"/api/v1/sessions/{mine['id']}", headers=csrf).status_code == 204
    assert client.get("/api/v1/sessions").status_code == 401


def test_someone_elses_session_is_404(clock, client_user, other_client):
    client, csrf = _csrf_client(client_user)
    theirs = sign_in(Client(), other_client)
    response = client.delete(f"/api/v1/sessions/{theirs.public_id}", headers=csrf)
    assert response.status_code == 404
    assert UserSession.objects.filter(pk=theirs.pk).exists()
    assert client.delete(f"/api/v1/sessions/{uuid.uuid4()}", headers=csrf).status_code == 404


def test_end_all_signs_out_everywhere_but_tokens_keep_working(clock, client_user):
    client, csrf = _csrf_client(client_user)
    phone = Client()
    sign_in(phone, client_user)
    _, raw = token_create(user=client_user, name="t", expires_at=None, now=NOW)
    response = _post(client, "/api/v1/sessions/end-all", {}, headers=csrf)
    assert response.status_code == 200
    assert response.json() == {"ended": 2}
    assert client.get("/api/v1/sessions").status_code == 401
    assert phone.get("/api/v1/sessions").status_code == 401
    assert Client().get("/api/v1/sessions", headers=_bearer(raw)).status_code == 200


# --- two-factor ----------------------------------------------------------------------------------


def test_mfa_status_setup_and_confirm(clock, client_user):
    client, csrf = _csrf_client(client_user)
    assert client.get("/api/v1/mfa").json() == {"enabled": False, "recovery_codes_left": 0}
    setup = _post(client, "/api/v1/mfa/setup", {}, headers=csrf).json()
    assert setup["otpauth_uri"].startswith("otpauth://totp/BackRelief:")
    from backrelief.accounts.models import TOTPDevice

    device = TOTPDevice.objects.get(user=client_user)
    assert setup["secret"] == device.secret
    wrong = _post(client, "/api/v1/mfa/confirm", {"code": "12345x"}, headers=csrf)
    assert wrong.status_code == 422
    assert "code" in wrong.json()["fields"]
    ok = _post(client, "/api/v1/mfa/confirm", {"code": current_code(device, NOW)}, headers=csrf)
    assert ok.status_code == 200
    assert len(ok.json()["recovery_codes"]) == 10
    assert client.get("/api/v1/mfa").json() == {"enabled": True, "recovery_codes_left": 10}
    again = _post(client, "/api/v1/mfa/setup", {}, headers=csrf)
    assert again.status_code == 409
    assert again.json()["code"] == "mfa_already_enabled"


@pytest.mark.parametrize("body", [{}, {"code": ""}, {"code": "1" * 65}, {"code": 123456}])
def test_bad_confirm_input_is_422(clock, client_user, body):
    client, csrf = _csrf_client(client_user)
    _post(client, "/api/v1/mfa/setup", {}, headers=csrf)
    response = _post(client, "/api/v1/mfa/confirm", body, headers=csrf)
    assert response.status_code == 422
    assert "code" in response.json()["fields"]


# --- personas ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/sessions", "/api/v1/mfa", "/api/v1/tokens"])
def test_anonymous_is_401(path):
    assert Client().get(path).status_code == 401


@pytest.mark.parametrize("role", ["client", "therapist", "staff"])
def test_every_role_reads_only_its_own(clock, make_user, other_client, role):
    user = make_user(role)
    token_create(user=other_client, name="theirs", expires_at=None, now=NOW)
    sign_in(Client(), other_client)
    if role == "staff":
        enable_mfa(user)
    _, raw = token_create(user=user, name="mine", expires_at=None, now=NOW)
    client, _ = _csrf_client(user, staff=role == "staff")
    tokens = client.get("/api/v1/tokens").json()
    assert [t["name"] for t in tokens] == ["mine"]
    assert len(client.get("/api/v1/sessions").json()) == 1
    assert Client().get("/api/v1/tokens", headers=_bearer(raw)).status_code == 200
