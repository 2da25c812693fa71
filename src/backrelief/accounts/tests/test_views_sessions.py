"""The sessions page (issue 2 §6): list my sessions in my time zone with "this session"
marked, end one (that device really is signed out), sign out everywhere; personas; htmx."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from backrelief.accounts.models import UserSession
from backrelief.accounts.tests.mfa_helpers import sign_in, sign_in_staff
from backrelief.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 21, 15, 0, tzinfo=dt.UTC)
LIST = reverse("accounts:sessions")
PROFILE = reverse("accounts:profile")
PHONE_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1"
)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _end_url(row: UserSession) -> str:
    return reverse("accounts:session_end", args=[row.public_id])


def test_lists_my_sessions_with_this_one_marked(clock, client_user, other_client):
    laptop = Client()
    mine = sign_in(laptop, client_user)
    phone = sign_in(Client(), client_user, user_agent=PHONE_UA, ip="203.0.113.9")
    theirs = sign_in(Client(), other_client, ip="198.51.100.7")
    page = laptop.get(LIST)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Firefox on Linux" in body
    assert "Safari on iPhone" in body
    assert "203.0.113.9" in body
    assert "198.51.100.7" not in body
    assert str(theirs.public_id) not in body
    assert body.count("This session") == 1
    this_row = body.split(f'id="session-{mine.public_id}"')[1].split("</tr>")[0]
    assert "This session" in this_row
    assert str(phone.public_id) in body


@pytest.mark.parametrize(
    ("zone", "created", "expected"),
    [
        # Europe: the night the clocks go forward (CET -> CEST at 01:00 UTC)
        ("Europe/Berlin", dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC), "01:30:00+01:00"),
        ("Europe/Berlin", dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC), "03:30:00+02:00"),
        # US: clocks go back on 1 November 2026 (EDT -> EST at 06:00 UTC)
        ("America/New_York", dt.datetime(2026, 11, 1, 5, 30, tzinfo=dt.UTC), "01:30:00-04:00"),
        ("America/New_York", dt.datetime(2026, 11, 1, 6, 30, tzinfo=dt.UTC), "01:30:00-05:00"),
        # Australia: clocks go forward on 4 October 2026 (AEST -> AEDT at 16:00 UTC)
        ("Australia/Sydney", dt.datetime(2026, 10, 3, 16, 30, tzinfo=dt.UTC), "03:30:00+11:00"),
    ],
)
def test_times_are_shown_in_my_time_zone(make_user, zone, created, expected):
    user = make_user("client", time_zone=zone)
    with time_machine.travel(created, tick=False):
        client = Client()
        sign_in(client, user)
        body = client.get(LIST).content.decode()
    assert expected in body
    assert zone in body


def test_ending_another_session_signs_that_device_out(clock, client_user):
    laptop, phone = Client(), Client()
    sign_in(laptop, client_user)
    phone_row = sign_in(phone, client_user, user_agent=PHONE_UA)
    assert phone.get(PROFILE).status_code == 200
    response = laptop.post(_end_url(phone_row))
    assert response.status_code == 302
    assert response["Location"] == LIST
    assert not UserSession.objects.filter(pk=phone_row.pk).exists()
    assert phone.get(PROFILE)["Location"].startswith("/accounts/login/")
    assert laptop.get(PROFILE).status_code == 200
    assert AuditEvent.objects.filter(
        subject_public_id=client_user.public_id, action="session.ended"
    ).exists()


def test_htmx_end_swaps_just_the_row(clock, client_user):
    laptop = Client()
    sign_in(laptop, client_user)
    phone_row = sign_in(Client(), client_user, user_agent=PHONE_UA)
    response = laptop.post(_end_url(phone_row), headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.strip().startswith(f'<tr id="session-{phone_row.public_id}"')
    assert "Session ended" in body
    assert "<html" not in body


def test_ending_this_session_signs_me_out(clock, client_user):
    laptop = Client()
    mine = sign_in(laptop, client_user)
    response = laptop.post(_end_url(mine))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert laptop.get(PROFILE).status_code == 302


def test_ending_this_session_with_htmx_redirects_the_browser(clock, client_user):
    laptop = Client()
    mine = sign_in(laptop, client_user)
    response = laptop.post(_end_url(mine), headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("accounts:login")


def test_someone_elses_session_is_not_found(clock, client_user, other_client):
    laptop = Client()
    sign_in(laptop, client_user)
    theirs = sign_in(Client(), other_client)
    assert laptop.post(_end_url(theirs)).status_code == 404
    assert UserSession.objects.filter(pk=theirs.pk).exists()


def test_unknown_session_is_not_found(clock, client_user):
    laptop = Client()
    sign_in(laptop, client_user)
    url = reverse("accounts:session_end", args=["00000000-0000-0000-0000-000000000000"])
    assert laptop.post(url).status_code == 404


def test_sign_out_everywhere_ends_every_session_and_goes_to_login(clock, client_user, other_client):
    laptop, phone, theirs = Client(), Client(), Client()
    sign_in(laptop, client_user)
    sign_in(phone, client_user, user_agent=PHONE_UA)
    sign_in(theirs, other_client)
    response = laptop.post(reverse("accounts:sessions_end_all"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert not UserSession.objects.filter(user=client_user).exists()
    assert phone.get(PROFILE).status_code == 302
    assert laptop.get(PROFILE).status_code == 302
    assert theirs.get(PROFILE).status_code == 200  # other people are unaffected
    assert AuditEvent.objects.filter(
        subject_public_id=client_user.public_id, action="session.ended_all"
    ).exists()


def test_writes_need_post_and_csrf(clock, client_user):
    laptop = Client(enforce_csrf_checks=True)
    mine = sign_in(laptop, client_user)
    assert laptop.get(_end_url(mine)).status_code == 405
    assert laptop.post(_end_url(mine)).status_code == 403
    assert laptop.post(reverse("accounts:sessions_end_all")).status_code == 403
    assert UserSession.objects.filter(pk=mine.pk).exists()


def test_expired_sessions_are_not_listed(clock, client_user):
    laptop = Client()
    sign_in(laptop, client_user)
    with time_machine.travel(NOW - dt.timedelta(hours=2), tick=False):
        stale = sign_in(Client(), client_user, user_agent=PHONE_UA)
    assert str(stale.public_id) not in laptop.get(LIST).content.decode()


@pytest.mark.parametrize("role", ["client", "therapist", "staff"])
def test_every_role_sees_its_own_sessions_page(clock, make_user, role):
    user = make_user(role)
    client = Client()
    row = sign_in_staff(client, user) if role == "staff" else sign_in(client, user)
    page = client.get(LIST)
    assert page.status_code == 200
    assert str(row.public_id) in page.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(clock):
    for response in (
        Client().get(LIST),
        Client().post(reverse("accounts:sessions_end_all")),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
