"""Password change and password reset (issue 2 §6; OWASP ASVS 2.1, 2.5).

Decisions where the issue is silent:

- **A reset for an unverified address sends the verification mail instead** of a reset link
  (nothing but verification goes to an unverified address; `services.auth.account_mail_send`).
  Once verified, the person can ask for the reset again.
- **At most `RESET_MAILS_PER_WINDOW` reset mails per account per `RESET_WINDOW`**, counted
  from the audit log (`password.reset_requested` rows with object_type "mail_sent"), so the
  form cannot be used to flood someone's inbox. The page answers the same either way.
- Reset links name the account by its public id (base64 of the UUID), never the integer key.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backrelief.accounts.models import User, UserSession
from backrelief.accounts.services.auth import (
    account_mail_send,
    email_verification_send,
    normalize_email,
)
from backrelief.accounts.services.sessions import sessions_end_all
from backrelief.core.audit import audit_record
from backrelief.core.errors import Invalid
from backrelief.core.models import AuditEvent

RESET_MAILS_PER_WINDOW = 3
RESET_WINDOW = dt.timedelta(minutes=15)
_MAIL_SENT = "mail_sent"
_MAIL_SUPPRESSED = "mail_suppressed"


def _password_errors(password: str, user: User) -> list[str]:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


@transaction.atomic
def password_change(
    *, request: HttpRequest, user: User, current_password: str, new_password: str
) -> int:
    """Change the password of the signed-in person; returns how many other sessions ended.

    Rules (issue 2 §6; OWASP ASVS 2.1.5/2.1.6, 3.3.3): the current password is required; the
    new one passes AUTH_PASSWORD_VALIDATORS; every *other* session ends
    (`sessions_end_all`) while this one stays signed in with a new session id
    (`update_session_auth_hash`). Audited as `password.changed`.
    """
    errors: dict[str, list[str]] = {}
    if not user.check_password(current_password):
        errors["current_password"] = [_("That is not your current password.")]
    else:
        messages = _password_errors(new_password, user)
        if messages:
            errors["new_password"] = messages
    if errors:
        raise Invalid(_("Please correct the marked fields."), fields=errors)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    old_key = request.session.session_key
    ended = sessions_end_all(user=user, keep_session_key=old_key)
    update_session_auth_hash(request, user)  # keeps this session, under a new id
    new_key = request.session.session_key
    if old_key and new_key and new_key != old_key:
        UserSession.objects.filter(user=user, session_key=old_key).update(session_key=new_key)
    audit_record(action="password.changed", actor=user, subject=user, object_type="user")
    return ended


# --- reset --------------------------------------------------------------------------------------


def password_reset_uid(*, user: User) -> str:
    """The account part of a reset link: base64 of the public id (never the integer key)."""
    return urlsafe_base64_encode(user.public_id.bytes)


def _user_from_uid(uidb64: str) -> User | None:
    try:
        public_id = uuid.UUID(bytes=urlsafe_base64_decode(uidb64))
    except (ValueError, TypeError):
        return None
    return User.objects.filter(public_id=public_id, is_active=True).first()


@transaction.atomic
def password_reset_request(*, email: str) -> None:
    """Mail a reset link to the account with this address, if there is one.

    Rules (issue 2 §6; OWASP ASVS 2.5.x, no user enumeration): the caller answers the same
    whatever happens here — unknown address, inactive account, unverified address (which gets
    the verification mail instead) and rate-limited requests all look alike. The link is
    Django's `PasswordResetTokenGenerator` token: single use (it hashes the password, which the
    reset changes) and valid for PASSWORD_RESET_TIMEOUT (60 minutes). Audited as
    `password.reset_requested` (actor none: the requester is not signed in).
    """
    user = User.objects.filter(email__iexact=normalize_email(email), is_active=True).first()
    if user is None:
        return
    now = timezone.now()
    recent = AuditEvent.objects.filter(
        action="password.reset_requested",
        subject_public_id=user.public_id,
        object_type=_MAIL_SENT,
        at__gt=now - RESET_WINDOW,
    ).count()
    if recent >= RESET_MAILS_PER_WINDOW:
        audit_record(
            action="password.reset_requested",
            actor=None,
            subject=user,
            object_type=_MAIL_SUPPRESSED,
        )
        return
    audit_record(
        action="password.reset_requested", actor=None, subject=user, object_type=_MAIL_SENT
    )
    if not user.email_verified:
        email_verification_send(user=user)
        return
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": password_reset_uid(user=user),
            "token": default_token_generator.make_token(user),
        },
    )
    account_mail_send(
        user=user,
        kind="password_reset",
        subject=gettext_lazy("Reset your BackRelief password"),
        context={
            "link": str(settings.BASE_URL).rstrip("/") + path,
            "valid_minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        },
    )


def _link_invalid() -> Invalid:
    return Invalid(
        _(
            "This reset link is not valid any more: it was used already or is over 60 minutes "
            "old. Ask for a new one."
        ),
        code="link_invalid",
    )


def password_reset_check(*, uidb64: str, token: str) -> User:
    """The account a reset link belongs to; `Invalid` when the link is used, old or forged."""
    user = _user_from_uid(uidb64)
    if user is None or not default_token_generator.check_token(user, token):
        raise _link_invalid()
    return user


@transaction.atomic
def password_reset_confirm(*, uidb64: str, token: str, new_password: str) -> User:
    """Set a new password from a reset link, then end every session of the account.

    Rules (issue 2 §6): the link works once and for 60 minutes (see `password_reset_request`);
    the row is locked so two concurrent submissions cannot both use it; the new password
    passes AUTH_PASSWORD_VALIDATORS; all sessions end (OWASP ASVS 3.3.3). Audited as
    `password.reset`.
    """
    found = password_reset_check(uidb64=uidb64, token=token)
    user = User.objects.select_for_update().get(pk=found.pk)
    if not default_token_generator.check_token(user, token):
        raise _link_invalid()
    messages = _password_errors(new_password, user)
    if messages:
        raise Invalid(_("Please choose another password."), fields={"new_password": messages})
    user.set_password(new_password)
    user.save(update_fields=["password"])
    sessions_end_all(user=user)
    audit_record(action="password.reset", actor=user, subject=user, object_type="user")
    return user
