"""JSON input and output for the booking API (issue 5 item 3; issue 6 items 4-6)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import AwareDatetime

from backrelief.core.errors import DomainError, Invalid
from backrelief.scheduling.models import Booking


class BookingOut(Schema):
    booking_id: uuid.UUID
    therapist_id: uuid.UUID
    service_id: uuid.UUID
    start: dt.datetime = Field(description="UTC.")
    end: dt.datetime = Field(description="UTC; start + the service's duration.")
    status: str = Field(description="held, confirmed, completed, no_show or cancelled.")
    completed_at: dt.datetime | None
    cancelled_at: dt.datetime | None = None
    late_cancellation: bool = False
    client_time_zone: str = Field("UTC", description="The client's IANA zone when booking.")
    rescheduled_from: uuid.UUID | None = Field(
        None, description="The booking this one replaced, when it was moved."
    )

    @staticmethod
    def of(booking: Booking) -> BookingOut:
        return BookingOut(
            booking_id=booking.public_id,
            therapist_id=booking.therapist.public_id,
            service_id=booking.service.public_id,
            start=booking.start,
            end=booking.end,
            status=booking.status,
            completed_at=booking.completed_at,
            cancelled_at=booking.cancelled_at,
            late_cancellation=booking.late_cancellation,
            client_time_zone=booking.client_time_zone,
            rescheduled_from=(
                booking.rescheduled_from.public_id if booking.rescheduled_from else None
            ),
        )


class BookingIn(Schema):
    """A booking request: the service and the start; the end is never sent (the server
    computes it from the service's duration)."""

    service_id: uuid.UUID
    start: AwareDatetime = Field(description="With its offset, e.g. 2026-03-04T10:00:00+01:00.")
    client_time_zone: str | None = Field(
        None, max_length=64, description="IANA zone for messages; default: your account's."
    )


class CancelIn(Schema):
    reason: str = Field(
        "",
        max_length=500,
        description="Optional for the client, required from the therapist; shown to the other "
        "side.",
    )
    confirm_late: bool = Field(
        False, description="Required inside the cut-off, after the 409 warning."
    )


class RescheduleIn(Schema):
    start: AwareDatetime = Field(description="The new start, with its offset.")


class BookingListQuery(Schema):
    when: Literal["upcoming", "past", "cancelled"] | None = Field(
        None, description="Upcoming (not cancelled, not started), past, or cancelled."
    )


class BookingErrorOut(Schema):
    """An error answer; a 409 `slot_taken` also lists the next free starts."""

    code: str | None = None
    detail: str
    fields: dict[str, list[str]] | None = None
    alternatives: list[dt.datetime] | None = Field(
        None, description="With `slot_taken`: the next free starts of the service (UTC)."
    )


def error_body(exc: DomainError) -> dict[str, Any]:
    """The JSON body of a domain error, as `backrelief.api` writes it, plus the alternatives
    of a "just taken" answer."""
    body: dict[str, Any] = {"code": exc.code, "detail": exc.message}
    if isinstance(exc, Invalid) and exc.fields:
        body["fields"] = exc.fields
    alternatives = getattr(exc, "alternatives", None)
    if alternatives is not None:
        body["alternatives"] = [start.isoformat().replace("+00:00", "Z") for start in alternatives]
    return body
