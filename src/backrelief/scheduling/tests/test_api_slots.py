"""GET /api/v1/slots (issue 6 items 3 and 9): public, every persona, bad input, unlisted."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from backrelief.accounts.tests.mfa_helpers import sign_in, sign_in_staff
from backrelief.scheduling.models import SchedulingPolicy, WeeklyHours
from backrelief.therapists.tests.factories import (
    make_booking,
    make_licence,
    make_profile,
    make_service,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/slots"
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
# Monday 2 March 2026, 08:00 UTC
NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def berlin(day: int, hour: int, minute: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=BERLIN)


def bookable(user, *, listed=True, active=True, hours=(9, 17), weekdays=range(5)):
    profile = make_profile(user, now=NOW - dt.timedelta(days=30))
    if listed:
        make_licence(profile, now=NOW - dt.timedelta(days=30))
    service = make_service(profile, buffer_min=10, active=active, now=NOW)
    WeeklyHours.objects.bulk_create(
        WeeklyHours(
            therapist=profile, weekday=d, start_time=dt.time(hours[0]), end_time=dt.time(hours[1])
        )
        for d in weekdays
    )
    SchedulingPolicy.objects.create(
        therapist=profile, min_notice_minutes=0, slot_step_minutes=60, updated_at=NOW
    )
    return profile, service


@pytest.fixture
def offer(therapist):
    with time_machine.travel(NOW, tick=False):
        return bookable(therapist)


def _web(persona, request):
    web = Client()
    if persona == "anonymous":
        return web
    user = request.getfixturevalue(
        {"client": "client_user", "staff": "staff_user"}.get(persona, persona)
    )
    if persona == "staff":
        sign_in_staff(web, user)
    else:
        sign_in(web, user)
    return web


def _query(offered, **extra):
    return {"service": str(offered.public_id), "from": "2026-03-04", "to": "2026-03-04", **extra}


@pytest.mark.parametrize(
    "persona", ["client", "other_client", "therapist", "other_therapist", "staff", "anonymous"]
)
def test_every_persona_may_list_the_free_slots_of_a_listed_therapist(request, persona, offer):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        response = _web(persona, request).get(URL, _query(service, tz="Europe/Berlin"))
        assert response.status_code == 200
        body = response.json()
        assert body["therapist_time_zone"] == "Europe/Berlin"
        assert body["client_time_zone"] == "Europe/Berlin"
        assert len(body["slots"]) == 8  # 09:00 ... 16:00, hourly


def test_each_slot_comes_in_utc_in_the_clients_zone_and_in_the_therapists(offer):
    profile, service = offer
    with time_machine.travel(NOW, tick=False):
        response = Client().get(URL, _query(service, tz="America/New_York"))
        assert response.status_code == 200
        body = response.json()
        assert body["service_id"] == str(service.public_id)
        assert body["therapist_id"] == str(profile.public_id)
        assert body["duration_min"] == 60
        assert body["from"] == "2026-03-04"
        assert body["to"] == "2026-03-04"
        assert body["client_time_zone"] == "America/New_York"
        # 4 March in New York runs 05:00 UTC 4 March to 05:00 UTC 5 March: Berlin's Wednesday
        # from 09:00 (08:00 UTC) to 16:00
        first = body["slots"][0]
        assert first == {
            "start": "2026-03-04T08:00:00Z",
            "end": "2026-03-04T09:00:00Z",
            "start_local": "2026-03-04T03:00:00-05:00",
            "start_therapist_local": "2026-03-04T09:00:00+01:00",
        }
        assert len(body["slots"]) == 8


def test_a_booked_hour_and_its_buffer_are_not_offered(offer, client_user):
    profile, service = offer
    with time_machine.travel(NOW, tick=False):
        make_booking(client_user, profile, start=berlin(4, 11), service=service, now=NOW)
        body = Client().get(URL, _query(service, tz="Europe/Berlin")).json()
        walls = [s["start_therapist_local"][11:16] for s in body["slots"]]
        # 10:00 + 60 min + 10 min buffer would overlap 11:00; 12:00 starts inside the
        # booking's buffer (until 12:10)
        assert walls == ["09:00", "13:00", "14:00", "15:00", "16:00"]


def test_the_default_zone_is_the_callers_profile_zone_else_utc(offer, make_user):
    _, service = offer
    new_yorker = make_user("client", time_zone="America/New_York")
    web = Client()
    with time_machine.travel(NOW, tick=False):
        sign_in(web, new_yorker)
        assert web.get(URL, _query(service)).json()["client_time_zone"] == "America/New_York"
        assert Client().get(URL, _query(service)).json()["client_time_zone"] == "UTC"


def test_a_dst_week_keeps_nine_in_berlin_for_a_new_york_client(therapist):
    """Berlin changes on 29 March, New York on 8 March: 09:00 Berlin throughout."""
    with time_machine.travel(NOW, tick=False):
        _, service = bookable(therapist, hours=(9, 10), weekdays=range(7))
        response = Client().get(
            URL,
            {
                "service": str(service.public_id),
                "from": "2026-03-05",
                "to": "2026-03-31",
                "tz": "America/New_York",
            },
        )
        assert response.status_code == 200
        slots = response.json()["slots"]
        assert len(slots) == 27
        assert {s["start_therapist_local"][11:] for s in slots} == {
            "09:00:00+01:00",
            "09:00:00+02:00",
        }
        local = {s["start_local"][:10]: s["start_local"][11:] for s in slots}
        assert local["2026-03-06"] == "03:00:00-05:00"  # both on winter time
        assert local["2026-03-09"] == "04:00:00-04:00"  # New York moved, Berlin not yet
        assert local["2026-03-30"] == "03:00:00-04:00"  # both on summer time


def test_a_month_takes_at_most_three_queries_for_an_anonymous_caller(
    offer, django_assert_max_num_queries
):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        web = Client()
        query = {"service": str(service.public_id), "from": "2026-03-01", "to": "2026-03-31"}
        with django_assert_max_num_queries(3):
            response = web.get(URL, query)
        assert response.status_code == 200
        assert len(response.json()["slots"]) > 100


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"from": "2026-03-10", "to": "2026-03-09"}, "to"),
        ({"from": "2026-03-01", "to": "2026-05-02"}, "to"),  # 63 days
        ({"from": "not-a-date"}, "from"),
        ({"to": "2026-02-30"}, "to"),
        ({"from": "1999-12-31"}, "from"),
        ({"to": "9999-12-31"}, "to"),
        ({"tz": "Mars/Olympus_Mons"}, "tz"),
        ({"tz": "localtime"}, "tz"),
        ({"tz": ""}, "tz"),
        ({"service": "not-a-uuid"}, "service"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(offer, changes, field):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        response = Client().get(URL, _query(service, **changes))
        assert response.status_code == 422, response.content
        body = response.json()
        assert body["code"] == "invalid"
        assert list(body["fields"]) == [field]


def test_an_unknown_zone_says_what_to_use(offer):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        body = Client().get(URL, _query(service, tz="Berlin")).json()
        assert body["fields"]["tz"] == [
            "Unknown time zone 'Berlin'. Use an IANA name such as Europe/Berlin."
        ]


def test_sixty_two_days_are_allowed(offer):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        response = Client().get(URL, _query(service, **{"from": "2026-03-01", "to": "2026-05-01"}))
        assert response.status_code == 200


@pytest.mark.parametrize("missing", ["service", "from", "to"])
def test_a_missing_parameter_is_a_422(offer, missing):
    _, service = offer
    query = _query(service)
    del query[missing]
    response = Client().get(URL, query)
    assert response.status_code == 422
    assert missing in response.json()["fields"]


def test_an_unlisted_therapists_service_is_a_404(other_therapist):
    with time_machine.travel(NOW, tick=False):
        _, service = bookable(other_therapist, listed=False)
        response = Client().get(URL, _query(service))
        assert response.status_code == 404
        assert response.json()["code"] == "service_not_found"


def test_an_expired_licence_unlists_the_service(other_therapist):
    with time_machine.travel(NOW, tick=False):
        profile, service = bookable(other_therapist, listed=False)
        make_licence(profile, expires_on=dt.date(2026, 3, 1), now=NOW - dt.timedelta(days=30))
        assert Client().get(URL, _query(service)).status_code == 404


def test_a_retired_service_is_a_404(therapist):
    with time_machine.travel(NOW, tick=False):
        _, service = bookable(therapist, active=False)
        assert Client().get(URL, _query(service)).status_code == 404


def test_an_unknown_service_is_a_404(offer):
    with time_machine.travel(NOW, tick=False):
        response = Client().get(
            URL,
            {
                "service": "00000000-0000-0000-0000-000000000000",
                "from": "2026-03-04",
                "to": "2026-03-04",
            },
        )
        assert response.status_code == 404


def test_a_deactivated_therapist_account_is_a_404(therapist, offer):
    _, service = offer
    therapist.is_active = False
    therapist.save(update_fields=["is_active"])
    with time_machine.travel(NOW, tick=False):
        assert Client().get(URL, _query(service)).status_code == 404


def test_bad_input_stores_nothing(offer):
    _, service = offer
    counts = (SchedulingPolicy.objects.count(), WeeklyHours.objects.count())
    with time_machine.travel(NOW, tick=False):
        Client().get(URL, _query(service, tz="Nowhere/Town"))
        Client().get(URL, _query(service))
    assert (SchedulingPolicy.objects.count(), WeeklyHours.objects.count()) == counts
