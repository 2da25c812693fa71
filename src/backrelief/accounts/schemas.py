"""JSON input and output for `/api/v1/me` (issue 2 §6 profile, §10 adapters).

Input is strict: no unknown keys (so `email` or `role` cannot be smuggled in), strings only
(null is refused rather than read as "unchanged"), bounded lengths. Anything else is a 422
with field details before the service runs; the service's own rules (IANA zone, ISO country,
offered language) answer 422 the same way.
"""

from __future__ import annotations

import uuid
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from backrelief.accounts.models import Role

ABSENT: Any = None  # default of an optional PATCH field: "not sent" (exclude_unset drops it)


class MeOut(Schema):
    public_id: uuid.UUID = Field(description="Your public id (used in every URL and audit row).")
    email: str
    role: Role = Field(description="`client`, `therapist` or `staff`.")
    display_name: str
    country: str = Field(description="ISO 3166-1 alpha-2 code, or empty when not set.")
    time_zone: str = Field(description="IANA time zone, e.g. `Europe/Berlin`.")
    locale: str = Field(description="Language code, e.g. `en` or `de`.")
    email_verified: bool
    mfa_enabled: bool = Field(description="Whether two-factor authentication is on.")


class MePatch(Schema):
    """Send only the fields to change; each must be a string.

    The `ABSENT` defaults only mark a field as absent (left unchanged); an explicit null is not a
    string and is refused with 422.
    """

    model_config = ConfigDict(extra="forbid")

    display_name: str = Field(
        default=ABSENT, max_length=80, description="At most 80 characters; empty clears it."
    )
    country: str = Field(
        default=ABSENT, max_length=2, description="ISO 3166-1 alpha-2 code, or empty to clear."
    )
    time_zone: str = Field(default=ABSENT, max_length=64, description="IANA time zone name.")
    locale: str = Field(default=ABSENT, max_length=8, description="One of the offered languages.")
