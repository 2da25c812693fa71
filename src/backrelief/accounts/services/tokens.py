"""Personal access tokens (issue 2 §10): shown once, stored hashed, revocable, optional expiry.

A token is `br_` + 40 url-safe characters (240 bits). Only its SHA-256 is stored: the token is
high-entropy, so a slow hash adds nothing, and lookup stays a single indexed query.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from backrelief.accounts.models import ApiToken, User
from backrelief.core.audit import audit_record
from backrelief.core.errors import Invalid, NotFound

TOKEN_PREFIX = "br_"
MAX_TOKENS_PER_USER = 20


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(
    *, user: User, name: str, expires_at: dt.datetime | None, now: dt.datetime
) -> tuple[ApiToken, str]:
    """Create a token; returns the row and the raw token, which is never retrievable again."""
    name = name.strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["Give the token a name so you can recognise it later."]
    elif len(name) > 80:
        errors["name"] = ["Use at most 80 characters."]
    if expires_at is not None and expires_at <= now:
        errors["expires_at"] = ["Choose an expiry in the future, or none."]
    if errors:
        raise Invalid("The token could not be created.", fields=errors)
    live = ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()
    if live >= MAX_TOKENS_PER_USER:
        raise Invalid(
            f"You already have {MAX_TOKENS_PER_USER} tokens; revoke one you no longer use.",
            fields={"name": ["Too many tokens."]},
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(30)
    row = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[:10],
        token_hash=token_hash(raw),
        created_at=now,
        expires_at=expires_at,
    )
    audit_record(
        action="token.created",
        actor=user,
        subject=user,
        object_type="api_token",
        object_id=str(row.public_id),
    )
    return row, raw


@transaction.atomic
def token_revoke(*, user: User, token_public_id: str, now: dt.datetime) -> ApiToken:
    row = ApiToken.objects.filter(user=user, public_id=token_public_id).first()
    if row is None:
        raise NotFound("That token does not exist.")
    if row.revoked_at is None:
        row.revoked_at = now
        row.save(update_fields=["revoked_at"])
        audit_record(
            action="token.revoked",
            actor=user,
            subject=user,
            object_type="api_token",
            object_id=str(row.public_id),
        )
    return row


def token_authenticate(*, raw: str, now: dt.datetime | None = None) -> User | None:
    """The active user owning a live, unexpired token, or None."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    now = now or timezone.now()
    row = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=token_hash(raw), revoked_at__isnull=True)
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    if row.expires_at is not None and row.expires_at <= now:
        return None
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


def tokens_of(*, user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user).order_by("-created_at"))
