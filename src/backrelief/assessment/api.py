"""The assessment API, mounted at /api/v1/assessments (issue 4 item 5).

Same access lookups, services and selectors as the wizard pages (STYLE rule 1). Everything
is the caller's own: another person's draft or assessment does not exist (404, the attempt
audited). Any signed-in person may list their own (a therapist or staff account simply has
none); only clients start drafts (403 `clients_only`), with live health-data consent (403
`consent_required`).
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from backrelief.accounts.auth import api_user
from backrelief.assessment.access import assessment_get_for_view, draft_get_for_owner
from backrelief.assessment.schemas import (
    AssessmentOut,
    AttestationOut,
    CompareOut,
    CompareQuery,
    DraftOut,
    HistoryOut,
    StepIn,
    StepName,
)
from backrelief.assessment.selectors import assessment_compare, assessment_history, draft_list_open
from backrelief.assessment.services import (
    ATTESTATION_STATEMENT,
    attestation_record,
    draft_create,
    draft_discard,
    draft_save_step,
    draft_submit,
)
from backrelief.core.schemas import ErrorOut

router = Router(tags=["assessments"])

_READ = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
_WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get(
    "",
    response={200: list[HistoryOut], 401: ErrorOut},
    summary="My assessment history",
    description="Past assessments, newest first: date, triage level, valid scores, top technique.",
)
def list_assessments(request: HttpRequest) -> list[HistoryOut]:
    return [HistoryOut.from_row(row) for row in assessment_history(owner=api_user(request))]


@router.get(
    "/drafts",
    response={200: list[DraftOut], 401: ErrorOut},
    summary="My open drafts",
    description="Drafts not submitted yet, most recently saved first.",
)
def list_drafts(request: HttpRequest) -> list[DraftOut]:
    return [DraftOut.from_row(row) for row in draft_list_open(owner=api_user(request))]


@router.post(
    "/drafts",
    response={201: DraftOut, **_WRITE},
    summary="Start an assessment",
    description=(
        "An empty draft. Clients only (403 `clients_only`); needs health-data consent (403 "
        "`consent_required`) and, after a URGENT/EMERGENCY result, a clinician attestation "
        "(403 `clinician_attestation_required`)."
    ),
)
def create_draft(request: HttpRequest) -> Status[DraftOut]:
    draft = draft_create(owner=api_user(request), now=timezone.now())
    return Status(201, DraftOut.from_row(draft))


@router.get(
    "/drafts/{draft_id}",
    response={200: DraftOut, **_READ},
    summary="One draft",
)
def get_draft(request: HttpRequest, draft_id: uuid.UUID) -> DraftOut:
    return DraftOut.from_row(draft_get_for_owner(user=api_user(request), public_id=draft_id))


@router.put(
    "/drafts/{draft_id}/steps/{step}",
    response={200: DraftOut, **_WRITE},
    summary="Save one step",
    description=(
        "Replaces the step's answers (fields left out take their neutral default). Only the "
        "step's own fields are accepted and checked; errors name the field (422), and the "
        "draft is unchanged. `warning_signs` needs every question answered true or false."
    ),
)
def save_step(
    request: HttpRequest, draft_id: uuid.UUID, step: StepName, payload: StepIn
) -> DraftOut:
    user = api_user(request)
    draft_get_for_owner(user=user, public_id=draft_id)
    draft = draft_save_step(
        owner=user, draft_public_id=draft_id, step=step, data=payload.answers(), now=timezone.now()
    )
    return DraftOut.from_row(draft)


@router.post(
    "/drafts/{draft_id}/submit",
    response={201: AssessmentOut, **_WRITE},
    summary="Submit a draft",
    description=(
        "Stores the assessment and returns its result, atomically. Every step before "
        "`review` must be saved (422 `draft_incomplete`); submitting twice is 409 "
        "`draft_submitted`."
    ),
)
def submit_draft(request: HttpRequest, draft_id: uuid.UUID) -> Status[AssessmentOut]:
    user = api_user(request)
    draft_get_for_owner(user=user, public_id=draft_id)
    assessment = draft_submit(owner=user, draft_public_id=draft_id, now=timezone.now())
    return Status(201, AssessmentOut.from_row(assessment))


@router.delete(
    "/drafts/{draft_id}",
    response={204: None, **_WRITE},
    summary="Discard a draft",
    description="Deletes an open draft and its answers; a submitted one is 409.",
)
def discard_draft(request: HttpRequest, draft_id: uuid.UUID) -> Status[None]:
    user = api_user(request)
    draft_get_for_owner(user=user, public_id=draft_id)
    draft_discard(owner=user, draft_public_id=draft_id)
    return Status(204, None)


@router.get(
    "/compare",
    response={200: CompareOut, **_READ},
    summary="Compare two assessments",
    description=(
        "From `a` (baseline) to `b`: score changes with the meaningful-change flags, the "
        "triage change and technique rank changes."
    ),
)
def compare_assessments(request: HttpRequest, query: Query[CompareQuery]) -> CompareOut:
    result = assessment_compare(owner=api_user(request), a_public_id=query.a, b_public_id=query.b)
    return CompareOut.from_result(result)


@router.get(
    "/{uuid:assessment_id}",
    response={200: AssessmentOut, **_READ},
    summary="One assessment's result",
    description="The `assess` contract result with the checked inputs and rule versions.",
)
def get_assessment(request: HttpRequest, assessment_id: uuid.UUID) -> AssessmentOut:
    row = assessment_get_for_view(user=api_user(request), public_id=assessment_id)
    return AssessmentOut.from_row(row)


@router.post(
    "/{uuid:assessment_id}/attestation",
    response={200: AttestationOut, **_WRITE},
    summary="Record that a clinician has assessed me",
    description=(
        "After a URGENT or EMERGENCY result (your latest assessment only), states that a "
        "clinician has assessed you since; then a new assessment may start. Idempotent. "
        "Any other result is 409."
    ),
)
def record_attestation(request: HttpRequest, assessment_id: uuid.UUID) -> AttestationOut:
    user = api_user(request)
    assessment_get_for_view(user=user, public_id=assessment_id)
    row = attestation_record(owner=user, assessment_public_id=assessment_id, now=timezone.now())
    return AttestationOut.from_row(row, statement=ATTESTATION_STATEMENT)
