"""The therapist's calendar page (issue 6 item 9): persona matrix, the week and the day in the
therapist's zone (named) with hours, time off, bookings and cancelled ones apart, previous /
next / today navigation, bad query values answered with a specific message, a bounded number
of queries, and links from the practice dashboard and the availability page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client

from backrelief.core.tests.audit_helpers import login_verified
from backrelief.scheduling.tests.calendar_helpers import NOW, make_week
from backrelief.therapists.tests.factories import make_booking

pytestmark = pytest.mark.django_db

PAGE = "/schedule/calendar/"


@pytest.fixture
def week(therapist, other_therapist, client_user, other_client):
    return make_week(therapist, other_therapist, client_user, other_client)


def _as(user: Any | None) -> Client:
    client = Client()
    return login_verified(client, user) if user is not None else client


def _text(response) -> str:
    """The page's text without tags, spaces collapsed (what a screen reader reads)."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- who may see it ---------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(week):
    with time_machine.travel(NOW, tick=False):
        response = Client().get(PAGE)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["client_user", "other_client", "staff_user"])
def test_non_therapists_get_the_for_therapists_page(persona, request, week):
    with time_machine.travel(NOW, tick=False):
        response = _as(request.getfixturevalue(persona)).get(PAGE)
        assert response.status_code == 403
        text = _text(response)
        assert "This page is for therapist accounts" in text
        assert "Cleo Client" not in text


def test_a_therapist_without_a_profile_is_sent_to_onboarding(make_user):
    with time_machine.travel(NOW, tick=False):
        response = _as(make_user("therapist")).get(PAGE)
        assert response.status_code == 302
        assert response["Location"] == "/therapists/me/onboarding/about/"


def test_the_other_therapist_sees_only_their_own_session(other_therapist, week):
    with time_machine.travel(NOW, tick=False):
        response = _as(other_therapist).get(PAGE)
        assert response.status_code == 200
        text = _text(response)
        assert "Cleo Client" in text  # their own booking with Cleo (the foreign one)
        assert "Olga Other" not in text  # Theo's clients are not theirs
        assert str(week.upcoming.public_id) not in response.content.decode()
        assert str(week.foreign.public_id) in response.content.decode()


# --- what it shows ----------------------------------------------------------------------------


def test_the_week_in_the_therapists_zone_with_the_zone_named(therapist, week):
    with time_machine.travel(NOW, tick=False):
        response = _as(therapist).get(PAGE)
        assert response.status_code == 200
        text = _text(response)
        assert "Times in Europe/Berlin (CET), your practice's time zone." in text
        assert "Week from Monday 2 March to Sunday 8 March 2026" in text
        # one heading per day, a list (no canvas, no table needed)
        html = response.content.decode()
        headings = re.findall(r'<h3 id="day-(\d{4}-\d\d-\d\d)"', html)
        assert headings == [f"2026-03-0{d}" for d in range(2, 9)]
        assert "<canvas" not in html
        assert 'class="card-list calendar-week"' in html
        assert "Wednesday 4 March today" in text
        # hours: split shift, an override closing Thursday, other hours on Saturday
        assert "Working hours: 09:00 – 12:30 , 13:30 – 17:00" in text
        assert "Working hours: not working" in text
        assert "Working hours: 10:00 – 14:00" in text
        # time off with the therapist's own note, a whole day
        assert "Time off: 14:00 – 18:00 — Dentist" in text
        assert "Time off: all day — Trip" in text
        # a booking: time, client, technique, duration, status
        assert "15:00 – 15:45 · Cleo Client" in text
        assert "Shiatsu, 45 minutes · Confirmed" in text
        assert "Outside your working hours" in text  # Friday 17:30
        # the late cancellation apart, struck, flagged, not blocking
        assert "1 cancelled session (does not block the time)" in text
        assert re.search(r"<s>.*11:00.*Olga Other, Shiatsu</s>", html, re.S)
        assert "cancelled by the client" in text
        assert "late cancellation" in text
        # nothing of another therapist
        assert "Tara Other" not in text


def test_the_day_view_and_its_navigation(therapist, week):
    with time_machine.travel(NOW, tick=False):
        response = _as(therapist).get(PAGE, {"view": "day", "date": "2026-03-06"})
        assert response.status_code == 200
        html = response.content.decode()
        text = _text(response)
        assert "Friday 6 March 2026" in text
        assert "17:30 – 18:15 · Olga Other" in text
        assert "Cleo Client" not in text  # Wednesday's session is not on Friday
        assert 'href="/schedule/calendar/?view=day&amp;date=2026-03-05" rel="prev"' in html
        assert 'href="/schedule/calendar/?view=day&amp;date=2026-03-07" rel="next"' in html
        assert 'href="/schedule/calendar/?view=day&amp;date=2026-03-04"' in html  # today
        assert 'href="/schedule/calendar/?view=week&amp;date=2026-03-06"' in html
        assert 'aria-current="page">Day view' in html


def test_week_navigation_moves_by_seven_days(therapist, week):
    with time_machine.travel(NOW, tick=False):
        response = _as(therapist).get(PAGE, {"view": "week", "date": "2026-03-10"})
        html = response.content.decode()
        assert "Week from Monday 9 March to Sunday 15 March 2026" in _text(response)
        assert 'href="/schedule/calendar/?view=week&amp;date=2026-03-03" rel="prev"' in html
        assert 'href="/schedule/calendar/?view=week&amp;date=2026-03-17" rel="next"' in html
        assert 'aria-current="date"' not in html  # today is not in that week


def test_a_week_with_the_clock_change_names_both_abbreviations(therapist, week):
    with time_machine.travel(NOW, tick=False):
        response = _as(therapist).get(PAGE, {"date": "2026-03-29"})
        assert "Times in Europe/Berlin (CET / CEST)" in _text(response)


def test_the_repeated_hour_of_the_autumn_change_is_told_apart(therapist, client_user, week):
    """Sunday 25 October 2026 in Berlin: 02:30 happens twice (CEST, then CET). In that week each
    session time carries its abbreviation; in a week without a change none does."""
    with time_machine.travel(NOW, tick=False):
        first = dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)  # 02:30 CEST
        second = dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)  # 02:30 CET
        for start in (first, second):
            make_booking(client_user, week.profile, start=start, minutes=30, now=NOW)
        text = _text(_as(therapist).get(PAGE, {"date": "2026-10-25", "view": "day"}))
        # 30 minutes after 02:30 CEST the clocks have gone back: it ends at 02:00 CET.
        assert "02:30 CEST – 02:00 CET" in text
        assert "02:30 CET – 03:00 CET" in text
        plain = _text(_as(therapist).get(PAGE, {"date": "2026-03-04"}))
        assert " CET – " not in plain


def test_the_account_zone_is_mentioned_when_it_differs(week, therapist):
    with time_machine.travel(NOW, tick=False):
        therapist.time_zone = "America/New_York"
        therapist.save(update_fields=["time_zone"])
        text = _text(_as(therapist).get(PAGE))
        assert "Times in Europe/Berlin (CET), your practice's time zone." in text
        assert "Your account is set to America/New_York; this calendar uses your practice's" in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"view": "month"}, "Choose the day view or the week view."),
        ({"date": "2026-13-01"}, "Enter a date as YYYY-MM-DD."),
        ({"date": "04/03/2026"}, "Enter a date as YYYY-MM-DD."),
        ({"date": "1999-12-31"}, "Choose a date between 2000-01-08 and 2099-12-24."),
    ],
)
def test_a_bad_view_or_date_shows_this_week_with_a_specific_message(
    therapist, week, query, message
):
    with time_machine.travel(NOW, tick=False):
        response = _as(therapist).get(PAGE, query)
        assert response.status_code == 400
        text = _text(response)
        assert message in text
        assert "Week from Monday 2 March to Sunday 8 March 2026" in text


def test_quick_actions_are_plain_forms_with_the_page_to_return_to(therapist, week):
    after = NOW + dt.timedelta(hours=3)  # Wednesday 16:00: the 15:00 session has ended
    with time_machine.travel(after, tick=False):
        html = _as(therapist).get(PAGE, {"view": "week", "date": "2026-03-04"}).content.decode()
        pid = week.upcoming.public_id
        form = re.search(
            rf'<form method="post" action="/schedule/calendar/sessions/{pid}/no-show/".*?</form>',
            html,
            re.S,
        )
        assert form is not None
        assert 'name="csrfmiddlewaretoken"' in form.group(0)
        assert '<input type="hidden" name="view" value="week">' in form.group(0)
        assert '<input type="hidden" name="date" value="2026-03-04">' in form.group(0)
        assert f"/schedule/calendar/sessions/{pid}/complete/" in html
        assert f"/schedule/calendar/sessions/{pid}/cancel/" not in html  # started: no cancel


def test_an_upcoming_session_offers_cancel_and_its_page(therapist, week):
    with time_machine.travel(NOW, tick=False):
        html = _as(therapist).get(PAGE).content.decode()
        pid = week.upcoming.public_id
        assert f"/schedule/calendar/sessions/{pid}/cancel/?view=week&amp;date=2026-03-04" in html
        assert f"/schedule/calendar/sessions/{pid}/complete/" not in html  # not started
        assert "/schedule/availability/time-off/new/" in html  # add time off


def test_the_page_takes_a_bounded_number_of_queries(
    therapist, client_user, week, django_assert_max_num_queries
):
    with time_machine.travel(NOW, tick=False):
        browser = _as(therapist)
        browser.get(PAGE)  # warm the session
        # session, user, profile; hours (one UNION), time off, bookings with client and service
        with django_assert_max_num_queries(6) as few:
            browser.get(PAGE, {"date": "2026-03-10"})
        service = week.upcoming.service
        for day in range(9, 14):
            for hour in (9, 11, 14):
                start = dt.datetime(2026, 3, day, hour, tzinfo=dt.UTC)
                make_booking(client_user, week.profile, start=start, service=service, minutes=45)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = browser.get(PAGE, {"date": "2026-03-10"})
        assert _text(response).count("· Cleo Client") == 15


def test_no_javascript_is_needed(therapist, week):
    with time_machine.travel(NOW, tick=False):
        html = _as(therapist).get(PAGE).content.decode()
        assert "hx-" not in html.split("<main", 1)[1].split("</main>", 1)[0]


# --- links to it ------------------------------------------------------------------------------


def test_the_practice_dashboard_and_the_availability_page_link_to_it(therapist, week):
    with time_machine.travel(NOW, tick=False):
        browser = _as(therapist)
        for url in ("/therapists/me/", "/schedule/availability/"):
            response = browser.get(url)
            assert response.status_code == 200, url
            assert f'href="{PAGE}"' in response.content.decode(), url
