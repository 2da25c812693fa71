"""Quick actions of the therapist's calendar (issue 6 item 9): cancel with a reason (the client
is told), mark completed / no-show — plain POSTs that return to the same calendar page; another
therapist's booking is a 404, a past or already cancelled session gets its specific message,
and nothing is stored on any error."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client

from backrelief.core.tests.audit_helpers import login_verified
from backrelief.scheduling.models import Booking, Notification
from backrelief.scheduling.tests.calendar_helpers import NOW, make_week

pytestmark = pytest.mark.django_db

BACK = "/schedule/calendar/?view=day&date=2026-03-04"
RETURN = {"view": "day", "date": "2026-03-04"}


@pytest.fixture
def week(therapist, other_therapist, client_user, other_client):
    return make_week(therapist, other_therapist, client_user, other_client)


def _as(user: Any | None) -> Client:
    client = Client()
    return login_verified(client, user) if user is not None else client


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _url(booking: Booking, action: str) -> str:
    return f"/schedule/calendar/sessions/{booking.public_id}/{action}/"


def _unchanged(booking: Booking) -> None:
    before = (booking.status, booking.cancel_reason, booking.cancelled_at, booking.completed_at)
    booking.refresh_from_db()
    assert (
        booking.status,
        booking.cancel_reason,
        booking.cancelled_at,
        booking.completed_at,
    ) == before


# --- cancel -----------------------------------------------------------------------------------


def test_the_cancel_page_asks_for_a_reason_and_says_the_client_is_told(therapist, week):
    with time_machine.travel(NOW, tick=False):
        response = _as(therapist).get(_url(week.upcoming, "cancel"), RETURN)
        assert response.status_code == 200
        text = _text(response)
        assert "Wed 4 Mar 2026, 15:00 CET (Europe/Berlin) – 15:45" in text
        assert "Cleo Client" in text
        assert "Shiatsu" in text
        assert "The client will be told by email" in text
        html = response.content.decode()
        assert '<textarea name="reason"' in html
        assert '<label for="id_reason">Reason' in html
        assert '<input type="hidden" name="view" value="day">' in html
        assert '<input type="hidden" name="date" value="2026-03-04">' in html
        assert f'href="{BACK.replace("&", "&amp;")}"' in html  # "Keep the session"


def test_cancelling_stores_who_when_why_tells_the_client_and_returns_to_the_page(
    therapist, client_user, week
):
    with time_machine.travel(NOW, tick=False):
        browser = _as(therapist)
        response = browser.post(_url(week.upcoming, "cancel"), {"reason": "Ill today", **RETURN})
        assert response.status_code == 302
        assert response["Location"] == BACK
        week.upcoming.refresh_from_db()
        assert week.upcoming.status == "cancelled"
        assert week.upcoming.cancelled_by == therapist
        assert week.upcoming.cancelled_at == NOW
        assert week.upcoming.cancel_reason == "Ill today"
        assert week.upcoming.late_cancellation is False
        note = Notification.objects.get(booking=week.upcoming)
        assert (note.kind, note.recipient) == ("booking_cancelled", client_user)
        page = browser.get(response["Location"])
        text = _text(page)
        assert "The session was cancelled. The client will be told by email." in text
        assert "1 cancelled session (does not block the time)" in text
        assert "cancelled by you" in text


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "Give a short reason"), ("   ", "Give a short reason"), ("x" * 501, "under 500")],
)
def test_a_missing_or_long_reason_stores_nothing(therapist, week, reason, message):
    with time_machine.travel(NOW, tick=False):
        response = _as(therapist).post(_url(week.upcoming, "cancel"), {"reason": reason})
        assert response.status_code == 422
        assert message in _text(response)
        _unchanged(week.upcoming)
        assert not Notification.objects.exists()


def test_a_past_session_cannot_be_cancelled(therapist, week):
    with time_machine.travel(NOW, tick=False):
        response = _as(therapist).post(_url(week.past_unmarked, "cancel"), {"reason": "Oops"})
        assert response.status_code == 409
        assert "This session has started or is past; it can no longer be changed." in _text(
            response
        )
        _unchanged(week.past_unmarked)
        assert not Notification.objects.exists()


def test_an_already_cancelled_session_says_so_and_stays_as_it_was(therapist, week):
    with time_machine.travel(NOW, tick=False):
        browser = _as(therapist)
        page = browser.get(_url(week.late_cancelled, "cancel"))
        assert page.status_code == 200
        assert "This session is already cancelled." in _text(page)
        assert "<textarea" not in page.content.decode()
        response = browser.post(_url(week.late_cancelled, "cancel"), {"reason": "Again"})
        assert response.status_code == 409
        assert "This session is already cancelled." in _text(response)
        before_by = week.late_cancelled.cancelled_by_id
        _unchanged(week.late_cancelled)
        assert week.late_cancelled.cancelled_by_id == before_by
        assert week.late_cancelled.late_cancellation is True
        assert not Notification.objects.exists()


def test_another_therapists_booking_is_not_found(other_therapist, week):
    with time_machine.travel(NOW, tick=False):
        browser = _as(other_therapist)
        assert browser.get(_url(week.upcoming, "cancel")).status_code == 404
        assert browser.post(_url(week.upcoming, "cancel"), {"reason": "x"}).status_code == 404
        for action in ("complete", "no-show"):
            assert browser.post(_url(week.past_unmarked, action)).status_code == 404
        _unchanged(week.upcoming)
        _unchanged(week.past_unmarked)
        assert not Notification.objects.exists()


def test_an_unknown_booking_is_not_found(therapist, week):
    with time_machine.travel(NOW, tick=False):
        missing = "/schedule/calendar/sessions/00000000-0000-4000-8000-000000000000/cancel/"
        assert _as(therapist).get(missing).status_code == 404


@pytest.mark.parametrize("persona", ["client_user", "other_client", "staff_user"])
def test_non_therapists_get_the_for_therapists_page_and_change_nothing(persona, request, week):
    with time_machine.travel(NOW, tick=False):
        browser = _as(request.getfixturevalue(persona))
        # even the booking's own client: their cancel page is elsewhere
        response = browser.post(_url(week.upcoming, "cancel"), {"reason": "x"})
        assert response.status_code == 403
        assert "This page is for therapist accounts" in _text(response)
        for action in ("complete", "no-show"):
            assert browser.post(_url(week.past_unmarked, action)).status_code == 403
        _unchanged(week.upcoming)
        _unchanged(week.past_unmarked)


def test_anonymous_is_sent_to_log_in_and_nothing_changes(week):
    with time_machine.travel(NOW, tick=False):
        for action in ("cancel", "complete", "no-show"):
            response = Client().post(_url(week.upcoming, action), {"reason": "x"})
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")
        _unchanged(week.upcoming)


def test_the_post_needs_a_csrf_token(therapist, week):
    with time_machine.travel(NOW, tick=False):
        browser = login_verified(Client(enforce_csrf_checks=True), therapist)
        assert browser.post(_url(week.upcoming, "cancel"), {"reason": "x"}).status_code == 403
        assert browser.post(_url(week.past_unmarked, "complete")).status_code == 403
        _unchanged(week.upcoming)
        _unchanged(week.past_unmarked)


# --- mark completed / no-show -----------------------------------------------------------------


def test_marking_completed_after_the_session_returns_to_the_same_page(therapist, week):
    after = NOW + dt.timedelta(hours=3)  # 16:00, the 15:00 session has ended
    with time_machine.travel(after, tick=False):
        browser = _as(therapist)
        response = browser.post(_url(week.upcoming, "complete"), RETURN)
        assert (response.status_code, response["Location"]) == (302, BACK)
        week.upcoming.refresh_from_db()
        assert (week.upcoming.status, week.upcoming.completed_at) == ("completed", after)
        assert "Marked as completed." in _text(browser.get(BACK))


def test_marking_a_no_show_after_the_end(therapist, week):
    after = NOW + dt.timedelta(hours=3)
    with time_machine.travel(after, tick=False):
        response = _as(therapist).post(_url(week.upcoming, "no-show"), RETURN)
        assert (response.status_code, response["Location"]) == (302, BACK)
        week.upcoming.refresh_from_db()
        assert week.upcoming.status == "no_show"


def test_marks_too_early_or_too_late_say_why_and_change_nothing(therapist, week):
    with time_machine.travel(NOW, tick=False):
        browser = _as(therapist)
        response = browser.post(_url(week.upcoming, "complete"), RETURN, follow=True)
        assert "This session has not started yet. Mark it after it has taken place." in _text(
            response
        )
        response = browser.post(_url(week.upcoming, "no-show"), RETURN, follow=True)
        assert "This session has not ended yet. Mark a no-show after its end." in _text(response)
        # Monday's session ended two days ago: it counts as completed now
        response = browser.post(_url(week.past_unmarked, "no-show"), RETURN, follow=True)
        assert "More than 12 hours have passed since the end" in _text(response)
        response = browser.post(_url(week.completed, "complete"), RETURN, follow=True)
        assert "This session is already marked completed." in _text(response)
        for booking in (week.upcoming, week.past_unmarked, week.completed):
            _unchanged(booking)


def test_marks_are_post_only(therapist, week):
    with time_machine.travel(NOW, tick=False):
        assert _as(therapist).get(_url(week.past_unmarked, "complete")).status_code == 405


def test_a_missing_or_bad_return_page_falls_back_to_this_week(therapist, week):
    after = NOW + dt.timedelta(hours=3)
    with time_machine.travel(after, tick=False):
        browser = _as(therapist)
        response = browser.post(
            _url(week.upcoming, "complete"), {"view": "month", "date": "2026-03-04"}
        )
        assert response["Location"] == "/schedule/calendar/"
        response = browser.post(_url(week.past_unmarked, "complete"), {"date": "//evil.test"})
        assert response["Location"] == "/schedule/calendar/"
