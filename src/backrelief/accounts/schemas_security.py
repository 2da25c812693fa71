"""JSON input and output for sessions, two-factor and personal access tokens (§6, §10).

Input is strict: no unknown keys, bounded lengths, aware datetimes; anything else is a 422 with
field details (mapped once in `backrelief/api.py`).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from backrelief.accounts.selectors_security import SessionRow, TokenRow
from backrelief.accounts.totp import MAX_CODE_INPUT

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # NUL is refused by PostgreSQL; none belong in a name

# --- sessions -----------------------------------------------------------------------------------


class SessionOut(Schema):
    id: uuid.UUID = Field(description="The session's public id (use it to end the session).")
    device: str = Field(description="A rough description, e.g. “Firefox on Linux”.")
    user_agent: str
    ip: str | None
    created_at: dt.datetime = Field(description="When this session signed in (UTC).")
    last_seen_at: dt.datetime = Field(description="Last request, to within a minute (UTC).")
    current: bool = Field(description="Whether this is the session making the request.")
    mfa_verified: bool = Field(description="Whether it was verified with two-factor.")

    @classmethod
    def from_row(cls, row: SessionRow) -> SessionOut:
        return cls(
            id=row.public_id,
            device=row.device,
            user_agent=row.user_agent,
            ip=row.ip,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            current=row.current,
            mfa_verified=row.mfa_verified,
        )


class SessionsEndedOut(Schema):
    ended: int = Field(description="How many sessions ended.")


# --- two-factor ---------------------------------------------------------------------------------


class MfaStatusOut(Schema):
    enabled: bool = Field(description="Whether two-factor authentication is on.")
    recovery_codes_left: int = Field(description="Unused recovery codes (0 when off).")


class MfaSetupOut(Schema):
    secret: str = Field(description="The base-32 key for the authenticator app (shown here).")
    otpauth_uri: str = Field(description="The same key as an `otpauth://` URI (for a QR code).")


class MfaCodeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(
        min_length=1, max_length=MAX_CODE_INPUT, description="The 6-digit code from the app."
    )


class RecoveryCodesOut(Schema):
    recovery_codes: list[str] = Field(description="Ten single-use codes, shown only this once.")


# --- personal access tokens ---------------------------------------------------------------------


class TokenCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=80, description="What the token is for.")
    expires_at: dt.datetime | None = Field(
        None, description="When the token stops working (ISO 8601 with offset); null: never."
    )

    @field_validator("name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Give the token a name so you can recognise it later.")
        if _CONTROL.search(value):
            raise ValueError("Use letters, digits, spaces and punctuation only.")
        return value

    @field_validator("expires_at")
    @classmethod
    def _aware_and_storable(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("Include a time-zone offset, e.g. 2027-01-31T00:00:00Z.")
        try:
            return value.astimezone(dt.UTC)
        except (OverflowError, ValueError):
            raise ValueError("Choose a time before the year 9999.") from None


class TokenOut(Schema):
    id: uuid.UUID = Field(description="The token's public id (use it to revoke).")
    name: str
    prefix: str = Field(description="The first characters, to recognise the token.")
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    status: str = Field(description="`active`, `expired` or `revoked`.")

    @classmethod
    def from_row(cls, row: TokenRow) -> TokenOut:
        return cls(
            id=row.public_id,
            name=row.name,
            prefix=row.prefix,
            created_at=row.created_at,
            expires_at=row.expires_at,
            last_used_at=row.last_used_at,
            revoked_at=row.revoked_at,
            status=row.status,
        )


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The token itself. Shown only in this response; store it.")
