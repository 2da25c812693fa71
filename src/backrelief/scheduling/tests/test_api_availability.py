"""/api/v1/availability (issue 6 item 1): persona matrix, 422 field names, conflicts in every
writing answer, CSRF."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.test import Client

from backrelief.core.tests.audit_helpers import login_verified
from backrelief.scheduling.models import Booking, DateOverride, TimeOff, WeeklyHours
from backrelief.therapists.tests.factories import (
    make_booking,
    make_profile,
    make_time_off,
    make_weekly_hours,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/availability"
NOW = dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)
MONDAY_10_BERLIN = dt.datetime(2026, 3, 23, 9, 0, tzinfo=dt.UTC)
POLICY = {
    "min_notice_minutes": 60,
    "horizon_days": 90,
    "slot_step_minutes": 30,
    "cancellation_cutoff_hours": 48,
}


@pytest.fixture
def profiles(therapist: Any, other_therapist: Any) -> tuple[Any, Any]:
    return make_profile(therapist, now=NOW), make_profile(other_therapist, now=NOW)


def _as(user: Any | None, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    return login_verified(client, user) if user is not None else client


def _send(client: Client, method: str, url: str, body: Any = None) -> Any:
    return client.generic(method, url, data=json.dumps(body or {}), content_type="application/json")


def test_therapist_reads_their_whole_availability(therapist, profiles, client_user):
    with time_machine.travel(NOW, tick=False):
        profile = profiles[0]
        make_weekly_hours(profile, weekdays=(0,), shifts=(("09:00", "12:30"), ("13:30", "17:00")))
        DateOverride.objects.create(therapist=profile, date=dt.date(2026, 3, 24), closed=True)
        off = make_time_off(
            profile,
            start=dt.datetime(2026, 4, 1, tzinfo=dt.UTC),
            end=dt.datetime(2026, 4, 2, tzinfo=dt.UTC),
            note="Course",
        )
        booking = make_booking(
            client_user, profile, start=dt.datetime(2026, 3, 24, 9, tzinfo=dt.UTC)
        )
        body = _as(therapist).get(API).json()
        assert body["time_zone"] == "Europe/Berlin"
        assert body["policy"] == {
            "min_notice_minutes": 720,
            "horizon_days": 60,
            "slot_step_minutes": 15,
            "cancellation_cutoff_hours": 24,
        }
        assert body["week"] == [
            {"weekday": 0, "start": "09:00", "end": "12:30"},
            {"weekday": 0, "start": "13:30", "end": "17:00"},
        ]
        assert body["dates"] == [{"date": "2026-03-24", "closed": True, "hours": []}]
        assert [t["time_off_id"] for t in body["time_off"]] == [str(off.public_id)]
        assert [c["booking_id"] for c in body["conflicts"]] == [str(booking.public_id)]
        assert body["conflicts"][0]["client_label"] == "Cleo"


@pytest.mark.parametrize("persona", ["client_user", "other_client", "staff_user"])
def test_other_roles_get_403(persona, request, profiles):
    with time_machine.travel(NOW, tick=False):
        client = _as(request.getfixturevalue(persona))
        assert client.get(API).status_code == 403
        response = _send(client, "PUT", f"{API}/policy", POLICY)
        assert response.status_code == 403
        assert response.json()["code"] == "therapist_only"


def test_anonymous_gets_401(profiles):
    with time_machine.travel(NOW, tick=False):
        assert Client().get(API).status_code == 401
        assert _send(Client(), "PUT", f"{API}/week", {"hours": []}).status_code == 401


def test_a_therapist_without_profile_gets_404(make_user):
    with time_machine.travel(NOW, tick=False):
        response = _as(make_user("therapist")).get(API)
        assert response.status_code == 404
        assert response.json()["code"] == "no_profile"


def test_each_therapist_edits_only_their_own(therapist, other_therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        week = {"hours": [{"weekday": 0, "start": "09:00", "end": "17:00"}]}
        assert _send(_as(therapist), "PUT", f"{API}/week", week).status_code == 200
        assert _as(other_therapist).get(API).json()["week"] == []
        theirs = make_time_off(
            profiles[1],
            start=dt.datetime(2026, 4, 1, tzinfo=dt.UTC),
            end=dt.datetime(2026, 4, 2, tzinfo=dt.UTC),
        )
        response = _send(_as(therapist), "DELETE", f"{API}/time-off/{theirs.public_id}")
        assert response.status_code == 404
        assert TimeOff.objects.count() == 1


def test_policy_put_saves_and_422_names_the_field(therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        client = _as(therapist)
        response = _send(client, "PUT", f"{API}/policy", POLICY)
        assert response.status_code == 200, response.content
        assert response.json()["policy"] == POLICY
        assert response.json()["conflicts"] == []
        bad = _send(client, "PUT", f"{API}/policy", {**POLICY, "slot_step_minutes": 7})
        assert bad.status_code == 422
        assert list(bad.json()["fields"]) == ["slot_step_minutes"]
        missing = _send(client, "PUT", f"{API}/policy", {"horizon_days": 3})
        assert missing.status_code == 422
        assert "min_notice_minutes" in missing.json()["fields"]
        assert client.get(API).json()["policy"] == POLICY


def test_week_put_lists_conflicts_and_keeps_the_booking(therapist, profiles, client_user):
    with time_machine.travel(NOW, tick=False):
        profile = profiles[0]
        make_weekly_hours(profile)
        booking = make_booking(client_user, profile, start=MONDAY_10_BERLIN)
        week = {"hours": [{"weekday": d, "start": "09:00", "end": "17:00"} for d in (1, 2)]}
        response = _send(_as(therapist), "PUT", f"{API}/week", week)
        assert response.status_code == 200
        conflicts = response.json()["conflicts"]
        assert [c["booking_id"] for c in conflicts] == [str(booking.public_id)]
        assert conflicts[0]["service"] == "Swedish massage, 60 min"
        assert conflicts[0]["start"].startswith("2026-03-23T09:00:00")
        assert Booking.objects.get().status == "confirmed"


def test_week_put_errors_are_keyed_by_row(therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        make_weekly_hours(profiles[0])
        week = {
            "hours": [
                {"weekday": 0, "start": "09:00", "end": "12:00"},
                {"weekday": 0, "start": "11:00", "end": "10:00"},
                {"weekday": 0, "start": "10:00", "end": "11:00"},
            ]
        }
        response = _send(_as(therapist), "PUT", f"{API}/week", week)
        assert response.status_code == 422
        assert set(response.json()["fields"]) == {"hours.1.end", "hours.2.start"}
        bad_time = _send(
            _as(therapist), "PUT", f"{API}/week", {"hours": [{"weekday": 0, "start": "9"}]}
        )
        assert bad_time.status_code == 422
        assert set(bad_time.json()["fields"]) == {"hours.0.start", "hours.0.end"}
        assert WeeklyHours.objects.count() == 5


def test_date_put_and_delete(therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        client = _as(therapist)
        url = f"{API}/dates/2026-03-26"
        body = {"closed": False, "hours": [{"start": "10:00", "end": "14:00"}]}
        assert _send(client, "PUT", url, body).status_code == 200
        assert client.get(API).json()["dates"] == [
            {"date": "2026-03-26", "closed": False, "hours": [{"start": "10:00", "end": "14:00"}]}
        ]
        past = _send(client, "PUT", f"{API}/dates/2026-03-19", {"closed": True})
        assert past.status_code == 422
        assert list(past.json()["fields"]) == ["date"]
        assert _send(client, "PUT", f"{API}/dates/not-a-date", {"closed": True}).status_code == 422
        assert _send(client, "DELETE", url).status_code == 200
        assert _send(client, "DELETE", url).status_code == 404
        assert DateOverride.objects.count() == 0


@pytest.mark.parametrize("day", ["9999-12-31", "2100-01-01"])
def test_a_special_date_beyond_2099_is_refused_and_nothing_stored(therapist, profiles, day):
    with time_machine.travel(NOW, tick=False):
        response = _send(_as(therapist), "PUT", f"{API}/dates/{day}", {"closed": True})
        assert response.status_code == 422
        assert response.json()["fields"]["date"] == ["Use a date from 2000 to 2099."]
        assert not DateOverride.objects.exists()


def test_time_off_post_reads_local_time_and_delete_removes_it(therapist, profiles, client_user):
    with time_machine.travel(NOW, tick=False):
        booking = make_booking(client_user, profiles[0], start=MONDAY_10_BERLIN)
        make_weekly_hours(profiles[0])
        client = _as(therapist)
        body = {"start": "2026-03-23T00:00", "end": "2026-03-24T00:00", "note": "Dentist"}
        response = _send(client, "POST", f"{API}/time-off", body)
        assert response.status_code == 201, response.content
        answer = response.json()
        assert answer["time_off"]["start"].startswith("2026-03-22T23:00:00")
        assert [c["booking_id"] for c in answer["conflicts"]] == [str(booking.public_id)]
        bad = _send(client, "POST", f"{API}/time-off", {**body, "end": "2026-03-22T00:00"})
        assert bad.status_code == 422
        assert list(bad.json()["fields"]) == ["end"]
        too_long = _send(client, "POST", f"{API}/time-off", {**body, "note": "x" * 201})
        assert too_long.status_code == 422
        assert list(too_long.json()["fields"]) == ["note"]
        deleted = _send(client, "DELETE", f"{API}/time-off/{answer['time_off']['time_off_id']}")
        assert deleted.status_code == 200
        assert deleted.json()["conflicts"] == []
        assert TimeOff.objects.count() == 0


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PUT", "/policy", POLICY),
        ("PUT", "/week", {"hours": []}),
        ("PUT", "/dates/2026-03-26", {"closed": True}),
        ("POST", "/time-off", {"start": "2026-04-01T00:00", "end": "2026-04-02T00:00"}),
    ],
)
def test_writes_need_the_csrf_token_with_a_session(therapist, profiles, method, path, body):
    with time_machine.travel(NOW, tick=False):
        response = _send(_as(therapist, csrf=True), method, API + path, body)
        assert response.status_code == 403
        assert (WeeklyHours.objects.count(), DateOverride.objects.count()) == (0, 0)
        assert TimeOff.objects.count() == 0


def test_hours_with_a_utc_offset_are_refused_with_the_field_named(therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        make_weekly_hours(profiles[0])
        client = _as(therapist)
        week = {"hours": [{"weekday": 0, "start": "09:00+02:00", "end": "12:00"}]}
        response = _send(client, "PUT", f"{API}/week", week)
        assert response.status_code == 422
        assert list(response.json()["fields"]) == ["hours.0.start"]
        day = {"closed": False, "hours": [{"start": "10:00", "end": "14:00-05:00"}]}
        response = _send(client, "PUT", f"{API}/dates/2026-03-26", day)
        assert response.status_code == 422
        assert list(response.json()["fields"]) == ["hours.0.end"]
        assert WeeklyHours.objects.count() == 5
        assert not DateOverride.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ("0001-01-01T00:00", "2026-03-24T00:00", "start"),
        ("2026-03-23T00:00", "9999-12-31T23:00:00-05:00", "end"),
    ],
)
def test_time_off_at_the_edges_of_the_calendar_is_refused(therapist, profiles, start, end, field):
    with time_machine.travel(NOW, tick=False):
        response = _send(_as(therapist), "POST", f"{API}/time-off", {"start": start, "end": end})
        assert response.status_code == 422
        assert list(response.json()["fields"]) == [field]
        assert not TimeOff.objects.exists()
