"""Booking reads for reviews (issue 5 item 3): `completed_q` is the pure rule in SQL, the
client's reviewable sessions and the therapist's sessions to mark."""

from __future__ import annotations

import datetime as dt

import pytest

from backrelief.scheduling.completion import counts_as_completed
from backrelief.scheduling.models import Booking
from backrelief.scheduling.selectors import (
    booking_list_for_therapist_to_mark,
    booking_list_reviewable,
    completed_q,
)
from backrelief.therapists.tests.factories import make_booking, make_profile, make_review

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
END = START + dt.timedelta(hours=1)
H = dt.timedelta(hours=1)
S = dt.timedelta(seconds=1)
D = dt.timedelta(days=1)


def test_completed_q_agrees_with_the_pure_rule_on_every_status_around_12_hours(
    client_user, make_user
):
    for status in ("confirmed", "completed", "no_show", "cancelled"):
        # one therapist per status: a therapist's active sessions never overlap
        profile = make_profile(make_user("therapist"))
        make_booking(client_user, profile, start=START, status=status)
    for offset in (-H, 0 * H, 12 * H - S, 12 * H, 12 * H + S, 100 * D):
        now = END + offset
        in_sql = set(Booking.objects.filter(completed_q(now=now)).values_list("pk", flat=True))
        in_python = {
            b.pk
            for b in Booking.objects.all()
            if counts_as_completed(status=b.status, end=b.end, now=now)
        }
        assert in_sql == in_python, offset


def test_reviewable_lists_completed_unreviewed_own_sessions_inside_the_window(
    client_user, other_client, therapist
):
    profile = make_profile(therapist)
    marked = make_booking(client_user, profile, start=START, status="completed")
    auto = make_booking(client_user, profile, start=START - D)  # confirmed, 12 h passed
    make_booking(client_user, profile, start=START + 5 * H)  # ended less than 12 h ago
    make_booking(client_user, profile, start=START - 2 * D, status="no_show")
    make_booking(client_user, profile, start=START - 3 * D, status="cancelled")
    reviewed = make_booking(client_user, profile, start=START - 4 * D, status="completed")
    make_review(reviewed)
    make_booking(client_user, profile, start=START - 120 * D, status="completed")  # too old
    make_booking(other_client, profile, start=START + 2 * H, status="completed")  # not theirs
    now = END + 13 * H
    rows = list(booking_list_reviewable(client=client_user, now=now))
    assert rows == [marked, auto]


def test_reviewable_includes_a_session_exactly_at_the_end_of_the_window(client_user, therapist):
    profile = make_profile(therapist)
    booking = make_booking(client_user, profile, start=START, status="completed")
    assert list(booking_list_reviewable(client=client_user, now=END + 90 * D)) == [booking]
    assert list(booking_list_reviewable(client=client_user, now=END + 90 * D + S)) == []


def test_reviewable_window_follows_the_setting(client_user, therapist, settings):
    settings.REVIEW_WINDOW_DAYS = 10
    profile = make_profile(therapist)
    make_booking(client_user, profile, start=START, status="completed")
    assert list(booking_list_reviewable(client=client_user, now=END + 11 * D)) == []


def test_sessions_to_mark_are_the_therapists_confirmed_ended_ones(
    client_user, therapist, other_therapist
):
    profile = make_profile(therapist)
    other = make_profile(other_therapist)
    ended = make_booking(client_user, profile, start=START)
    older = make_booking(client_user, profile, start=START - 2 * D)
    make_booking(client_user, profile, start=START + 3 * H)  # not ended yet
    make_booking(client_user, profile, start=START - D, status="completed")
    make_booking(client_user, profile, start=START - 3 * D, status="no_show")
    make_booking(client_user, other, start=START)
    assert booking_list_for_therapist_to_mark(therapist=profile, now=END + H) == [ended, older]
