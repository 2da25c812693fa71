"""JSON input and output for the audit API (issue 2 §8) and the shared error body.

Input is strict: public ids must be UUIDs, dates ISO `YYYY-MM-DD`, actions one of the closed
list in `core/audit.py`; anything else is a 422 with field details.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import JsonValue, field_validator

from backrelief.core.audit import ACTIONS

MAX_PAGE = 1_000_000
_ACTION_ENUM: list[JsonValue] = [*sorted(ACTIONS)]


class ErrorOut(Schema):
    """Every error answer: a stable `code`, a `detail` saying what to do, field messages."""

    code: str | None = Field(
        None, description="Stable, machine-readable code (absent only on a CSRF refusal)."
    )
    detail: str
    fields: dict[str, list[str]] | None = None


class AuditFilterQuery(Schema):
    """Filters of the staff audit search; dates are whole UTC days, both inclusive."""

    subject: uuid.UUID | None = Field(None, description="Subject's public id.")
    actor: uuid.UUID | None = Field(None, description="Actor's public id.")
    date_from: dt.date | None = Field(None, description="First UTC day (YYYY-MM-DD).")
    date_to: dt.date | None = Field(None, description="Last UTC day, inclusive (YYYY-MM-DD).")
    action: str | None = Field(
        None,
        max_length=64,
        description="One audit action, e.g. `health.read`.",
        json_schema_extra={"enum": _ACTION_ENUM},
    )
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, 50 events a page.")

    @field_validator("action")
    @classmethod
    def _known_action(cls, value: str | None) -> str | None:
        if value is not None and value not in ACTIONS:
            raise ValueError(_("Use one of the audit actions listed in the API documentation."))
        return value


class AuditEventOut(Schema):
    at: dt.datetime = Field(description="UTC time.")
    actor: uuid.UUID | None = Field(description="Actor's public id; null for the system.")
    subject: uuid.UUID | None = Field(description="Subject's public id.")
    action: str
    object_type: str
    object_id: str
    outcome: str = Field(description="`allowed` or `denied`.")
    ip: str | None
    request_id: str


class AuditPageOut(Schema):
    items: list[AuditEventOut]
    count: int = Field(description="Matching events in all pages.")
    page: int
    pages: int


class AccessLogEntryOut(Schema):
    """One access to the caller's data or account by someone else."""

    at: dt.datetime = Field(description="UTC time.")
    actor: uuid.UUID = Field(description="The other person's public id.")
    actor_role: str = Field(description="`client`, `therapist`, `staff`, or empty if gone.")
    action: str
    object_type: str
    outcome: str = Field(description="`allowed` or `denied`.")


class AccessLogPageOut(Schema):
    items: list[AccessLogEntryOut]
    count: int
    page: int
    pages: int
