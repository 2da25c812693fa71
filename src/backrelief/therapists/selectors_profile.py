"""Reads for the therapist's own dashboard, the onboarding wizard and the public profile page
(issue 5 items 1 and 5). Who may read is decided before these are called (`access.py`)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from backrelief.accounts.models import Role, User
from backrelief.catalog.data.techniques import TECHNIQUES_BY_CODE
from backrelief.core.errors import NotFound
from backrelief.therapists.completeness import ProfileFacts
from backrelief.therapists.models import (
    Certification,
    Licence,
    Service,
    TechniqueExperience,
    TherapistProfile,
    VerificationStatus,
)
from backrelief.therapists.selectors import listing_date


def profile_language_codes(*, profile: TherapistProfile) -> list[str]:
    """The profile's language codes, sorted."""
    return sorted(profile.languages.values_list("code", flat=True))


def service_list_active(*, profile: TherapistProfile) -> QuerySet[Service]:
    """The services the therapist offers now, by technique and duration."""
    return profile.services.filter(active=True).order_by("technique", "duration_min", "id")


def service_get_own(*, profile: TherapistProfile, public_id: uuid.UUID | str) -> Service:
    """One of the therapist's own services (active or retired); anyone else's is NotFound."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        key = None
    service = None if key is None else profile.services.filter(public_id=key).first()
    if service is None:
        raise NotFound(_("Service not found. Choose one from your services."), code="no_service")
    return service


@dataclass(frozen=True)
class ExperienceRow:
    technique: str
    name: str
    years: int
    verified: bool  # a verified certification exists for this technique


def experience_list(*, profile: TherapistProfile) -> list[ExperienceRow]:
    """Stated years per technique, most years first, each marked verified when a verified
    certification for that technique exists (docs/rules.md "Therapists"). Two queries."""
    verified = set(
        Certification.objects.filter(
            therapist=profile, status=VerificationStatus.VERIFIED
        ).values_list("technique", flat=True)
    )
    rows = TechniqueExperience.objects.filter(therapist=profile).order_by("-years", "technique")
    return [
        ExperienceRow(
            technique=row.technique,
            name=TECHNIQUES_BY_CODE[row.technique].name
            if row.technique in TECHNIQUES_BY_CODE
            else row.technique,
            years=row.years,
            verified=row.technique in verified,
        )
        for row in rows
    ]


def experience_years(*, profile: TherapistProfile) -> dict[str, int]:
    """Technique code → stated years (for the experience form)."""
    return dict(
        TechniqueExperience.objects.filter(therapist=profile).values_list("technique", "years")
    )


def profile_facts(*, profile: TherapistProfile | None) -> ProfileFacts:
    """The plain values `completeness.completeness` needs. Four small queries."""
    if profile is None:
        return ProfileFacts.empty()
    return ProfileFacts(
        exists=True,
        display_name=profile.display_name,
        bio=profile.bio,
        has_photo=bool(profile.photo_name),
        language_count=profile.languages.count(),
        address=profile.address,
        has_coordinates=profile.latitude is not None and profile.longitude is not None,
        service_count=profile.services.filter(active=True).count(),
        experience_count=TechniqueExperience.objects.filter(therapist=profile).count(),
        licence_count=Licence.objects.filter(therapist=profile)
        .exclude(status=VerificationStatus.REJECTED)
        .count(),
    )


def listing_problem(*, profile: TherapistProfile, now: dt.datetime) -> str | None:
    """Why the therapist is not listed at `now`, in plain words; None when listed.

    Mirrors `selectors.listed_q` (a verified licence whose expiry is not past, an active
    account) and says which part is missing, looking at the licences' statuses.
    """
    if not profile.user.is_active:
        return _("the account is deactivated")
    today = listing_date(now)
    statuses = list(Licence.objects.filter(therapist=profile).values_list("status", "expires_on"))
    if any(s == VerificationStatus.VERIFIED and exp >= today for s, exp in statuses):
        return None
    if not statuses:
        return _("no verified licence yet — submit your licence so staff can check it")
    if any(s == VerificationStatus.PENDING for s, _exp in statuses):
        return _("no verified licence yet — your licence is waiting for a staff check")
    if any(s == VerificationStatus.VERIFIED for s, _exp in statuses):
        return _("your verified licence has expired — submit the renewed licence")
    return _("no verified licence yet — your licence was not accepted; see Credentials")


def avoided_techniques(*, user: User | None) -> list[str]:
    """Technique codes the signed-in client's latest assessment marks AVOID (issue 5 item 4:
    never offered to them). Empty for anyone else or before an assessment. The person's own
    data, read for their own page: not a health-data access by someone else."""
    if user is None or not user.is_authenticated or user.role != Role.CLIENT:
        return []
    from backrelief.assessment.selectors import assessment_latest_for_owner

    latest = assessment_latest_for_owner(owner=user)
    if latest is None:
        return []
    return [
        str(t.get("technique"))
        for t in latest.result.get("techniques", [])
        if str(t.get("action", "")).upper() == "AVOID"
    ]
