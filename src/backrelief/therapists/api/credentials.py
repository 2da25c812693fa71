"""/api/v1/therapists: credentials (issue 5 items 2 and 5). Same access lookups and services as
the pages (STYLE rule 1).

- `/me/licences`, `/me/certifications`: the caller's own (therapist accounts; 403
  `therapist_only` otherwise, 404 `no_profile` before onboarding). Create and edit are
  multipart forms (fields + `evidence` file); an edit is a full replacement of the fields, the
  file part optional. Any change to a verified or rejected row makes it pending again.
- `/{therapist_id}/credentials`: every state, for the therapist and staff; others 404.
- Staff: `/licences?status=pending`, `/licences/{id}/verify`, `/licences/{id}/reject` (and the
  same for `/certifications`). Anyone without the staff role gets 403 `staff_only` (fixed,
  documented endpoints — like `/api/v1/audit`); an unknown id is 404; deciding twice 409.
- `/licences/{id}/evidence`, `/certifications/{id}/evidence`: the file as an attachment, for
  the owner and staff (others 404); every read is audited.

Mounted before the profile router so `me`, `licences` and `certifications` are never read as
a therapist id.
"""

from __future__ import annotations

import uuid

from django.http import FileResponse, HttpRequest
from django.utils import timezone
from ninja import File, Form, Query, Router, Status, UploadedFile

from backrelief.accounts.auth import api_user
from backrelief.core.schemas import ErrorOut
from backrelief.therapists.access import (
    certification_evidence_open,
    certification_get_for_owner,
    licence_evidence_open,
    licence_get_for_owner,
    own_profile,
    require_staff,
    therapist_get_for_owner_or_staff,
)
from backrelief.therapists.schemas_credentials import (
    CertificationIn,
    CertificationOut,
    CredentialsOut,
    LicenceIn,
    LicenceOut,
    RejectIn,
    StatusQuery,
)
from backrelief.therapists.selectors_credentials import (
    certification_list_for_therapist,
    certification_queue,
    licence_list_for_therapist,
    licence_queue,
)
from backrelief.therapists.services.credentials import (
    certification_reject,
    certification_submit,
    certification_update,
    certification_verify,
    licence_reject,
    licence_submit,
    licence_update,
    licence_verify,
)
from backrelief.therapists.views.credentials import evidence_response

router = Router()

_READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
_WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# --- the therapist's own -------------------------------------------------------------------------


@router.get(
    "/me/licences",
    response={200: list[LicenceOut], **_READ},
    summary="My licences",
    description="Every licence in any state, latest expiry first, with rejection reasons.",
)
def list_my_licences(request: HttpRequest) -> list[LicenceOut]:
    profile = own_profile(user=api_user(request))
    rows = licence_list_for_therapist(therapist=profile).select_related("therapist", "decided_by")
    return [LicenceOut.from_row(row) for row in rows]


@router.post(
    "/me/licences",
    response={201: LicenceOut, **_WRITE},
    summary="Submit a licence",
    description=(
        "Multipart form: the fields and `evidence` (PDF, PNG or JPEG, at most 10 MB, required). "
        "Starts pending. The expiry must be after the issue date and not past; a licence "
        "already registered (not rejected) is 422 `licence_duplicate`."
    ),
)
def submit_licence(
    request: HttpRequest,
    payload: Form[LicenceIn],
    evidence: File[UploadedFile | None] = None,  # required: the service names the field
) -> Status[LicenceOut]:
    licence = licence_submit(
        user=api_user(request), evidence=evidence, now=timezone.now(), **payload.dict()
    )
    return Status(201, LicenceOut.from_row(licence))


@router.post(
    "/me/licences/{licence_id}",
    response={200: LicenceOut, **_WRITE},
    summary="Edit my licence",
    description=(
        "Multipart form with every field; `evidence` optional (the current file is kept). Any "
        "change to a verified or rejected licence sends it back to pending."
    ),
)
def update_licence(
    request: HttpRequest,
    licence_id: uuid.UUID,
    payload: Form[LicenceIn],
    evidence: File[UploadedFile | None] = None,
) -> LicenceOut:
    user = api_user(request)
    licence_get_for_owner(user=user, public_id=licence_id)
    licence = licence_update(
        user=user, public_id=licence_id, evidence=evidence, now=timezone.now(), **payload.dict()
    )
    return LicenceOut.from_row(licence)


@router.get(
    "/me/certifications",
    response={200: list[CertificationOut], **_READ},
    summary="My training certificates",
)
def list_my_certifications(request: HttpRequest) -> list[CertificationOut]:
    profile = own_profile(user=api_user(request))
    rows = certification_list_for_therapist(therapist=profile).select_related(
        "therapist", "decided_by"
    )
    return [CertificationOut.from_row(row) for row in rows]


@router.post(
    "/me/certifications",
    response={201: CertificationOut, **_WRITE},
    summary="Add training in a technique",
    description=(
        "Multipart form: technique (catalogue code), provider, hours (1 to 10,000), "
        "completed_on (not in the future), optional `evidence` file. Starts pending."
    ),
)
def submit_certification(
    request: HttpRequest,
    payload: Form[CertificationIn],
    evidence: File[UploadedFile | None] = None,
) -> Status[CertificationOut]:
    row = certification_submit(
        user=api_user(request), evidence=evidence, now=timezone.now(), **payload.dict()
    )
    return Status(201, CertificationOut.from_row(row))


@router.post(
    "/me/certifications/{certification_id}",
    response={200: CertificationOut, **_WRITE},
    summary="Edit my training certificate",
    description="Like editing a licence: a change to a decided one makes it pending again.",
)
def update_certification(
    request: HttpRequest,
    certification_id: uuid.UUID,
    payload: Form[CertificationIn],
    evidence: File[UploadedFile | None] = None,
) -> CertificationOut:
    user = api_user(request)
    certification_get_for_owner(user=user, public_id=certification_id)
    row = certification_update(
        user=user,
        public_id=certification_id,
        evidence=evidence,
        now=timezone.now(),
        **payload.dict(),
    )
    return CertificationOut.from_row(row)


# --- staff queue and decisions --------------------------------------------------------------------


@router.get(
    "/licences",
    response={200: list[LicenceOut], 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Licences by status (staff only)",
    description="Oldest submission first. Callers without the staff role get 403 `staff_only`.",
)
def list_licences(request: HttpRequest, query: Query[StatusQuery]) -> list[LicenceOut]:
    require_staff(user=api_user(request))
    rows = licence_queue(status=query.status).select_related("decided_by")
    return [LicenceOut.from_row(row) for row in rows]


@router.post(
    "/licences/{licence_id}/verify",
    response={200: LicenceOut, **_WRITE},
    summary="Verify a pending licence (staff only)",
    description="Records who and when; 409 if already decided or expired.",
)
def verify_licence(request: HttpRequest, licence_id: uuid.UUID) -> LicenceOut:
    row = licence_verify(actor=api_user(request), public_id=licence_id, now=timezone.now())
    return LicenceOut.from_row(row)


@router.post(
    "/licences/{licence_id}/reject",
    response={200: LicenceOut, **_WRITE},
    summary="Reject a pending licence with a reason (staff only)",
)
def reject_licence(request: HttpRequest, licence_id: uuid.UUID, payload: RejectIn) -> LicenceOut:
    row = licence_reject(
        actor=api_user(request), public_id=licence_id, reason=payload.reason, now=timezone.now()
    )
    return LicenceOut.from_row(row)


@router.get(
    "/licences/{licence_id}/evidence",
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    url_name="licence_evidence",
    summary="Download a licence's evidence file",
    description="The owner and staff only (others 404); every read is audited.",
)
def licence_evidence(request: HttpRequest, licence_id: uuid.UUID) -> FileResponse:
    evidence = licence_evidence_open(
        user=api_user(request), public_id=licence_id, now=timezone.now()
    )
    return evidence_response(evidence)


@router.get(
    "/certifications",
    response={200: list[CertificationOut], 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Training certificates by status (staff only)",
    description="Oldest submission first. Callers without the staff role get 403 `staff_only`.",
)
def list_certifications(request: HttpRequest, query: Query[StatusQuery]) -> list[CertificationOut]:
    require_staff(user=api_user(request))
    rows = certification_queue(status=query.status).select_related("decided_by")
    return [CertificationOut.from_row(row) for row in rows]


@router.post(
    "/certifications/{certification_id}/verify",
    response={200: CertificationOut, **_WRITE},
    summary="Verify a pending training certificate (staff only)",
)
def verify_certification(request: HttpRequest, certification_id: uuid.UUID) -> CertificationOut:
    row = certification_verify(
        actor=api_user(request), public_id=certification_id, now=timezone.now()
    )
    return CertificationOut.from_row(row)


@router.post(
    "/certifications/{certification_id}/reject",
    response={200: CertificationOut, **_WRITE},
    summary="Reject a pending training certificate with a reason (staff only)",
)
def reject_certification(
    request: HttpRequest, certification_id: uuid.UUID, payload: RejectIn
) -> CertificationOut:
    row = certification_reject(
        actor=api_user(request),
        public_id=certification_id,
        reason=payload.reason,
        now=timezone.now(),
    )
    return CertificationOut.from_row(row)


@router.get(
    "/certifications/{certification_id}/evidence",
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    url_name="certification_evidence",
    summary="Download a training certificate's evidence file",
    description="The owner and staff only (others 404); every read is audited.",
)
def certification_evidence(request: HttpRequest, certification_id: uuid.UUID) -> FileResponse:
    evidence = certification_evidence_open(
        user=api_user(request), public_id=certification_id, now=timezone.now()
    )
    return evidence_response(evidence)


# --- one therapist's credentials (owner and staff) ------------------------------------------------


@router.get(
    "/{therapist_id}/credentials",
    response={200: CredentialsOut, **_READ},
    summary="A therapist's credentials in every state",
    description="The therapist and staff only; anyone else gets 404.",
)
def therapist_credentials(request: HttpRequest, therapist_id: uuid.UUID) -> CredentialsOut:
    profile = therapist_get_for_owner_or_staff(user=api_user(request), public_id=therapist_id)
    licences = licence_list_for_therapist(therapist=profile).select_related(
        "therapist", "decided_by"
    )
    certifications = certification_list_for_therapist(therapist=profile).select_related(
        "therapist", "decided_by"
    )
    return CredentialsOut(
        therapist=profile.public_id,
        licences=[LicenceOut.from_row(row) for row in licences],
        certifications=[CertificationOut.from_row(row) for row in certifications],
    )
