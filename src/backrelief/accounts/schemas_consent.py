"""JSON input and output for the consent API (issue 2 §7).

Strict: purposes are the `ConsentPurpose` values, the grantee a UUID, no unknown keys.
"""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Schema
from pydantic import ConfigDict

from backrelief.accounts.models import Consent, ConsentPurpose


class ConsentGiveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    purpose: ConsentPurpose = Field(description="What the consent is for.")
    grantee: uuid.UUID | None = Field(
        None, description="Public id of the therapist to share with (sharing purposes only)."
    )


class ConsentOut(Schema):
    id: uuid.UUID = Field(description="The consent's public id (use it to withdraw).")
    purpose: ConsentPurpose
    grantee: uuid.UUID | None = Field(description="Therapist's public id for sharing, else null.")
    object_type: str
    object_id: str
    notice_version: str = Field(description="Version of the notice the person agreed to.")
    given_at: dt.datetime
    withdrawn_at: dt.datetime | None
    active: bool

    @classmethod
    def from_row(cls, row: Consent) -> ConsentOut:
        return cls(
            id=row.public_id,
            purpose=ConsentPurpose(row.purpose),
            grantee=row.grantee.public_id if row.grantee is not None else None,
            object_type=row.object_type,
            object_id=row.object_id,
            notice_version=row.notice_version,
            given_at=row.given_at,
            withdrawn_at=row.withdrawn_at,
            active=row.withdrawn_at is None,
        )
