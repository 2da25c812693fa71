"""The personal access tokens page (issue 2 §10): create (shown once), list, revoke; bad
input; personas; htmx row partial."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from backrelief.accounts.models import ApiToken
from backrelief.accounts.services.tokens import token_create, token_hash
from backrelief.accounts.tests.mfa_helpers import sign_in, sign_in_staff

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 21, 16, 0, tzinfo=dt.UTC)
LIST = reverse("accounts:tokens")
TOKEN_RE = re.compile(r'<code id="new-token">(br_[A-Za-z0-9_-]{40})</code>')


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _revoke_url(row: ApiToken) -> str:
    return reverse("accounts:token_revoke", args=[row.public_id])


def test_created_token_is_shown_once_and_stored_hashed(clock, client_user):
    client = Client()
    sign_in(client, client_user)
    response = client.post(LIST, {"name": "Sync script", "expires_at": ""})
    assert response.status_code == 200
    match = TOKEN_RE.search(response.content.decode())
    assert match, "the new token is on the page that created it"
    raw = match.group(1)
    row = ApiToken.objects.get(user=client_user)
    assert row.token_hash == token_hash(raw)
    assert row.expires_at is None
    assert raw not in response.get("Location", "")
    listing = client.get(LIST).content.decode()
    assert "Sync script" in listing
    assert raw not in listing  # never again
    # and it really works against the API
    api = Client().get("/api/v1/tokens", headers={"Authorization": f"Bearer {raw}"})
    assert api.status_code == 200


@pytest.mark.parametrize(
    ("zone", "expected_utc"),
    [
        ("Europe/Berlin", dt.datetime(2026, 12, 31, 23, 0, tzinfo=dt.UTC)),
        ("America/New_York", dt.datetime(2027, 1, 1, 5, 0, tzinfo=dt.UTC)),
        ("Australia/Sydney", dt.datetime(2026, 12, 31, 13, 0, tzinfo=dt.UTC)),
    ],
)
def test_expiry_date_ends_at_midnight_after_that_day_in_my_time_zone(
    clock, make_user, zone, expected_utc
):
    user = make_user("client", time_zone=zone)
    client = Client()
    sign_in(client, user)
    client.post(LIST, {"name": "Year-end", "expires_at": "2026-12-31"})
    assert ApiToken.objects.get(user=user).expires_at == expected_utc


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "expires_at": ""}, "name"),
        ({"name": "x" * 81, "expires_at": ""}, "name"),
        ({"name": "   ", "expires_at": ""}, "name"),
        ({"name": "ok", "expires_at": "31/12/2026"}, "expires_at"),
        ({"name": "ok", "expires_at": "2026-11-20"}, "expires_at"),
        ({"name": "ok", "expires_at": "9999-12-31"}, "expires_at"),
    ],
)
def test_bad_input_gets_field_errors_and_stores_nothing(clock, client_user, data, field):
    client = Client()
    sign_in(client, client_user)
    response = client.post(LIST, data)
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not ApiToken.objects.exists()
    assert not TOKEN_RE.search(response.content.decode())


def test_revoking_stops_the_token_at_once(clock, client_user):
    row, raw = token_create(user=client_user, name="old", expires_at=None, now=NOW)
    client = Client()
    sign_in(client, client_user)
    response = client.post(_revoke_url(row))
    assert response.status_code == 302
    assert response["Location"] == LIST
    row.refresh_from_db()
    assert row.revoked_at == NOW
    api = Client().get("/api/v1/tokens", headers={"Authorization": f"Bearer {raw}"})
    assert api.status_code == 401
    assert "Revoked" in client.get(LIST).content.decode()


def test_htmx_revoke_swaps_just_the_row(clock, client_user):
    row, _ = token_create(user=client_user, name="old", expires_at=None, now=NOW)
    client = Client()
    sign_in(client, client_user)
    response = client.post(_revoke_url(row), headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.strip().startswith(f'<tr id="token-{row.public_id}"')
    assert "Revoked" in body
    assert "<html" not in body


def test_someone_elses_token_is_not_found(clock, client_user, other_client):
    theirs, _raw = token_create(user=other_client, name="theirs", expires_at=None, now=NOW)
    client = Client()
    sign_in(client, client_user)
    assert client.post(_revoke_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert "theirs" not in client.get(LIST).content.decode()


def test_writes_need_csrf(clock, client_user):
    row, _ = token_create(user=client_user, name="old", expires_at=None, now=NOW)
    client = Client(enforce_csrf_checks=True)
    sign_in(client, client_user)
    assert client.post(LIST, {"name": "new"}).status_code == 403
    assert client.post(_revoke_url(row)).status_code == 403
    row.refresh_from_db()
    assert row.revoked_at is None
    assert ApiToken.objects.count() == 1


@pytest.mark.parametrize("role", ["client", "therapist", "staff"])
def test_every_role_manages_its_own_tokens(clock, make_user, role):
    user = make_user(role)
    client = Client()
    if role == "staff":
        sign_in_staff(client, user)
    else:
        sign_in(client, user)
    response = client.post(LIST, {"name": f"{role} script"})
    assert response.status_code == 200
    assert TOKEN_RE.search(response.content.decode())


def test_anonymous_visitors_are_sent_to_sign_in(clock, client_user):
    row, _ = token_create(user=client_user, name="old", expires_at=None, now=NOW)
    for response in (Client().get(LIST), Client().post(_revoke_url(row))):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
