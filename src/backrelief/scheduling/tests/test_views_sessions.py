""" "My sessions", one session, cancelling and moving it (issue 6 item 9): persona matrix,
sections, zones (a Berlin therapist and a New York client while only one side has changed
to summer time), the late-cancellation confirmation, cancel twice, a therapist's reason,
moving through the slot picker, reviews linked where the review flow allows."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import NoReverseMatch, reverse

from backrelief.core.tests.audit_helpers import login_verified
from backrelief.scheduling.models import Booking, BookingStatus, Notification
from backrelief.scheduling.tests.booking_helpers import NOW, SLOT, bookable
from backrelief.therapists.tests.factories import make_booking, make_profile

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
H = dt.timedelta(hours=1)
LIST = "/schedule/sessions/"


@pytest.fixture
def offer(therapist: Any) -> Any:
    with time_machine.travel(NOW, tick=False):
        return bookable(therapist)


@pytest.fixture
def booked(offer: Any, client_user: Any) -> Booking:
    profile, service = offer
    with time_machine.travel(NOW, tick=False):
        return make_booking(client_user, profile, start=SLOT, service=service, now=NOW)


def _as(user: Any | None) -> Client:
    return login_verified(Client(), user) if user is not None else Client()


def _detail(booking: Booking) -> str:
    return f"/schedule/sessions/{booking.public_id}/"


def _calendar_url() -> str | None:
    try:
        return reverse("scheduling:calendar")
    except NoReverseMatch:
        return None


# --- My sessions -----------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in_from_every_session_page(booked):
    with time_machine.travel(NOW, tick=False):
        for url in (
            LIST,
            _detail(booked),
            _detail(booked) + "cancel/",
            _detail(booked) + "reschedule/",
        ):
            response = Client().get(url)
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/?next=")
        assert Client().post(_detail(booked) + "cancel/", {"reason": "x"}).status_code == 302
        booked.refresh_from_db()
        assert booked.status == BookingStatus.CONFIRMED


def test_a_client_sees_upcoming_past_and_cancelled_sessions_in_their_zone(
    offer, make_user, therapist
):
    profile, service = offer
    ny = make_user("client", time_zone="America/New_York")
    with time_machine.travel(NOW, tick=False):
        make_booking(ny, profile, start=SLOT, service=service, now=NOW)
        make_booking(ny, profile, start=NOW - 50 * H, service=service, status="completed")
        make_booking(
            ny,
            profile,
            start=SLOT + 24 * H,
            service=service,
            status="cancelled",
            cancelled_by=therapist,
            now=NOW - 2 * H,
        )
        make_booking(
            ny,
            profile,
            start=SLOT + 48 * H,
            service=service,
            status="cancelled",
            cancelled_by=ny,
            late_cancellation=True,
            now=NOW - H,
        )
        response = _as(ny).get(LIST)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Times in America/New_York." in html
        upcoming, rest = html.split('id="past-heading"')
        past, cancelled = rest.split('id="cancelled-heading"')
        assert "Wed 4 Mar 2026, 04:00 EST (America/New_York)" in upcoming
        assert "Sat 28 Feb 2026, 01:00 EST (America/New_York)" in past
        assert "Write a review" in past  # completed two days ago: the review flow accepts it
        assert "Cancelled by the therapist on Mon 2 Mar 2026, 01:00 EST" in cancelled
        assert "Cancelled by you on Mon 2 Mar 2026, 02:00 EST" in cancelled
        assert cancelled.count("Late cancellation") == 1


def test_other_people_never_see_the_clients_sessions(booked, other_client, staff_user):
    with time_machine.travel(NOW, tick=False):
        for user in (other_client, staff_user):
            html = _as(user).get(LIST).content.decode()
            assert "No upcoming sessions." in html
            assert str(booked.public_id) not in html


def test_a_therapist_is_sent_to_their_calendar(booked, therapist):
    with time_machine.travel(NOW, tick=False):
        response = _as(therapist).get(LIST)
        assert response.status_code == 302
        # the calendar is built beside this page; until it exists, the sessions to mark
        assert response["Location"] == (_calendar_url() or "/therapists/me/sessions/")


def test_my_sessions_is_capped_with_a_note(offer, client_user):
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
        html = _as(client_user).get(LIST).content.decode()
        assert "Showing the latest 50 sessions." in html


# --- one session -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("client_user", 200),
        ("therapist", 200),
        ("other_client", 404),
        ("other_therapist", 404),
        ("staff_user", 404),
    ],
)
def test_only_the_two_parties_see_a_session(persona, status, request, booked):
    user = request.getfixturevalue(persona)
    if persona == "other_therapist":
        with time_machine.travel(NOW, tick=False):
            make_profile(user, now=NOW)
    web = _as(user)
    with time_machine.travel(NOW, tick=False):
        for suffix in ("", "cancel/", "reschedule/"):
            assert web.get(_detail(booked) + suffix).status_code == status, suffix
        if status == 404:
            assert web.post(_detail(booked) + "cancel/", {"reason": "x"}).status_code == 404
            assert (
                web.post(_detail(booked) + "reschedule/", {"start": SLOT.isoformat()}).status_code
                == 404
            )
            booked.refresh_from_db()
            assert booked.status == BookingStatus.CONFIRMED


def test_a_malformed_session_id_is_a_404(client_user):
    assert _as(client_user).get("/schedule/sessions/not-a-uuid/").status_code == 404


def test_the_session_page_names_both_zones_while_only_new_york_has_changed(offer, make_user):
    """US summer time starts on 8 March 2026, Europe's on 29 March: in between, Berlin
    10:00 is 05:00 in New York (not 04:00)."""
    profile, service = offer
    ny = make_user("client", time_zone="America/New_York")
    with time_machine.travel(NOW, tick=False):
        start = dt.datetime(2026, 3, 11, 10, 0, tzinfo=BERLIN)
        booking = make_booking(ny, profile, start=start, service=service, now=NOW)
        html = _as(ny).get(_detail(booking)).content.decode()
        assert "Wed 11 Mar 2026, 05:00 EDT (America/New_York)" in html
        assert "For the therapist: Wed 11 Mar 2026, 10:00 CET (Europe/Berlin)" in html
        therapist_html = _as(profile.user).get(_detail(booking)).content.decode()
        assert "Wed 11 Mar 2026, 10:00 CET (Europe/Berlin)" in therapist_html
        assert "For the client: Wed 11 Mar 2026, 05:00 EDT (America/New_York)" in therapist_html


def test_the_picker_follows_each_zone_across_the_spring_weeks(offer, make_user):
    _, service = offer
    ny = make_user("client", time_zone="America/New_York")
    web = _as(ny)
    url = f"/schedule/book/{service.public_id}/"
    with time_machine.travel(NOW, tick=False):
        march_2 = web.get(url).content.decode()
        march_9 = web.get(url + "?from=2026-03-09").content.decode()
        march_30 = web.get(url + "?from=2026-03-30").content.decode()
        assert '03:00 <span class="help">(09:00 CET)</span>' in march_2
        assert '04:00 <span class="help">(09:00 CET)</span>' in march_9  # only NY changed
        assert '03:00 <span class="help">(09:00 CEST)</span>' in march_30  # both changed
        assert "start=2026-03-10T04%3A00%3A00-04%3A00" in march_9


def test_the_picker_follows_each_zone_across_the_autumn_weeks(therapist, make_user):
    """Europe leaves summer time on 25 October 2026, the US on 1 November."""
    now = dt.datetime(2026, 10, 19, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        _, service = bookable(therapist, now=now)
        web = _as(make_user("client", time_zone="America/New_York"))
        url = f"/schedule/book/{service.public_id}/"
        october_19 = web.get(url).content.decode()
        october_26 = web.get(url + "?from=2026-10-26").content.decode()
        november_2 = web.get(url + "?from=2026-11-02").content.decode()
        assert '03:00 <span class="help">(09:00 CEST)</span>' in october_19
        assert '04:00 <span class="help">(09:00 CET)</span>' in october_26  # only Berlin
        assert '03:00 <span class="help">(09:00 CET)</span>' in november_2


# --- cancelling ------------------------------------------------------------------------------


def test_a_client_cancels_with_an_optional_reason(booked, client_user):
    web = _as(client_user)
    url = _detail(booked) + "cancel/"
    with time_machine.travel(NOW, tick=False):
        page = web.get(url).content.decode()
        assert "Late cancellation" not in page
        response = web.post(url, {"reason": ""})
        assert response.status_code == 302
        assert response["Location"] == _detail(booked)
        booked.refresh_from_db()
        assert booked.status == BookingStatus.CANCELLED
        assert booked.cancelled_by == client_user
        assert not booked.late_cancellation
        html = web.get(_detail(booked)).content.decode()
        assert "The session is cancelled." in html
        assert "By you on Mon 2 Mar 2026, 08:00 UTC" in html
        assert "Cancel this session" not in html


def test_cancelling_twice_says_it_is_already_cancelled(booked, client_user):
    web = _as(client_user)
    url = _detail(booked) + "cancel/"
    with time_machine.travel(NOW, tick=False):
        web.post(url, {"reason": ""})
        cancelled_at = Booking.objects.get(pk=booked.pk).cancelled_at
        response = web.post(url, {"reason": "again"})
        assert response.status_code == 409
        assert "This session is already cancelled." in response.content.decode()
        booked.refresh_from_db()
        assert booked.cancelled_at == cancelled_at
        assert booked.cancel_reason == ""
        assert "This session is already cancelled." in web.get(url).content.decode()


def test_inside_the_cut_off_the_client_is_warned_and_must_confirm(booked, client_user):
    web = _as(client_user)
    url = _detail(booked) + "cancel/"
    with time_machine.travel(SLOT - 3 * H, tick=False):
        page = web.get(url).content.decode()
        assert "starts in less than 24 hours" in page
        assert 'name="confirm_late"' in page
        response = web.post(url, {"reason": ""})
        assert response.status_code == 409
        assert "Confirm to cancel." in response.content.decode()
        booked.refresh_from_db()
        assert booked.status == BookingStatus.CONFIRMED
        response = web.post(url, {"reason": "", "confirm_late": "on"})
        assert response.status_code == 302
        booked.refresh_from_db()
        assert booked.status == BookingStatus.CANCELLED
        assert booked.late_cancellation
        assert "Late cancellation" in web.get(_detail(booked)).content.decode()


def test_a_therapist_must_give_the_client_a_reason(booked, therapist):
    web = _as(therapist)
    url = _detail(booked) + "cancel/"
    with time_machine.travel(NOW, tick=False):
        response = web.post(url, {"reason": "  "})
        assert response.status_code == 400
        assert "Tell the client why you cancel" in response.content.decode()
        booked.refresh_from_db()
        assert booked.status == BookingStatus.CONFIRMED
        assert Notification.objects.count() == 0
        response = web.post(url, {"reason": "I am ill."})
        assert response.status_code == 302
        booked.refresh_from_db()
        assert booked.status == BookingStatus.CANCELLED
        assert booked.cancelled_by == therapist
        assert Notification.objects.get().recipient == booked.client


def test_a_reason_that_is_too_long_is_refused(booked, client_user):
    with time_machine.travel(NOW, tick=False):
        response = _as(client_user).post(_detail(booked) + "cancel/", {"reason": "x" * 501})
        assert response.status_code == 400
        assert "Keep the reason under 500 characters." in response.content.decode()
        booked.refresh_from_db()
        assert booked.status == BookingStatus.CONFIRMED


def test_a_past_session_cannot_be_cancelled_or_moved(booked, client_user):
    web = _as(client_user)
    with time_machine.travel(SLOT + H, tick=False):
        html = web.get(_detail(booked)).content.decode()
        assert "Cancel this session" not in html
        response = web.post(_detail(booked) + "cancel/", {"reason": ""})
        assert response.status_code == 409
        assert "has started or is past" in response.content.decode()
        assert web.get(_detail(booked) + "reschedule/").status_code == 409
        booked.refresh_from_db()
        assert booked.status == BookingStatus.CONFIRMED


# --- moving ----------------------------------------------------------------------------------


def test_a_client_moves_a_session_through_the_slot_picker(booked, client_user):
    web = _as(client_user)
    url = _detail(booked) + "reschedule/"
    with time_machine.travel(NOW, tick=False):
        picker = web.get(url).content.decode()
        assert "Times in UTC" in picker
        assert f"{url}?start=2026-03-05T09%3A00%3A00%2B00%3A00" in picker
        confirm = web.get(url + "?start=2026-03-05T09%3A00%3A00%2B00%3A00")
        assert confirm.status_code == 200
        assert "Thu 5 Mar 2026, 09:00 UTC" in confirm.content.decode()
        response = web.post(url, {"start": "2026-03-05T09:00:00+00:00"})
        new = Booking.objects.get(rescheduled_from=booked)
        assert response.status_code == 302
        assert response["Location"] == _detail(new)
        booked.refresh_from_db()
        assert booked.status == BookingStatus.CANCELLED
        assert "This session was moved" in web.get(_detail(booked)).content.decode()


def test_the_move_picker_offers_times_overlapping_the_session_itself_but_not_its_own_start(
    booked, client_user
):
    """SLOT is 09:00-10:00 UTC (+10 min buffer): moving it 30 minutes later is a free time for
    this client (their own session is what blocks it), so the picker offers it, and the move
    goes through; the current start itself is not offered."""
    web = _as(client_user)
    url = _detail(booked) + "reschedule/"
    later = "2026-03-04T09%3A30%3A00%2B00%3A00"
    with time_machine.travel(NOW, tick=False):
        picker = web.get(url + "?from=2026-03-04").content.decode()
        assert f"{url}?start={later}" in picker
        assert f"{url}?start=2026-03-04T09%3A00%3A00%2B00%3A00" not in picker
        # The booking page for anyone else still shows the time as taken.
        book = _as(client_user).get(
            f"/schedule/book/{booked.service.public_id}/?from=2026-03-04&tz=UTC"
        )
        assert "2026-03-04T09%3A30%3A00%2B00%3A00" not in book.content.decode()
        response = web.post(url, {"start": "2026-03-04T09:30:00+00:00"})
        assert response.status_code == 302
        new = Booking.objects.get(rescheduled_from=booked)
        assert new.start == SLOT + dt.timedelta(minutes=30)
        assert new.status == BookingStatus.CONFIRMED


def test_moving_to_a_taken_time_changes_nothing_and_offers_alternatives(
    booked, client_user, other_client
):
    web = _as(client_user)
    with time_machine.travel(NOW, tick=False):
        other_start = SLOT + 24 * H
        make_booking(other_client, booked.therapist, start=other_start, service=booked.service)
        response = web.post(_detail(booked) + "reschedule/", {"start": other_start.isoformat()})
        html = response.content.decode()
        assert response.status_code == 409
        assert "Just taken" in html
        assert "reschedule/?start=" in html
        booked.refresh_from_db()
        assert booked.status == BookingStatus.CONFIRMED
        assert Booking.objects.count() == 2


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("garbage", "This is not a time we understand."),
        ("2026-03-04T10:00:00+01:00", "The session is already at this time."),
        ("2026-03-04T21:00:00+01:00", "This time is not free in the therapist&#x27;s hours."),
    ],
)
def test_moving_to_a_bad_time_is_refused_with_its_message(booked, client_user, start, message):
    with time_machine.travel(NOW, tick=False):
        response = _as(client_user).post(_detail(booked) + "reschedule/", {"start": start})
        assert response.status_code in (400, 422)
        assert message in response.content.decode()
        booked.refresh_from_db()
        assert booked.status == BookingStatus.CONFIRMED
        assert Booking.objects.count() == 1


def test_pages_work_with_plain_forms_and_links(booked, client_user):
    """No JavaScript: the detail page's actions are links, the cancel page a plain form."""
    web = _as(client_user)
    with time_machine.travel(NOW, tick=False):
        html = web.get(_detail(booked)).content.decode()
        assert f'href="{_detail(booked)}cancel/"' in html
        assert f'href="{_detail(booked)}reschedule/"' in html
        cancel = web.get(_detail(booked) + "cancel/").content.decode()
        assert f'<form method="post" action="{_detail(booked)}cancel/"' in cancel
        assert "hx-" not in cancel.split("<main", 1)[1]
