"""Sign-up, email verification, login with lockout and logout, against the database."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PASSWORD
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.utils import timezone

from backrelief.accounts.models import LoginFailure, TOTPDevice, User, UserSession
from backrelief.accounts.services import auth
from backrelief.core.errors import Conflict, Invalid, PermissionDenied, RateLimited
from backrelief.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is the production hasher (settings); these tests are about flows, not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


T0 = dt.datetime(2026, 3, 2, 8, 30, tzinfo=dt.UTC)
MIN = dt.timedelta(minutes=1)
IP = "203.0.113.7"
OTHER_IP = "198.51.100.9"


def signup(**overrides):
    data = {
        "email": "New.Person@Example.test",
        "password": "a calm walk by the river",
        "role": "client",
        "display_name": "New Person",
        "time_zone": "Europe/Berlin",
        "locale": "en",
    } | overrides
    return auth.user_signup(**data)


def audit(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def assert_no_email_in_audit(email):
    for row in AuditEvent.objects.all():
        assert email.lower() not in str(vars(row)).lower()


def session_request():
    request = RequestFactory().get("/", REMOTE_ADDR=IP, HTTP_USER_AGENT="pytest")
    request.session = SessionStore()
    request.session.save()
    return request


# --- sign-up ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["client", "therapist"])
def test_people_sign_up_as_client_or_therapist(
    role, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = signup(role=role)
    user.refresh_from_db()
    assert user.role == role
    assert user.email == "new.person@example.test"
    assert user.email_verified_at is None
    assert user.time_zone == "Europe/Berlin"
    assert user.check_password("a calm walk by the river")
    assert user.is_staff is False
    (row,) = audit("account.created")
    assert row.actor_public_id == row.subject_public_id == user.public_id
    assert_no_email_in_audit(user.email)
    (mail,) = mailoutbox
    assert mail.to == ["new.person@example.test"]


def test_passwords_are_stored_with_argon2(settings):
    from backrelief import settings as project

    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS
    user = signup()
    assert user.password.startswith("argon2")


def test_nobody_can_sign_up_as_staff():
    with pytest.raises(Invalid) as exc:
        signup(role="staff")
    assert set(exc.value.fields) == {"role"}
    assert not User.objects.exists()


def test_an_email_address_is_taken_whatever_its_case(make_user):
    make_user(email="taken@example.test")
    with pytest.raises(Invalid) as exc:
        signup(email="TAKEN@Example.Test")
    assert set(exc.value.fields) == {"email"}
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"email": "not-an-email"}, "email", id="malformed-email"),
        pytest.param({"email": "a@b"}, "email", id="email-without-domain-dot"),
        pytest.param({"email": "x" * 250 + "@example.test"}, "email", id="oversized-email"),
        pytest.param({"password": "short1!"}, "password", id="seven-characters"),
        pytest.param({"password": "password123"}, "password", id="common-password"),
        pytest.param({"password": "x" * 60 + "-" * 69}, "password", id="129-characters"),
        pytest.param({"time_zone": "Mars/Olympus_Mons"}, "time_zone", id="unknown-zone"),
        pytest.param({"time_zone": "localtime"}, "time_zone", id="not-an-iana-zone"),
        pytest.param({"display_name": "n" * 81}, "display_name", id="oversized-name"),
        pytest.param({"display_name": "Ann\x00"}, "display_name", id="nul-in-name"),
        pytest.param({"display_name": "Ann\u202eeL"}, "display_name", id="bidi-override"),
        pytest.param({"locale": "xx"}, "locale", id="unknown-language"),
        pytest.param({"role": ""}, "role", id="no-role"),
    ],
)
def test_bad_sign_up_input_names_the_field_and_stores_nothing(
    overrides, field, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Invalid) as exc:
        signup(**overrides)
    assert field in exc.value.fields
    assert exc.value.fields[field]
    assert not User.objects.exists()
    assert not AuditEvent.objects.exists()
    assert mailoutbox == []


def test_all_bad_fields_are_reported_at_once():
    with pytest.raises(Invalid) as exc:
        signup(email="nope", password="short", time_zone="Nowhere/City", role="staff")
    assert set(exc.value.fields) == {"email", "password", "time_zone", "role"}


@pytest.mark.parametrize("length", [8, 64, 128])
def test_long_passphrases_are_accepted(length):
    passphrase = ("river stone " * 20)[:length]
    user = signup(password=passphrase)
    assert user.check_password(passphrase)


def test_password_like_the_email_is_refused():
    with pytest.raises(Invalid) as exc:
        signup(email="riverstone@example.test", password="riverstone")
    assert "password" in exc.value.fields


# --- email verification -------------------------------------------------------------------------


def test_the_link_verifies_the_address_once_and_is_audited(make_user):
    user = make_user(verified=False)
    token = auth.email_verification_token(user=user)
    auth.email_verify(token=token)
    user.refresh_from_db()
    assert user.email_verified
    (row,) = audit("email.verified")
    assert row.subject_public_id == user.public_id
    with pytest.raises(Conflict) as exc:
        auth.email_verify(token=token)
    assert exc.value.code == "already_verified"
    assert len(audit("email.verified")) == 1


def test_the_link_works_for_three_days(make_user, time_machine):
    time_machine.move_to(T0, tick=False)
    user = make_user(verified=False)
    token = auth.email_verification_token(user=user)
    time_machine.move_to(T0 + dt.timedelta(days=3) - MIN, tick=False)
    auth.email_verify(token=token)
    user.refresh_from_db()
    assert user.email_verified


def test_an_expired_link_is_refused(make_user, time_machine):
    time_machine.move_to(T0, tick=False)
    user = make_user(verified=False)
    token = auth.email_verification_token(user=user)
    time_machine.move_to(T0 + dt.timedelta(days=3, seconds=1), tick=False)
    with pytest.raises(Invalid) as exc:
        auth.email_verify(token=token)
    assert exc.value.code == "link_expired"
    user.refresh_from_db()
    assert not user.email_verified


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda t, other: t[:-1] + ("A" if t[-1] != "A" else "B"), id="signature"),
        pytest.param(lambda t, other: str(other.public_id) + t[36:], id="other-account"),
        pytest.param(lambda t, other: "not-a-token", id="garbage"),
        pytest.param(lambda t, other: t.split(":")[0], id="unsigned"),
        pytest.param(lambda t, other: "00000000-0000-0000-0000-000000000000" + t[36:], id="nobody"),
    ],
)
def test_a_tampered_link_is_refused(make_user, tamper):
    user = make_user(verified=False)
    other = make_user(verified=False)
    token = tamper(auth.email_verification_token(user=user), other)
    with pytest.raises(Invalid) as exc:
        auth.email_verify(token=token)
    assert exc.value.code == "link_invalid"
    assert not User.objects.filter(email_verified_at__isnull=False).exists()


def test_a_link_stops_working_when_the_address_changes(make_user):
    user = make_user(verified=False)
    token = auth.email_verification_token(user=user)
    User.objects.filter(pk=user.pk).update(email="changed@example.test")
    with pytest.raises(Invalid):
        auth.email_verify(token=token)


def test_the_verification_mail_has_text_and_html_and_an_absolute_link(
    make_user, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.BASE_URL = "https://relief.example/"
    user = make_user(verified=False, display_name="Ann")
    with django_capture_on_commit_callbacks(execute=True):
        auth.email_verification_send(user=user)
    (mail,) = mailoutbox
    assert "https://relief.example/accounts/verify/" in mail.body
    assert "Ann" in mail.body
    (html, mimetype) = mail.alternatives[0]
    assert mimetype == "text/html"
    assert 'href="https://relief.example/accounts/verify/' in html
    token = mail.body.split("/accounts/verify/")[1].split("/")[0]
    auth.email_verify(token=token)


def test_mail_waits_for_the_commit(make_user, mailoutbox, django_capture_on_commit_callbacks):
    user = make_user(verified=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        auth.email_verification_send(user=user)
    assert mailoutbox == []
    assert len(callbacks) == 1


def test_the_verification_mail_is_in_the_persons_language(
    make_user, mailoutbox, django_capture_on_commit_callbacks
):
    user = make_user(verified=False, locale="de")
    with django_capture_on_commit_callbacks(execute=True):
        auth.email_verification_send(user=user)
    assert mailoutbox[0].body  # rendered under the German locale without errors


def test_a_verified_address_gets_no_new_link(make_user, mailoutbox):
    user = make_user(verified=True)
    with pytest.raises(Conflict):
        auth.email_verification_send(user=user)
    assert mailoutbox == []


def test_nothing_but_verification_is_mailed_to_an_unverified_address(make_user, mailoutbox):
    user = make_user(verified=False)
    with pytest.raises(ValueError, match="unverified"):
        auth.account_mail_send(user=user, kind="password_reset", subject="x", context={})
    assert mailoutbox == []


# --- login and lockout --------------------------------------------------------------------------


def test_the_right_password_signs_in_and_leaves_no_failure(client_user):
    assert auth.login_attempt(email=client_user.email.upper(), password=PASSWORD, ip=IP) == (
        client_user
    )
    assert not LoginFailure.objects.exists()


def test_unverified_people_can_sign_in(make_user):
    user = make_user(verified=False)
    assert auth.login_attempt(email=user.email, password=PASSWORD, ip=IP) == user


def test_a_wrong_password_is_recorded_and_audited_by_public_id(client_user):
    with pytest.raises(Invalid) as exc:
        auth.login_attempt(email=client_user.email, password="wrong", ip=IP)
    assert exc.value.code == "bad_credentials"
    failure = LoginFailure.objects.get()
    assert (failure.email, failure.ip) == (client_user.email, IP)
    (row,) = audit("login.failure")
    assert row.actor_public_id == row.subject_public_id == client_user.public_id
    assert row.outcome == "denied"
    assert_no_email_in_audit(client_user.email)


def test_an_unknown_address_fails_like_a_wrong_password(client_user):
    with pytest.raises(Invalid) as wrong:
        auth.login_attempt(email=client_user.email, password="wrong", ip=IP)
    with pytest.raises(Invalid) as unknown:
        auth.login_attempt(email="nobody@example.test", password="wrong", ip=IP)
    assert unknown.value.message == wrong.value.message
    row = audit("login.failure")[-1]
    assert row.actor_public_id is None
    assert row.subject_public_id is None
    assert_no_email_in_audit("nobody@example.test")


def test_an_inactive_account_cannot_sign_in(make_user):
    user = make_user(is_active=False)
    with pytest.raises(Invalid):
        auth.login_attempt(email=user.email, password=PASSWORD, ip=IP)


def fail(email, *, ip=IP, times=1):
    for _ in range(times):
        with pytest.raises(Invalid):
            auth.login_attempt(email=email, password="wrong", ip=ip)


def test_five_failures_from_one_address_lock_that_address_for_fifteen_minutes(
    client_user, time_machine
):
    time_machine.move_to(T0, tick=False)
    fail(client_user.email, times=4)
    with pytest.raises(RateLimited) as fifth:
        auth.login_attempt(email=client_user.email, password="wrong", ip=IP)
    assert fifth.value.retry_after_s == 15 * 60
    (started,) = audit("login.lockout")
    assert started.object_type == "started"
    assert started.subject_public_id == client_user.public_id

    time_machine.move_to(T0 + 10 * MIN, tick=False)
    with pytest.raises(RateLimited) as refused:  # even the right password
        auth.login_attempt(email=client_user.email, password=PASSWORD, ip=IP)
    assert refused.value.retry_after_s == 5 * 60
    assert audit("login.lockout")[-1].object_type == "refused"
    assert LoginFailure.objects.count() == 5  # refused attempts are not new failures

    # another network is not locked by this pair
    assert auth.login_attempt(email=client_user.email, password=PASSWORD, ip=OTHER_IP)


def test_after_the_cooloff_the_right_password_works_again(client_user, time_machine):
    time_machine.move_to(T0, tick=False)
    fail(client_user.email, times=4)
    with pytest.raises(RateLimited):
        auth.login_attempt(email=client_user.email, password="wrong", ip=IP)
    time_machine.move_to(T0 + 15 * MIN - dt.timedelta(seconds=1), tick=False)
    with pytest.raises(RateLimited):
        auth.login_attempt(email=client_user.email, password=PASSWORD, ip=IP)
    time_machine.move_to(T0 + 15 * MIN, tick=False)
    assert auth.login_attempt(email=client_user.email, password=PASSWORD, ip=IP) == client_user
    assert LoginFailure.objects.count() == 5  # history is kept


def test_one_failure_after_the_cooloff_does_not_lock_again(client_user, time_machine):
    time_machine.move_to(T0, tick=False)
    fail(client_user.email, times=4)
    with pytest.raises(RateLimited):
        auth.login_attempt(email=client_user.email, password="wrong", ip=IP)
    time_machine.move_to(T0 + 16 * MIN, tick=False)
    fail(client_user.email)  # Invalid, not RateLimited
    assert auth.login_attempt(email=client_user.email, password=PASSWORD, ip=IP) == client_user


def test_twenty_failures_for_one_address_from_many_networks_lock_it_everywhere(
    client_user, time_machine
):
    time_machine.move_to(T0, tick=False)
    for n in range(19):
        fail(client_user.email, ip=f"192.0.2.{n % 5 + 1}")  # never 5 from one network
        time_machine.shift(dt.timedelta(seconds=30))
    last_failure_at = timezone.now()
    with pytest.raises(RateLimited):
        auth.login_attempt(email=client_user.email, password="wrong", ip="192.0.2.99")
    with pytest.raises(RateLimited) as exc:
        auth.login_attempt(email=client_user.email, password=PASSWORD, ip="192.0.2.200")
    assert exc.value.retry_after_s == 15 * 60
    time_machine.move_to(last_failure_at + 15 * MIN, tick=False)
    assert auth.login_attempt(email=client_user.email, password=PASSWORD, ip="192.0.2.200")


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(client_user, time_machine):
    time_machine.move_to(T0, tick=False)
    for _ in range(8):
        fail(client_user.email)
        time_machine.shift(dt.timedelta(minutes=4))
    assert auth.login_attempt(email=client_user.email, password=PASSWORD, ip=IP) == client_user


def test_a_successful_sign_in_does_not_forgive_earlier_failures(client_user, time_machine):
    time_machine.move_to(T0, tick=False)
    fail(client_user.email, times=4)
    assert auth.login_attempt(email=client_user.email, password=PASSWORD, ip=IP)
    with pytest.raises(RateLimited):
        auth.login_attempt(email=client_user.email, password="wrong", ip=IP)


def test_unknown_addresses_lock_like_known_ones(time_machine):
    time_machine.move_to(T0, tick=False)
    fail("ghost@example.test", times=4)
    with pytest.raises(RateLimited):
        auth.login_attempt(email="Ghost@example.test", password="wrong", ip=IP)
    assert audit("login.lockout")[0].actor_public_id is None


def test_the_lockout_numbers_come_from_settings(client_user, settings, time_machine):
    time_machine.move_to(T0, tick=False)
    settings.LOCKOUT_MAX_PER_EMAIL_IP = 2
    fail(client_user.email)
    with pytest.raises(RateLimited):
        auth.login_attempt(email=client_user.email, password="wrong", ip=IP)


# --- completing the login, two-factor hand-over, logout -----------------------------------------


def test_login_complete_rotates_the_session_and_registers_it(client_user):
    request = session_request()
    request.session["anything"] = "kept"
    before = request.session.session_key
    row = auth.login_complete(request=request, user=client_user, mfa_verified=False)
    assert request.session.session_key != before
    assert request.session[SESSION_KEY] == str(client_user.pk)
    assert row.session_key == request.session.session_key
    assert row.user == client_user
    assert row.ip == IP
    (success,) = audit("login.success")
    assert success.actor_public_id == client_user.public_id
    assert success.object_type == "password"


def confirm_totp(user):
    return TOTPDevice.objects.create(
        user=user, secret="JBSWY3DPEHPK3PXP", confirmed_at=timezone.now(), created_at=T0
    )


def test_with_two_factor_the_password_alone_does_not_sign_in(client_user, time_machine):
    time_machine.move_to(T0, tick=False)
    confirm_totp(client_user)
    request = session_request()
    step = auth.login_after_password(request=request, user=client_user, next_url="/accounts/")
    assert step == "mfa"
    assert SESSION_KEY not in request.session
    assert request.session[auth.MFA_PENDING_KEY] == {
        "public_id": str(client_user.public_id),
        "at": T0.timestamp(),
        "next": "/accounts/",
    }
    assert not UserSession.objects.exists()
    assert not audit("login.success")


def test_login_complete_refuses_to_skip_the_second_factor(client_user):
    confirm_totp(client_user)
    with pytest.raises(PermissionDenied):
        auth.login_complete(request=session_request(), user=client_user, mfa_verified=False)


def test_login_complete_after_the_second_factor_clears_the_pending_step(client_user):
    confirm_totp(client_user)
    request = session_request()
    auth.login_after_password(request=request, user=client_user)
    row = auth.login_complete(request=request, user=client_user, mfa_verified=True)
    assert row.mfa_verified is True
    assert auth.MFA_PENDING_KEY not in request.session
    assert audit("login.success")[0].object_type == "mfa"


def test_without_two_factor_the_password_step_signs_in(client_user):
    request = session_request()
    assert auth.login_after_password(request=request, user=client_user) == "done"
    assert request.session[SESSION_KEY] == str(client_user.pk)


def test_logout_forgets_the_session_and_is_audited(client_user):
    request = session_request()
    auth.login_complete(request=request, user=client_user, mfa_verified=False)
    request.user = client_user
    auth.logout_user(request=request)
    assert not UserSession.objects.exists()
    assert SESSION_KEY not in request.session
    (row,) = audit("logout")
    assert row.actor_public_id == client_user.public_id
