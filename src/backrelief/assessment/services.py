"""Storing assessments and clinician attestations (issue 3 item 7).

Every write needs the person's live consent to processing their health data (issue 2 §7).
An assessment is computed by the pure `recommend` and stored whole — checked inputs, result,
every rule/table version — in one transaction; bad input raises `Invalid` and stores nothing.
After a URGENT or EMERGENCY screening a new one needs the person's attestation that a
clinician has assessed them, recorded after that screening (`triage.may_rescreen`, DOMAIN
§2.3, docs/rules.md).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.utils.translation import gettext as _

from backrelief.accounts.models import User
from backrelief.accounts.services.consent import consent_require_health_processing
from backrelief.assessment.models import Assessment, ClinicianAttestation
from backrelief.assessment.recommendation import parse_assessment, recommend
from backrelief.assessment.selectors import assessment_latest_for_owner, attestation_for
from backrelief.assessment.triage import TriageLevel, may_rescreen
from backrelief.core.errors import Conflict, NotFound, PermissionDenied

# What the person states; its version is stored with every attestation.
ATTESTATION_STATEMENT = (
    "A doctor or another clinician has assessed me since I answered the warning-sign "
    "questions, and I may answer them again."
)
ATTESTATION_VERSION = "2026.1"
NEEDS_ATTESTATION = (TriageLevel.URGENT, TriageLevel.EMERGENCY)


def local_date(*, user: User, now: dt.datetime) -> dt.date:
    """The person's calendar date at `now` in their time zone (UTC if it is unknown)."""
    try:
        zone = ZoneInfo(user.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return now.astimezone(zone).date()


@transaction.atomic
def assessment_create(*, owner: User, raw: Mapping[str, Any], now: dt.datetime) -> Assessment:
    """Check, compute and store one assessment for `owner` (issue 3 items 6-7).

    Refused with PermissionDenied without live health-data consent (`consent_required`) or,
    after a URGENT/EMERGENCY screening, without a clinician attestation recorded after it
    (`clinician_attestation_required`). Input errors raise `Invalid` naming the field, and
    nothing is stored. `country` defaults to the person's profile country; "today" is their
    local date at `now`.
    """
    consent_require_health_processing(user=owner)
    latest = assessment_latest_for_owner(owner=owner)
    if latest is not None and not may_rescreen(
        previous_level=latest.triage_level,
        attested_clinician_assessment=attestation_for(assessment=latest) is not None,
    ):
        raise PermissionDenied(
            _(
                "Your last answers showed a warning sign that needs a doctor. When a "
                "clinician has assessed you, record that first; then you can answer the "
                "questions again."
            ),
            code="clinician_attestation_required",
        )
    if "country" not in raw and owner.country:
        raw = {**raw, "country": owner.country}
    today = local_date(user=owner, now=now)
    inp = parse_assessment(raw, today=today)
    rec = recommend(inp)
    assessment = Assessment(
        owner=owner,
        created_at=now,
        assessed_on=today,
        inputs=inp.as_dict(),
        result=rec.as_dict(),
        versions=dict(rec.versions),
        triage_level=str(rec.triage.level),
        duration_class=rec.duration_class or "",
    )
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def attestation_record(
    *, owner: User, assessment_public_id: uuid.UUID | str, now: dt.datetime
) -> ClinicianAttestation:
    """Record that a clinician has assessed `owner` after their URGENT/EMERGENCY assessment.

    Only for the person's own latest assessment, and only when it was URGENT or EMERGENCY
    (otherwise Conflict: nothing to attest). Recording it twice returns the first row.
    Another person's assessment does not exist: NotFound.
    """
    consent_require_health_processing(user=owner)
    try:
        key = uuid.UUID(str(assessment_public_id))
    except ValueError:
        key = None
    assessment = Assessment.objects.filter(owner=owner, public_id=key).first() if key else None
    if assessment is None:
        raise NotFound(_("Assessment not found. Open it from your list of assessments."))
    if assessment.triage_level not in NEEDS_ATTESTATION:
        raise Conflict(
            _("This assessment needs no clinician statement; you can answer the questions again.")
        )
    latest = assessment_latest_for_owner(owner=owner)
    if latest is not None and latest.pk != assessment.pk:
        raise Conflict(_("A newer assessment exists; record the statement for that one."))
    existing = ClinicianAttestation.objects.filter(assessment=assessment).first()
    if existing is not None:
        return existing
    attestation = ClinicianAttestation(
        owner=owner,
        assessment=assessment,
        attested_at=now,
        statement_version=ATTESTATION_VERSION,
    )
    attestation.full_clean()
    attestation.save()
    return attestation
