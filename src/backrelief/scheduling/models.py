"""Bookings, availability and the notification outbox (issues 5 and 6).

Issue 5 created `Booking` with its final field names; issue 6 adds availability (weekly hours
in the therapist's zone, date overrides, time off, the scheduling policy), the buffer-inclusive
`blocked_until`, cancellation details, idempotency records and the notification outbox. The
no-overlap guarantee lives in the database (migration 0004: an exclusion constraint on
PostgreSQL, triggers on SQLite), not in `Meta.constraints` (an ExclusionConstraint there breaks
SQLite).

Health data in the wider sense: that someone books a back-massage session is personal, so
bookings are never registered in Django admin (core/health.py).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from backrelief.accounts.models import User
from backrelief.therapists.models import Service, TherapistProfile


class BookingStatus(models.TextChoices):
    HELD = "held", "Held"  # reserved for a short time while the client confirms
    CONFIRMED = "confirmed", "Confirmed"
    COMPLETED = "completed", "Completed"
    NO_SHOW = "no_show", "No-show"
    CANCELLED = "cancelled", "Cancelled"


class Booking(models.Model):
    """One session of a client with a therapist for a service, `start` to `end` (aware UTC).

    A booking *counts as completed* when the therapist marked it completed, or 12 hours after
    its end unless it was marked no-show or cancelled (issue 5 item 3). That is computed by
    `scheduling.completion` (pure) and `scheduling.selectors.completed_q` (SQL) — not stored,
    so nothing depends on a job having run.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(User, on_delete=models.PROTECT, related_name="bookings")
    therapist = models.ForeignKey(
        TherapistProfile, on_delete=models.PROTECT, related_name="bookings"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="bookings")
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)  # when the therapist marked it
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # end + the service's buffer at booking time: the interval [start, blocked_until) is what
    # may never overlap another active booking of the same therapist (issue 6 item 4).
    blocked_until = models.DateTimeField()
    held_until = models.DateTimeField(null=True, blank=True)  # only while status is "held"
    cancelled_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.CharField(max_length=500, blank=True)
    late_cancellation = models.BooleanField(default=False)
    # The client's zone when booking, so messages show their local time with the zone named.
    client_time_zone = models.CharField(max_length=64, default="UTC")
    rescheduled_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="rescheduled_to"
    )

    class Meta:
        ordering = ["start", "id"]
        indexes = [
            models.Index(fields=["therapist", "start"], name="booking_therapist_start"),
            models.Index(fields=["client", "start"], name="booking_client_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="booking_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[v for v, _ in BookingStatus.choices]),
                name="booking_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="booking_cancelled_has_time",
            ),
            models.CheckConstraint(
                condition=Q(blocked_until__gte=models.F("end")),
                name="booking_blocked_after_end",
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(held_until__isnull=False),
                name="booking_held_has_expiry",
            ),
        ]

    def __str__(self) -> str:
        return str(self.public_id)


# Statuses that occupy the therapist's time (issue 6 item 4). Cancelled does not; an expired
# hold is cancelled by the service that finds it.
ACTIVE_STATUSES: tuple[str, ...] = ("held", "confirmed", "completed", "no_show")


class SchedulingPolicy(models.Model):
    """A therapist's booking rules (issue 6 items 1 and 6); created with defaults on first use."""

    therapist = models.OneToOneField(
        TherapistProfile, on_delete=models.CASCADE, related_name="scheduling_policy"
    )
    min_notice_minutes = models.PositiveIntegerField(default=12 * 60)
    horizon_days = models.PositiveSmallIntegerField(default=60)
    slot_step_minutes = models.PositiveSmallIntegerField(default=15)
    cancellation_cutoff_hours = models.PositiveSmallIntegerField(default=24)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(min_notice_minutes__lte=14 * 24 * 60), name="policy_notice_range"
            ),
            models.CheckConstraint(
                condition=Q(horizon_days__gte=1, horizon_days__lte=365),
                name="policy_horizon_range",
            ),
            models.CheckConstraint(
                condition=Q(slot_step_minutes__in=[5, 10, 15, 20, 30, 60]),
                name="policy_step_known",
            ),
            models.CheckConstraint(
                condition=Q(cancellation_cutoff_hours__lte=168), name="policy_cutoff_range"
            ),
        ]


class WeeklyHours(models.Model):
    """Working hours on a weekday in the therapist's own zone (wall clock); several rows on one
    weekday make split shifts. Overlaps between rows are refused by the service."""

    therapist = models.ForeignKey(
        TherapistProfile, on_delete=models.CASCADE, related_name="weekly_hours"
    )
    weekday = models.PositiveSmallIntegerField()  # 0 = Monday … 6 = Sunday (ISO - 1)
    start_time = models.TimeField()
    end_time = models.TimeField()

    class Meta:
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="weekly_hours_weekday"),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="weekly_hours_order"
            ),
        ]


class DateOverride(models.Model):
    """Hours for one local date that replace the weekly hours of that date. A date with
    override rows but all of them `closed` is a day off; several open rows are split shifts."""

    therapist = models.ForeignKey(
        TherapistProfile, on_delete=models.CASCADE, related_name="date_overrides"
    )
    date = models.DateField()
    closed = models.BooleanField(default=False)
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "start_time"]
        indexes = [models.Index(fields=["therapist", "date"], name="override_therapist_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed=True, start_time__isnull=True, end_time__isnull=True)
                | Q(closed=False, end_time__gt=models.F("start_time")),
                name="override_closed_or_hours",
            ),
        ]


class TimeOff(models.Model):
    """An absence between two instants (aware UTC), e.g. a holiday; may span days. The note
    is the therapist's own and never shown to clients."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    therapist = models.ForeignKey(
        TherapistProfile, on_delete=models.CASCADE, related_name="time_off"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["therapist", "start"], name="timeoff_therapist_start")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="timeoff_order")
        ]


class IdempotencyRecord(models.Model):
    """The first response to `POST /api/v1/bookings` with an `Idempotency-Key` (issue 6 item
    5): the same key and body replay it; the same key with another body is refused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key_once")
        ]


class NotificationKind(models.TextChoices):
    BOOKING_CONFIRMED = "booking_confirmed", "Booking confirmed"
    BOOKING_RESCHEDULED = "booking_rescheduled", "Booking moved"
    BOOKING_CANCELLED = "booking_cancelled", "Booking cancelled"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    VOIDED = "voided", "Voided"  # the booking changed or was cancelled before sending
    DROPPED = "dropped", "Dropped"  # too late to be useful (the session is past)
    FAILED = "failed", "Failed"  # gave up after the last retry


class Notification(models.Model):
    """One outbox row (issue 6 item 7), written in the same transaction as the change it tells
    about; a worker claims due rows with a conditional UPDATE and sends them. Carries no
    content: the message is rendered at send time from the booking as it then is."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    channel = models.CharField(max_length=16, default="email")
    status = models.CharField(
        max_length=16, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    due_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["status", "due_at"], name="notification_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "kind", "recipient"], name="notification_once_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["email"]), name="notification_channel_known"
            ),
        ]


class FreeTime(models.Model):
    """The free-time index (issue 6 item 8): for one active service, the earliest free slot
    start found when it was computed, so that "earliest available" over thousands of
    therapists reads one row per service instead of computing slots for each.

    `earliest_start` is the first free start at or after `computed_at` + the notice, searched
    up to `searched_until` (None: nothing free in that window). Any change that can move it —
    a booking made, cancelled or moved, hours, overrides, time off, the policy, the service or
    the therapist's zone — bumps `generation` through `scheduling.free_time.free_time_invalidate`
    in the same transaction; a recomputation writes only when the generation it read is still
    current, so a result computed from data older than a change is never stored as fresh.
    Rules and staleness: `scheduling/free_time.py`."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="free_time")
    therapist = models.ForeignKey(TherapistProfile, on_delete=models.CASCADE, related_name="+")
    earliest_start = models.DateTimeField(null=True, blank=True)
    searched_until = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    generation = models.PositiveIntegerField(default=0)
    computed_generation = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["therapist"], name="free_time_therapist"),
            models.Index(fields=["earliest_start"], name="free_time_earliest"),
        ]
