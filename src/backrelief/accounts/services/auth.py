"""Sign-up, email verification, login with lockout, logout, and account mail (issue 2 §6).

Password change and reset live in `services/passwords.py`, profile changes in
`services/profile.py` (STYLE.md rule 9: split by concept).

Decisions where the issue is silent:

- **Unverified people can sign in.** They see the "please verify" notice and can ask for the
  link again; nothing else is ever mailed to them (see `account_mail_send`). Blocking sign-in
  would strand people whose link expired.
- **Duplicate email at sign-up is reported on the field.** Sign-up is the one place where an
  address's existence shows (OWASP ASVS 2.2 accepts this with anti-automation in place);
  login and password reset never reveal it.
- **The lockout answers before the password is checked**, so a correct password is refused
  while locked; refused attempts are audited but not counted as new failures (otherwise a lock
  could be extended for ever by an attacker).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any, Literal

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backrelief.accounts import lockout, preferences
from backrelief.accounts.access import mfa_device_confirmed
from backrelief.accounts.models import SIGNUP_ROLES, LoginFailure, User, UserSession
from backrelief.accounts.services.sessions import session_register
from backrelief.core.audit import audit_record
from backrelief.core.errors import Conflict, Invalid, PermissionDenied, RateLimited
from backrelief.core.models import AuditOutcome

logger = logging.getLogger(__name__)

VERIFY_MAX_AGE = dt.timedelta(days=3)
MFA_PENDING_KEY = "br_mfa_pending"

MailKind = Literal["verify_email", "password_reset"]


# --- account mail -------------------------------------------------------------------------------


def account_mail_send(
    *, user: User, kind: MailKind, subject: Promise | str, context: dict[str, Any]
) -> None:
    """The one door for account mail: render now, send after the transaction commits.

    Rule (issue 2 §6): nothing but the verification mail goes to an unverified address, so a
    typo in someone's address never leaks anything to a stranger. Mails are plain text plus
    HTML from `templates/accounts/email/<kind>.{txt,html}` in the person's language, and carry
    no health data. A failed delivery is logged (with the public id, never the address) and
    does not undo the committed change.
    """
    if kind != "verify_email" and not user.email_verified:
        raise ValueError(f"Refusing to send {kind!r} mail to an unverified address.")
    language = user.locale if user.locale in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        full_context = {"display_name": user.display_name, "base_url": _base_url(), **context}
        message = EmailMultiAlternatives(
            subject=str(subject),
            body=render_to_string(f"accounts/email/{kind}.txt", full_context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
        message.attach_alternative(
            render_to_string(f"accounts/email/{kind}.html", full_context), "text/html"
        )
    public_id = user.public_id
    transaction.on_commit(lambda: _deliver(message, kind=kind, public_id=public_id))


def _deliver(message: EmailMultiAlternatives, *, kind: str, public_id: uuid.UUID) -> None:
    try:
        message.send()
    except Exception as exc:  # the change is committed; a lost mail can be requested again
        logger.error("Could not send %s mail to user %s: %s", kind, public_id, type(exc).__name__)


def _base_url() -> str:
    return str(settings.BASE_URL).rstrip("/")


# --- sign-up ------------------------------------------------------------------------------------


def normalize_email(email: str) -> str:
    """Addresses are compared and stored lower-cased (issue 2 §6: unique case-insensitively)."""
    return email.strip().lower()


@transaction.atomic
def user_signup(
    *,
    email: str,
    password: str,
    role: str,
    display_name: str,
    time_zone: str,
    locale: str,
) -> User:
    """Create an account and send the verification link.

    Rules (issue 2 §6): role is client or therapist (staff are appointed, never
    self-registered); the email is unique case-insensitively; the password passes
    AUTH_PASSWORD_VALIDATORS (OWASP ASVS 2.1.1/2.1.2/2.1.7/2.1.9: ≥ 8, ≤ 128 so ≥ 64 is
    accepted, not a common password, no composition rules); display name, time zone (IANA)
    and language follow `accounts/preferences.py`. Invalid input raises `Invalid` with every
    field's messages and stores nothing. Audited as `account.created`.
    """
    email = normalize_email(email)
    display_name = preferences.clean_display_name(display_name)
    errors: dict[str, list[str]] = {}
    if len(email) > preferences.EMAIL_MAX:
        errors["email"] = [_("Use at most %(max)d characters.") % {"max": preferences.EMAIL_MAX}]
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter an email address such as name@example.com.")]
    if "email" not in errors and User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_email_taken()]
    if role not in SIGNUP_ROLES:
        errors["role"] = [_("Choose whether you are signing up as a client or a therapist.")]
    for name, messages in (
        ("display_name", preferences.display_name_errors(display_name)),
        ("time_zone", preferences.time_zone_errors(time_zone)),
        ("locale", preferences.locale_errors(locale, available=dict(settings.LANGUAGES))),
    ):
        if messages:
            errors[name] = messages
    try:
        validate_password(password, user=User(email=email, display_name=display_name))
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise Invalid(_("Please correct the marked fields."), fields=errors)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email,
                password,
                role=role,
                display_name=display_name,
                time_zone=time_zone,
                locale=locale,
            )
    except IntegrityError:  # a concurrent sign-up with the same address won the race
        raise Invalid(_email_taken(), fields={"email": [_email_taken()]}) from None
    audit_record(action="account.created", actor=user, subject=user, object_type="user")
    email_verification_send(user=user)
    return user


def _email_taken() -> str:
    return _("An account with this email address already exists. Sign in, or reset your password.")


# --- email verification -------------------------------------------------------------------------


def _verify_signer(user: User) -> signing.TimestampSigner:
    # Salted with the public id and the *current* address: a link stops working when the
    # address changes, and one person's link can never verify another account.
    return signing.TimestampSigner(salt=f"backrelief.verify-email:{user.public_id}:{user.email}")


def email_verification_token(*, user: User) -> str:
    """A signed, timestamped token naming the user; valid for 3 days (`VERIFY_MAX_AGE`)."""
    return _verify_signer(user).sign(str(user.public_id))


def email_verification_send(*, user: User) -> None:
    """Mail the verification link (issue 2 §6). Refused when the address is already verified."""
    if user.email_verified:
        raise Conflict(_("Your email address is already verified."), code="already_verified")
    path = reverse("accounts:verify_email", kwargs={"token": email_verification_token(user=user)})
    account_mail_send(
        user=user,
        kind="verify_email",
        subject=gettext_lazy("Confirm your email address for BackRelief"),
        context={"link": _base_url() + path, "valid_days": VERIFY_MAX_AGE.days},
    )


def _bad_link() -> Invalid:
    return Invalid(
        _("This confirmation link is not valid. Sign in and ask for a new one."),
        code="link_invalid",
    )


@transaction.atomic
def email_verify(*, token: str) -> User:
    """Mark the address verified from a link's token (issue 2 §6).

    Raises `Invalid` (code link_invalid / link_expired) for a tampered, foreign or expired
    token, `Conflict` (already_verified) when the address is verified already. Audited as
    `email.verified`.
    """
    try:
        public_id = uuid.UUID(token.split(":", 1)[0])
    except ValueError:
        raise _bad_link() from None
    user = User.objects.select_for_update().filter(public_id=public_id, is_active=True).first()
    if user is None:
        raise _bad_link()
    try:
        _verify_signer(user).unsign(token, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired:
        raise Invalid(
            _("This confirmation link has expired. Sign in and ask for a new one."),
            code="link_expired",
        ) from None
    except signing.BadSignature:
        raise _bad_link() from None
    if user.email_verified:
        raise Conflict(_("Your email address is already verified."), code="already_verified")
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    audit_record(action="email.verified", actor=user, subject=user, object_type="user")
    return user


# --- login --------------------------------------------------------------------------------------


def lockout_policy() -> lockout.LockoutPolicy:
    """The lockout numbers from settings.LOCKOUT_* (issue 2 §6: 5 / 20 in 15 min, 15 min)."""
    return lockout.LockoutPolicy(
        window=dt.timedelta(seconds=settings.LOCKOUT_WINDOW_S),
        cooloff=dt.timedelta(seconds=settings.LOCKOUT_COOLOFF_S),
        max_per_email_ip=settings.LOCKOUT_MAX_PER_EMAIL_IP,
        max_per_email=settings.LOCKOUT_MAX_PER_EMAIL,
    )


def _failure_key(email: str) -> str:
    # The address as typed (lower-cased), also for unknown addresses: the lock must not
    # behave differently for accounts that exist (no enumeration).
    return normalize_email(email).replace("\x00", "")[: preferences.EMAIL_MAX]


def _lock_state(
    *, key: str, ip: str | None, now: dt.datetime, policy: lockout.LockoutPolicy
) -> tuple[list[dt.datetime], list[dt.datetime]]:
    rows = LoginFailure.objects.filter(email=key, at__gt=now - policy.lookback).values_list(
        "ip", "at"
    )
    email_failures = [at for _ip, at in rows]
    pair_failures = [at for row_ip, at in rows if row_ip == ip]
    return pair_failures, email_failures


def _rate_limited(*, until: dt.datetime, now: dt.datetime) -> RateLimited:
    seconds = lockout.retry_after_seconds(until=until, now=now)
    minutes = -(-seconds // 60)
    return RateLimited(
        translation.ngettext(
            "Too many failed sign-in attempts. Try again in %(minutes)d minute, or reset your "
            "password.",
            "Too many failed sign-in attempts. Try again in %(minutes)d minutes, or reset your "
            "password.",
            minutes,
        )
        % {"minutes": minutes},
        retry_after_s=seconds,
    )


def login_attempt(*, email: str, password: str, ip: str | None) -> User:
    """Check a password sign-in against the lockout rule; returns the user on success.

    Rule (issue 2 §6, `accounts/lockout.py`): locked after 5 failures per (email, IP) or 20
    per email within 15 minutes, for 15 minutes from the failure that reached the threshold;
    the failures are rows in the database so every process agrees. While locked the password
    is not even checked (`RateLimited` with `retry_after_s`). A wrong password raises
    `Invalid` (code bad_credentials) with one message for unknown address and wrong password
    alike. Successful sign-in removes no failures, but old failures stop mattering after the
    cool-off. Audited: `login.failure` for each wrong password, `login.lockout` when a lock
    starts (object_type "started") and for each refused attempt ("refused"); actor and
    subject are the account's public id, or none for unknown addresses. Success is audited
    by `login_complete`.

    Not wrapped in one transaction on purpose: the failure row and its audit row must be
    committed even though the function then raises.
    """
    now = timezone.now()
    policy = lockout_policy()
    key = _failure_key(email)
    account = User.objects.filter(email__iexact=key).first() if key else None
    pair_failures, email_failures = _lock_state(key=key, ip=ip, now=now, policy=policy)
    until = lockout.locked_until(
        pair_failures=pair_failures, email_failures=email_failures, now=now, policy=policy
    )
    if until is not None:
        _audit_lockout(account=account, phase="refused", now=now)
        raise _rate_limited(until=until, now=now)

    user = authenticate(None, username=key, password=password) if key and password else None
    if isinstance(user, User):
        return user

    with transaction.atomic():
        LoginFailure.objects.create(email=key, ip=ip, at=now)
        audit_record(
            action="login.failure",
            actor=account,
            subject=account,
            object_type="password",
            outcome=AuditOutcome.DENIED,
            at=now,
        )
        until = lockout.locked_until(
            pair_failures=[*pair_failures, now],
            email_failures=[*email_failures, now],
            now=now,
            policy=policy,
        )
        if until is not None:
            _audit_lockout(account=account, phase="started", now=now)
    if until is not None:
        raise _rate_limited(until=until, now=now)
    raise Invalid(
        _("The email address or password is not right. Check both, or reset your password."),
        code="bad_credentials",
    )


def login_after_password(
    *, request: HttpRequest, user: User, next_url: str | None = None
) -> Literal["done", "mfa"]:
    """Finish the password step: sign in, or hand over to the two-factor step.

    Rule (issue 2 §6): a person with a confirmed TOTP device is NOT signed in by the password
    alone. Instead the still-anonymous session stores `MFA_PENDING_KEY` ("br_mfa_pending") =
    {"public_id": "<uuid>", "at": <unix seconds>, "next": "<safe local URL>" (optional)} and
    the caller redirects to `accounts:login_mfa`; that view checks the code and calls
    `login_complete(..., mfa_verified=True)`. Returns "mfa" in that case, "done" when signed
    in. `next_url` must already be checked as safe by the caller.
    """
    if mfa_device_confirmed(user=user):
        pending: dict[str, Any] = {
            "public_id": str(user.public_id),
            "at": timezone.now().timestamp(),
        }
        if next_url:
            pending["next"] = next_url
        request.session[MFA_PENDING_KEY] = pending
        return "mfa"
    login_complete(request=request, user=user, mfa_verified=False)
    return "done"


@transaction.atomic
def login_complete(*, request: HttpRequest, user: User, mfa_verified: bool) -> UserSession:
    """Sign `user` in on this request.

    Contract (issue 2 §6): `django.contrib.auth.login` issues a new session id (no session
    fixation), then the session is registered for the sessions page
    (`services.sessions.session_register`) and `login.success` is audited (object_type
    "password" or "mfa"). Any pending two-factor marker is cleared. Called by the password
    step for people without two-factor, and by the two-factor view with `mfa_verified=True`;
    called with `mfa_verified=False` for someone with a confirmed device it refuses
    (`PermissionDenied`), so the second factor cannot be skipped by mistake.
    """
    if not mfa_verified and mfa_device_confirmed(user=user):
        raise PermissionDenied(
            _("Enter the code from your authenticator app to finish signing in."),
            code="mfa_required",
        )
    request.session.pop(MFA_PENDING_KEY, None)
    django_login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    row = session_register(request=request, user=user, mfa_verified=mfa_verified)
    audit_record(
        action="login.success",
        actor=user,
        subject=user,
        object_type="mfa" if mfa_verified else "password",
    )
    return row


@transaction.atomic
def logout_user(*, request: HttpRequest) -> None:
    """Sign out this browser: audit `logout`, forget the session row, flush the session."""
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        audit_record(action="logout", actor=user, subject=user, object_type="session")
        key = request.session.session_key
        if key:
            UserSession.objects.filter(user=user, session_key=key).delete()
    django_logout(request)


def _audit_lockout(*, account: User | None, phase: str, now: dt.datetime) -> None:
    """One `login.lockout` row: `phase` is "started" (this failure reached the threshold) or
    "refused" (an attempt arrived while locked)."""
    audit_record(
        action="login.lockout",
        actor=account,
        subject=account,
        object_type=phase,
        outcome=AuditOutcome.DENIED,
        at=now,
    )
