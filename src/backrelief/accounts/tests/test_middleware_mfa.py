"""Staff must use two-factor authentication (issue 2 §6), enforced by MFARequiredMiddleware:
pages redirect to the two-factor page, the API answers 403 `mfa_required`, and a staff
member's token works only while they have a confirmed device."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from backrelief.accounts.models import TOTPDevice
from backrelief.accounts.services.tokens import token_create
from backrelief.accounts.tests.mfa_helpers import current_code, enable_mfa, sign_in, sign_in_staff

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC)
SETUP = "/accounts/two-factor/"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize("path", ["/", "/accounts/profile/", "/accounts/sessions/", "/audit/"])
def test_staff_without_a_device_is_sent_to_setup_from_every_page(staff_user, path):
    client = Client()
    sign_in(client, staff_user)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == SETUP


def test_staff_reaches_the_setup_page_itself(staff_user):
    client = Client()
    sign_in(client, staff_user)
    response = client.get(SETUP)
    assert response.status_code == 200
    assert "required for your role" in response.content.decode()


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/healthz"), ("get", "/static/css/app.css"), ("post", "/i18n/setlang/")],
)
def test_exempt_paths_stay_reachable(staff_user, method, path):
    client = Client()
    sign_in(client, staff_user)
    response = getattr(client, method)(path, {"language": "en"} if method == "post" else None)
    assert response.get("Location") != SETUP
    assert response.status_code in (200, 302)


def test_staff_can_still_sign_out(staff_user):
    client = Client()
    sign_in(client, staff_user)
    response = client.post(reverse("accounts:logout"))
    assert response.get("Location") != SETUP


def test_htmx_requests_get_a_client_side_redirect(staff_user):
    client = Client()
    sign_in(client, staff_user)
    response = client.get("/accounts/sessions/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == SETUP


def test_staff_with_a_device_but_unverified_session_is_sent_to_confirm_it(staff_user):
    enable_mfa(staff_user)
    client = Client()
    sign_in(client, staff_user, mfa_verified=False)
    assert client.get("/accounts/profile/")["Location"] == SETUP
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "Confirm this session" in page.content.decode()


def test_staff_with_a_verified_session_passes(staff_user):
    client = Client()
    sign_in_staff(client, staff_user)
    response = client.get("/accounts/sessions/")
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["client", "therapist"])
def test_clients_and_therapists_are_not_redirected(make_user, role):
    client = Client()
    sign_in(client, make_user(role))
    assert client.get("/accounts/sessions/").status_code == 200


def test_staff_session_on_the_api_gets_403_json(staff_user):
    client = Client()
    sign_in(client, staff_user)
    response = client.get("/api/v1/sessions")
    assert response.status_code == 403
    assert response.json()["code"] == "mfa_required"
    assert "/accounts/two-factor/" in response.json()["detail"]


def test_verified_staff_session_uses_the_api(staff_user):
    client = Client()
    sign_in_staff(client, staff_user)
    assert client.get("/api/v1/sessions").status_code == 200


def test_staff_token_without_a_device_is_refused(staff_user):
    _, raw = token_create(user=staff_user, name="ci", expires_at=None, now=NOW)
    response = Client().get("/api/v1/mfa", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 403
    assert response.json()["code"] == "mfa_required"


def test_staff_token_with_a_device_is_accepted(staff_user):
    enable_mfa(staff_user)
    _, raw = token_create(user=staff_user, name="ci", expires_at=None, now=NOW)
    response = Client().get("/api/v1/mfa", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.json()["enabled"] is True


def test_client_token_without_a_device_is_accepted(client_user):
    _, raw = token_create(user=client_user, name="ci", expires_at=None, now=NOW)
    response = Client().get("/api/v1/mfa", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_anonymous_requests_are_left_to_the_login_rules():
    assert Client().get("/api/v1/mfa").status_code == 401
    assert Client().get("/accounts/sessions/")["Location"].startswith("/accounts/login/")


def test_new_staff_member_signs_in_sets_up_two_factor_then_works(staff_user, password):
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"email": staff_user.email, "password": password}, follow=True
    )
    assert response.redirect_chain[-1][0] == SETUP
    client.post(SETUP, {"action": "begin"})
    device = TOTPDevice.objects.get(user=staff_user)
    confirmed = client.post(SETUP, {"action": "confirm", "code": current_code(device, NOW)})
    assert confirmed.status_code == 200
    assert client.get("/accounts/sessions/").status_code == 200
    assert client.get("/api/v1/sessions").status_code == 200


def test_staff_with_two_factor_signs_in_with_a_code_and_works(staff_user, password):
    device, _ = enable_mfa(staff_user, now=NOW - dt.timedelta(minutes=1))
    client = Client()
    client.post(reverse("accounts:login"), {"email": staff_user.email, "password": password})
    response = client.post(reverse("accounts:login_mfa"), {"code": current_code(device, NOW)})
    assert response.status_code == 302
    assert client.get("/accounts/sessions/").status_code == 200
