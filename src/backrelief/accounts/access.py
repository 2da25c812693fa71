"""Access rules about the person themselves that every adapter shares.

Two-factor policy (issue 2 §6): "optional for clients, required for staff, and required for a
therapist before they can open any client's health data". Staff are held to it by
`MFARequiredMiddleware` on every page and endpoint; the therapist rule is enforced where a
client's health record is opened, by calling `require_mfa_for_health_access` first.
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from django.utils.translation import gettext as _

from backrelief.accounts.models import Role, TOTPDevice, User, UserSession
from backrelief.core.errors import PermissionDenied

MFA_SETUP_PATH = "/accounts/two-factor/"
MFA_REQUIRED_ROLES = frozenset({Role.THERAPIST, Role.STAFF})


def mfa_device_confirmed(*, user: User) -> bool:
    """Whether the person has finished setting up an authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def session_mfa_verified(*, user: User, session_key: str | None) -> bool:
    """Whether this browser session was signed in (or stepped up) with the second factor."""
    if not session_key:
        return False
    return UserSession.objects.filter(
        user=user, session_key=session_key, mfa_verified=True
    ).exists()


def login_pending_user(*, public_id: object) -> User | None:
    """The active user behind a pending second-factor sign-in, if they still need one."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return User.objects.filter(
        public_id=key, is_active=True, totp_device__confirmed_at__isnull=False
    ).first()


def request_mfa_verified(request: HttpRequest) -> bool:
    """Whether the request's authentication counts as two-factor verified.

    A browser session counts when its `UserSession` row says so. A personal access token has no
    session; it counts when its owner has a confirmed device (the same rule that admits staff
    tokens at all, see `MFARequiredMiddleware`): tokens are created in a signed-in session and
    revoked when no longer trusted.
    """
    user = request.user
    if not user.is_authenticated:
        return False
    assert isinstance(user, User)
    if getattr(request, "auth_method", None) == "token":
        return mfa_device_confirmed(user=user)
    return session_mfa_verified(user=user, session_key=request.session.session_key)


def require_mfa_for_health_access(*, user: User, session_mfa_verified: bool) -> None:
    """Refuse a therapist or staff member access to a client's health data without 2FA.

    Rule (issue 2 §6): two-factor authentication is required for a therapist before they can
    open any client's health data, and always for staff. Both need a confirmed device *and* a
    current session verified with it. Clients opening their own data are not affected.
    Raises `PermissionDenied` with code "mfa_required"; the message says what to do.
    """
    if user.role not in MFA_REQUIRED_ROLES:
        return
    if not mfa_device_confirmed(user=user):
        raise PermissionDenied(
            _(
                "Turn on two-factor authentication at %(path)s before opening a client's "
                "health information."
            )
            % {"path": MFA_SETUP_PATH},
            code="mfa_required",
        )
    if not session_mfa_verified:
        raise PermissionDenied(
            _(
                "Confirm this session with a code from your authenticator app at %(path)s "
                "before opening a client's health information."
            )
            % {"path": MFA_SETUP_PATH},
            code="mfa_required",
        )
