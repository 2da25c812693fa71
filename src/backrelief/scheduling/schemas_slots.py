"""JSON input and output of `GET /api/v1/slots` (issue 6 items 3 and 9)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema

from backrelief.core.time import utc_to_local, zone_get
from backrelief.scheduling.selectors_slots import SlotList


class SlotsQuery(Schema):
    service: uuid.UUID = Field(..., description="The service's id (from a therapist's profile).")
    from_: dt.date = Field(..., alias="from", description="First date, YYYY-MM-DD, in `tz`.")
    to: dt.date = Field(..., description="Last date (included); at most 62 days in all.")
    tz: str | None = Field(
        None,
        description="The client's IANA time zone, e.g. America/New_York; default the signed-in "
        "caller's profile zone, else UTC.",
    )


class SlotOut(Schema):
    start: dt.datetime = Field(..., description="UTC instant the session starts.")
    end: dt.datetime = Field(..., description="UTC instant the session ends (without buffer).")
    start_local: dt.datetime = Field(..., description="The start in the client's zone.")
    start_therapist_local: dt.datetime = Field(..., description="The start in the therapist's.")


class SlotsOut(Schema):
    service_id: uuid.UUID
    therapist_id: uuid.UUID
    duration_min: int
    therapist_time_zone: str
    client_time_zone: str
    from_: dt.date = Field(..., alias="from")
    to: dt.date
    slots: list[SlotOut]

    @staticmethod
    def data(found: SlotList) -> dict[str, Any]:
        """The answer as plain data (Ninja validates it once against this schema; a month
        holds hundreds of slots, so no intermediate Schema objects are built)."""
        service = found.service
        client_zone = zone_get(found.time_zone)
        therapist_zone = zone_get(found.therapist_time_zone)
        return {
            "service_id": service.public_id,
            "therapist_id": service.therapist.public_id,
            "duration_min": service.duration_min,
            "therapist_time_zone": found.therapist_time_zone,
            "client_time_zone": found.time_zone,
            "from": found.start,
            "to": found.end,
            "slots": [
                {
                    "start": slot.start,
                    "end": slot.end,
                    "start_local": utc_to_local(slot.start, client_zone),
                    "start_therapist_local": utc_to_local(slot.start, therapist_zone),
                }
                for slot in found
            ],
        }
