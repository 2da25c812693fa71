"""`backrelief prune` removes only state that can no longer matter."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client

from backrelief.accounts.models import LoginFailure, UserSession
from backrelief.accounts.services.housekeeping import security_state_prune
from backrelief.accounts.tests.mfa_helpers import sign_in

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)


def test_old_login_failures_go_and_recent_ones_stay():
    LoginFailure.objects.create(
        email="a@example.test", ip="127.0.0.1", at=NOW - dt.timedelta(days=2)
    )
    recent = LoginFailure.objects.create(
        email="a@example.test", ip="127.0.0.1", at=NOW - dt.timedelta(minutes=5)
    )
    result = security_state_prune(now=NOW)
    assert result.login_failures == 1
    assert list(LoginFailure.objects.all()) == [recent]


def test_live_sessions_stay_and_ended_or_too_old_ones_go(client_user, other_client):
    with time_machine.travel(NOW - dt.timedelta(hours=13), tick=False):
        old_web = Client()
        sign_in(old_web, client_user)
    with time_machine.travel(NOW, tick=False):
        live_web = Client()
        live = sign_in(live_web, other_client)
        gone_web = Client()
        gone = sign_in(gone_web, other_client)
        Session.objects.filter(session_key=gone.session_key).delete()
        security_state_prune(now=NOW)
        assert list(UserSession.objects.all()) == [live]
        assert live_web.get("/accounts/profile/").status_code == 200  # still at NOW, not real time


def test_the_command_reports_what_it_removed():
    out = io.StringIO()
    call_command("prune", stdout=out)
    assert "old login failures" in out.getvalue()
