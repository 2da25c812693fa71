"""Test builders for therapist data (issue 5). Rows are written directly here, not through the
services, so a test of one service does not depend on another; service tests call services.

    profile = make_profile(user)                      # in-clinic in Berlin, English + German
    make_licence(profile, status="verified")          # listed from now on
    make_service(profile, technique="swedish")
    booking = make_booking(client, profile, start=..., status="completed")
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F
from django.utils import timezone

from backrelief.accounts.models import User
from backrelief.scheduling.models import Booking, TimeOff, WeeklyHours
from backrelief.therapists.models import (
    Certification,
    Licence,
    Review,
    ReviewReport,
    Service,
    TechniqueExperience,
    TherapistLanguage,
    TherapistProfile,
)

BERLIN = (52.52, 13.405)


def make_profile(
    user: User, *, languages: tuple[str, ...] = ("en", "de"), **extra: Any
) -> TherapistProfile:
    now = extra.pop("now", None) or timezone.now()
    fields: dict[str, Any] = {
        "display_name": user.display_name or "Test Therapist",
        "bio": "Calm, careful sessions for back and neck pain.",
        "address": "Torstraße 1, 10119 Berlin",
        "latitude": BERLIN[0],
        "longitude": BERLIN[1],
        "time_zone": "Europe/Berlin",
        "created_at": now,
        "updated_at": now,
    }
    fields.update(extra)
    profile = TherapistProfile.objects.create(user=user, **fields)
    TherapistLanguage.objects.bulk_create(
        TherapistLanguage(therapist=profile, code=code) for code in languages
    )
    return profile


def make_licence(
    profile: TherapistProfile,
    *,
    status: str = "verified",
    issued_on: dt.date = dt.date(2020, 1, 1),
    expires_on: dt.date = dt.date(2030, 12, 31),
    decided_by: User | None = None,
    now: dt.datetime | None = None,
    **extra: Any,
) -> Licence:
    now = now or timezone.now()
    decided = status != "pending"
    if decided and decided_by is None:
        decided_by = User.objects.create_user(
            f"verifier-{Licence.objects.count()}-{profile.pk}@example.test",
            role="staff",
        )
    fields: dict[str, Any] = {
        "country": "DE",
        "registry": "Landesamt für Gesundheit",
        "number": f"DE-{profile.pk}-{Licence.objects.count() + 1}",
        "issued_on": issued_on,
        "expires_on": expires_on,
        "status": status,
        "decided_by": decided_by if decided else None,
        "decided_at": now if decided else None,
        "rejection_reason": "The number is not in the register." if status == "rejected" else "",
        "submitted_at": now,
        "updated_at": now,
    }
    fields.update(extra)
    return Licence.objects.create(therapist=profile, **fields)


def make_service(
    profile: TherapistProfile,
    *,
    technique: str = "swedish",
    duration_min: int = 60,
    price_minor: int = 7000,
    currency: str = "EUR",
    **extra: Any,
) -> Service:
    now = extra.pop("now", None) or timezone.now()
    return Service.objects.create(
        therapist=profile,
        technique=technique,
        duration_min=duration_min,
        price_minor=price_minor,
        currency=currency,
        created_at=now,
        updated_at=now,
        **extra,
    )


def make_experience(
    profile: TherapistProfile, *, technique: str, years: int
) -> TechniqueExperience:
    return TechniqueExperience.objects.create(therapist=profile, technique=technique, years=years)


def make_certification(
    profile: TherapistProfile,
    *,
    technique: str = "swedish",
    status: str = "verified",
    decided_by: User | None = None,
    now: dt.datetime | None = None,
    **extra: Any,
) -> Certification:
    now = now or timezone.now()
    decided = status != "pending"
    if decided and decided_by is None:
        decided_by = User.objects.create_user(
            f"cert-verifier-{Certification.objects.count()}-{profile.pk}@example.test",
            role="staff",
        )
    fields: dict[str, Any] = {
        "technique": technique,
        "provider": "Berlin School of Massage",
        "hours": 200,
        "completed_on": dt.date(2019, 6, 30),
        "status": status,
        "decided_by": decided_by if decided else None,
        "decided_at": now if decided else None,
        "rejection_reason": "Certificate unreadable." if status == "rejected" else "",
        "submitted_at": now,
        "updated_at": now,
    }
    fields.update(extra)
    return Certification.objects.create(therapist=profile, **fields)


def make_listed_therapist(
    user: User, *, technique: str = "swedish", **profile_extra: Any
) -> TherapistProfile:
    """A therapist who appears in search: profile, verified licence, one service."""
    profile = make_profile(user, **profile_extra)
    make_licence(profile)
    make_service(profile, technique=technique)
    return profile


def make_booking(
    client: User,
    profile: TherapistProfile,
    *,
    start: dt.datetime,
    status: str = "confirmed",
    service: Service | None = None,
    minutes: int = 60,
    **extra: Any,
) -> Booking:
    service = service or profile.services.filter(active=True).first() or make_service(profile)
    now = extra.pop("now", None) or start
    fields: dict[str, Any] = {
        "created_at": now,
        "updated_at": now,
        "completed_at": start + dt.timedelta(minutes=minutes) if status == "completed" else None,
        "cancelled_at": now if status == "cancelled" else None,
    }
    fields.update(extra)
    end = start + dt.timedelta(minutes=minutes)
    fields.setdefault("blocked_until", end + dt.timedelta(minutes=service.buffer_min))
    fields.setdefault("client_time_zone", client.time_zone)
    return Booking.objects.create(
        client=client,
        therapist=profile,
        service=service,
        start=start,
        end=end,
        status=status,
        **fields,
    )


def make_review(
    booking: Booking,
    *,
    rating: int = 5,
    text: str = "Careful, calm session; my neck felt looser for days.",
    show_name: bool = False,
    hidden_by: User | None = None,
    hidden_reason: str = "",
    count: bool = True,
    **extra: Any,
) -> Review:
    """A review of `booking` by its client. `count=True` (default) also adds it to the
    therapist's counters when visible, as `review_create` would."""
    now = extra.pop("now", None) or booking.end + dt.timedelta(days=1)
    hidden = hidden_by is not None
    review = Review.objects.create(
        booking=booking,
        therapist=booking.therapist,
        author=booking.client,
        rating=rating,
        text=text,
        show_name=show_name,
        created_at=now,
        hidden_at=now if hidden else None,
        hidden_by=hidden_by,
        hidden_reason=(hidden_reason or "Reveals health details.") if hidden else "",
        **extra,
    )
    if count and not hidden:
        TherapistProfile.objects.filter(pk=booking.therapist_id).update(
            review_count=F("review_count") + 1, review_sum=F("review_sum") + rating
        )
    return review


def make_review_report(
    review: Review,
    reporter: User,
    *,
    reason: str = "offensive",
    now: dt.datetime | None = None,
    **extra: Any,
) -> ReviewReport:
    return ReviewReport.objects.create(
        review=review,
        reporter=reporter,
        reason=reason,
        created_at=now or timezone.now(),
        **extra,
    )


def make_weekly_hours(
    profile: TherapistProfile,
    *,
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4),
    shifts: tuple[tuple[str, str], ...] = (("09:00", "17:00"),),
) -> list[WeeklyHours]:
    """Weekly hours in the therapist's zone: by default Monday to Friday 09:00-17:00."""
    return WeeklyHours.objects.bulk_create(
        WeeklyHours(
            therapist=profile,
            weekday=day,
            start_time=dt.time.fromisoformat(start),
            end_time=dt.time.fromisoformat(end),
        )
        for day in weekdays
        for start, end in shifts
    )


def make_time_off(
    profile: TherapistProfile,
    *,
    start: dt.datetime,
    end: dt.datetime,
    note: str = "",
    now: dt.datetime | None = None,
) -> TimeOff:
    """Time off between two aware instants."""
    return TimeOff.objects.create(
        therapist=profile, start=start, end=end, note=note, created_at=now or start
    )
