"""The consent API, mounted at /api/v1/consents (issue 2 §7).

Same services as the consent page (STYLE rule 1). Giving is idempotent: it answers 200 with
the live consent whether it was just created or already existed. Another person's consent
does not exist (404).
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from backrelief.accounts.auth import api_user
from backrelief.accounts.schemas_consent import ConsentGiveIn, ConsentOut
from backrelief.accounts.selectors_consent import consent_grantee_get, consent_history
from backrelief.accounts.services.consent import consent_give, consent_withdraw
from backrelief.core.schemas import ErrorOut

router = Router(tags=["consent"])


@router.get(
    "",
    response={200: list[ConsentOut], 401: ErrorOut},
    summary="My consent history",
    description="Every consent, live and withdrawn, newest first.",
)
def list_consents(request: HttpRequest) -> list[ConsentOut]:
    return [ConsentOut.from_row(row) for row in consent_history(user=api_user(request))]


@router.post(
    "",
    response={200: ConsentOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Give consent",
    description=(
        "Idempotent: returns the live consent for this purpose and grantee. Sharing purposes "
        "need `grantee` (an active therapist) and a live `health_data` consent, else 403 "
        "`consent_required`."
    ),
)
def give_consent(request: HttpRequest, payload: ConsentGiveIn) -> ConsentOut:
    grantee = consent_grantee_get(public_id=payload.grantee) if payload.grantee else None
    row = consent_give(
        user=api_user(request), purpose=payload.purpose, grantee=grantee, now=timezone.now()
    )
    return ConsentOut.from_row(row)


@router.post(
    "/{consent_id}/withdraw",
    response={200: ConsentOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Withdraw a consent",
    description=(
        "Effective at once. Withdrawing `health_data` also withdraws every live sharing "
        "consent. Withdrawing twice changes nothing."
    ),
)
def withdraw_consent(request: HttpRequest, consent_id: uuid.UUID) -> ConsentOut:
    row = consent_withdraw(user=api_user(request), consent_public_id=consent_id, now=timezone.now())
    return ConsentOut.from_row(row)
