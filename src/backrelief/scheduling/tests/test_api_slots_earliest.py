"""GET /api/v1/slots/earliest (issue 6 item 8): public, ordered by the earliest free start,
bad input named, the index read in one query when warm."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from backrelief.accounts.tests.mfa_helpers import sign_in, sign_in_staff
from backrelief.scheduling.models import FreeTime, SchedulingPolicy, WeeklyHours
from backrelief.scheduling.selectors_slots import slot_list
from backrelief.therapists.tests.factories import (
    make_booking,
    make_licence,
    make_profile,
    make_service,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/slots/earliest"
BERLIN = ZoneInfo("Europe/Berlin")
# Monday 2 March 2026, 07:30 UTC (08:30 in Berlin); Berlin Mitte is 52.52, 13.405
NOW = dt.datetime(2026, 3, 2, 7, 30, tzinfo=dt.UTC)
HERE = {"lat": "52.52", "lon": "13.405"}


def bookable(user, *, lat=52.52, lon=13.405, technique="swedish", hours=(9, 17), listed=True):
    profile = make_profile(user, latitude=lat, longitude=lon, now=NOW - dt.timedelta(days=30))
    if listed:
        make_licence(profile, now=NOW - dt.timedelta(days=30))
    service = make_service(profile, technique=technique, buffer_min=0, now=NOW)
    WeeklyHours.objects.bulk_create(
        WeeklyHours(
            therapist=profile, weekday=d, start_time=dt.time(hours[0]), end_time=dt.time(hours[1])
        )
        for d in range(5)
    )
    SchedulingPolicy.objects.create(
        therapist=profile, min_notice_minutes=0, slot_step_minutes=60, updated_at=NOW
    )
    return profile, service


def berlin(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, tzinfo=BERLIN).astimezone(dt.UTC)


def get(web: Client, **params: str):
    return web.get(URL, {"technique": "swedish", **HERE, **params})


@pytest.fixture
def area(make_user, client_user):
    """Three therapists near Berlin Mitte; the nearest is busy today, the second free now,
    the third has no hours at all; one more 30 km away."""
    with time_machine.travel(NOW, tick=False):
        near_busy = bookable(make_user("therapist", display_name="Ada Near"))
        second = bookable(make_user("therapist", display_name="Ben Second"), lat=52.53, lon=13.42)
        closed = bookable(make_user("therapist", display_name="Cy Closed"), lat=52.50, lon=13.40)
        WeeklyHours.objects.filter(therapist=closed[0]).delete()
        bookable(make_user("therapist", display_name="Far Away"), lat=52.79, lon=13.405)
        # Ada is booked from 09:00 until 13:00 Berlin today
        for hour in range(9, 13):
            make_booking(
                client_user, near_busy[0], service=near_busy[1], start=berlin(2, hour), now=NOW
            )
        return near_busy, second, closed


def test_orders_by_earliest_free_start_then_lists_nothing_free(area):
    near_busy, second, _closed = area
    with time_machine.travel(NOW, tick=False):
        response = get(Client(), radius_km="10")
        assert response.status_code == 200, response.content
        body = response.json()
        names = [item["therapist_name"] for item in body["items"]]
        assert names == ["Ben Second", "Ada Near", "Cy Closed"]
        ben, ada, cy = body["items"]
        assert ben["earliest_start"] == "2026-03-02T08:00:00Z"  # 09:00 Berlin, notice 0
        assert ben["status"] == "free"
        assert ben["service_id"] == str(second[1].public_id)
        assert ben["therapist_id"] == str(second[0].public_id)
        assert ben["duration_min"] == 60
        assert ada["earliest_start"] == "2026-03-02T12:00:00Z"  # 13:00 Berlin
        assert ada["distance_km"] == 0.0
        assert cy["earliest_start"] is None
        assert cy["status"] == "none"
        assert body["count"] == 3
        assert body["count_free"] == 2
        assert body["complete"] is True
        assert body["days"] == 14
        # the same as a fresh slot computation
        fresh = slot_list(
            service=near_busy[1], start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 3), now=NOW
        )
        assert ada["earliest_start"] == fresh[0].start.isoformat().replace("+00:00", "Z")


def test_warm_index_is_read_in_one_query_and_a_booking_is_seen_at_once(
    area, client_user, django_assert_num_queries
):
    _near, second, _closed = area
    with time_machine.travel(NOW, tick=False):
        web = Client()
        assert get(web, radius_km="10").status_code == 200
        with django_assert_num_queries(1):
            assert get(web, radius_km="10").status_code == 200
        assert FreeTime.objects.count() == 3  # the far therapist was never computed
        from backrelief.scheduling.services_booking import booking_create

        booking_create(
            client=client_user, service_id=second[1].public_id, start=berlin(2, 9), now=NOW
        )
        body = get(web, radius_km="10").json()
        assert body["items"][0]["therapist_name"] == "Ben Second"
        assert body["items"][0]["earliest_start"] == "2026-03-02T09:00:00Z"


def test_technique_and_listing_and_radius_filter(area, make_user):
    with time_machine.travel(NOW, tick=False):
        bookable(make_user("therapist", display_name="Deep Only"), technique="deep_tissue")
        bookable(make_user("therapist", display_name="Not Listed"), listed=False)
        names = [i["therapist_name"] for i in get(Client(), radius_km="50").json()["items"]]
        assert "Deep Only" not in names
        assert "Not Listed" not in names
        assert "Far Away" in names
        deep = get(Client(), technique="deep_tissue", radius_km="10").json()
        assert [i["therapist_name"] for i in deep["items"]] == ["Deep Only"]


def test_days_window_and_limit(area):
    with time_machine.travel(NOW, tick=False):
        body = get(Client(), radius_km="10", days="1", limit="1").json()
        assert body["count"] == 3
        assert len(body["items"]) == 1
        assert body["window_end"] == "2026-03-03T07:30:00Z"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"technique": "reiki"}, "technique"),
        ({"technique": ""}, "technique"),
        ({"lat": "91"}, "lat"),
        ({"lat": "nan"}, "lat"),
        ({"lon": "-180.5"}, "lon"),
        ({"lon": "east"}, "lon"),
        ({"radius_km": "0"}, "radius_km"),
        ({"radius_km": "201"}, "radius_km"),
        ({"days": "0"}, "days"),
        ({"days": "61"}, "days"),
        ({"days": "x"}, "days"),
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
    ],
)
def test_bad_input_is_422_naming_the_field(params, field):
    with time_machine.travel(NOW, tick=False):
        response = Client().get(URL, {"technique": "swedish", **HERE, **params})
        assert response.status_code == 422, response.content
        assert field in response.json()["fields"]
        assert not FreeTime.objects.exists()


def test_missing_place_is_422():
    response = Client().get(URL, {"technique": "swedish"})
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"lat", "lon"}


@pytest.mark.parametrize(
    "persona", ["anonymous", "client", "other_client", "therapist", "other_therapist", "staff"]
)
def test_every_persona_may_search(persona, request, area):
    web = Client()
    if persona == "staff":
        sign_in_staff(web, request.getfixturevalue("staff_user"))
    elif persona != "anonymous":
        fixture = {"client": "client_user", "therapist": "therapist"}.get(persona, persona)
        sign_in(web, request.getfixturevalue(fixture))
    with time_machine.travel(NOW, tick=False):
        response = get(web, radius_km="10")
        assert response.status_code == 200
        assert response.json()["count"] == 3


def test_route_is_not_taken_by_the_slots_list():
    """`/slots/earliest` answers itself, not the slot list (which wants `service`)."""
    response = Client().get(URL, {"technique": "swedish", **HERE})
    assert response.status_code == 200
    assert "items" in response.json()
