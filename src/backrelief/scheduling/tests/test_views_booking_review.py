"""Booking pages, found in review (issue 6 item 9): odd query strings get a specific message
instead of a server error, every refused field of the confirm form is shown, the zone
abbreviation matches the period shown (a week with a clock change names both), and a
therapist moving a session picks the new time in their practice's zone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from backrelief.core.tests.audit_helpers import login_verified
from backrelief.scheduling.models import Booking, DateOverride, Notification
from backrelief.scheduling.tests.booking_helpers import NOW, SLOT, bookable
from backrelief.therapists.tests.factories import make_booking

pytestmark = pytest.mark.django_db

RANGE_MESSAGE = "Choose a date between 2000-01-01 and 2099-12-31."


@pytest.fixture
def offer(therapist: Any) -> Any:
    with time_machine.travel(NOW, tick=False):
        return bookable(therapist)


def _pick(service: Any) -> str:
    return f"/schedule/book/{service.public_id}/"


@pytest.mark.parametrize(
    "query",
    ["?from=9999-12-31", "?view=month&from=9999-12-15", "?from=0001-01-01"],
)
def test_a_date_far_outside_the_calendar_is_refused_with_its_message(offer, query):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        response = Client().get(_pick(service) + query)
        html = response.content.decode()
        assert response.status_code == 400
        assert RANGE_MESSAGE in html
        assert "Tue 3 Mar 2026" in html  # today's period instead


def test_moving_a_session_with_a_date_far_outside_the_calendar_is_refused(offer, client_user):
    profile, service = offer
    with time_machine.travel(NOW, tick=False):
        booking = make_booking(client_user, profile, start=SLOT, service=service, now=NOW)
        client = login_verified(Client(), client_user)
        response = client.get(f"/schedule/sessions/{booking.public_id}/reschedule/?from=9999-12-31")
        assert response.status_code == 400
        assert RANGE_MESSAGE in response.content.decode()


BAD_ZONE_MESSAGE = "Choose a time zone from the list, for example Europe/Berlin."
START = "2026-03-04T10:00:00%2B01:00"


def test_the_confirm_page_names_a_bad_zone(offer, client_user):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        client = login_verified(Client(), client_user)
        response = client.get(f"{_pick(service)}confirm/?start={START}&tz=Not/AZone")
        assert response.status_code == 400
        assert BAD_ZONE_MESSAGE in response.content.decode()


def test_booking_with_a_bad_zone_names_it_and_stores_nothing(offer, client_user):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        client = login_verified(Client(), client_user)
        response = client.post(
            f"{_pick(service)}confirm/",
            {"start": "2026-03-04T10:00:00+01:00", "tz": "Not/AZone"},
        )
        assert response.status_code == 400
        assert BAD_ZONE_MESSAGE in response.content.decode()
        assert Booking.objects.count() == 0
        assert Notification.objects.count() == 0


def test_moving_to_a_time_with_a_bad_zone_names_it(offer, client_user):
    profile, service = offer
    with time_machine.travel(NOW, tick=False):
        booking = make_booking(client_user, profile, start=SLOT, service=service, now=NOW)
        client = login_verified(Client(), client_user)
        url = f"/schedule/sessions/{booking.public_id}/reschedule/"
        response = client.get(f"{url}?start=2026-03-05T10:00:00%2B01:00&tz=Not/AZone")
        assert response.status_code == 400
        assert BAD_ZONE_MESSAGE in response.content.decode()
        response = client.post(url, {"start": "2026-03-05T10:00:00+01:00", "tz": "Not/AZone"})
        assert response.status_code == 400
        assert BAD_ZONE_MESSAGE in response.content.decode()
        assert Booking.objects.get().start == SLOT  # not moved


def test_the_zone_abbreviation_is_the_one_of_the_week_shown(offer):
    """On 2 March (CET) the week of 30 March is in summer time: CEST, not today's CET."""
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        html = Client().get(_pick(service) + "?from=2026-03-30").content.decode()
        assert "Times in Europe/Berlin (CEST)." in html
        assert "(CET)" not in html


def test_a_week_with_a_clock_change_names_both_and_marks_every_time(offer):
    """New York moves to summer time on 8 March, Berlin on 29 March: in the New York week of
    5 to 11 March the slots before the change are EST and after it EDT."""
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        query = "?from=2026-03-05&tz=America/New_York"
        html = Client().get(_pick(service) + query).content.decode()
        assert "Times in America/New_York (EST / EDT)." in html
        # Thursday 5 March 10:00 in Berlin is 04:00 EST; Monday 9 March 10:00 is 05:00 EDT.
        assert "04:00 EST" in html
        assert "05:00 EDT" in html


def test_a_month_with_a_clock_change_names_both(offer):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        html = Client().get(_pick(service) + "?view=month&from=2026-03-01").content.decode()
        assert "Times in Europe/Berlin (CET / CEST)." in html


def test_a_therapist_moving_a_session_picks_in_the_practice_zone(offer, client_user, therapist):
    """The session page shows the therapist the practice's zone; so does the picker that
    moves it (the account's zone, UTC here, is not the one the working hours are in)."""
    profile, service = offer
    assert therapist.time_zone != profile.time_zone
    with time_machine.travel(NOW, tick=False):
        booking = make_booking(client_user, profile, start=SLOT, service=service, now=NOW)
        web = login_verified(Client(), therapist)
        html = web.get(f"/schedule/sessions/{booking.public_id}/reschedule/").content.decode()
        assert "Times in Europe/Berlin (CET)." in html
        assert "The therapist works in" not in html
        assert "start=2026-03-05T10%3A00%3A00%2B01%3A00" in html


def test_a_client_moving_a_session_picks_in_their_own_zone(offer, make_user):
    profile, service = offer
    ny = make_user("client", time_zone="America/New_York")
    with time_machine.travel(NOW, tick=False):
        booking = make_booking(ny, profile, start=SLOT, service=service, now=NOW)
        web = login_verified(Client(), ny)
        html = web.get(f"/schedule/sessions/{booking.public_id}/reschedule/").content.decode()
        assert "Times in America/New_York (EST)." in html
        assert "The therapist works in Europe/Berlin" in html


def test_a_moved_session_says_so_in_words_not_with_the_stored_marker(offer, client_user):
    """The old booking of a move keeps the service's marker "Rescheduled" as its reason; the
    pages say "moved" in the reader's language instead of showing that English word."""
    profile, service = offer
    with time_machine.travel(NOW, tick=False):
        booking = make_booking(client_user, profile, start=SLOT, service=service, now=NOW)
        web = login_verified(Client(), client_user)
        url = f"/schedule/sessions/{booking.public_id}/"
        response = web.post(url + "reschedule/", {"start": "2026-03-05T10:00:00+01:00"})
        assert response.status_code == 302
        detail = web.get(url).content.decode()
        assert "This session was moved" in detail
        assert "Rescheduled" not in detail
        sessions = web.get("/schedule/sessions/").content.decode()
        assert "moved to another time" in sessions
        assert "Rescheduled" not in sessions


# --- the therapist's calendar ----------------------------------------------------------------

CALENDAR = "/schedule/calendar/"


@pytest.mark.parametrize("day", ["2000-01-03", "2099-12-28", "1999-12-31"])
def test_the_calendar_names_the_dates_it_can_show(offer, therapist, day):
    """The first and last week of 2000-2099 cannot be shown whole: the message says which
    dates can, instead of "between 2000 and 2099" for a date that is."""
    with time_machine.travel(NOW, tick=False):
        response = login_verified(Client(), therapist).get(CALENDAR, {"date": day})
        assert response.status_code == 400
        assert "Choose a date between 2000-01-08 and 2099-12-24." in response.content.decode()


@pytest.mark.parametrize(
    ("query", "gone", "kept"),
    [
        ({"view": "week", "date": "2099-12-24"}, "date=2099-12-31", "date=2099-12-17"),
        ({"view": "day", "date": "2099-12-24"}, "date=2099-12-25", "date=2099-12-23"),
        ({"view": "week", "date": "2000-01-08"}, "date=2000-01-01", "date=2000-01-15"),
        ({"view": "day", "date": "2000-01-08"}, "date=2000-01-07", "date=2000-01-09"),
    ],
)
def test_the_calendar_links_only_to_pages_it_can_show(offer, therapist, query, gone, kept):
    with time_machine.travel(NOW, tick=False):
        response = login_verified(Client(), therapist).get(CALENDAR, query)
        html = response.content.decode()
        assert response.status_code == 200
        assert gone not in html
        assert kept in html


def test_my_sessions_does_not_name_todays_abbreviation_for_every_session(offer, make_user):
    """On 2 March New York is on EST; a session on 10 March is EDT. The page names the zone
    and every time its own abbreviation, not today's for all of them."""
    profile, service = offer
    ny = make_user("client", time_zone="America/New_York")
    with time_machine.travel(NOW, tick=False):
        make_booking(ny, profile, start=SLOT + dt.timedelta(days=6), service=service, now=NOW)
        html = login_verified(Client(), ny).get("/schedule/sessions/").content.decode()
        assert "Times in America/New_York." in html
        assert "(EST)" not in html
        assert "Tue 10 Mar 2026, 05:00 EDT (America/New_York)" in html


# --- availability ----------------------------------------------------------------------------


def test_a_booking_outside_the_availability_links_to_its_session(offer, therapist, client_user):
    """The list of bookings outside the hours asks the therapist to reschedule or cancel them
    with the client: each row opens the session, where both can be done."""
    profile, service = offer
    saturday = SLOT + dt.timedelta(days=3)  # Saturday 7 March, 10:00 in Berlin: not working
    with time_machine.travel(NOW, tick=False):
        booking = make_booking(client_user, profile, start=saturday, service=service, now=NOW)
        html = login_verified(Client(), therapist).get("/schedule/availability/").content.decode()
        assert "1 upcoming booking is outside your availability" in html
        assert f'href="/schedule/sessions/{booking.public_id}/"' in html


def test_the_therapist_goes_back_to_the_calendar_week_of_the_session(offer, client_user, therapist):
    profile, service = offer
    later = SLOT + dt.timedelta(days=28)  # Wednesday 1 April
    with time_machine.travel(NOW, tick=False):
        booking = make_booking(client_user, profile, start=later, service=service, now=NOW)
        html = (
            login_verified(Client(), therapist)
            .get(f"/schedule/sessions/{booking.public_id}/")
            .content.decode()
        )
        assert 'href="/schedule/calendar/?view=week&amp;date=2026-04-01"' in html
        assert "Back to your calendar" in html


# --- My sessions: older sessions stay reachable ----------------------------------------------


def test_past_sessions_beyond_the_first_page_are_reachable(offer, client_user):
    """The past section shows the latest 50; the older ones are one link away (they were
    shown nowhere)."""
    profile, service = offer
    with time_machine.travel(NOW, tick=False):
        for day in range(52):
            make_booking(
                client_user,
                profile,
                start=NOW - dt.timedelta(days=day + 1),
                service=service,
                status="completed",
            )
        web = login_verified(Client(), client_user)
        first = web.get("/schedule/sessions/").content.decode()
        assert "Showing the latest 50 sessions." in first
        assert 'href="?past=2#past-heading"' in first
        assert "Sun 11 Jan 2026" in first  # the 50th day back
        assert "Sat 10 Jan 2026" not in first
        second = web.get("/schedule/sessions/?past=2")
        html = second.content.decode()
        assert second.status_code == 200
        assert "Sat 10 Jan 2026" in html
        assert "Fri 9 Jan 2026" in html
        assert "Sun 11 Jan 2026" not in html
        assert "Sun 1 Mar 2026" not in html  # the latest is on the first page
        assert 'href="?past=1#past-heading"' in html
        assert "?past=3" not in html


@pytest.mark.parametrize("query", ["?past=0", "?past=x", "?cancelled=-1", "?past=99999999999"])
def test_a_bad_page_of_my_sessions_is_named(offer, client_user, query):
    with time_machine.travel(NOW, tick=False):
        response = login_verified(Client(), client_user).get("/schedule/sessions/" + query)
        assert response.status_code == 400
        assert "Choose a page number from the links." in response.content.decode()
        assert "No upcoming sessions." in response.content.decode()


@pytest.mark.parametrize("day", ["9999-12-31", "2100-01-01", "0001-01-01"])
def test_special_hours_for_a_date_outside_2000_2099_are_not_offered_or_stored(
    offer, therapist, day
):
    url = f"/schedule/availability/dates/{day}/"
    with time_machine.travel(NOW, tick=False):
        web = login_verified(Client(), therapist)
        assert web.get(url).status_code == 404
        response = web.post(url, {"rows-0": "1", "0-0-start": "09:00", "0-0-end": "10:00"})
        assert response.status_code == 404
        response = web.post(url, {"rows-0": "1", "closed": "on"})
        assert response.status_code == 404
        assert not DateOverride.objects.exists()
