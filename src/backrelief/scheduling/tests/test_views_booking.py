"""Booking pages (issue 6 item 9): the slot picker (week/month, zones, navigation, bad input,
query count) and confirming (persona matrix, every refusal with its message and nothing
stored, "Just taken" with alternatives, a double submit answered with the existing booking)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import pytest
import time_machine
from django.test import Client

from backrelief.core.tests.audit_helpers import login_verified
from backrelief.scheduling.models import Booking, Notification
from backrelief.scheduling.tests.booking_helpers import NOW, SLOT, bookable, set_policy
from backrelief.therapists.tests.directory_helpers import make_assessment
from backrelief.therapists.tests.factories import make_booking, make_profile

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "client_user",
    "other_client",
    "therapist",
    "other_therapist",
    "staff_user",
]


@pytest.fixture
def offer(therapist: Any) -> Any:
    with time_machine.travel(NOW, tick=False):
        return bookable(therapist)


def _as(persona: str, request: pytest.FixtureRequest) -> Client:
    client = Client()
    if persona == "anonymous":
        return client
    user = request.getfixturevalue(persona)
    if persona == "other_therapist":
        with time_machine.travel(NOW, tick=False):
            make_profile(user, now=NOW)
    return login_verified(client, user)


def _pick(service: Any) -> str:
    return f"/schedule/book/{service.public_id}/"


def _confirm(service: Any, start: dt.datetime | str | None = None, tz: str = "") -> str:
    url = f"/schedule/book/{service.public_id}/confirm/"
    if start is None:
        return url
    text = start if isinstance(start, str) else start.isoformat()
    url += f"?start={quote(text)}"
    return url + (f"&tz={tz}" if tz else "")


def _nothing_stored() -> None:
    assert Booking.objects.count() == 0
    assert Notification.objects.count() == 0


# --- the slot picker -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_sees_the_free_times_of_a_bookable_service(persona, request, offer):
    _, service = offer
    web = _as(persona, request)
    with time_machine.travel(NOW, tick=False):
        response = web.get(_pick(service))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Book Swedish massage with" in html
        assert "Wed 4 Mar 2026" in html
        # the first free time is after the 12 hours' notice: Tuesday 09:00 in Berlin, shown
        # in the viewer's zone (the personas' accounts are in UTC; anonymous: the therapist's)
        first = "09%3A00%3A00%2B01%3A00" if persona == "anonymous" else "08%3A00%3A00%2B00%3A00"
        assert f"start=2026-03-03T{first}" in html
        assert ("Only client accounts can book" in html) == (
            persona in ("therapist", "other_therapist", "staff_user")
        )


def test_anonymous_sees_the_therapists_zone_named(offer):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        html = Client().get(_pick(service)).content.decode()
        assert "Times in Europe/Berlin (CET)." in html
        assert "The therapist works in" not in html
        assert "you sign in or create an account before you book" in html


def test_a_chosen_zone_shows_both_zones_and_is_kept_in_the_links(offer):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        html = Client().get(_pick(service) + "?tz=America/New_York").content.decode()
        assert "Times in America/New_York (EST)." in html
        assert "The therapist works in Europe/Berlin" in html
        # Tuesday 09:00 in Berlin is 03:00 in New York
        assert "start=2026-03-03T03%3A00%3A00-05%3A00&amp;tz=America%2FNew_York" in html
        assert '03:00 <span class="help">(09:00 CET)</span>' in html
        assert 'href="?view=week&amp;from=2026-03-09&amp;tz=America%2FNew_York"' in html


def test_a_signed_in_client_sees_their_own_zone(offer, make_user):
    _, service = offer
    sydney = make_user("client", time_zone="Australia/Sydney")
    with time_machine.travel(NOW, tick=False):
        html = login_verified(Client(), sydney).get(_pick(service)).content.decode()
        assert "Times in Australia/Sydney (AEDT)." in html
        # Berlin 09:00 on Tuesday 3 March is 19:00 the same day in Sydney
        assert '19:00 <span class="help">(09:00 CET)</span>' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?tz=Mars/Olympus", "Choose a time zone from the list"),
        ("?view=year", "Choose the week or the month view."),
        ("?from=2026-13-01", "Enter a date as YYYY-MM-DD."),
        ("?from=1999-12-27", "Choose a date between 2000-01-01 and 2099-12-31."),
    ],
)
def test_bad_picker_input_names_the_problem_and_shows_the_default(offer, query, message):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        response = Client().get(_pick(service) + query)
        html = response.content.decode()
        assert response.status_code == 400
        assert message in html
        assert "Times in Europe/Berlin (CET)." in html
        assert "Tue 3 Mar 2026" in html  # this week instead


def test_the_week_view_navigates_and_stops_at_the_horizon(offer):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        html = Client().get(_pick(service)).content.decode()
        assert "Previous week" not in html  # the seven days from today
        assert "Mon 2 Mar 2026 to Sun 8 Mar 2026" in html
        html = Client().get(_pick(service) + "?from=2026-03-11").content.decode()
        assert "Wed 11 Mar 2026 to Tue 17 Mar 2026" in html
        assert 'href="?view=week&amp;from=2026-03-04"' in html
        assert 'href="?view=week&amp;from=2026-03-18"' in html
        # never before today
        html = Client().get(_pick(service) + "?from=2026-03-06").content.decode()
        assert 'href="?view=week&amp;from=2026-03-02"' in html
        # 60 days' horizon: 1 May 2026 is the last bookable day; no week after it
        html = Client().get(_pick(service) + "?from=2026-04-30").content.decode()
        assert "Next week" not in html
        assert "Fri 1 May 2026" in html


def test_on_a_sunday_the_default_week_shows_the_coming_working_days(offer):
    _, service = offer
    sunday = dt.datetime(2026, 3, 8, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(sunday, tick=False):
        html = Client().get(_pick(service)).content.decode()
        assert "Sun 8 Mar 2026 to Sat 14 Mar 2026" in html
        assert "start=2026-03-09T09%3A00%3A00%2B01%3A00" in html


def test_the_month_view_counts_free_times_per_day_and_links_to_the_week(offer):
    _, service = offer
    set_policy(service.therapist, slot_step_minutes=60)
    with time_machine.travel(NOW, tick=False):
        html = Client().get(_pick(service) + "?view=month").content.decode()
        assert "Free times in Mar 2026" in html
        # Wednesday 4 March: 09:00 .. 16:00 starts of a 60-minute session (8)
        assert re.search(
            r'href="\?view=week&amp;from=2026-03-04#day-2026-03-04">8 free times', html
        )
        assert 'href="?view=month&amp;from=2026-04-01"' in html
        assert "Previous month" not in html


def test_the_slot_page_reads_a_bounded_number_of_queries(offer, django_assert_max_num_queries):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        make_booking(_client := offer[0].user, offer[0], start=SLOT, service=service, now=NOW)
        web = Client()
        with django_assert_max_num_queries(3):
            assert web.get(_pick(service) + "?view=month").status_code == 200
        with django_assert_max_num_queries(3):
            assert web.get(_pick(service)).status_code == 200


def test_a_signed_in_slot_page_adds_only_the_session_lookups(
    offer, client_user, django_assert_max_num_queries
):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        web = login_verified(Client(), client_user)
        web.get(_pick(service))
        with django_assert_max_num_queries(6):
            assert web.get(_pick(service) + "?view=month").status_code == 200


def test_a_booked_time_is_not_offered(offer, client_user):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        make_booking(client_user, service.therapist, start=SLOT, service=service, now=NOW)
        html = Client().get(_pick(service)).content.decode()
        assert "start=2026-03-04T10%3A00%3A00%2B01%3A00" not in html
        assert "start=2026-03-04T09%3A00%3A00%2B01%3A00" not in html  # 60 min overlaps
        assert "start=2026-03-04T11%3A15%3A00%2B01%3A00" in html  # after the buffer


@pytest.mark.parametrize("unlisted", ["retired", "unknown"])
def test_a_service_that_cannot_be_booked_is_a_404_with_a_way_on(offer, unlisted):
    _, service = offer
    if unlisted == "retired":
        service.active = False
        service.save(update_fields=["active"])
        url = _pick(service)
    else:
        url = "/schedule/book/00000000-0000-0000-0000-000000000000/"
    with time_machine.travel(NOW, tick=False):
        response = Client().get(url)
        assert response.status_code == 404
        assert "This service cannot be booked now" in response.content.decode()


# --- confirming ------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in_and_back(offer):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        url = _confirm(service, SLOT)
        response = Client().get(url)
        assert response.status_code == 302
        assert unquote(response["Location"]) == f"/accounts/login/?next={url}"
        assert Client().post(_confirm(service), {"start": SLOT.isoformat()}).status_code == 302
        _nothing_stored()


@pytest.mark.parametrize("persona", ["therapist", "other_therapist", "staff_user"])
def test_non_clients_are_told_booking_is_for_client_accounts(persona, request, offer):
    _, service = offer
    web = _as(persona, request)
    with time_machine.travel(NOW, tick=False):
        response = web.get(_confirm(service, SLOT))
        assert response.status_code == 403
        assert "Only client accounts can book sessions" in response.content.decode()
        response = web.post(_confirm(service), {"start": SLOT.isoformat()})
        assert response.status_code == 403
        _nothing_stored()


@pytest.mark.parametrize("persona", ["client_user", "other_client"])
def test_a_client_sees_what_they_book_before_booking(persona, request, offer):
    _, service = offer
    web = _as(persona, request)
    with time_machine.travel(NOW, tick=False):
        response = web.get(_confirm(service, SLOT))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Wed 4 Mar 2026, 09:00 UTC" in html  # the personas' accounts are in UTC
        assert "For the therapist: Wed 4 Mar 2026, 10:00 CET (Europe/Berlin)" in html
        assert "Swedish massage" in html
        assert "Evidence: Limited" in html  # the technique's claims keep their grades
        assert "60 min" in html
        assert "Torstraße 1, 10119 Berlin" in html
        assert "€" in html
        assert "Cancelling less than 24 hours before the start" in html
        assert 'name="start" value="2026-03-04T09:00:00+00:00"' in html
        _nothing_stored()


def test_a_new_york_client_sees_both_zones_on_the_confirm_page(offer, make_user):
    _, service = offer
    ny = make_user("client", time_zone="America/New_York")
    with time_machine.travel(NOW, tick=False):
        html = login_verified(Client(), ny).get(_confirm(service, SLOT)).content.decode()
        assert "Wed 4 Mar 2026, 04:00 EST (America/New_York)" in html
        assert "For the therapist: Wed 4 Mar 2026, 10:00 CET (Europe/Berlin)" in html


def test_booking_stores_one_confirmed_session_and_shows_it(offer, client_user):
    _, service = offer
    web = login_verified(Client(), client_user)
    with time_machine.travel(NOW, tick=False):
        response = web.post(_confirm(service), {"start": "2026-03-04T10:00:00+01:00"})
        booking = Booking.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/schedule/sessions/{booking.public_id}/"
        assert booking.start == SLOT
        assert booking.client == client_user
        assert booking.client_time_zone == client_user.time_zone
        html = web.get(response["Location"]).content.decode()
        assert "Booked. Your session is confirmed" in html


def test_the_zone_chosen_on_the_picker_is_the_zone_the_client_booked_from(offer, client_user):
    _, service = offer
    web = login_verified(Client(), client_user)
    with time_machine.travel(NOW, tick=False):
        web.post(
            _confirm(service), {"start": "2026-03-04T04:00:00-05:00", "tz": "America/New_York"}
        )
        assert Booking.objects.get().client_time_zone == "America/New_York"


def test_a_double_submit_answers_with_the_booking_already_made(offer, client_user):
    _, service = offer
    web = login_verified(Client(), client_user)
    with time_machine.travel(NOW, tick=False):
        first = web.post(_confirm(service), {"start": SLOT.isoformat()})
        second = web.post(_confirm(service), {"start": SLOT.isoformat()})
        assert Booking.objects.count() == 1
        assert second.status_code == 302
        assert second["Location"] == first["Location"]
        html = web.get(second["Location"]).content.decode()
        assert "You have already booked this time." in html
        # the confirm link of the same time again (e.g. after "Back") shows the booking too
        again = web.get(_confirm(service, SLOT))
        assert again.status_code == 302
        assert again["Location"] == first["Location"]


def test_a_time_taken_by_someone_else_is_just_taken_with_alternatives(
    offer, client_user, other_client
):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        make_booking(other_client, service.therapist, start=SLOT, service=service, now=NOW)
        web = login_verified(Client(), client_user)
        response = web.post(_confirm(service), {"start": SLOT.isoformat()})
        html = response.content.decode()
        assert response.status_code == 409
        assert "Just taken" in html
        assert "Nothing was booked for you" in html
        assert f"/schedule/book/{service.public_id}/confirm/?start=" in html
        assert "Tue 3 Mar 2026, 08:00 UTC" in html  # the next free time, in the client's zone
        assert Booking.objects.count() == 1
        assert Notification.objects.count() == 0


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("", "Choose a time from the list."),
        ("tomorrow at ten", "This is not a time we understand."),
        ("2026-03-04T10:00:00", "The time needs its UTC offset"),
        ("2026-03-01T10:00:00+01:00", "This time has passed."),
        ("2026-03-02T15:00:00+01:00", "This therapist needs 12 hours&#x27; notice."),
        ("2026-06-03T10:00:00+02:00", "takes bookings up to 60 days ahead"),
        ("2026-03-04T20:00:00+01:00", "This time is not free in the therapist&#x27;s hours."),
        ("2026-03-07T10:00:00+01:00", "This time is not free in the therapist&#x27;s hours."),
        ("2026-03-04T10:07:00+01:00", "This time is not free in the therapist&#x27;s hours."),
    ],
)
def test_a_refused_time_gets_its_own_message_and_stores_nothing(offer, client_user, start, message):
    _, service = offer
    web = login_verified(Client(), client_user)
    with time_machine.travel(NOW, tick=False):
        response = web.post(_confirm(service), {"start": start})
        html = response.content.decode()
        assert response.status_code in (400, 422)
        assert message in html
        assert "Book this session" not in html
        _nothing_stored()


@pytest.mark.parametrize(
    "start", ["2026-03-04T20:00:00+01:00", "2026-03-04T10:07:00+01:00", "2026-03-07T10:00:00+01:00"]
)
def test_the_confirm_page_refuses_a_time_that_is_not_free(offer, client_user, start):
    _, service = offer
    web = login_verified(Client(), client_user)
    with time_machine.travel(NOW, tick=False):
        response = web.get(_confirm(service, start))
        html = response.content.decode()
        assert response.status_code == 409
        assert "This time is not free" in html
        assert "Book this session" not in html
        assert "Tue 3 Mar 2026, 08:00 UTC" in html  # the next free time


@pytest.mark.parametrize(
    ("start", "status", "message"),
    [
        ("2026-03-01T10:00:00+01:00", 422, "This time has passed."),
        ("2026-03-02T15:00:00+01:00", 422, "This therapist needs 12 hours&#x27; notice."),
        ("2026-06-03T10:00:00+02:00", 422, "takes bookings up to 60 days ahead"),
    ],
)
def test_the_confirm_page_says_why_before_the_button(offer, client_user, start, status, message):
    """The precise reason the booking would be refused is on the confirm page itself, not
    only after pressing Book (booking_refusal runs the same checks, writing nothing)."""
    _, service = offer
    web = login_verified(Client(), client_user)
    with time_machine.travel(NOW, tick=False):
        response = web.get(_confirm(service, start))
        html = response.content.decode()
        assert response.status_code == status
        assert message in html
        assert "Book this session" not in html
        _nothing_stored()


@pytest.mark.parametrize("start", ["not-a-time", "2026-03-04T10:00:00"])
def test_the_confirm_page_explains_a_malformed_start(offer, client_user, start):
    _, service = offer
    web = login_verified(Client(), client_user)
    with time_machine.travel(NOW, tick=False):
        response = web.get(_confirm(service, start))
        assert response.status_code == 400
        assert "Book this session" not in response.content.decode()


def test_an_unencoded_plus_in_the_start_is_read_as_the_offset(offer, client_user):
    _, service = offer
    web = login_verified(Client(), client_user)
    with time_machine.travel(NOW, tick=False):
        url = f"/schedule/book/{service.public_id}/confirm/?start=2026-03-04T10:00:00+01:00"
        assert web.get(url).status_code == 200


def test_a_blocking_assessment_refuses_with_the_triage_message(offer, client_user):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        make_assessment(client_user, blocks_booking=True, created_at=NOW - dt.timedelta(hours=1))
        response = login_verified(Client(), client_user).post(
            _confirm(service), {"start": SLOT.isoformat()}
        )
        assert response.status_code == 403
        assert "Please speak to a doctor today." in response.content.decode()
        _nothing_stored()


def test_the_confirm_page_shows_the_triage_message_instead_of_the_book_button(offer, client_user):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        make_assessment(client_user, blocks_booking=True, created_at=NOW - dt.timedelta(hours=1))
        response = login_verified(Client(), client_user).get(_confirm(service, SLOT))
        html = response.content.decode()
        assert response.status_code == 403
        assert "Please speak to a doctor today." in html
        assert "Book this session" not in html
        _nothing_stored()


def test_a_technique_the_assessment_avoids_is_refused(therapist, client_user):
    with time_machine.travel(NOW, tick=False):
        _, service = bookable(therapist, technique="trigger_point")
        make_assessment(client_user, created_at=NOW - dt.timedelta(hours=1))
        response = login_verified(Client(), client_user).post(
            _confirm(service), {"start": SLOT.isoformat()}
        )
        assert response.status_code == 403
        assert "advises against this technique" in response.content.decode()
        shown = login_verified(Client(), client_user).get(_confirm(service, SLOT))
        assert shown.status_code == 403
        assert "advises against this technique" in shown.content.decode()
        assert "Book this session" not in shown.content.decode()
        _nothing_stored()


def test_a_therapist_no_longer_listed_is_refused_with_their_message(offer, client_user):
    profile, service = offer
    with time_machine.travel(NOW, tick=False):
        profile.licences.update(expires_on=dt.date(2026, 3, 1))
        web = login_verified(Client(), client_user)
        response = web.post(_confirm(service), {"start": SLOT.isoformat()})
        assert response.status_code == 404
        assert "This therapist is not taking bookings now" in response.content.decode()
        assert web.get(_confirm(service, SLOT)).status_code == 404
        _nothing_stored()


def test_health_data_is_never_in_the_booking_urls(offer, client_user):
    _, service = offer
    with time_machine.travel(NOW, tick=False):
        make_assessment(client_user, created_at=NOW - dt.timedelta(hours=1))
        web = login_verified(Client(), client_user)
        html = web.get(_pick(service)).content.decode()
        html += web.get(_confirm(service, SLOT)).content.decode()
        response = web.post(_confirm(service), {"start": SLOT.isoformat()})
        urls = [*re.findall(r'href="([^"]+)"', html), response["Location"]]
        booking_urls = [u for u in urls if u.startswith(("/schedule/", "?"))]
        assert booking_urls
        for url in booking_urls:
            keys = {pair.split("=")[0] for pair in urlsplit(url).query.split("&amp;") if pair}
            assert keys <= {"start", "tz", "view", "from"}, url


def test_the_public_profile_links_each_service_to_its_slot_picker(offer):
    profile, service = offer
    with time_machine.travel(NOW, tick=False):
        html = Client().get(f"/therapists/{profile.public_id}/").content.decode()
        assert f'href="/schedule/book/{service.public_id}/">Book<span' in html


def test_the_profile_preview_of_an_unlisted_therapist_has_no_book_link(offer, therapist):
    profile, service = offer
    with time_machine.travel(NOW, tick=False):
        profile.licences.update(expires_on=dt.date(2026, 3, 1))
        html = login_verified(Client(), therapist).get(f"/therapists/{profile.public_id}/")
        assert f"/schedule/book/{service.public_id}/" not in html.content.decode()
