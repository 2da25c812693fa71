"""Password change and reset, against the database (issue 2 §6)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import RequestFactory

from backrelief.accounts.models import UserSession
from backrelief.accounts.services import auth, passwords
from backrelief.core.errors import Invalid
from backrelief.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is the production hasher (settings); these tests are about flows, not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


T0 = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
NEW = "a brand new long passphrase"


def signed_in(user):
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5")
    request.session = SessionStore()
    request.session.save()
    auth.login_complete(request=request, user=user, mfa_verified=False)
    request.session.save()
    request.user = user
    return request


def reset_link(mail):
    match = re.search(r"/accounts/password/reset/([^/]+)/([^/]+)/", mail.body)
    assert match, mail.body
    return match.group(1), match.group(2)


def request_reset(email, capture):
    with capture(execute=True):
        passwords.password_reset_request(email=email)


# --- change -------------------------------------------------------------------------------------


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(client_user, password):
    here = signed_in(client_user)
    elsewhere = signed_in(client_user)
    key_before = here.session.session_key
    ended = passwords.password_change(
        request=here, user=client_user, current_password=password, new_password=NEW
    )
    assert ended == 1
    client_user.refresh_from_db()
    assert client_user.check_password(NEW)
    assert not Session.objects.filter(session_key=elsewhere.session.session_key).exists()
    assert here.session.session_key != key_before  # kept, under a new id
    (row,) = UserSession.objects.filter(user=client_user)
    assert row.session_key == here.session.session_key
    (audit,) = AuditEvent.objects.filter(action="password.changed")
    assert audit.subject_public_id == client_user.public_id


def test_the_current_password_is_required(client_user):
    here = signed_in(client_user)
    with pytest.raises(Invalid) as exc:
        passwords.password_change(
            request=here, user=client_user, current_password="guess", new_password=NEW
        )
    assert set(exc.value.fields) == {"current_password"}
    client_user.refresh_from_db()
    assert not client_user.check_password(NEW)
    assert not AuditEvent.objects.filter(action="password.changed").exists()


@pytest.mark.parametrize("new", ["short", "password123", "x" * 129])
def test_the_new_password_follows_the_rules(client_user, password, new):
    here = signed_in(client_user)
    with pytest.raises(Invalid) as exc:
        passwords.password_change(
            request=here, user=client_user, current_password=password, new_password=new
        )
    assert set(exc.value.fields) == {"new_password"}
    client_user.refresh_from_db()
    assert client_user.check_password(password)


# --- reset --------------------------------------------------------------------------------------


def test_a_reset_link_sets_a_new_password_once_and_ends_every_session(
    client_user, mailoutbox, django_capture_on_commit_callbacks
):
    session = signed_in(client_user)
    request_reset(client_user.email.upper(), django_capture_on_commit_callbacks)
    (mail,) = mailoutbox
    assert mail.to == [client_user.email]
    assert mail.alternatives[0][1] == "text/html"
    uidb64, token = reset_link(mail)
    assert str(client_user.pk) != uidb64  # the link names the public id, not the integer key
    assert passwords.password_reset_check(uidb64=uidb64, token=token) == client_user

    passwords.password_reset_confirm(uidb64=uidb64, token=token, new_password=NEW)
    client_user.refresh_from_db()
    assert client_user.check_password(NEW)
    assert not Session.objects.filter(session_key=session.session.session_key).exists()
    assert not UserSession.objects.filter(user=client_user).exists()

    with pytest.raises(Invalid) as again:
        passwords.password_reset_confirm(uidb64=uidb64, token=token, new_password="another one!")
    assert again.value.code == "link_invalid"
    actions = list(
        AuditEvent.objects.filter(subject_public_id=client_user.public_id)
        .order_by("id")
        .values_list("action", "actor_public_id")
    )
    assert ("password.reset_requested", None) in actions
    assert ("password.reset", client_user.public_id) in actions
    for row in AuditEvent.objects.all():
        assert client_user.email not in str(vars(row))


def test_a_reset_link_expires_after_sixty_minutes(
    client_user, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(T0, tick=False)
    request_reset(client_user.email, django_capture_on_commit_callbacks)
    uidb64, token = reset_link(mailoutbox[0])
    time_machine.move_to(T0 + dt.timedelta(minutes=59), tick=False)
    assert passwords.password_reset_check(uidb64=uidb64, token=token) == client_user
    time_machine.move_to(T0 + dt.timedelta(minutes=60, seconds=1), tick=False)
    with pytest.raises(Invalid):
        passwords.password_reset_check(uidb64=uidb64, token=token)
    with pytest.raises(Invalid):
        passwords.password_reset_confirm(uidb64=uidb64, token=token, new_password=NEW)
    client_user.refresh_from_db()
    assert not client_user.check_password(NEW)


@pytest.mark.parametrize(
    ("uidb64", "token"),
    [("AAAAAAAAAAAAAAAAAAAAAA", "abc-def"), ("!!", "x"), ("", ""), ("Zm9v", "1-2")],
)
def test_forged_reset_links_are_refused(client_user, uidb64, token):
    with pytest.raises(Invalid):
        passwords.password_reset_check(uidb64=uidb64, token=token)


def test_another_accounts_token_does_not_fit(
    client_user, other_client, mailoutbox, django_capture_on_commit_callbacks
):
    request_reset(client_user.email, django_capture_on_commit_callbacks)
    _uid, token = reset_link(mailoutbox[0])
    with pytest.raises(Invalid):
        passwords.password_reset_check(
            uidb64=passwords.password_reset_uid(user=other_client), token=token
        )


def test_a_weak_new_password_keeps_the_link_usable(
    client_user, mailoutbox, django_capture_on_commit_callbacks
):
    request_reset(client_user.email, django_capture_on_commit_callbacks)
    uidb64, token = reset_link(mailoutbox[0])
    with pytest.raises(Invalid) as exc:
        passwords.password_reset_confirm(uidb64=uidb64, token=token, new_password="short")
    assert set(exc.value.fields) == {"new_password"}
    passwords.password_reset_confirm(uidb64=uidb64, token=token, new_password=NEW)


def test_an_unknown_address_gets_nothing_and_is_not_revealed(
    mailoutbox, django_capture_on_commit_callbacks
):
    request_reset("nobody@example.test", django_capture_on_commit_callbacks)
    assert mailoutbox == []
    assert not AuditEvent.objects.exists()


def test_an_unverified_address_gets_the_verification_mail_instead(
    make_user, mailoutbox, django_capture_on_commit_callbacks
):
    user = make_user(verified=False)
    request_reset(user.email, django_capture_on_commit_callbacks)
    (mail,) = mailoutbox
    assert "/accounts/verify/" in mail.body
    assert "/password/reset/" not in mail.body


def test_reset_mails_are_limited_to_three_per_fifteen_minutes(
    client_user, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(T0, tick=False)
    for _ in range(5):
        request_reset(client_user.email, django_capture_on_commit_callbacks)
        time_machine.shift(dt.timedelta(minutes=1))
    assert len(mailoutbox) == 3
    assert AuditEvent.objects.filter(object_type="mail_suppressed").count() == 2
    time_machine.move_to(T0 + dt.timedelta(minutes=16), tick=False)
    request_reset(client_user.email, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 4
