"""Availability pages (issue 6 item 1): persona matrix, no-JavaScript form posts (add a shift,
save, remove), errors beside the fields, conflicts shown with the client's first name only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from backrelief.core.tests.audit_helpers import login_verified
from backrelief.scheduling.models import DateOverride, SchedulingPolicy, TimeOff, WeeklyHours
from backrelief.therapists.tests.factories import (
    make_booking,
    make_profile,
    make_time_off,
    make_weekly_hours,
)

pytestmark = pytest.mark.django_db

PAGE = "/schedule/availability/"
TIME_OFF_NEW = "/schedule/availability/time-off/new/"
NOW = dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)  # Friday, Berlin CET
MONDAY_10_BERLIN = dt.datetime(2026, 3, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def profiles(therapist: Any, other_therapist: Any) -> tuple[Any, Any]:
    return make_profile(therapist, now=NOW), make_profile(other_therapist, now=NOW)


def _as(user: Any | None) -> Client:
    client = Client()
    return login_verified(client, user) if user is not None else client


def _week_post(rows: dict[int, list[tuple[str, str]]], **extra: str) -> dict[str, str]:
    data = {"form": "week"}
    for day in range(7):
        shifts = rows.get(day, [])
        data[f"rows-{day}"] = str(max(1, len(shifts)))
        for i, (start, end) in enumerate(shifts):
            data[f"{day}-{i}-start"], data[f"{day}-{i}-end"] = start, end
    data.update(extra)
    return data


def test_therapist_sees_the_week_in_their_zone_with_a_named_zone(therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        make_weekly_hours(
            profiles[0], weekdays=(0,), shifts=(("09:00", "12:30"), ("13:30", "17:00"))
        )
        response = _as(therapist).get(PAGE)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Times in Europe/Berlin" in html
        assert 'value="09:00"' in html
        assert 'value="13:30"' in html
        assert 'name="rows-0" value="3"' in html  # two shifts and an empty pair
        assert "These are the defaults until you save your own." in html
        assert "No time off planned." in html


@pytest.mark.parametrize("persona", ["client_user", "other_client", "staff_user"])
def test_non_therapists_get_the_for_therapists_page(persona, request, profiles):
    with time_machine.travel(NOW, tick=False):
        client = _as(request.getfixturevalue(persona))
        for url in (PAGE, TIME_OFF_NEW, "/schedule/availability/dates/2026-03-26/"):
            response = client.get(url)
            assert response.status_code == 403
            assert "This page is for therapist accounts" in response.content.decode()
        assert client.post(PAGE, _week_post({0: [("09:00", "17:00")]})).status_code == 403
        assert WeeklyHours.objects.count() == 0


def test_anonymous_is_sent_to_log_in(profiles):
    with time_machine.travel(NOW, tick=False):
        for url in (PAGE, TIME_OFF_NEW, "/schedule/availability/dates/2026-03-26/"):
            response = Client().get(url)
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")


def test_the_dashboard_links_to_availability(therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        html = _as(therapist).get("/therapists/me/").content.decode()
        assert f'href="{PAGE}"' in html


def test_saving_the_week_without_javascript(therapist, other_therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        client = _as(therapist)
        data = _week_post({0: [("09:00", "12:30"), ("13:30", "17:00")], 4: [("10:00", "14:00")]})
        response = client.post(PAGE, data)
        assert response.status_code == 302
        assert response["Location"] == PAGE
        assert WeeklyHours.objects.filter(therapist=profiles[0]).count() == 3
        assert "Your weekly hours were saved." in client.get(PAGE).content.decode()
        assert not WeeklyHours.objects.filter(therapist=profiles[1]).exists()
        # Clearing both times of a shift removes it.
        data = _week_post({0: [("", ""), ("13:30", "17:00")]})
        assert client.post(PAGE, data).status_code == 302
        assert list(WeeklyHours.objects.values_list("weekday", flat=True)) == [0]


def test_add_a_shift_re_renders_with_one_more_row_and_saves_nothing(therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        data = _week_post({2: [("09:00", "12:00")]}, add="2")
        response = _as(therapist).post(PAGE, data)
        html = response.content.decode()
        assert response.status_code == 200
        assert 'name="rows-2" value="2"' in html
        assert 'name="2-1-start"' in html
        assert 'value="09:00"' in html  # what was typed is kept
        assert "form-errors" not in html
        assert WeeklyHours.objects.count() == 0


def test_week_errors_appear_beside_the_shift_and_nothing_is_stored(therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        make_weekly_hours(profiles[0], weekdays=(6,))
        data = _week_post({1: [("09:00", "12:00"), ("11:00", "13:00")], 3: [("17:00", "09:00")]})
        client = _as(therapist)
        response = client.post(PAGE, data)
        html = response.content.decode()
        assert response.status_code == 422
        assert "Nothing was saved" in html
        assert 'href="#id_1-1-start"' in html  # the summary links to the overlapping shift
        assert "Overlaps 09:00–12:00" in html
        assert 'href="#id_3-0-end"' in html
        assert "End after the start" in html
        assert 'id="id_1-1-start_error"' in html  # beside the shift
        missing_end = client.post(PAGE, _week_post({5: [("10:00", "")]}))
        assert missing_end.status_code == 422
        assert 'href="#id_5-0-end"' in missing_end.content.decode()
        assert "Enter both start and end" in missing_end.content.decode()
        assert list(WeeklyHours.objects.values_list("weekday", flat=True)) == [6]


def test_saving_a_change_that_leaves_a_booking_outside_shows_it(therapist, profiles, client_user):
    with time_machine.travel(NOW, tick=False):
        make_weekly_hours(profiles[0])
        booking = make_booking(client_user, profiles[0], start=MONDAY_10_BERLIN)
        client = _as(therapist)
        response = client.post(PAGE, _week_post({1: [("09:00", "17:00")]}), follow=True)
        html = response.content.decode()
        assert "1 upcoming booking is outside your availability" in html
        assert "Mon 23 Mar 2026, 10:00–11:00" in html  # Berlin time
        assert "Cleo" in html
        assert "Cleo Client" not in html
        assert "Swedish massage, 60 min" in html
        assert "client1@example.test" not in html
        booking.refresh_from_db()
        assert booking.status == "confirmed"


def test_policy_form_saves_and_shows_errors_beside_fields(therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        client = _as(therapist)
        data = {
            "form": "policy",
            "min_notice_minutes": "99999",
            "horizon_days": "30",
            "slot_step_minutes": "15",
            "cancellation_cutoff_hours": "24",
        }
        response = client.post(PAGE, data)
        assert response.status_code == 422
        html = response.content.decode()
        assert 'id="id_min_notice_minutes_error"' in html
        assert not SchedulingPolicy.objects.exists()
        data["min_notice_minutes"] = "120"
        assert client.post(PAGE, data).status_code == 302
        assert SchedulingPolicy.objects.get().min_notice_minutes == 120


def test_a_date_box_opens_the_date_page_which_saves_closed(therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        client = _as(therapist)
        response = client.get(PAGE, {"date": "2026-03-26"})
        assert response["Location"] == "/schedule/availability/dates/2026-03-26/"
        page = client.get(response["Location"])
        assert page.status_code == 200
        assert "Times in Europe/Berlin" in page.content.decode()
        saved = client.post(response["Location"], {"rows-0": "1", "closed": "on"})
        assert saved.status_code == 302
        assert DateOverride.objects.get().closed is True
        listed = client.get(PAGE).content.decode()
        assert "closed" in listed
        assert "Thu 26 Mar 2026" in listed


def test_date_page_hours_errors_and_add_shift(therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        client = _as(therapist)
        url = "/schedule/availability/dates/2026-03-26/"
        added = client.post(
            url, {"rows-0": "1", "0-0-start": "09:00", "0-0-end": "12:00", "add": "0"}
        )
        assert added.status_code == 200
        assert 'name="0-1-start"' in added.content.decode()
        bad = client.post(
            url,
            {
                "rows-0": "2",
                "0-0-start": "09:00",
                "0-0-end": "12:00",
                "0-1-start": "10:00",
                "0-1-end": "11:00",
            },
        )
        assert bad.status_code == 422
        assert 'href="#id_0-1-start"' in bad.content.decode()
        empty = client.post(url, {"rows-0": "1"})
        assert empty.status_code == 422
        assert "Add at least one period, or mark the day closed." in empty.content.decode()
        past = client.post(
            "/schedule/availability/dates/2026-03-19/", {"rows-0": "1", "closed": "on"}
        )
        assert past.status_code == 422
        assert not DateOverride.objects.exists()
        assert client.get("/schedule/availability/dates/nonsense/").status_code == 404


def test_removing_a_date_and_time_off_from_the_list(therapist, other_therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        DateOverride.objects.create(therapist=profiles[0], date=dt.date(2026, 3, 26), closed=True)
        mine = make_time_off(
            profiles[0],
            start=dt.datetime(2026, 4, 1, tzinfo=dt.UTC),
            end=dt.datetime(2026, 4, 2, tzinfo=dt.UTC),
        )
        theirs = make_time_off(
            profiles[1],
            start=dt.datetime(2026, 4, 1, tzinfo=dt.UTC),
            end=dt.datetime(2026, 4, 2, tzinfo=dt.UTC),
        )
        client = _as(therapist)
        foreign = client.post(PAGE, {"form": "time_off_remove", "time_off": str(theirs.public_id)})
        assert foreign.status_code == 404
        assert (
            client.post(
                PAGE, {"form": "time_off_remove", "time_off": str(mine.public_id)}
            ).status_code
            == 302
        )
        assert client.post(PAGE, {"form": "date_clear", "date": "2026-03-26"}).status_code == 302
        assert client.post(PAGE, {"form": "date_clear", "date": "2026-03-26"}).status_code == 404
        assert list(TimeOff.objects.all()) == [theirs]
        assert not DateOverride.objects.exists()


def test_adding_whole_days_of_time_off(therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        client = _as(therapist)
        assert "Times in Europe/Berlin" in client.get(TIME_OFF_NEW).content.decode()
        data = {"start_date": "2026-04-01", "end_date": "2026-04-03", "note": "Holiday"}
        assert client.post(TIME_OFF_NEW, data).status_code == 302
        row = TimeOff.objects.get()
        assert row.start == dt.datetime(2026, 3, 31, 22, tzinfo=dt.UTC)  # CEST midnight
        assert row.end == dt.datetime(2026, 4, 3, 22, tzinfo=dt.UTC)
        listed = client.get(PAGE).content.decode()
        assert "Wed 1 Apr 2026, 00:00" in listed
        assert "Holiday" in listed


@pytest.mark.parametrize(("query", "prefilled"), [("2026-04-01", True), ("soon", False)])
def test_the_calendars_time_off_link_prefills_the_day(therapist, profiles, query, prefilled):
    with time_machine.travel(NOW, tick=False):
        client = _as(therapist)
        calendar = client.get("/schedule/calendar/?view=day&date=2026-04-01").content.decode()
        assert f"{TIME_OFF_NEW}?date=2026-04-01" in calendar
        html = client.get(f"{TIME_OFF_NEW}?date={query}").content.decode()
        assert (html.count('value="2026-04-01"') == 2) is prefilled
        assert not TimeOff.objects.exists()


def test_time_off_errors_appear_beside_the_dates(therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        client = _as(therapist)
        data = {"start_date": "2026-04-03", "end_date": "2026-04-01"}
        response = client.post(TIME_OFF_NEW, data)
        html = response.content.decode()
        assert response.status_code == 422
        assert 'href="#id_end_date"' in html
        assert "End after the start" in html
        missing = client.post(TIME_OFF_NEW, {"start_date": "soon"})
        assert missing.status_code == 422
        assert "Enter a date as YYYY-MM-DD." in missing.content.decode()
        assert "Enter the last day." in missing.content.decode()
        assert not TimeOff.objects.exists()


def test_time_off_ending_on_the_last_day_of_the_calendar_is_refused(therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        data = {"start_date": "2026-04-01", "end_date": "9999-12-31"}
        response = _as(therapist).post(TIME_OFF_NEW, data)
        assert response.status_code == 422
        assert "Use a date from 2000 to 2099." in response.content.decode()
        assert not TimeOff.objects.exists()


def test_an_odd_add_a_shift_value_is_ignored(therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        response = _as(therapist).post(PAGE, {"form": "week", "add": "²"})
        assert response.status_code in (200, 422)
