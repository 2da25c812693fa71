"""What happens to a due notification (issue 6 item 7), as a table: cancelled or changed →
voided, session begun → dropped, otherwise sent; and the retry backoff."""

from __future__ import annotations

import datetime as dt

import pytest

from backrelief.scheduling.outbox import (
    BACKOFF_MINUTES,
    MAX_ATTEMPTS,
    Outcome,
    notification_outcome,
    retry_due_at,
)

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
WRITTEN = NOW - dt.timedelta(hours=1)
FUTURE = NOW + dt.timedelta(days=1)
S = dt.timedelta(seconds=1)


@pytest.mark.parametrize(
    ("kind", "status", "start", "updated", "expected"),
    [
        ("booking_confirmed", "confirmed", FUTURE, WRITTEN, Outcome.SEND),
        ("booking_rescheduled", "confirmed", FUTURE, WRITTEN, Outcome.SEND),
        ("booking_cancelled", "cancelled", FUTURE, WRITTEN, Outcome.SEND),
        # cancelled before the confirmation went out
        ("booking_confirmed", "cancelled", FUTURE, NOW - S, Outcome.VOID),
        ("booking_rescheduled", "cancelled", FUTURE, NOW - S, Outcome.VOID),
        # a hold that was never confirmed
        ("booking_confirmed", "held", FUTURE, WRITTEN, Outcome.VOID),
        # a cancellation message for a booking that is not cancelled
        ("booking_cancelled", "confirmed", FUTURE, WRITTEN, Outcome.VOID),
        # changed after the row was written (one second later is enough)
        ("booking_confirmed", "confirmed", FUTURE, WRITTEN + S, Outcome.VOID),
        # the session has begun (start == now counts) or is over
        ("booking_confirmed", "confirmed", NOW, WRITTEN, Outcome.DROP),
        ("booking_confirmed", "confirmed", NOW - dt.timedelta(days=1), WRITTEN, Outcome.DROP),
        ("booking_cancelled", "cancelled", NOW - S, WRITTEN, Outcome.DROP),
        # one second before the start is still worth sending
        ("booking_confirmed", "confirmed", NOW + S, WRITTEN, Outcome.SEND),
    ],
)
def test_outcome_follows_the_booking_as_it_is_at_send_time(kind, status, start, updated, expected):
    outcome = notification_outcome(
        kind=kind,
        booking_status=status,
        booking_start=start,
        booking_updated_at=updated,
        written_at=WRITTEN,
        now=NOW,
    )
    assert outcome is expected


@pytest.mark.parametrize(("attempts", "wait_minutes"), [(1, 1), (2, 5), (3, 15), (4, 60), (5, 240)])
def test_failed_attempts_wait_1_5_15_60_240_minutes(attempts, wait_minutes):
    assert retry_due_at(attempts=attempts, now=NOW) == NOW + dt.timedelta(minutes=wait_minutes)


def test_the_sixth_failure_gives_up():
    assert MAX_ATTEMPTS == 6
    assert retry_due_at(attempts=6, now=NOW) is None
    assert retry_due_at(attempts=7, now=NOW) is None


def test_backoff_grows_and_all_retries_end_within_six_hours():
    assert list(BACKOFF_MINUTES) == sorted(BACKOFF_MINUTES)
    assert sum(BACKOFF_MINUTES[: MAX_ATTEMPTS - 1]) < 6 * 60
