"""Two-factor pages through the Django test client: setup, the sign-in code step end to end,
recovery codes, turning off, and the persona matrix (issue 2 §6)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from backrelief.accounts import totp
from backrelief.accounts.models import TOTPDevice, UserSession
from backrelief.accounts.services import mfa as mfa_service
from backrelief.accounts.tests.mfa_helpers import current_code, enable_mfa, sign_in, sign_in_staff
from backrelief.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 21, 14, 0, 5, tzinfo=dt.UTC)
SETUP = reverse("accounts:mfa_setup")
LOGIN = reverse("accounts:login")
LOGIN_MFA = reverse("accounts:login_mfa")


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _device(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user)


def _actions(user) -> list[str]:
    return list(
        AuditEvent.objects.filter(subject_public_id=user.public_id)
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- setup page ----------------------------------------------------------------------------------


def test_setup_shows_secret_and_inline_svg_qr_then_confirms_and_shows_codes_once(
    clock, client_user
):
    client = Client()
    session = sign_in(client, client_user)
    first = client.get(SETUP)
    assert first.status_code == 200
    assert b"Set up two-factor authentication" in first.content

    response = client.post(SETUP, {"action": "begin"})
    assert response.status_code == 302
    assert response["Location"] == SETUP
    page = client.get(SETUP).content.decode()
    device = _device(client_user)
    assert totp.format_secret(device.secret) in page
    assert re.search(r'<div class="qr"[^>]*>\s*<svg ', page)
    assert "<img" not in page
    assert "style=" not in page
    assert device.secret not in client.get(SETUP).get("Location", "")

    response = client.post(SETUP, {"action": "confirm", "code": current_code(device, NOW)})
    assert response.status_code == 200
    body = response.content.decode()
    codes = re.findall(r"<code>([0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{2})</code>", body)
    assert len(codes) == 10
    assert "only time they are shown" in body
    assert mfa_service.mfa_status(user=client_user).enabled
    session.refresh_from_db()
    assert session.mfa_verified
    # shown once: the page never lists them again
    again = client.get(reverse("accounts:mfa_recovery_codes")).content.decode()
    assert not any(code in again for code in codes)
    assert "10 unused recovery codes" in again


def test_wrong_confirmation_code_shows_a_field_error(clock, client_user):
    client = Client()
    sign_in(client, client_user)
    client.post(SETUP, {"action": "begin"})
    wrong = current_code(_device(client_user), NOW, 4)
    response = client.post(SETUP, {"action": "confirm", "code": wrong})
    assert response.status_code == 422
    assert "That code is not valid" in response.content.decode()
    assert not mfa_service.mfa_status(user=client_user).enabled


def test_step_up_verifies_a_session_started_before_two_factor(clock, therapist):
    device, _ = enable_mfa(therapist)
    client = Client()
    session = sign_in(client, therapist, mfa_verified=False)
    page = client.get(SETUP).content.decode()
    assert "Confirm this session" in page
    response = client.post(SETUP, {"action": "verify", "code": current_code(device, NOW)})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.mfa_verified
    assert "Confirm this session" not in client.get(SETUP).content.decode()


# --- sign-in, second step ------------------------------------------------------------------------


def _password_step(client: Client, user, password: str):
    return client.post(LOGIN, {"email": user.email, "password": password})


def test_login_with_two_factor_end_to_end_gets_a_new_session_id(clock, client_user, password):
    device, _ = enable_mfa(client_user, now=NOW - dt.timedelta(minutes=1))
    client = Client()
    client.get(LOGIN)
    response = _password_step(client, client_user, password)
    assert response.status_code == 302
    assert response["Location"] == LOGIN_MFA
    pending_key = client.session.session_key
    assert "_auth_user_id" not in client.session  # not signed in by the password alone
    assert client.get(reverse("accounts:profile")).status_code == 302

    page = client.get(LOGIN_MFA)
    assert page.status_code == 200
    response = client.post(LOGIN_MFA, {"code": current_code(device, NOW)})
    assert response.status_code == 302
    assert client.session.session_key != pending_key
    assert client.session["_auth_user_id"] == str(client_user.pk)
    assert "br_mfa_pending" not in client.session
    row = UserSession.objects.get(session_key=client.session.session_key)
    assert row.user == client_user
    assert row.mfa_verified
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert "mfa.success" in _actions(client_user)
    assert "login.success" in _actions(client_user)


def test_login_code_cannot_be_replayed_in_a_second_sign_in(clock, client_user, password):
    device, _ = enable_mfa(client_user, now=NOW - dt.timedelta(minutes=1))
    code = current_code(device, NOW)
    first = Client()
    _password_step(first, client_user, password)
    assert first.post(LOGIN_MFA, {"code": code}).status_code == 302
    second = Client()
    _password_step(second, client_user, password)
    response = second.post(LOGIN_MFA, {"code": code})
    assert response.status_code == 422
    assert "_auth_user_id" not in second.session


def test_recovery_code_signs_in_once(clock, client_user, password):
    _, codes = enable_mfa(client_user, now=NOW - dt.timedelta(minutes=1))
    client = Client()
    _password_step(client, client_user, password)
    response = client.post(LOGIN_MFA, {"code": codes[0].upper()}, follow=True)
    assert response.status_code == 200
    assert "recovery code" in response.content.decode()
    assert "mfa.recovery_used" in _actions(client_user)
    other = Client()
    _password_step(other, client_user, password)
    assert other.post(LOGIN_MFA, {"code": codes[0]}).status_code == 422


def test_five_wrong_codes_start_the_sign_in_over(clock, client_user, password):
    device, _ = enable_mfa(client_user, now=NOW - dt.timedelta(minutes=1))
    client = Client()
    _password_step(client, client_user, password)
    for _ in range(4):
        assert client.post(LOGIN_MFA, {"code": "000000"}).status_code == 422
    response = client.post(LOGIN_MFA, {"code": "000000"})
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert "br_mfa_pending" not in client.session
    # the right code no longer helps without the password step
    assert client.post(LOGIN_MFA, {"code": current_code(device, NOW)})["Location"] == LOGIN
    assert "_auth_user_id" not in client.session
    assert _actions(client_user).count("mfa.failure") == 5


def test_the_code_step_expires_after_five_minutes(clock, client_user, password):
    device, _ = enable_mfa(client_user, now=NOW - dt.timedelta(minutes=1))
    client = Client()
    _password_step(client, client_user, password)
    clock.shift(dt.timedelta(minutes=5))
    later = NOW + dt.timedelta(minutes=5)
    response = client.post(LOGIN_MFA, {"code": current_code(device, later)})
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


def test_code_step_without_a_password_step_goes_to_login():
    response = Client().get(LOGIN_MFA)
    assert response.status_code == 302
    assert response["Location"] == LOGIN


def test_tampered_pending_user_is_refused(clock, client_user, other_client):
    enable_mfa(client_user)
    client = Client()
    session = client.session
    session["br_mfa_pending"] = {"public_id": str(other_client.public_id), "at": NOW.timestamp()}
    session.save()
    response = client.post(LOGIN_MFA, {"code": "123456"})
    assert response["Location"] == LOGIN  # other_client has no device: nothing to finish


# --- recovery codes and turning off --------------------------------------------------------------


def test_regenerating_recovery_codes_needs_an_app_code(clock, client_user):
    device, old = enable_mfa(client_user, now=NOW - dt.timedelta(minutes=1))
    client = Client()
    sign_in(client, client_user, mfa_verified=True)
    url = reverse("accounts:mfa_recovery_codes")
    assert client.post(url, {"code": old[0]}).status_code == 422
    response = client.post(url, {"code": current_code(device, NOW)})
    assert response.status_code == 200
    new = re.findall(r"<code>([0-9a-z-]{12})</code>", response.content.decode())
    assert len(new) == 10
    assert not set(new) & set(old)


def test_client_turns_two_factor_off_with_password_and_code(clock, client_user, password):
    device, _ = enable_mfa(client_user, now=NOW - dt.timedelta(minutes=1))
    client = Client()
    sign_in(client, client_user, mfa_verified=True)
    url = reverse("accounts:mfa_disable")
    bad = client.post(url, {"password": "nope", "code": current_code(device, NOW)})
    assert bad.status_code == 422
    assert mfa_service.mfa_status(user=client_user).enabled
    response = client.post(url, {"password": password, "code": current_code(device, NOW)})
    assert response.status_code == 302
    assert response["Location"] == SETUP
    assert not mfa_service.mfa_status(user=client_user).enabled


def test_staff_cannot_turn_two_factor_off(clock, staff_user, password):
    client = Client()
    sign_in_staff(client, staff_user)
    url = reverse("accounts:mfa_disable")
    page = client.get(url)
    assert page.status_code == 200
    assert "required for staff" in page.content.decode()
    device = _device(staff_user)
    response = client.post(url, {"password": password, "code": current_code(device, NOW)})
    assert response.status_code == 403
    assert mfa_service.mfa_status(user=staff_user).enabled


# --- personas ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["accounts:mfa_setup", "accounts:mfa_recovery_codes", "accounts:mfa_disable"]
)
def test_anonymous_visitors_are_sent_to_sign_in(name):
    response = Client().get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("role", ["client", "therapist", "staff"])
def test_every_role_can_open_the_two_factor_page(make_user, role):
    user = make_user(role)
    client = Client()
    sign_in(client, user)
    page = client.get(SETUP)
    assert page.status_code == 200
    required = "required for your role" in page.content.decode()
    assert required is (role != "client")


def test_pages_only_ever_show_the_signed_in_persons_own_setup(clock, client_user, other_client):
    enable_mfa(other_client)
    client = Client()
    sign_in(client, client_user)
    page = client.get(SETUP).content.decode()
    assert "Set up two-factor authentication" in page
    assert totp.format_secret(_device(other_client).secret) not in page
    # someone else's recovery-code and disable pages do not exist: these are always "mine"
    assert client.get(reverse("accounts:mfa_recovery_codes"))["Location"] == SETUP
