"""Demo availability (issue 6 item 1), pure: the weekly hours every demo therapist gets, so
the demo has free slots. Written by `therapists.services.demo` beside the profiles."""

from __future__ import annotations

import datetime as dt

# Monday to Friday, 09:00-17:00 with a lunch break 12:30-13:30, in the therapist's own zone.
_SHIFTS = ((dt.time(9, 0), dt.time(12, 30)), (dt.time(13, 30), dt.time(17, 0)))


def demo_weekly_hours() -> list[tuple[int, dt.time, dt.time]]:
    """(weekday, start, end) rows for a demo therapist: Mon-Fri 09:00-12:30 and 13:30-17:00
    (wall clock in their zone; 0 = Monday)."""
    return [(day, start, end) for day in range(5) for start, end in _SHIFTS]
