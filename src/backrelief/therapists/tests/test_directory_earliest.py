"""Directory sort "earliest available" (issue 6 item 8): selector order and query count,
the page's "Next free" line in the viewer's zone, the API fields, every persona."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backrelief.accounts.tests.mfa_helpers import sign_in, sign_in_staff
from backrelief.scheduling.models import DateOverride, SchedulingPolicy, WeeklyHours
from backrelief.scheduling.services_booking import booking_create
from backrelief.therapists.selectors_directory import (
    DirectoryFilters,
    directory_search,
)
from backrelief.therapists.tests.directory_helpers import BERLIN, NOW, listed
from backrelief.therapists.tests.factories import make_service

pytestmark = pytest.mark.django_db

URL = reverse("therapists:directory")
API = "/api/v1/therapists"
BERLIN_ZONE = ZoneInfo("Europe/Berlin")
# NOW is Friday 20 November 2026, 10:00 UTC (11:00 in Berlin); the searches run half an hour
# earlier, so the first free start of someone working today is 11:00 Berlin.
T = NOW - dt.timedelta(minutes=30)


def at_berlin(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, tzinfo=BERLIN_ZONE).astimezone(dt.UTC)


def hours(profile, weekdays, start=9, end=17):
    WeeklyHours.objects.bulk_create(
        WeeklyHours(therapist=profile, weekday=d, start_time=dt.time(start), end_time=dt.time(end))
        for d in weekdays
    )
    SchedulingPolicy.objects.create(
        therapist=profile, min_notice_minutes=0, slot_step_minutes=60, updated_at=NOW
    )


@pytest.fixture
def berliners(make_user):
    """Ada works every weekday (free at 11:00 today), Ben only on Tuesdays, Cy never; Ada has
    the worst rating so the default order differs from the earliest one."""
    with time_machine.travel(T, tick=False):
        ada = listed(make_user, "Ada", reviews=(3, 6))
        hours(ada, range(5))
        ben = listed(make_user, "Ben", reviews=(3, 15))
        hours(ben, [1])
        cy = listed(make_user, "Cy", reviews=(3, 12))
        hours(cy, [])
        return ada, ben, cy


def search(**fields):
    filters = DirectoryFilters(latitude=BERLIN[0], longitude=BERLIN[1], **fields)
    return directory_search(filters=filters, viewer_advice=None, now=T)


def test_orders_by_next_free_start_and_nothing_free_last(berliners):
    ada, _ben, _cy = berliners
    with time_machine.travel(T, tick=False):
        assert [r.display_name for r in search(sort="rating").results] == ["Ben", "Cy", "Ada"]
        page = search(sort="earliest")
        assert [r.display_name for r in page.results] == ["Ada", "Ben", "Cy"]
        first, second, third = page.results
        assert first.next_free == at_berlin(20, 11)
        assert first.next_free_service_id == str(ada.services.get().public_id)
        assert second.next_free == at_berlin(24, 9)
        assert third.next_free is None
        assert third.next_free_known
        assert first.therapist_time_zone == "Europe/Berlin"


def test_a_booking_moves_the_therapist_at_once(berliners, client_user):
    ada, _ben, _cy = berliners
    with time_machine.travel(T, tick=False):
        assert search(sort="earliest").results[0].display_name == "Ada"
        service = ada.services.get()
        service.buffer_min = 0
        service.save(update_fields=["buffer_min"])
        # Ada is booked for the rest of today and Monday to Tuesday 10:00
        for day, first, last in ((20, 11, 17), (23, 9, 17), (24, 9, 10)):
            for hour in range(first, last):
                booking_create(
                    client=client_user,
                    service_id=service.public_id,
                    start=at_berlin(day, hour),
                    now=T,
                )
        page = search(sort="earliest")
        assert [r.display_name for r in page.results] == ["Ben", "Ada", "Cy"]
        assert page.results[1].next_free == at_berlin(24, 10)


def test_the_technique_filter_picks_the_matching_service(make_user):
    with time_machine.travel(T, tick=False):
        eve = listed(make_user, "Eve", techniques=("swedish",))
        make_service(eve, technique="shiatsu", duration_min=90, now=NOW)
        hours(eve, range(5))
        # today only 11:00-12:00: an hour of Swedish fits, 90 minutes of shiatsu does not
        DateOverride.objects.create(
            therapist=eve, date=dt.date(2026, 11, 20), start_time=dt.time(11), end_time=dt.time(12)
        )
        swedish = search(sort="earliest", technique="swedish").results[0]
        shiatsu = search(sort="earliest", technique="shiatsu").results[0]
        assert swedish.next_free == at_berlin(20, 11)
        assert shiatsu.next_free == at_berlin(23, 9)
        assert shiatsu.next_free_service_id == str(eve.services.get(technique="shiatsu").public_id)
        either = search(sort="earliest").results[0]
        assert either.next_free == at_berlin(20, 11)


def test_warm_earliest_sort_takes_four_queries_other_sorts_three(berliners):
    with time_machine.travel(T, tick=False):
        search(sort="earliest", technique="swedish")
        with CaptureQueriesContext(connection) as queries:
            search(sort="earliest", technique="swedish")
        assert len(queries) == 4
        with CaptureQueriesContext(connection) as queries:
            search(sort="earliest")
        assert len(queries) == 4
        for sort in ("best", "distance", "rating", "price"):
            with CaptureQueriesContext(connection) as queries:
                search(sort=sort, technique="swedish")
            assert len(queries) <= 3


def test_page_shows_next_free_in_the_viewers_zone_with_the_therapists(berliners, make_user):
    viewer = make_user("client", display_name="Nia York")
    viewer.time_zone = "America/New_York"
    viewer.save(update_fields=["time_zone"])
    web = Client()
    sign_in(web, viewer)
    with time_machine.travel(T, tick=False):
        response = web.get(URL, {"place": "52.52, 13.405", "sort": "earliest"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "Next free:" in html
        # 11:00 in Berlin is 05:00 in New York
        assert "Fri 20 Nov 2026, 05:00 EST (America/New_York)" in html
        assert "Fri 20 Nov 2026, 11:00 CET (Europe/Berlin)" in html
        assert "Nothing free in the next 14 days." in html
        assert "Earliest available" in html
        # the other sorts show no next free line
        assert "Next free:" not in web.get(URL, {"place": "52.52, 13.405"}).content.decode()


def test_page_for_anonymous_uses_the_therapists_zone_and_links_to_book(berliners):
    ada, _ben, _cy = berliners
    with time_machine.travel(T, tick=False):
        html = Client().get(URL, {"place": "52.52, 13.405", "sort": "earliest"}).content.decode()
        assert "Fri 20 Nov 2026, 11:00 CET (Europe/Berlin)" in html
        service_id = str(ada.services.get().public_id)
        target = reverse("scheduling:book_service", args=[service_id])
        assert target == f"/schedule/book/{service_id}/"
        # opens at the week of that free time (its local date in the picker's zone)
        assert f'href="{target}?from=2026-11-20"' in html


def test_api_sort_earliest_gives_next_free_fields(berliners):
    ada, _ben, _cy = berliners
    with time_machine.travel(T, tick=False):
        body = Client().get(API, {"lat": "52.52", "lon": "13.405", "sort": "earliest"}).json()
        first, _second, third = body["items"]
        assert first["display_name"] == "Ada"
        assert first["next_free"] == "2026-11-20T10:00:00Z"
        assert first["next_free_service_id"] == str(ada.services.get().public_id)
        assert first["next_free_status"] == "free"
        assert third["next_free_status"] == "none"
        other = Client().get(API, {"lat": "52.52", "lon": "13.405"}).json()
        assert other["items"][0]["next_free_status"] is None
        bad = Client().get(API, {"sort": "soonest"})
        assert bad.status_code == 422
        assert "sort" in bad.json()["fields"]


@pytest.mark.parametrize(
    "persona", ["anonymous", "client", "other_client", "therapist", "other_therapist", "staff"]
)
def test_every_persona_may_sort_by_earliest(persona, request, berliners):
    web = Client()
    if persona == "staff":
        sign_in_staff(web, request.getfixturevalue("staff_user"))
    elif persona != "anonymous":
        fixture = {"client": "client_user"}.get(persona, persona)
        sign_in(web, request.getfixturevalue(fixture))
    with time_machine.travel(T, tick=False):
        page = web.get(URL, {"place": "52.52, 13.405", "sort": "earliest"})
        assert page.status_code == 200
        assert "Next free:" in page.content.decode()
        api = web.get(API, {"lat": "52.52", "lon": "13.405", "sort": "earliest"})
        assert api.status_code == 200
        assert api.json()["items"][0]["next_free_status"] == "free"
