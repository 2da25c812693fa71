"""Reads behind the sessions and token pages and endpoints (issue 2 §6, §10).

Both adapters (HTML and JSON) show the same rows, so the shaping happens here once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings

from backrelief.accounts.models import ApiToken, User, UserSession
from backrelief.accounts.services.sessions import expiry_reason
from backrelief.accounts.useragent import describe_user_agent


@dataclass(frozen=True)
class SessionRow:
    public_id: uuid.UUID
    device: str
    user_agent: str
    ip: str | None
    created_at: dt.datetime
    last_seen_at: dt.datetime
    current: bool
    mfa_verified: bool


def session_rows(
    *, user: User, current_session_key: str | None, now: dt.datetime
) -> list[SessionRow]:
    """The person's live browser sessions, most recently used first, the current one marked.

    Rows whose idle (30 min) or absolute (12 h) limit has passed are left out: the session
    policy would end them at their next request anyway (`SessionPolicyMiddleware`).
    """
    rows = UserSession.objects.filter(user=user).order_by("-last_seen_at", "-id")
    result = []
    for row in rows:
        current = bool(current_session_key) and row.session_key == current_session_key
        expired = expiry_reason(
            now=now.timestamp(),
            login_at=row.created_at.timestamp(),
            seen_at=row.last_seen_at.timestamp(),
            idle_s=settings.SESSION_IDLE_TIMEOUT_S,
            absolute_s=settings.SESSION_ABSOLUTE_TIMEOUT_S,
        )
        if expired and not current:
            continue
        result.append(
            SessionRow(
                public_id=row.public_id,
                device=describe_user_agent(row.user_agent),
                user_agent=row.user_agent,
                ip=row.ip,
                created_at=row.created_at,
                last_seen_at=row.last_seen_at,
                current=current,
                mfa_verified=row.mfa_verified,
            )
        )
    return result


def session_key_of(*, user: User, session_public_id: uuid.UUID) -> str | None:
    """The session key behind one of the person's own sessions (None if not theirs)."""
    row = UserSession.objects.filter(user=user, public_id=session_public_id).first()
    return row.session_key if row is not None else None


@dataclass(frozen=True)
class TokenRow:
    public_id: uuid.UUID
    name: str
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    status: str  # "active", "expired" or "revoked"


def token_row(token: ApiToken, *, now: dt.datetime) -> TokenRow:
    if token.revoked_at is not None:
        status = "revoked"
    elif token.expires_at is not None and token.expires_at <= now:
        status = "expired"
    else:
        status = "active"
    return TokenRow(
        public_id=token.public_id,
        name=token.name,
        prefix=token.prefix,
        created_at=token.created_at,
        expires_at=token.expires_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
        status=status,
    )


def token_rows(*, user: User, now: dt.datetime) -> list[TokenRow]:
    """The person's tokens, newest first, with their state at `now`."""
    tokens = ApiToken.objects.filter(user=user).order_by("-created_at", "-id")
    return [token_row(token, now=now) for token in tokens]
