"""JSON/multipart input and output for credentials (issue 5 item 2), /api/v1/therapists.

Input is parsed here (types, lengths); the rules (dates, country, evidence type and size,
duplicates, hours range) are checked once by `services/credentials.py` and answer 422 with the
field named. Licences and certifications are created and edited as multipart forms so the
evidence file travels with the fields.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from django.urls import reverse
from ninja import Field, Schema

from backrelief.therapists.models import Certification, Licence

StatusName = Literal["pending", "verified", "rejected"]


class LicenceIn(Schema):
    """A licence's fields (multipart form, with the `evidence` file part)."""

    country: str = Field(
        max_length=2, description="ISO 3166-1 alpha-2 code of the issuing country, e.g. `DE`."
    )
    region: str = Field("", max_length=100, description="State or province, where relevant.")
    registry: str = Field(max_length=150, description="The board or register that issued it.")
    number: str = Field(max_length=64)
    issued_on: dt.date
    expires_on: dt.date = Field(description="Listed up to and including this UTC day.")


class CertificationIn(Schema):
    """Training in one technique (multipart form, optional `evidence` file part)."""

    technique: str = Field(max_length=32, description="Catalogue technique code, e.g. `swedish`.")
    provider: str = Field(max_length=150)
    hours: int = Field(description="1 to 10,000.")
    completed_on: dt.date


class RejectIn(Schema):
    reason: str = Field(max_length=500, description="Shown to the therapist; required.")


class StatusQuery(Schema):
    status: StatusName = Field("pending", description="Which rows to list (oldest first).")


class _DecisionOut(Schema):
    public_id: uuid.UUID
    therapist: uuid.UUID = Field(description="The therapist profile's public id.")
    status: StatusName
    rejection_reason: str
    decided_at: dt.datetime | None
    decided_by: uuid.UUID | None = Field(description="Public id of the deciding staff member.")
    has_evidence: bool
    evidence_content_type: str | None
    evidence_url: str | None = Field(description="Owner and staff only; every read is audited.")
    submitted_at: dt.datetime
    updated_at: dt.datetime


class LicenceOut(_DecisionOut):
    country: str
    region: str
    registry: str
    number: str
    issued_on: dt.date
    expires_on: dt.date

    @classmethod
    def from_row(cls, row: Licence) -> LicenceOut:
        return cls(
            public_id=row.public_id,
            therapist=row.therapist.public_id,
            status=row.status,  # type: ignore[arg-type]
            rejection_reason=row.rejection_reason,
            decided_at=row.decided_at,
            decided_by=row.decided_by.public_id if row.decided_by is not None else None,
            has_evidence=bool(row.evidence_name),
            evidence_content_type=row.evidence_content_type or None,
            evidence_url=reverse("api:licence_evidence", kwargs={"licence_id": row.public_id})
            if row.evidence_name
            else None,
            submitted_at=row.submitted_at,
            updated_at=row.updated_at,
            country=row.country,
            region=row.region,
            registry=row.registry,
            number=row.number,
            issued_on=row.issued_on,
            expires_on=row.expires_on,
        )


class CertificationOut(_DecisionOut):
    technique: str
    provider: str
    hours: int
    completed_on: dt.date

    @classmethod
    def from_row(cls, row: Certification) -> CertificationOut:
        return cls(
            public_id=row.public_id,
            therapist=row.therapist.public_id,
            status=row.status,  # type: ignore[arg-type]
            rejection_reason=row.rejection_reason,
            decided_at=row.decided_at,
            decided_by=row.decided_by.public_id if row.decided_by is not None else None,
            has_evidence=bool(row.evidence_name),
            evidence_content_type=row.evidence_content_type or None,
            evidence_url=reverse(
                "api:certification_evidence", kwargs={"certification_id": row.public_id}
            )
            if row.evidence_name
            else None,
            submitted_at=row.submitted_at,
            updated_at=row.updated_at,
            technique=row.technique,
            provider=row.provider,
            hours=row.hours,
            completed_on=row.completed_on,
        )


class CredentialsOut(Schema):
    """All of a therapist's credentials in every state (owner and staff only)."""

    therapist: uuid.UUID
    licences: list[LicenceOut]
    certifications: list[CertificationOut]
