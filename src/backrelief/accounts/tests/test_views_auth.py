"""Sign-up, verification, sign-in/out and password pages: wiring, errors, status codes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from backrelief.accounts.models import User, UserSession
from backrelief.accounts.services import auth
from backrelief.accounts.tests.mfa_helpers import enable_mfa
from backrelief.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is the production hasher (settings); these tests are about flows, not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


T0 = dt.datetime(2026, 4, 7, 16, 0, tzinfo=dt.UTC)
SIGNUP = reverse("accounts:signup")
LOGIN = reverse("accounts:login")
GOOD = {
    "role": "client",
    "email": "Fresh@Example.test",
    "password": "sunrise over quiet hills",
    "display_name": "Fresh",
    "time_zone": "Australia/Sydney",
    "locale": "en",
}


def h1_count(response) -> int:
    return response.content.decode().count("<h1")


def field_errors(response, name: str) -> str:
    html = response.content.decode()
    match = re.search(rf'<ul class="errorlist" id="id_{name}_errors?">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


def sign_in_through_the_page(client: Client, user, password: str, **extra):
    return client.post(LOGIN, {"email": user.email, "password": password}, **extra)


# --- sign-up ------------------------------------------------------------------------------------


def test_the_sign_up_page_is_accessible_and_works_without_javascript(client):
    response = client.get(SIGNUP)
    assert response.status_code == 200
    html = response.content.decode()
    assert h1_count(response) == 1
    assert "<legend>" in html
    assert 'name="role" value="client"' in html
    assert 'name="role" value="therapist"' in html
    assert 'value="staff"' not in html
    assert re.search(r'<select name="time_zone"[^>]*data-browser-timezone', html)
    assert '<option value="Europe/Berlin">Europe/Berlin</option>' in html
    assert 'autocomplete="new-password"' in html
    assert 'autocomplete="email"' in html
    assert 'maxlength="254"' in html
    assert 'maxlength="128"' in html
    assert '<label for="id_email">' in html


@pytest.mark.parametrize("role", ["client", "therapist"])
def test_signing_up_creates_the_account_and_mails_the_link(
    client, role, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, GOOD | {"role": role})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_done")
    user = User.objects.get()
    assert (user.email, user.role, user.time_zone) == (
        "fresh@example.test",
        role,
        "Australia/Sydney",
    )
    (mail,) = mailoutbox
    assert "/accounts/verify/" in mail.body
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"role": "staff"}, "role", id="staff"),
        pytest.param({"role": ""}, "role", id="no-role"),
        pytest.param({"email": "fresh at example"}, "email", id="malformed-email"),
        pytest.param({"email": "x" * 255 + "@example.test"}, "email", id="oversized-email"),
        pytest.param({"password": "2short"}, "password", id="short-password"),
        pytest.param({"password": "password123"}, "password", id="common-password"),
        pytest.param({"password": "y" * 129}, "password", id="129-character-password"),
        pytest.param({"time_zone": "Moon/Tranquility"}, "time_zone", id="unknown-zone"),
        pytest.param({"display_name": "d" * 81}, "display_name", id="oversized-name"),
        pytest.param({"locale": "klingon"}, "locale", id="unknown-language"),
    ],
)
def test_bad_sign_up_input_shows_the_error_next_to_the_field_and_stores_nothing(
    client, changes, field, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, GOOD | changes)
    assert response.status_code == 422
    assert field_errors(response, field), response.content.decode()
    assert not User.objects.exists()
    assert mailoutbox == []
    html = response.content.decode()
    assert 'data-user-set="1"' in html  # the zone the person chose is not replaced by JS


def test_a_64_character_passphrase_is_accepted(client):
    response = client.post(SIGNUP, GOOD | {"password": "quiet hills " * 5 + "abcd"})
    assert response.status_code == 302


def test_an_address_in_use_in_another_case_is_refused(client, make_user):
    make_user(email="fresh@example.test")
    response = client.post(SIGNUP, GOOD)
    assert response.status_code == 422
    assert "already exists" in field_errors(response, "email")
    assert User.objects.count() == 1


def test_signed_in_people_are_sent_home_from_sign_up(client, client_user):
    client.force_login(client_user)
    assert client.get(SIGNUP)["Location"] == reverse("core:home")


# --- verification -------------------------------------------------------------------------------


def verify_url(user) -> str:
    return reverse(
        "accounts:verify_email", kwargs={"token": auth.email_verification_token(user=user)}
    )


def test_the_verification_link_confirms_the_address(client, make_user):
    user = make_user(verified=False)
    response = client.get(verify_url(user))
    assert response.status_code == 200
    assert h1_count(response) == 1
    user.refresh_from_db()
    assert user.email_verified
    again = client.get(verify_url(user))
    assert again.status_code == 200
    assert "already confirmed" in again.content.decode()


def test_an_expired_verification_link_says_what_to_do(client, make_user, time_machine):
    time_machine.move_to(T0, tick=False)
    user = make_user(verified=False)
    url = verify_url(user)
    time_machine.move_to(T0 + dt.timedelta(days=4), tick=False)
    response = client.get(url)
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    user.refresh_from_db()
    assert not user.email_verified


def test_a_tampered_verification_link_is_refused(client, make_user):
    user = make_user(verified=False)
    response = client.get(verify_url(user)[:-3] + "xx/")
    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.email_verified


def test_an_unverified_person_can_ask_for_the_link_again(
    client, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    user = make_user(verified=False)
    client.force_login(user)
    page = client.get(reverse("accounts:verify_resend"))
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:verify_resend"))
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == [user.email]


def test_a_verified_person_gets_no_new_link(
    client, client_user, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(client_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:verify_resend"), follow=True)
    assert "already verified" in response.content.decode()
    assert mailoutbox == []


def test_resending_needs_sign_in(client):
    response = client.post(reverse("accounts:verify_resend"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# --- sign-in ------------------------------------------------------------------------------------


def test_the_sign_in_page_is_accessible(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert h1_count(response) == 1
    html = response.content.decode()
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    assert reverse("accounts:password_reset") in html


def test_signing_in_rotates_the_session_id_and_registers_the_session(client, client_user, password):
    session = client.session
    session["language_hint"] = "en"
    session.save()
    anonymous_key = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = anonymous_key
    response = sign_in_through_the_page(client, client_user, password, HTTP_USER_AGENT="Firefox")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != anonymous_key
    assert not Session.objects.filter(session_key=anonymous_key).exists()
    assert client.session[SESSION_KEY] == str(client_user.pk)
    row = UserSession.objects.get(user=client_user)
    assert row.session_key == new_key
    assert row.user_agent == "Firefox"
    assert AuditEvent.objects.filter(action="login.success").count() == 1


def test_an_unverified_person_signs_in_and_sees_the_notice(client, make_user, password):
    user = make_user(verified=False)
    response = sign_in_through_the_page(client, user, password, follow=True)
    assert response.status_code == 200
    assert reverse("accounts:verify_resend") in response.content.decode()


def test_a_wrong_password_shows_one_message_for_both_fields(client, client_user):
    response = sign_in_through_the_page(client, client_user, "not it")
    assert response.status_code == 422
    html = response.content.decode()
    assert 'class="form-errors"' in html
    assert "not right" in html
    assert SESSION_KEY not in client.session


def test_the_fifth_failure_locks_with_429_and_says_when_to_retry(
    client, client_user, password, time_machine
):
    time_machine.move_to(T0, tick=False)
    for _ in range(4):
        assert sign_in_through_the_page(client, client_user, "nope").status_code == 422
    locked = sign_in_through_the_page(client, client_user, "nope")
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert "Try again in 15 minutes" in locked.content.decode()
    still = sign_in_through_the_page(client, client_user, password)
    assert still.status_code == 429
    assert SESSION_KEY not in client.session
    time_machine.move_to(T0 + dt.timedelta(minutes=15), tick=False)
    assert sign_in_through_the_page(client, client_user, password).status_code == 302


def test_the_lock_is_per_network_address(client, client_user, password, time_machine):
    time_machine.move_to(T0, tick=False)
    for _ in range(5):
        sign_in_through_the_page(client, client_user, "nope", REMOTE_ADDR="192.0.2.1")
    other = Client()
    response = sign_in_through_the_page(other, client_user, password, REMOTE_ADDR="192.0.2.2")
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/accounts/profile/", "/accounts/profile/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
    ],
)
def test_after_sign_in_only_local_next_urls_are_followed(
    client, client_user, password, next_url, expected
):
    response = client.post(
        f"{LOGIN}?next={next_url}", {"email": client_user.email, "password": password}
    )
    assert response["Location"] == expected


def test_with_two_factor_the_password_leads_to_the_code_step(client, client_user, password):
    enable_mfa(client_user)
    response = sign_in_through_the_page(client, client_user, password)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login_mfa")
    assert SESSION_KEY not in client.session
    assert client.session[auth.MFA_PENDING_KEY]["public_id"] == str(client_user.public_id)


# --- sign-out -----------------------------------------------------------------------------------


def test_signing_out_needs_post(client, client_user, password):
    sign_in_through_the_page(client, client_user, password)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    assert not UserSession.objects.exists()
    assert AuditEvent.objects.filter(action="logout").count() == 1


# --- passwords ----------------------------------------------------------------------------------


def test_changing_the_password_signs_out_other_browsers_only(client, client_user, password):
    sign_in_through_the_page(client, client_user, password)
    laptop = Client()
    sign_in_through_the_page(laptop, client_user, password)
    response = client.post(
        reverse("accounts:password_change"),
        {"current_password": password, "new_password": "a fresh long passphrase"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert laptop.get(reverse("accounts:profile")).status_code == 302
    assert UserSession.objects.filter(user=client_user).count() == 1


def test_a_wrong_current_password_is_shown_on_its_field(client, client_user):
    client.force_login(client_user)
    response = client.post(
        reverse("accounts:password_change"),
        {"current_password": "wrong", "new_password": "a fresh long passphrase"},
    )
    assert response.status_code == 422
    assert field_errors(response, "current_password")


def test_the_password_page_needs_sign_in(client):
    response = client.get(reverse("accounts:password_change"))
    assert response["Location"].startswith(LOGIN)


def reset_via_mail(client, email, capture, mailoutbox):
    with capture(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": email})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    return mailoutbox[-1] if mailoutbox else None


def reset_path(mail) -> str:
    match = re.search(r"https?://[^/]+(/accounts/password/reset/[^\s]+/)", mail.body)
    assert match, mail.body
    return match.group(1)


def test_reset_answers_the_same_for_known_and_unknown_addresses(
    client, client_user, mailoutbox, django_capture_on_commit_callbacks
):
    known = client.post(reverse("accounts:password_reset"), {"email": client_user.email})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.test"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    page = client.get(known["Location"])
    assert page.status_code == 200
    assert h1_count(page) == 1


def test_a_reset_link_works_once(
    client, client_user, mailoutbox, django_capture_on_commit_callbacks
):
    mail = reset_via_mail(client, client_user.email, django_capture_on_commit_callbacks, mailoutbox)
    path = reset_path(mail)
    form = client.get(path)
    assert form.status_code == 200
    assert 'autocomplete="new-password"' in form.content.decode()
    done = client.post(path, {"new_password": "a fresh long passphrase"})
    assert done["Location"] == reverse("accounts:password_reset_complete")
    assert client.get(done["Location"]).status_code == 200
    reused = client.post(path, {"new_password": "another fresh passphrase"})
    assert reused.status_code == 400
    client_user.refresh_from_db()
    assert client_user.check_password("a fresh long passphrase")


def test_a_reset_link_expires_after_an_hour(
    client, client_user, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(T0, tick=False)
    mail = reset_via_mail(client, client_user.email, django_capture_on_commit_callbacks, mailoutbox)
    path = reset_path(mail)
    time_machine.move_to(T0 + dt.timedelta(minutes=61), tick=False)
    response = client.get(path)
    assert response.status_code == 400
    assert reverse("accounts:password_reset") in response.content.decode()


def test_a_weak_password_on_the_reset_page_is_shown_on_its_field(
    client, client_user, mailoutbox, django_capture_on_commit_callbacks
):
    mail = reset_via_mail(client, client_user.email, django_capture_on_commit_callbacks, mailoutbox)
    path = reset_path(mail)
    response = client.post(path, {"new_password": "123"})
    assert response.status_code == 422
    assert field_errors(response, "new_password")


def test_a_reset_for_an_unverified_address_mails_only_the_verification_link(
    client, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    user = make_user(verified=False)
    mail = reset_via_mail(client, user.email, django_capture_on_commit_callbacks, mailoutbox)
    assert len(mailoutbox) == 1
    assert "/accounts/verify/" in mail.body
    assert "/password/reset/" not in mail.body
    assert "/password/reset/" not in mail.alternatives[0][0]


# --- the audit trail of a whole account life ----------------------------------------------------


def test_every_security_event_is_audited_by_public_id_and_never_by_email(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP, GOOD)
    user = User.objects.get()
    client.get(verify_url(user))
    client.post(LOGIN, {"email": GOOD["email"], "password": "wrong guess"})
    client.post(LOGIN, {"email": GOOD["email"], "password": GOOD["password"]})
    client.post(
        reverse("accounts:password_change"),
        {"current_password": GOOD["password"], "new_password": "a second long passphrase"},
    )
    client.post(reverse("accounts:logout"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": GOOD["email"]})
    client.post(reset_path(mailoutbox[-1]), {"new_password": "a third long passphrase"})

    rows = list(AuditEvent.objects.order_by("id"))
    assert [row.action for row in rows] == [
        "account.created",
        "email.verified",
        "login.failure",
        "login.success",
        "password.changed",
        "logout",
        "password.reset_requested",
        "password.reset",
    ]
    for row in rows:
        assert row.subject_public_id == user.public_id
        assert row.actor_public_id in (user.public_id, None)
        assert row.ip == "127.0.0.1"
        assert row.request_id
        text = " ".join(str(value) for value in vars(row).values()).lower()
        assert "fresh@example.test" not in text
        assert "fresh" not in text


@pytest.mark.django_db
def test_sign_up_reports_password_rules_together_with_other_field_errors(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "not-an-email", "password": "password", "time_zone": "UTC", "locale": "en"},
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert "role" in form.errors
    assert "email" in form.errors
    assert "password" in form.errors  # the common password is reported in the same round
    from backrelief.accounts.models import User

    assert not User.objects.exists()
