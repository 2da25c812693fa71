"""`scheduling.completion` (issue 5 item 3): when a booking counts as completed, when the
therapist may mark it, and the review window — tables with boundaries and properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backrelief.scheduling import completion
from backrelief.scheduling.completion import (
    AUTO_COMPLETE_AFTER,
    auto_completes_at,
    complete_allowed,
    counts_as_completed,
    no_show_allowed,
    review_allowed,
    review_block,
    review_window_closes,
)

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
END = START + dt.timedelta(hours=1)
H = dt.timedelta(hours=1)
S = dt.timedelta(seconds=1)
D = dt.timedelta(days=1)
STATUSES = ("confirmed", "completed", "no_show", "cancelled")


@pytest.mark.parametrize(
    ("status", "now", "expected"),
    [
        ("completed", START, True),  # marked: counts at once, even early
        ("completed", END + 200 * D, True),
        ("confirmed", END, False),
        ("confirmed", END + 12 * H - S, False),
        ("confirmed", END + 12 * H, True),  # exactly 12 hours: counts
        ("confirmed", END + 13 * H, True),
        ("no_show", END + 12 * H, False),
        ("no_show", END + 200 * D, False),
        ("cancelled", END + 12 * H, False),
        ("cancelled", END + 200 * D, False),
    ],
)
def test_counts_as_completed_table(status, now, expected):
    assert counts_as_completed(status=status, end=END, now=now) is expected


def test_auto_completion_is_twelve_hours_after_the_end():
    assert AUTO_COMPLETE_AFTER == 12 * H
    assert auto_completes_at(end=END) == END + 12 * H


def test_the_review_window_runs_from_the_end_of_the_session():
    assert review_window_closes(end=END, window_days=90) == END + 90 * D
    assert review_window_closes(end=END, window_days=1) == END + D


def test_a_window_shorter_than_a_day_is_a_programming_error():
    with pytest.raises(ValueError, match="at least one day"):
        review_window_closes(end=END, window_days=0)


@pytest.mark.parametrize(
    ("status", "now", "block"),
    [
        ("completed", END, None),
        ("completed", START + 30 * dt.timedelta(minutes=1), None),  # marked early: it is over
        ("confirmed", START, "not_ended"),
        ("confirmed", END - S, "not_ended"),
        ("confirmed", END, "awaiting_completion"),
        ("confirmed", END + 12 * H - S, "awaiting_completion"),
        ("confirmed", END + 12 * H, None),
        ("completed", END + 90 * D, None),  # exactly 90 days: still inside
        ("completed", END + 90 * D + S, "window_closed"),
        ("confirmed", END + 90 * D, None),
        ("confirmed", END + 90 * D + S, "window_closed"),
        ("no_show", END + D, "no_show"),
        ("cancelled", END + D, "cancelled"),
    ],
)
def test_review_block_table(status, now, block):
    assert review_block(status=status, end=END, now=now, window_days=90) == block
    assert review_allowed(status=status, end=END, now=now, window_days=90) is (block is None)


def test_a_session_marked_completed_after_its_start_can_be_reviewed_at_once():
    # The therapist may mark once it started (a client may leave early); marked, it is over.
    assert complete_allowed(status="confirmed", start=START, now=START)
    assert review_block(status="completed", end=END, now=END - S, window_days=90) is None


@pytest.mark.parametrize(
    ("status", "now", "allowed"),
    [
        ("confirmed", START - S, False),
        ("confirmed", START, True),
        ("confirmed", END + 200 * D, True),
        ("completed", END, False),
        ("no_show", END, False),
        ("cancelled", END, False),
    ],
)
def test_complete_allowed_table(status, now, allowed):
    assert complete_allowed(status=status, start=START, now=now) is allowed


@pytest.mark.parametrize(
    ("status", "now", "allowed"),
    [
        ("confirmed", END - S, False),
        ("confirmed", END, True),
        ("confirmed", END + 12 * H - S, True),
        ("confirmed", END + 12 * H, False),  # counts as completed from here
        ("completed", END + H, False),
        ("no_show", END + H, False),
        ("cancelled", END + H, False),
    ],
)
def test_no_show_allowed_table(status, now, allowed):
    assert no_show_allowed(status=status, end=END, now=now) is allowed


instants = st.datetimes(
    min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 1, 1), timezones=st.just(dt.UTC)
)
offsets = st.timedeltas(min_value=-400 * D, max_value=400 * D)


@given(status=st.sampled_from(STATUSES), end=instants, offset=offsets)
def test_no_show_and_cancelled_never_count_and_completed_always_does(status, end, offset):
    result = counts_as_completed(status=status, end=end, now=end + offset)
    if status in ("no_show", "cancelled"):
        assert result is False
    if status == "completed":
        assert result is True


@given(end=instants, a=offsets, b=offsets)
def test_a_confirmed_booking_once_completed_stays_completed(end, a, b):
    early, late = sorted((a, b))
    if counts_as_completed(status="confirmed", end=end, now=end + early):
        assert counts_as_completed(status="confirmed", end=end, now=end + late)


@given(end=instants, offset=offsets)
def test_no_show_can_be_marked_exactly_until_the_booking_counts_as_completed(end, offset):
    now = end + offset
    if now >= end:
        assert no_show_allowed(status="confirmed", end=end, now=now) is not counts_as_completed(
            status="confirmed", end=end, now=now
        )


@given(
    status=st.sampled_from(STATUSES),
    end=instants,
    offset=offsets,
    days=st.integers(min_value=1, max_value=365),
)
def test_a_review_is_allowed_only_when_completed_and_inside_the_window(status, end, offset, days):
    now = end + offset
    allowed = review_allowed(status=status, end=end, now=now, window_days=days)
    assert allowed == (
        counts_as_completed(status=status, end=end, now=now)
        and now <= review_window_closes(end=end, window_days=days)
    )


@pytest.mark.parametrize(
    ("status", "offset_min", "allowed"),
    [
        ("confirmed", 1, True),
        ("held", 1, True),
        ("confirmed", 0, False),  # starting now: too late
        ("confirmed", -1, False),
        ("cancelled", 60, False),
        ("completed", 60, False),
        ("no_show", 60, False),
    ],
)
def test_a_session_may_be_changed_only_while_confirmed_or_held_and_not_started(
    status, offset_min, allowed
):
    now = dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.UTC)
    start = now + dt.timedelta(minutes=offset_min)
    assert completion.change_allowed(status=status, start=start, now=now) is allowed
