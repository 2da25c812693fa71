"""GET /api/v1/slots builds its JSON directly (`SlotsOut.body`) instead of letting Ninja
validate `SlotsOut.data`: the answer must stay byte for byte the schema-validated one."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from ninja.responses import NinjaJSONEncoder

from backrelief.scheduling.models import SchedulingPolicy, WeeklyHours
from backrelief.scheduling.schemas_slots import SlotsOut, _iso
from backrelief.scheduling.selectors_slots import slot_list_public
from backrelief.therapists.tests.factories import (
    make_booking,
    make_licence,
    make_profile,
    make_service,
)

pytestmark = pytest.mark.django_db

# Sunday 1 March 2026: New York springs forward on 8 March, Berlin on 29 March.
NOW = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)


def _validated(found) -> bytes:
    """What Ninja sends for `SlotsOut.data(found)`: validated against the schema, dumped by
    alias, rendered by its JSON encoder."""
    data = SlotsOut.model_validate(SlotsOut.data(found)).model_dump(by_alias=True)
    return json.dumps(data, cls=NinjaJSONEncoder).encode()


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Berlin", "UTC"])
def test_the_slots_body_is_the_schema_validated_body_over_a_month_with_dst_changes(
    therapist, client_user, zone
):
    with time_machine.travel(NOW, tick=False):
        profile = make_profile(therapist, now=NOW - dt.timedelta(days=30))
        make_licence(profile, now=NOW - dt.timedelta(days=30))
        service = make_service(profile, buffer_min=10, duration_min=50, now=NOW)
        WeeklyHours.objects.bulk_create(
            WeeklyHours(therapist=profile, weekday=d, start_time=dt.time(8), end_time=dt.time(18))
            for d in range(6)
        )
        SchedulingPolicy.objects.create(
            therapist=profile, min_notice_minutes=0, slot_step_minutes=15, updated_at=NOW
        )
        make_booking(
            client_user,
            profile,
            service=service,
            minutes=50,
            start=dt.datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/Berlin")),
        )
        query = {"service": str(service.public_id), "from": "2026-03-01", "to": "2026-03-31"}
        response = Client().get("/api/v1/slots", {**query, "tz": zone})
        found = slot_list_public(
            service_id=service.public_id,
            start=dt.date(2026, 3, 1),
            end=dt.date(2026, 3, 31),
            zone=zone,
            now=NOW,
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert len(found) > 300  # a month of slots in both offsets of each zone
        assert response.content == _validated(found)
        body = response.json()
        assert body["therapist_time_zone"] == "Europe/Berlin"
        assert body["client_time_zone"] == zone
        assert {s["start_therapist_local"][-6:] for s in body["slots"]} == {"+01:00", "+02:00"}


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2026, 3, 8, 7, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 8, 7, 0, 0, 123456, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 8, 3, 0, 0, 5, tzinfo=ZoneInfo("America/New_York")),
        dt.datetime(2026, 10, 25, 1, 30, tzinfo=ZoneInfo("Europe/London")),
        dt.datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=ZoneInfo("Europe/London")),
        dt.datetime(2026, 4, 5, 2, 30, tzinfo=ZoneInfo("Australia/Sydney")),
        dt.datetime(2026, 4, 5, 2, 30, fold=1, tzinfo=ZoneInfo("Australia/Sydney")),
    ],
)
def test_times_are_written_as_ninjas_encoder_writes_them(value):
    assert json.dumps(_iso(value)) == json.dumps(value, cls=DjangoJSONEncoder)
