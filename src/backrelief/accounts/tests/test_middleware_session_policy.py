"""Browser sessions end after 30 idle minutes or 12 hours in all (issue 2 §6), whatever the
activity; the person is told why, the API answers 401, and the expiry is audited."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from backrelief.accounts.models import UserSession
from backrelief.accounts.services.sessions import expiry_reason
from backrelief.accounts.tests.mfa_helpers import sign_in
from backrelief.core.models import AuditEvent

START = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)  # the night Europe moves its clocks
IDLE = 30 * 60
ABSOLUTE = 12 * 60 * 60


@pytest.mark.parametrize(
    ("since_login", "since_seen", "expected"),
    [
        (0, 0, None),
        (IDLE - 1, IDLE - 1, None),
        (IDLE, IDLE, "idle"),
        (ABSOLUTE - 1, 10, None),
        (ABSOLUTE, 0, "absolute"),
        (ABSOLUTE + 5, IDLE + 5, "absolute"),  # absolute is reported first
    ],
)
def test_expiry_reason_boundaries(since_login, since_seen, expected):
    now = 1_000_000.0
    assert (
        expiry_reason(
            now=now,
            login_at=now - since_login,
            seen_at=now - since_seen,
            idle_s=IDLE,
            absolute_s=ABSOLUTE,
        )
        == expected
    )


@pytest.mark.django_db
def test_a_session_survives_29_idle_minutes_and_ends_after_30(client_user):
    web = Client()
    with time_machine.travel(START, tick=False) as clock:
        sign_in(web, client_user)
        assert web.get("/").status_code == 200
        clock.shift(dt.timedelta(minutes=29))
        assert web.get("/accounts/profile/").status_code == 200
        clock.shift(dt.timedelta(minutes=30))
        response = web.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    follow = web.get(response["Location"])
    assert "session expired" in follow.content.decode().lower()
    assert not UserSession.objects.filter(user=client_user).exists()
    row = AuditEvent.objects.get(action="session.expired")
    assert (row.subject_public_id, row.object_type) == (client_user.public_id, "idle")


@pytest.mark.django_db
def test_an_active_session_still_ends_after_12_hours(client_user):
    web = Client()
    with time_machine.travel(START, tick=False) as clock:
        sign_in(web, client_user)
        assert web.get("/").status_code == 200
        for _ in range(int(12 * 60 / 20) - 1):  # a request every 20 minutes, never idle
            clock.shift(dt.timedelta(minutes=20))
            assert web.get("/").status_code == 200
        clock.shift(dt.timedelta(minutes=20))
        response = web.get("/accounts/profile/")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="session.expired", object_type="absolute").exists()


@pytest.mark.django_db
def test_an_expired_session_gets_401_from_the_api(client_user):
    web = Client()
    with time_machine.travel(START, tick=False) as clock:
        sign_in(web, client_user)
        assert web.get("/api/v1/me").status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = web.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "session_expired"
