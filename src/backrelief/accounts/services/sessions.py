"""Browser-session registry and the pure expiry rule (issue 2 §6).

`expiry_reason` is pure (clock passed in). The other functions keep the `UserSession` table in
step with Django's session store so a person can list and end their sessions.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from backrelief.accounts.models import User, UserSession
from backrelief.core.audit import audit_record
from backrelief.core.middleware import client_ip


def expiry_reason(
    *, now: float, login_at: float, seen_at: float, idle_s: int, absolute_s: int
) -> str | None:
    """'idle' after `idle_s` without a request, 'absolute' after `absolute_s` since login."""
    if now - login_at >= absolute_s:
        return "absolute"
    if now - seen_at >= idle_s:
        return "idle"
    return None


def session_register(*, request: HttpRequest, user: User, mfa_verified: bool) -> UserSession:
    """Record the (already rotated) session of a fresh login."""
    from backrelief.accounts.middleware import LOGIN_AT, SEEN_AT

    if request.session.session_key is None:
        request.session.save()
    key = request.session.session_key
    assert key is not None
    now = timezone.now()
    request.session[LOGIN_AT] = now.timestamp()
    request.session[SEEN_AT] = now.timestamp()
    row, _ = UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "created_at": now,
            "last_seen_at": now,
            "ip": client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
            "mfa_verified": mfa_verified,
        },
    )
    return row


def session_touch(*, request: HttpRequest) -> None:
    key = request.session.session_key
    if key:
        UserSession.objects.filter(session_key=key).update(last_seen_at=timezone.now())


def session_expire(*, request: HttpRequest, user: User, reason: str) -> None:
    key = request.session.session_key
    if key:
        UserSession.objects.filter(session_key=key).delete()
    audit_record(action="session.expired", actor=user, subject=user, object_type=reason)


@transaction.atomic
def sessions_end_all(*, user: User, keep_session_key: str | None = None) -> int:
    """End every browser session of `user` (optionally keeping the current one)."""
    rows = UserSession.objects.select_for_update().filter(user=user)
    if keep_session_key:
        rows = rows.exclude(session_key=keep_session_key)
    keys = list(rows.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


@transaction.atomic
def session_end(*, user: User, session_public_id: str) -> None:
    from backrelief.core.errors import NotFound

    row = UserSession.objects.filter(user=user, public_id=session_public_id).first()
    if row is None:
        raise NotFound("That session does not exist or has already ended.")
    Session.objects.filter(session_key=row.session_key).delete()
    row.delete()
    audit_record(action="session.ended", actor=user, subject=user, object_type="session")


def sessions_of(*, user: User, now: dt.datetime | None = None) -> list[UserSession]:
    return list(UserSession.objects.filter(user=user).order_by("-last_seen_at"))
