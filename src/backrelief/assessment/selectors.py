"""Reads of stored assessments (issue 3 item 7). Callers have already decided who may read:
these take the owner, never a foreign user (`access.py` is the gate for anyone else)."""

from __future__ import annotations

from django.db.models import QuerySet

from backrelief.accounts.models import User
from backrelief.assessment.models import Assessment, AssessmentDraft, ClinicianAttestation


def assessment_list_for_owner(*, owner: User) -> QuerySet[Assessment]:
    """The person's assessments, newest first (ties by insertion order, newest first)."""
    return Assessment.objects.filter(owner=owner).order_by("-created_at", "-id")


def assessment_latest_for_owner(*, owner: User) -> Assessment | None:
    """The person's latest assessment, or None before the first one."""
    return assessment_list_for_owner(owner=owner).first()


def attestation_for(*, assessment: Assessment) -> ClinicianAttestation | None:
    """The clinician attestation recorded after `assessment`, if any."""
    return ClinicianAttestation.objects.filter(
        assessment=assessment, attested_at__gte=assessment.created_at
    ).first()


def draft_list_open(*, owner: User) -> QuerySet[AssessmentDraft]:
    """The person's drafts not submitted yet, most recently saved first."""
    return AssessmentDraft.objects.filter(owner=owner, submitted_assessment__isnull=True).order_by(
        "-updated_at", "-id"
    )
