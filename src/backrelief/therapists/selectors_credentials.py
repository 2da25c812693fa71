"""Reads for credentials (issue 5 item 2): what the public profile shows as verified, the
therapist's own list, and the staff queue.

The public side shows only what staff verified: verified licences that have not expired (the
same date rule as `selectors.listed_q`), verified certifications, and the years of experience
per technique with `verified=True` only while a verified certification for that technique
exists (docs/rules.md "Therapists").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from backrelief.accounts.countries import COUNTRIES
from backrelief.catalog.data.techniques import TECHNIQUES_BY_CODE
from backrelief.therapists.models import (
    Certification,
    Licence,
    TechniqueExperience,
    TherapistProfile,
    VerificationStatus,
)
from backrelief.therapists.selectors import listing_date


def technique_name(code: str) -> str:
    """The catalogue name of a technique code (the code itself if the catalogue dropped it)."""
    technique = TECHNIQUES_BY_CODE.get(code)
    return technique.name if technique is not None else code


def country_name(code: str) -> str:
    """The English/translated name of an ISO 3166-1 alpha-2 code (the code if unknown)."""
    name = COUNTRIES.get(code)
    return str(name) if name is not None else code


@dataclass(frozen=True)
class PublicLicence:
    country: str
    country_name: str
    region: str
    registry: str
    number: str
    verified_on: dt.date
    expires_on: dt.date


@dataclass(frozen=True)
class PublicCertification:
    technique: str
    technique_name: str
    provider: str
    hours: int
    completed_on: dt.date
    verified_on: dt.date


@dataclass(frozen=True)
class PublicExperience:
    technique: str
    technique_name: str
    years: int
    verified: bool


@dataclass(frozen=True)
class PublicCredentials:
    """What a public profile may show about a therapist's credentials."""

    licences: tuple[PublicLicence, ...]
    certifications: tuple[PublicCertification, ...]
    experience: tuple[PublicExperience, ...]

    @property
    def has_verified_licence(self) -> bool:
        return bool(self.licences)


def _decided_on(decided_at: dt.datetime | None) -> dt.date:
    # A verified row always has decided_at (model constraint); UTC date like the listing rule.
    assert decided_at is not None
    return decided_at.astimezone(dt.UTC).date()


def credentials_public(*, therapist: TherapistProfile, now: dt.datetime) -> PublicCredentials:
    """Verified, unexpired licences; verified certifications; years of experience per
    technique, flagged verified when a verified certification exists for it (issue 5 item 2,
    "the profile page shows what was verified and when"). Three queries."""
    today = listing_date(now)
    licences = tuple(
        PublicLicence(
            country=row.country,
            country_name=country_name(row.country),
            region=row.region,
            registry=row.registry,
            number=row.number,
            verified_on=_decided_on(row.decided_at),
            expires_on=row.expires_on,
        )
        for row in Licence.objects.filter(
            therapist=therapist, status=VerificationStatus.VERIFIED, expires_on__gte=today
        ).order_by("-expires_on", "pk")
    )
    certifications = tuple(
        PublicCertification(
            technique=row.technique,
            technique_name=technique_name(row.technique),
            provider=row.provider,
            hours=row.hours,
            completed_on=row.completed_on,
            verified_on=_decided_on(row.decided_at),
        )
        for row in Certification.objects.filter(
            therapist=therapist, status=VerificationStatus.VERIFIED
        ).order_by("technique", "-completed_on", "pk")
    )
    certified = {c.technique for c in certifications}
    experience = tuple(
        PublicExperience(
            technique=row.technique,
            technique_name=technique_name(row.technique),
            years=row.years,
            verified=row.technique in certified,
        )
        for row in TechniqueExperience.objects.filter(therapist=therapist).order_by(
            "-years", "technique"
        )
    )
    return PublicCredentials(
        licences=licences, certifications=certifications, experience=experience
    )


# --- the owner's own list and the staff queue ----------------------------------------------------


def licence_list_for_therapist(*, therapist: TherapistProfile) -> QuerySet[Licence]:
    """Every licence of the therapist, in any state, newest expiry first."""
    return Licence.objects.filter(therapist=therapist).order_by("-expires_on", "-submitted_at")


def certification_list_for_therapist(*, therapist: TherapistProfile) -> QuerySet[Certification]:
    """Every certification of the therapist, in any state, by technique."""
    return Certification.objects.filter(therapist=therapist).order_by(
        "technique", "-completed_on", "-submitted_at"
    )


def licence_queue(*, status: str = VerificationStatus.PENDING) -> QuerySet[Licence]:
    """Licences in `status` (pending by default) for the staff queue, oldest submission first."""
    return (
        Licence.objects.filter(status=status)
        .select_related("therapist", "therapist__user")
        .order_by("submitted_at", "pk")
    )


def certification_queue(*, status: str = VerificationStatus.PENDING) -> QuerySet[Certification]:
    """Certifications in `status` (pending by default), oldest submission first."""
    return (
        Certification.objects.filter(status=status)
        .select_related("therapist", "therapist__user")
        .order_by("submitted_at", "pk")
    )
