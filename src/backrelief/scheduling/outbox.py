"""What happens to a due notification (issue 6 item 7), as pure rules on plain values.

The worker re-reads the booking at send time and asks `notification_outcome`; a failed send
asks `retry_due_at`. No ORM, no clock: `now` is passed in (STYLE.md).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

# Kinds that announce a session that will take place; they make no sense once it is cancelled.
ANNOUNCING_KINDS = frozenset({"booking_confirmed", "booking_rescheduled"})
CANCELLATION_KINDS = frozenset({"booking_cancelled"})

# Minutes to wait after the 1st, 2nd, … failed attempt; the last figure repeats.
BACKOFF_MINUTES: tuple[int, ...] = (1, 5, 15, 60, 240)
# After this many failed attempts the row is marked failed (about 5 h 20 min after the first).
MAX_ATTEMPTS = 6


class Outcome(StrEnum):
    SEND = "send"
    VOID = "voided"  # the booking was cancelled or changed after the row was written
    DROP = "dropped"  # the session has begun: a message about it is no longer useful


def notification_outcome(
    *,
    kind: str,
    booking_status: str,
    booking_start: dt.datetime,
    booking_updated_at: dt.datetime,
    written_at: dt.datetime,
    now: dt.datetime,
) -> Outcome:
    """Decide at send time, from the booking as it is *now* (issue 6 item 7: "re-reads the
    booking at send time (cancelled or changed → voided; past → dropped)").

    - a confirmation or "moved" message for a booking that is no longer confirmed → voided
      (cancelled, or an expired hold); a cancellation message for a booking that is not
      cancelled → voided;
    - the booking changed after the row was written (`updated_at` later than the row's
      `created_at`; services write both with the same `now`) → voided: the change wrote its
      own notification, and an older message would tell an outdated story;
    - the session has started (`start <= now`) → dropped;
    - otherwise → send.
    """
    if kind in ANNOUNCING_KINDS and booking_status != "confirmed":
        return Outcome.VOID
    if kind in CANCELLATION_KINDS and booking_status != "cancelled":
        return Outcome.VOID
    if booking_updated_at > written_at:
        return Outcome.VOID
    if booking_start <= now:
        return Outcome.DROP
    return Outcome.SEND


def retry_due_at(*, attempts: int, now: dt.datetime) -> dt.datetime | None:
    """When to try again after a failed send, `attempts` counting the one that just failed;
    None means give up (mark failed). Backoff 1, 5, 15, 60, 240 minutes; the 6th failure is
    final (issue 6 item 7: "retries with backoff, records attempts and last error")."""
    if attempts >= MAX_ATTEMPTS:
        return None
    index = min(max(attempts, 1), len(BACKOFF_MINUTES)) - 1
    return now + dt.timedelta(minutes=BACKOFF_MINUTES[index])
