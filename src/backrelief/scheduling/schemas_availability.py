"""JSON input and output for `/api/v1/availability` (issue 6 item 1).

Times of day are wall-clock `HH:MM` in the therapist's zone (named in every answer as
`time_zone`); time off takes local date-times (`2026-04-01T09:00`, read in that zone) or aware
ones (`…Z`, `…+02:00`). The ranges and overlaps are checked by the services, so the API and
the pages give the same messages, keyed like `hours.1.end`.
"""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Schema

from backrelief.scheduling.models import DateOverride, SchedulingPolicy, TimeOff, WeeklyHours
from backrelief.scheduling.selectors_availability import BookingConflict
from backrelief.scheduling.services_availability import AvailabilityChange


class ConflictOut(Schema):
    """An upcoming booking outside the availability: kept, for the therapist to deal with."""

    booking_id: uuid.UUID
    start: dt.datetime
    end: dt.datetime
    service: str
    client_label: str = Field(description="The client's first name only.")

    @staticmethod
    def of(c: BookingConflict) -> ConflictOut:
        return ConflictOut(
            booking_id=c.booking_id,
            start=c.start,
            end=c.end,
            service=c.service,
            client_label=c.client_label,
        )


class PolicyIn(Schema):
    min_notice_minutes: int = Field(description="0 to 20160 (two weeks).")
    horizon_days: int = Field(description="1 to 365.")
    slot_step_minutes: int = Field(description="One of 5, 10, 15, 20, 30, 60.")
    cancellation_cutoff_hours: int = Field(description="0 to 168 (one week).")


class PolicyOut(Schema):
    min_notice_minutes: int
    horizon_days: int
    slot_step_minutes: int
    cancellation_cutoff_hours: int

    @staticmethod
    def of(p: SchedulingPolicy) -> PolicyOut:
        return PolicyOut(
            min_notice_minutes=p.min_notice_minutes,
            horizon_days=p.horizon_days,
            slot_step_minutes=p.slot_step_minutes,
            cancellation_cutoff_hours=p.cancellation_cutoff_hours,
        )


class ShiftIn(Schema):
    weekday: int = Field(description="0 = Monday … 6 = Sunday.")
    start: dt.time
    end: dt.time


class WeekIn(Schema):
    hours: list[ShiftIn] = Field(description="The whole week; replaces what was there.")


class ShiftOut(Schema):
    weekday: int
    start: str
    end: str

    @staticmethod
    def of(row: WeeklyHours) -> ShiftOut:
        return ShiftOut(
            weekday=row.weekday, start=f"{row.start_time:%H:%M}", end=f"{row.end_time:%H:%M}"
        )


class PeriodIn(Schema):
    start: dt.time
    end: dt.time


class PeriodOut(Schema):
    start: str
    end: str


class DateIn(Schema):
    closed: bool = False
    hours: list[PeriodIn] = Field(default_factory=list)


class DateOut(Schema):
    date: dt.date
    closed: bool
    hours: list[PeriodOut]

    @staticmethod
    def of(date: dt.date, rows: list[DateOverride]) -> DateOut:
        return DateOut(
            date=date,
            closed=any(r.closed for r in rows),
            hours=[
                PeriodOut(start=f"{r.start_time:%H:%M}", end=f"{r.end_time:%H:%M}")
                for r in rows
                if not r.closed and r.start_time is not None and r.end_time is not None
            ],
        )


class TimeOffIn(Schema):
    start: dt.datetime = Field(description="Local in the therapist's zone unless it has an offset.")
    end: dt.datetime
    note: str = Field("", max_length=200)


class TimeOffOut(Schema):
    time_off_id: uuid.UUID
    start: dt.datetime
    end: dt.datetime
    note: str

    @staticmethod
    def of(row: TimeOff) -> TimeOffOut:
        return TimeOffOut(time_off_id=row.public_id, start=row.start, end=row.end, note=row.note)


class AvailabilityOut(Schema):
    time_zone: str
    policy: PolicyOut
    week: list[ShiftOut]
    dates: list[DateOut]
    time_off: list[TimeOffOut]
    conflicts: list[ConflictOut]


class ChangeOut(Schema):
    """The answer to every change: the bookings now outside the availability (kept)."""

    conflicts: list[ConflictOut]
    policy: PolicyOut | None = None
    time_off: TimeOffOut | None = None

    @staticmethod
    def of(change: AvailabilityChange) -> ChangeOut:
        return ChangeOut(
            conflicts=[ConflictOut.of(c) for c in change.conflicts],
            policy=PolicyOut.of(change.policy) if change.policy is not None else None,
            time_off=TimeOffOut.of(change.time_off) if change.time_off is not None else None,
        )
