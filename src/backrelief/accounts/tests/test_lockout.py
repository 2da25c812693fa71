"""The pure lockout rule (issue 2 §6): tables for the boundaries, properties for the rest."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backrelief.accounts.lockout import (
    LockoutPolicy,
    lock_end,
    locked_until,
    retry_after_seconds,
)

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
MIN = dt.timedelta(minutes=1)
SEC = dt.timedelta(seconds=1)
POLICY = LockoutPolicy(window=15 * MIN, cooloff=15 * MIN, max_per_email_ip=5, max_per_email=20)


def at(*minutes: float) -> list[dt.datetime]:
    return [T0 + dt.timedelta(minutes=m) for m in minutes]


@pytest.mark.parametrize(
    ("pair", "now", "expected"),
    [
        pytest.param([], T0, None, id="no-failures"),
        pytest.param(at(0, 1, 2, 3), T0 + 4 * MIN, None, id="four-failures-not-locked"),
        pytest.param(at(0, 1, 2, 3, 4), T0 + 4 * MIN, T0 + 19 * MIN, id="fifth-failure-locks"),
        pytest.param(
            at(0, 1, 2, 3, 4), T0 + 19 * MIN - SEC, T0 + 19 * MIN, id="locked-one-second-before"
        ),
        pytest.param(at(0, 1, 2, 3, 4), T0 + 19 * MIN, None, id="unlocked-at-cooloff-end"),
        pytest.param(at(0, 1, 2, 3, 15), T0 + 15 * MIN, T0 + 30 * MIN, id="window-inclusive"),
        pytest.param(at(0, 1, 2, 3, 15.01), T0 + 16 * MIN, None, id="just-outside-window"),
        pytest.param(at(0, 1, 2, 3, 4, 5), T0 + 5 * MIN, T0 + 20 * MIN, id="latest-lock-wins"),
        pytest.param(at(0, 1, 2, 3, 4, 60), T0 + 60 * MIN, None, id="old-lock-over"),
        pytest.param(at(0, 1, 2, 3, 4), T0 + 3 * MIN, None, id="future-failures-ignored"),
    ],
)
def test_five_failures_per_email_and_ip_lock_for_fifteen_minutes(pair, now, expected):
    assert locked_until(pair_failures=pair, email_failures=pair, now=now, policy=POLICY) == expected


@pytest.mark.parametrize(
    ("count", "spread_minutes", "locked"),
    [(19, 10, False), (20, 10, True), (20, 15, True), (20, 15.5, False)],
)
def test_twenty_failures_per_email_from_any_ip_lock(count, spread_minutes, locked):
    step = dt.timedelta(minutes=spread_minutes) / (count - 1)
    email = [T0 + i * step for i in range(count)]
    now = email[-1]
    result = locked_until(pair_failures=[], email_failures=email, now=now, policy=POLICY)
    assert result == (email[-1] + 15 * MIN if locked else None)


def test_pair_rule_and_email_rule_are_independent():
    pair = at(0, 1, 2, 3)  # four from this IP: not enough alone
    email = pair + at(*[0.1 * i for i in range(16)])  # twenty in all from many IPs
    assert len(email) == 20
    until = locked_until(pair_failures=pair, email_failures=email, now=T0 + 4 * MIN, policy=POLICY)
    assert until == T0 + 3 * MIN + 15 * MIN


@pytest.mark.parametrize(
    ("delta", "expected"),
    [(dt.timedelta(minutes=15), 900), (dt.timedelta(seconds=0.2), 1), (dt.timedelta(0), 1)],
)
def test_retry_after_rounds_up_and_is_at_least_one_second(delta, expected):
    assert retry_after_seconds(until=T0 + delta, now=T0) == expected


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_per_email_ip": 0},
        {"max_per_email": 0},
        {"window": dt.timedelta(0)},
        {"cooloff": -MIN},
    ],
)
def test_policy_rejects_nonsense_numbers(kwargs):
    base = {
        "window": 15 * MIN,
        "cooloff": 15 * MIN,
        "max_per_email_ip": 5,
        "max_per_email": 20,
    } | kwargs
    with pytest.raises(ValueError, match="Lockout"):
        LockoutPolicy(**base)


# --- properties ---------------------------------------------------------------------------------

offsets = st.lists(st.integers(min_value=0, max_value=3 * 60 * 60), max_size=40)  # seconds
thresholds = st.integers(min_value=1, max_value=8)


def _times(seconds: list[int]) -> list[dt.datetime]:
    return [T0 + dt.timedelta(seconds=s) for s in seconds]


def _reference_lock_end(times, *, threshold, window, cooloff, now):
    """Brute force: at each failure, count failures in [t - window, t]."""
    past = [t for t in times if t <= now]
    ends = []
    for t in past:
        # the failure at t reaches the threshold if `threshold` failures (counting
        # duplicates at exactly t only up to t's own position) lie in [t - window, t]
        in_window = sorted(u for u in past if t - window <= u <= t)
        if len(in_window) >= threshold:
            ends.append(t + cooloff)
    return max(ends) if ends else None


@given(offsets, thresholds, st.integers(min_value=0, max_value=4 * 60 * 60))
def test_lock_end_matches_brute_force_count(seconds, threshold, now_s):
    now = T0 + dt.timedelta(seconds=now_s)
    times = _times(seconds)
    kwargs = {"threshold": threshold, "window": 15 * MIN, "cooloff": 15 * MIN, "now": now}
    assert lock_end(times, **kwargs) == _reference_lock_end(times, **kwargs)


@given(offsets, st.integers(min_value=0, max_value=4 * 60 * 60), st.randoms())
def test_order_of_failures_does_not_matter(seconds, now_s, rnd: random.Random):
    now = T0 + dt.timedelta(seconds=now_s)
    times = _times(seconds)
    shuffled = times[:]
    rnd.shuffle(shuffled)
    assert locked_until(
        pair_failures=times, email_failures=times, now=now, policy=POLICY
    ) == locked_until(pair_failures=shuffled, email_failures=shuffled, now=now, policy=POLICY)


@given(offsets, st.integers(min_value=0, max_value=4 * 60 * 60))
def test_a_lock_is_always_in_the_future_and_at_most_one_cooloff_after_a_failure(seconds, now_s):
    now = T0 + dt.timedelta(seconds=now_s)
    times = _times(seconds)
    until = locked_until(pair_failures=times, email_failures=times, now=now, policy=POLICY)
    if until is not None:
        assert now < until
        assert until - POLICY.cooloff in times
        assert until - POLICY.cooloff <= now


@given(offsets, st.integers(min_value=0, max_value=4 * 60 * 60))
def test_fewer_failures_than_the_threshold_never_lock(seconds, now_s):
    times = _times(seconds[:4])
    now = T0 + dt.timedelta(seconds=now_s)
    assert locked_until(pair_failures=times, email_failures=times, now=now, policy=POLICY) is None


@given(offsets, st.integers(min_value=0, max_value=3 * 60 * 60))
def test_failures_older_than_the_cooloff_never_lock(seconds, extra_s):
    times = _times(seconds)
    now = max(times, default=T0) + POLICY.cooloff + dt.timedelta(seconds=extra_s)
    assert locked_until(pair_failures=times, email_failures=times, now=now, policy=POLICY) is None


@given(offsets, st.integers(min_value=0, max_value=3 * 60 * 60), st.integers(0, 4 * 60 * 60))
def test_another_failure_never_shortens_a_lock(seconds, new_s, now_s):
    now = T0 + dt.timedelta(seconds=now_s)
    times = _times(seconds)
    before = locked_until(pair_failures=times, email_failures=times, now=now, policy=POLICY)
    more = [*times, T0 + dt.timedelta(seconds=new_s)]
    after = locked_until(pair_failures=more, email_failures=more, now=now, policy=POLICY)
    if before is not None:
        assert after is not None
        assert after >= before


@given(st.integers(min_value=5, max_value=30), st.integers(min_value=0, max_value=899))
def test_a_burst_of_five_within_the_window_locks_until_cooloff_after_the_fifth(gap_total, wait):
    times = [T0 + dt.timedelta(seconds=gap_total * i // 4) for i in range(5)]
    now = times[-1] + dt.timedelta(seconds=wait)
    until = locked_until(pair_failures=times, email_failures=times, now=now, policy=POLICY)
    assert until == times[-1] + POLICY.cooloff
