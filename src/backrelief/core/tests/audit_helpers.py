"""Test helpers for pages only staff may open.

Staff must use two-factor authentication on every page (issue 2 §6, `MFARequiredMiddleware`);
these helpers sign a staff member in with a session that is already verified, so tests about
the audit pages test the audit pages.
"""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import timezone

from backrelief.accounts.models import TOTPDevice, UserSession


def login_verified(client: Client, user: Any) -> Client:
    """Sign `user` in on `client` with a two-factor-verified session."""
    client.force_login(user)
    now = timezone.now()
    TOTPDevice.objects.get_or_create(
        user=user,
        defaults={"secret": "JBSWY3DPEHPK3PXP", "confirmed_at": now, "created_at": now},
    )
    UserSession.objects.update_or_create(
        session_key=client.session.session_key,
        defaults={"user": user, "created_at": now, "last_seen_at": now, "mfa_verified": True},
    )
    return client
