"""When a booking counts as a completed session, and when it may be reviewed (issue 5 item 3).

Rules (docs/rules.md "Therapists: reviews"):

- A booking *counts as completed* when the therapist marked it completed, or once
  `AUTO_COMPLETE_AFTER` (12 hours) has passed since its end while it is still confirmed, i.e.
  the therapist did not mark it no-show in that time. No-show and cancelled bookings never
  count. Exactly 12 hours after the end it counts.
- The therapist may mark a session no-show only while it is confirmed, has ended and has not
  yet auto-completed (the 12 hours after the end). After that it counts as completed and the
  client may already have reviewed it; a completed booking is never turned into a no-show here
  (staff can hide an unfair review instead).
- The therapist may mark a session completed once it has started (a client may leave early);
  once marked it may be reviewed at once, even before its scheduled end.
- Reviews are accepted up to `window_days` (settings.REVIEW_WINDOW_DAYS, default 90) after the
  session's *end* — not after the completion mark — so the deadline is the same whether the
  therapist marked the session or it auto-completed, and the client can see it in advance.
  Exactly `window_days` after the end is still inside the window.

- A session may be cancelled or moved while it is confirmed or held and has not started
  (`change_allowed`; issue 6 item 6) — the one statement the service, the session page and
  the calendar all use.

`scheduling.selectors.completed_q` is the same completion rule in SQL; a test holds the two
together. Pure: no ORM, no clock (`now` is passed in).
"""

from __future__ import annotations

import datetime as dt

AUTO_COMPLETE_AFTER = dt.timedelta(hours=12)

CONFIRMED = "confirmed"
CHANGEABLE_STATUSES = frozenset({"confirmed", "held"})
COMPLETED = "completed"
NO_SHOW = "no_show"
CANCELLED = "cancelled"


def auto_completes_at(*, end: dt.datetime) -> dt.datetime:
    """The instant a still-confirmed booking starts to count as completed (end + 12 h)."""
    return end + AUTO_COMPLETE_AFTER


def counts_as_completed(*, status: str, end: dt.datetime, now: dt.datetime) -> bool:
    """Marked completed, or confirmed and at least 12 hours past its end (issue 5 item 3)."""
    if status == COMPLETED:
        return True
    return status == CONFIRMED and now >= auto_completes_at(end=end)


def review_window_closes(*, end: dt.datetime, window_days: int) -> dt.datetime:
    """The last instant a review is accepted: `window_days` after the session's end."""
    if window_days < 1:
        raise ValueError("The review window must be at least one day.")
    return end + dt.timedelta(days=window_days)


def review_block(
    *, status: str, end: dt.datetime, now: dt.datetime, window_days: int
) -> str | None:
    """Why a booking cannot be reviewed at `now`, as a stable code, or None if it can.

    Codes: "cancelled", "no_show", "not_ended" (the session has not ended yet),
    "awaiting_completion" (ended, not marked, 12 hours not yet passed), "window_closed".
    """
    if status == CANCELLED:
        return "cancelled"
    if status == NO_SHOW:
        return "no_show"
    if not counts_as_completed(status=status, end=end, now=now):
        return "not_ended" if now < end else "awaiting_completion"
    if now > review_window_closes(end=end, window_days=window_days):
        return "window_closed"
    return None


def review_allowed(*, status: str, end: dt.datetime, now: dt.datetime, window_days: int) -> bool:
    """Whether the booking's client may review it at `now` (completed and inside the window);
    "once per booking" is checked by the service and the database."""
    return review_block(status=status, end=end, now=now, window_days=window_days) is None


def complete_allowed(*, status: str, start: dt.datetime, now: dt.datetime) -> bool:
    """The therapist may mark a confirmed booking completed once it has started."""
    return status == CONFIRMED and now >= start


def no_show_allowed(*, status: str, end: dt.datetime, now: dt.datetime) -> bool:
    """The therapist may mark a confirmed booking no-show after its end and before it
    auto-completes (the 12 hours after the end)."""
    return status == CONFIRMED and end <= now < auto_completes_at(end=end)


def change_allowed(*, status: str, start: dt.datetime, now: dt.datetime) -> bool:
    """Whether a session may still be cancelled or moved: confirmed or held, not started."""
    return status in CHANGEABLE_STATUSES and start > now
