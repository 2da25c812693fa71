"""Storing assessments and clinician attestations (issue 3 item 7), and the step-by-step
drafts they are filled in through (issue 4 item 2; rules in `wizard.py`).

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
from backrelief.assessment.models import Assessment, AssessmentDraft, ClinicianAttestation
from backrelief.assessment.recommendation import parse_assessment, recommend
from backrelief.assessment.selectors import assessment_latest_for_owner, attestation_for
from backrelief.assessment.triage import TriageLevel, may_rescreen
from backrelief.assessment.wizard import (
    apply_step,
    completed_after,
    contract_input,
    submit_problems,
)
from backrelief.core.errors import Conflict, Invalid, NotFound, PermissionDenied

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


def _require_may_rescreen(*, owner: User) -> None:
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
    _require_may_rescreen(owner=owner)
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


# --- Drafts: the step-by-step assessment (issue 4 item 2) ------------------------------------


def _draft_for_update(*, owner: User, draft_public_id: uuid.UUID | str) -> AssessmentDraft:
    """The owner's draft, locked for this transaction; anyone else's does not exist.
    (Adapters look it up through `access.draft_get_for_owner` first, which audits.)"""
    try:
        key = uuid.UUID(str(draft_public_id))
    except ValueError:
        key = None
    draft = (
        AssessmentDraft.objects.select_for_update().filter(owner=owner, public_id=key).first()
        if key
        else None
    )
    if draft is None:
        raise NotFound(_("Draft not found. Open it from your list of assessments."))
    return draft


def _require_open(draft: AssessmentDraft) -> None:
    if not draft.is_open:
        raise Conflict(
            _("This draft was already submitted; open its result from your assessments."),
            code="draft_submitted",
        )


@transaction.atomic
def draft_create(*, owner: User, now: dt.datetime) -> AssessmentDraft:
    """Start an empty step-by-step assessment for `owner` (issue 4 item 2).

    Only clients fill in assessments (`clients_only`: therapist and staff accounts are for
    work, docs/rules.md). Needs live health-data consent (`consent_required`), and after a
    URGENT/EMERGENCY screening the clinician attestation (`clinician_attestation_required`):
    refused now rather than after the person has filled in every step. A person may keep
    several open drafts.
    """
    if not owner.is_client:
        raise PermissionDenied(
            _("Only client accounts fill in assessments; sign in with your client account."),
            code="clients_only",
        )
    consent_require_health_processing(user=owner)
    _require_may_rescreen(owner=owner)
    draft = AssessmentDraft(
        owner=owner, created_at=now, updated_at=now, data={}, completed_steps=[]
    )
    draft.full_clean()
    draft.save()
    return draft


@transaction.atomic
def draft_save_step(
    *,
    owner: User,
    draft_public_id: uuid.UUID | str,
    step: str,
    data: object,
    now: dt.datetime,
) -> AssessmentDraft:
    """Check one step's answers and merge them into the draft (`wizard.apply_step`).

    Only that step's fields are checked, with the assessment's own parse helpers, so errors
    name the same fields (`Invalid`, e.g. `red_flags.S3`); on any error the draft is left
    exactly as it was. Needs live consent (it stores health data); a submitted draft is
    closed (`Conflict`, `draft_submitted`).
    """
    draft = _draft_for_update(owner=owner, draft_public_id=draft_public_id)
    consent_require_health_processing(user=owner)
    _require_open(draft)
    before = dict(draft.data)
    after = apply_step(before, step, data, today=local_date(user=owner, now=now))
    draft.data = after
    draft.completed_steps = completed_after(draft.completed_steps, step, before=before, after=after)
    draft.updated_at = max(now, draft.created_at)
    draft.full_clean()
    draft.save(update_fields=["data", "completed_steps", "updated_at"])
    return draft


@transaction.atomic
def draft_submit(*, owner: User, draft_public_id: uuid.UUID | str, now: dt.datetime) -> Assessment:
    """Store the draft as an assessment (through `assessment_create`, the one writer of
    assessments) and link it, all in one transaction: if anything fails nothing is stored
    and the draft stays open.

    Every step before `review` must have been saved (`Invalid`, code `draft_incomplete`,
    fields `steps.<name>`). Submitting twice is a `Conflict` (`draft_submitted`); the row
    lock makes two simultaneous submits store one assessment.
    """
    draft = _draft_for_update(owner=owner, draft_public_id=draft_public_id)
    _require_open(draft)
    problems = submit_problems(draft.completed_steps)
    if problems:
        raise Invalid(
            _("Some steps are not complete yet; go back to the steps named and save them."),
            fields=problems,
            code="draft_incomplete",
        )
    assessment = assessment_create(owner=owner, raw=contract_input(draft.data), now=now)
    draft.submitted_assessment = assessment
    draft.updated_at = max(now, draft.created_at)
    draft.full_clean()
    draft.save(update_fields=["submitted_assessment", "updated_at"])
    return assessment


@transaction.atomic
def draft_discard(*, owner: User, draft_public_id: uuid.UUID | str) -> None:
    """Delete an open draft and its answers for good (no consent needed: deleting one's own
    data is always allowed). A submitted draft belongs to its assessment: `Conflict`."""
    draft = _draft_for_update(owner=owner, draft_public_id=draft_public_id)
    _require_open(draft)
    draft.delete()
