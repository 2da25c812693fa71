"""Bookings (issue 5 item 3 creates the table with its final field names; issue 6 extends it
by migration with availability, slots and the no-overlap constraint).

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
        ]

    def __str__(self) -> str:
        return str(self.public_id)
