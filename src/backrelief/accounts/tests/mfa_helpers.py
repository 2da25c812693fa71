"""Test helpers for two-factor authentication and browser sessions.

Other apps' tests use `sign_in` for staff: `MFARequiredMiddleware` sends a staff member
without a confirmed device, or with an unverified session, to the two-factor page.
"""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from backrelief.accounts import totp
from backrelief.accounts.models import TOTPDevice, User, UserSession
from backrelief.accounts.services import mfa as mfa_service


def current_code(device: TOTPDevice, now: dt.datetime, offset_steps: int = 0) -> str:
    """The code an authenticator app would show at `now` (plus `offset_steps` steps)."""
    return totp.code_at_step(device.secret, totp.step_at(now) + offset_steps)


def enable_mfa(user: User, *, now: dt.datetime | None = None) -> tuple[TOTPDevice, list[str]]:
    """Set up and confirm a device through the services; returns it and the recovery codes.

    The confirming code uses the step *before* `now`, so a code for `now` is still fresh.
    """
    now = now or timezone.now()
    device = mfa_service.mfa_begin_setup(user=user, now=now)
    codes = mfa_service.mfa_confirm_setup(
        user=user, code=current_code(device, now, -1), now=now, session_key=None
    )
    device.refresh_from_db()
    return device, codes


def sign_in(
    client: Client,
    user: User,
    *,
    mfa_verified: bool = False,
    user_agent: str = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
    ip: str = "127.0.0.1",
) -> UserSession:
    """Sign `client` in as `user` and register the session as the login flow would."""
    client.force_login(user)
    key = client.session.session_key
    assert key is not None
    now = timezone.now()
    return UserSession.objects.create(
        user=user,
        session_key=key,
        created_at=now,
        last_seen_at=now,
        ip=ip,
        user_agent=user_agent,
        mfa_verified=mfa_verified,
    )


def sign_in_staff(client: Client, user: User) -> UserSession:
    """A staff member as they are after a full sign-in: device confirmed, session verified."""
    if not TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).exists():
        enable_mfa(user)
    return sign_in(client, user, mfa_verified=True)
