"""The free-time index (issue 6 item 8): the earliest free slot of every active service.

`free_time_invalidate` is called by every service that can move a therapist's earliest free
slot, inside its own transaction: booking create / cancel / reschedule
(`services_booking`), weekly hours, date overrides, time off and the policy
(`services_availability`), services and the practice's zone (`therapists.services.profile`).
It bumps `FreeTime.generation` of the therapist's rows, so a concurrent recomputation that
read the old data cannot store its result as current.
"""

from __future__ import annotations

from django.db.models import F

from backrelief.scheduling.models import FreeTime


def free_time_invalidate(*, therapist_id: int) -> None:
    """Mark the therapist's indexed earliest slots out of date (one UPDATE, no commit)."""
    FreeTime.objects.filter(therapist_id=therapist_id).update(generation=F("generation") + 1)
