"""JSON output for the booking API (issue 5 item 3; issue 6 extends it)."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema

from backrelief.scheduling.models import Booking


class BookingOut(Schema):
    booking_id: uuid.UUID
    therapist_id: uuid.UUID
    service_id: uuid.UUID
    start: dt.datetime
    end: dt.datetime
    status: str
    completed_at: dt.datetime | None

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
        )
