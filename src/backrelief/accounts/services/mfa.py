"""TOTP two-factor authentication and recovery codes (issue 2 §6).

Rules enforced here, once, for pages and API alike:

- Setting up: a new *unconfirmed* device with a fresh secret replaces any earlier unconfirmed
  one; it becomes active only after a correct code (so nobody locks themselves out with a
  mistyped secret). Confirming creates 10 recovery codes, shown once.
- Verifying: a 6-digit code within ±1 time step, never a step already used (RFC 6238 §5.2), or
  an unused recovery code, which is then spent. The "no replay" rule is guarded in the
  database by a conditional UPDATE (`last_step < step`), so two concurrent requests with the
  same code cannot both succeed, on SQLite and PostgreSQL alike.
- Throttling: after `MAX_FAILURES` wrong codes for one account within `FAILURE_WINDOW_S`,
  every code check for that account is refused until the window passes. The count is read
  from the audit log (`mfa.failure` rows), so it holds across processes and login attempts.
- Disabling needs the current password and a code, and is refused for staff, for whom
  two-factor authentication is required.

Every outcome is audited (`mfa.*`); secrets and codes never appear in audit rows or logs.
Failed checks are audited outside the transaction so that the record survives the error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from backrelief.accounts import totp
from backrelief.accounts.access import mfa_device_confirmed
from backrelief.accounts.models import RecoveryCode, TOTPDevice, User, UserSession
from backrelief.core.audit import audit_record
from backrelief.core.errors import Conflict, Invalid, PermissionDenied, RateLimited
from backrelief.core.models import AuditEvent, AuditOutcome

MAX_FAILURES = 10
FAILURE_WINDOW_S = 15 * 60


@dataclass(frozen=True)
class MfaStatus:
    enabled: bool
    pending_setup: bool
    recovery_codes_left: int


def mfa_status(*, user: User) -> MfaStatus:
    """Whether two-factor authentication is on and how many recovery codes are unused."""
    device = TOTPDevice.objects.filter(user=user).first()
    enabled = device is not None and device.confirmed
    left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count() if enabled else 0
    return MfaStatus(
        enabled=enabled, pending_setup=device is not None and not enabled, recovery_codes_left=left
    )


def mfa_pending_device(*, user: User) -> TOTPDevice | None:
    """The unconfirmed device whose secret the setup page shows, if setup has begun."""
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=True).first()


@transaction.atomic
def mfa_begin_setup(*, user: User, now: dt.datetime) -> TOTPDevice:
    """Create, or replace, the user's unconfirmed device with a fresh secret.

    Refused (Conflict) when a confirmed device exists: switching phones means turning
    two-factor off and on again (or, for staff, asking another staff member).
    """
    device = TOTPDevice.objects.select_for_update().filter(user=user).first()
    if device is not None and device.confirmed:
        raise Conflict(
            _("Two-factor authentication is already on for your account."),
            code="mfa_already_enabled",
        )
    if device is None:
        device = TOTPDevice(user=user)
    device.secret = totp.new_secret()
    device.created_at = now
    device.last_step = None
    device.confirmed_at = None
    device.full_clean(exclude=["user"])
    device.save()
    return device


def mfa_confirm_setup(
    *, user: User, code: str, now: dt.datetime, session_key: str | None
) -> list[str]:
    """Activate the pending device with a correct code; returns 10 new recovery codes.

    The codes are returned this once and stored only as hashes. The session that confirmed is
    marked as verified with two-factor (it has just proven possession of the device).
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user).first()
        if device is None:
            raise Conflict(
                _("Start the two-factor setup first, then enter the code your app shows."),
                code="mfa_setup_not_started",
            )
        if device.confirmed:
            raise Conflict(
                _("Two-factor authentication is already on for your account."),
                code="mfa_already_enabled",
            )
        step = totp.totp_match(secret=device.secret, code=code, now=now, last_step=None)
        if step is None:
            raise Invalid(
                _("That code did not match."),
                fields={"code": [_wrong_code_message()]},
                code="mfa_code_invalid",
            )
        device.confirmed_at = now
        device.last_step = step
        device.save(update_fields=["confirmed_at", "last_step"])
        codes = _replace_recovery_codes(user=user)
        if session_key:
            UserSession.objects.filter(user=user, session_key=session_key).update(mfa_verified=True)
        audit_record(action="mfa.enabled", actor=user, subject=user, object_type="totp", at=now)
    return codes


def mfa_verify_login(*, user: User, code: str, now: dt.datetime) -> str:
    """Check the second factor at sign-in: a TOTP code or an unused recovery code.

    Returns "totp" or "recovery". A recovery code is spent (single use). Raises Invalid for a
    wrong, reused or malformed code and RateLimited after too many failures.
    """
    return _verify(user=user, code=code, now=now, purpose="login", allow_recovery=True)


def mfa_verify_session(*, user: User, code: str, now: dt.datetime, session_key: str) -> str:
    """Verify an already signed-in session with a code (step-up, issue 2 §6).

    Needed when a session began before two-factor was turned on (e.g. on another device):
    staff and therapists must verify it before staff pages or client health data open.
    """
    method = _verify(user=user, code=code, now=now, purpose="session", allow_recovery=True)
    UserSession.objects.filter(user=user, session_key=session_key).update(mfa_verified=True)
    return method


def mfa_regenerate_recovery_codes(*, user: User, code: str, now: dt.datetime) -> list[str]:
    """Replace all recovery codes with 10 new ones; needs a current authenticator code.

    A recovery code is not accepted here: regenerating is for someone who still has the app.
    """
    _verify(user=user, code=code, now=now, purpose="regenerate", allow_recovery=False)
    with transaction.atomic():
        codes = _replace_recovery_codes(user=user)
        audit_record(
            action="mfa.recovery_regenerated",
            actor=user,
            subject=user,
            object_type="recovery_code",
            at=now,
        )
    return codes


def mfa_disable(*, user: User, password: str, code: str, now: dt.datetime) -> None:
    """Turn two-factor off: needs the current password and a code; never for staff.

    The device and all recovery codes are deleted and no session counts as verified any more.
    """
    if user.is_staff_role:
        raise PermissionDenied(
            _("Two-factor authentication is required for staff and cannot be turned off."),
            code="mfa_required_for_staff",
        )
    if not mfa_device_confirmed(user=user):
        raise Conflict(
            _("Two-factor authentication is not on for your account."), code="mfa_not_enabled"
        )
    _check_throttle(user=user, now=now)
    password_ok = bool(password) and len(password) <= 4096 and user.check_password(password)
    method = _consume(user=user, code=code, now=now, allow_recovery=False) if password_ok else None
    if method is None:
        _record_failure(user=user, purpose="disable", now=now)
        fields: dict[str, list[str]] = {}
        if not password_ok:
            fields["password"] = [_("That password is not correct.")]
        else:
            fields["code"] = [_wrong_code_message()]
        raise Invalid(_("Two-factor authentication is still on."), fields=fields)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        UserSession.objects.filter(user=user).update(mfa_verified=False)
        audit_record(action="mfa.disabled", actor=user, subject=user, object_type="totp", at=now)


# --- internals ---------------------------------------------------------------------------------


def _wrong_code_message() -> str:
    return _(
        "That code is not valid. Enter the current 6-digit code from your authenticator app "
        "(each code works once), or one of your recovery codes."
    )


def _verify(*, user: User, code: str, now: dt.datetime, purpose: str, allow_recovery: bool) -> str:
    _check_throttle(user=user, now=now)
    if not mfa_device_confirmed(user=user):
        raise Conflict(
            _("Two-factor authentication is not on for your account."), code="mfa_not_enabled"
        )
    method = _consume(user=user, code=code, now=now, allow_recovery=allow_recovery)
    if method is None:
        _record_failure(user=user, purpose=purpose, now=now)
        message = (
            _wrong_code_message()
            if allow_recovery
            else _("That code is not valid. Enter the current 6-digit code from your app.")
        )
        raise Invalid(_("That code did not work."), fields={"code": [message]}, code="mfa_failed")
    action = "mfa.recovery_used" if method == "recovery" else "mfa.success"
    audit_record(action=action, actor=user, subject=user, object_type=purpose, at=now)
    return method


def _consume(*, user: User, code: str, now: dt.datetime, allow_recovery: bool) -> str | None:
    """Accept the code at most once: "totp", "recovery", or None."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed_at__isnull=False)
            .first()
        )
        if device is None:
            return None
        step = totp.totp_match(secret=device.secret, code=code, now=now, last_step=device.last_step)
        if step is not None:
            # The conditional UPDATE is the replay guard that holds under concurrency.
            fresh = Q(last_step__isnull=True) | Q(last_step__lt=step)
            if TOTPDevice.objects.filter(fresh, pk=device.pk).update(last_step=step) == 1:
                return "totp"
            return None
        if allow_recovery:
            code_hash = totp.hash_recovery_code(code)
            if code_hash is not None:
                spent = RecoveryCode.objects.filter(
                    user=user, code_hash=code_hash, used_at__isnull=True
                ).update(used_at=now)
                if spent == 1:
                    return "recovery"
    return None


def _replace_recovery_codes(*, user: User) -> list[str]:
    codes = totp.generate_recovery_codes()
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=totp.hash_recovery_code(code) or "") for code in codes
    )
    return codes


def _recent_failures(*, user: User, now: dt.datetime) -> list[dt.datetime]:
    since = now - dt.timedelta(seconds=FAILURE_WINDOW_S)
    return list(
        AuditEvent.objects.filter(
            subject_public_id=user.public_id, action="mfa.failure", at__gt=since, at__lte=now
        )
        .order_by("-at")
        .values_list("at", flat=True)[:MAX_FAILURES]
    )


def _check_throttle(*, user: User, now: dt.datetime) -> None:
    failures = _recent_failures(user=user, now=now)
    if len(failures) >= MAX_FAILURES:
        oldest_counted = failures[-1]
        retry = oldest_counted + dt.timedelta(seconds=FAILURE_WINDOW_S) - now
        retry_s = max(1, int(retry.total_seconds()) + 1)
        raise RateLimited(
            _("Too many wrong codes. Try again in %(minutes)d minutes.")
            % {"minutes": max(1, -(-retry_s // 60))},
            retry_after_s=retry_s,
        )


def _record_failure(*, user: User, purpose: str, now: dt.datetime) -> None:
    audit_record(
        action="mfa.failure",
        actor=user,
        subject=user,
        object_type=purpose,
        outcome=AuditOutcome.DENIED,
        at=now,
    )
