"""Login lockout rule, pure: failure timestamps and `now` in, end of lock (or None) out.

Rule (issue 2 §6; OWASP ASVS 4.0 §2.2.1 "anti-automation"): a login is locked when

- at least `max_per_email_ip` (5) failures for the same (email, IP), or
- at least `max_per_email` (20) failures for the email from any IP

fall within one `window` (15 minutes). The lock lasts `cooloff` (15 minutes) from the failure
that reached the threshold. Boundaries: a group of failures counts when first and last are at
most `window` apart (inclusive); the lock holds while `now < lock_end` (at `lock_end` the next
attempt is allowed). Failures after `now` are ignored.

The service (`accounts/services/auth.py`) loads the failures of the last `lookback` from the
database, so every process sees the same state; this module never reads the clock or the ORM.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class LockoutPolicy:
    """The numbers of the rule; built from settings.LOCKOUT_* by the service."""

    window: dt.timedelta
    cooloff: dt.timedelta
    max_per_email_ip: int
    max_per_email: int

    def __post_init__(self) -> None:
        if self.max_per_email_ip < 1 or self.max_per_email < 1:
            raise ValueError("Lockout thresholds must be at least 1.")
        if self.window <= dt.timedelta(0) or self.cooloff <= dt.timedelta(0):
            raise ValueError("Lockout window and cool-off must be positive.")

    @property
    def lookback(self) -> dt.timedelta:
        """Failures older than this before `now` can no longer cause a live lock."""
        return self.window + self.cooloff


def lock_end(
    failures: Iterable[dt.datetime],
    *,
    threshold: int,
    window: dt.timedelta,
    cooloff: dt.timedelta,
    now: dt.datetime,
) -> dt.datetime | None:
    """When the latest lock caused by `failures` ends (possibly already past), or None.

    A failure "reaches the threshold" when it and the `threshold - 1` failures before it lie
    within `window`; its lock ends `cooloff` after it (issue 2 §6).
    """
    times = sorted(t for t in failures if t <= now)
    end: dt.datetime | None = None
    for i in range(threshold - 1, len(times)):
        if times[i] - times[i - threshold + 1] <= window:
            candidate = times[i] + cooloff
            if end is None or candidate > end:
                end = candidate
    return end


def locked_until(
    *,
    pair_failures: Iterable[dt.datetime],
    email_failures: Iterable[dt.datetime],
    now: dt.datetime,
    policy: LockoutPolicy,
) -> dt.datetime | None:
    """The instant the login for (email, IP) unlocks, or None when it is not locked now.

    `pair_failures` are the failures for this email from this IP; `email_failures` those for
    this email from any IP (a superset). Either rule locks (issue 2 §6).
    """
    ends = [
        lock_end(
            pair_failures,
            threshold=policy.max_per_email_ip,
            window=policy.window,
            cooloff=policy.cooloff,
            now=now,
        ),
        lock_end(
            email_failures,
            threshold=policy.max_per_email,
            window=policy.window,
            cooloff=policy.cooloff,
            now=now,
        ),
    ]
    live = [end for end in ends if end is not None and end > now]
    return max(live) if live else None


def retry_after_seconds(*, until: dt.datetime, now: dt.datetime) -> int:
    """Whole seconds to wait (rounded up, at least 1), for the Retry-After header."""
    return max(1, math.ceil((until - now).total_seconds()))
