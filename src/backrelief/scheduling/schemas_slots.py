"""JSON input and output of `GET /api/v1/slots` (issue 6 items 3 and 9)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from ninja import Field, Schema

from backrelief.core.time import utc_to_local, zone_get
from backrelief.scheduling.selectors_free_time import EarliestSearch
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
        """The answer as plain data for Ninja to validate against this schema. The API sends
        `SlotsOut.body` instead (the same JSON, built directly); this is its reference."""
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

    @staticmethod
    def body(found: SlotList) -> str:
        """The answer as JSON text, byte for byte what Ninja sends for `data(found)` after
        validating it (`_iso` writes times as its encoder does), without building and checking
        ~400 nested objects and encoding ~1,600 datetimes through DjangoJSONEncoder for a
        month: GET /api/v1/slots returns it as is (issue 6 `slots_month_p50_ms`). A test
        compares the two (test_api_slots_body.py)."""
        service = found.service
        client_zone = zone_get(found.time_zone)
        therapist_zone = zone_get(found.therapist_time_zone)
        same_zone = found.time_zone == found.therapist_time_zone
        head = json.dumps(
            {
                "service_id": str(service.public_id),
                "therapist_id": str(service.therapist.public_id),
                "duration_min": service.duration_min,
                "therapist_time_zone": found.therapist_time_zone,
                "client_time_zone": found.time_zone,
                "from": found.start.isoformat(),
                "to": found.end.isoformat(),
                "slots": [],
            }
        )
        # Each slot written as json.dumps writes a dict of four strings; ISO times need no
        # escaping (digits, "-", ":", "T", ".", "+", "Z").
        items = []
        for slot in found:
            local = _iso(slot.start.astimezone(client_zone))
            there = local if same_zone else _iso(slot.start.astimezone(therapist_zone))
            items.append(
                f'{{"start": "{_iso(slot.start)}", "end": "{_iso(slot.end)}", '
                f'"start_local": "{local}", "start_therapist_local": "{there}"}}'
            )
        assert head.endswith('"slots": []}')
        return head[:-2] + ", ".join(items) + "]}"


def _iso(value: dt.datetime) -> str:
    """An aware datetime as Ninja's JSON encoder (DjangoJSONEncoder) writes it: ISO 8601,
    microseconds cut to milliseconds, an offset of zero as `Z`."""
    text = value.isoformat()
    if value.microsecond:
        text = text[:23] + text[26:]
    if text.endswith("+00:00"):
        text = text[:-6] + "Z"
    return text


class EarliestQuery(Schema):
    technique: str = Field(..., description="A catalogue technique code, e.g. `swedish`.")
    lat: float = Field(..., description="Latitude of the place, -90..90.")
    lon: float = Field(..., description="Longitude of the place, -180..180.")
    radius_km: int = Field(
        10, description="Therapists whose place lies within this many km, 1-200."
    )
    days: int = Field(14, description="Look this many days ahead (24 h each, from now), 1-60.")
    limit: int = Field(20, description="At most this many therapists in `items`, 1-100.")


class EarliestItemOut(Schema):
    therapist_id: uuid.UUID
    therapist_name: str
    therapist_time_zone: str
    service_id: uuid.UUID = Field(..., description="The service to book (the earliest one).")
    technique: str
    duration_min: int
    earliest_start: dt.datetime | None = Field(
        ...,
        description="UTC instant of the first free start within the window; null: nothing "
        "free in the window (`status` none) or not known yet (`status` unknown).",
    )
    status: str = Field(..., description="`free`, `none` (nothing free) or `unknown`.")
    distance_km: float


class EarliestOut(Schema):
    items: list[EarliestItemOut]
    count: int = Field(..., description="Therapists matching, before `limit`.")
    count_free: int = Field(..., description="Of which with a free start in the window.")
    complete: bool = Field(
        ..., description="False when some therapists' earliest start was not known yet."
    )
    days: int
    window_end: dt.datetime = Field(..., description="Starts reported are before this instant.")

    @staticmethod
    def data(found: EarliestSearch) -> dict[str, Any]:
        return {
            "items": [
                {
                    "therapist_id": hit.therapist_public_id,
                    "therapist_name": hit.therapist_name,
                    "therapist_time_zone": hit.therapist_time_zone,
                    "service_id": hit.service_public_id,
                    "technique": hit.technique,
                    "duration_min": hit.duration_min,
                    "earliest_start": hit.earliest_start,
                    "status": "free"
                    if hit.earliest_start is not None
                    else ("none" if hit.known else "unknown"),
                    "distance_km": hit.distance_km,
                }
                for hit in found.items
            ],
            "count": found.count,
            "count_free": found.count_free,
            "complete": found.complete,
            "days": found.days,
            "window_end": found.window_end,
        }
