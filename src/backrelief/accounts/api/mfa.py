"""The two-factor API, mounted at /api/v1/mfa (issue 2 §6).

Status, and setting up: `POST /setup` returns a fresh key, `POST /confirm` turns it on with a
code and returns the recovery codes once. Same service as the two-factor page. Turning it off
and making new recovery codes are done on the page (they need the password or a fresh code
typed by a person).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from backrelief.accounts import totp
from backrelief.accounts.auth import api_user
from backrelief.accounts.schemas_security import (
    MfaCodeIn,
    MfaSetupOut,
    MfaStatusOut,
    RecoveryCodesOut,
)
from backrelief.accounts.services import mfa as mfa_service
from backrelief.core.schemas import ErrorOut

router = Router(tags=["mfa"])


@router.get(
    "",
    response={200: MfaStatusOut, 401: ErrorOut, 403: ErrorOut},
    summary="Two-factor status",
)
def get_mfa_status(request: HttpRequest) -> MfaStatusOut:
    status = mfa_service.mfa_status(user=api_user(request))
    return MfaStatusOut(enabled=status.enabled, recovery_codes_left=status.recovery_codes_left)


@router.post(
    "/setup",
    response={200: MfaSetupOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="Start two-factor setup",
    description=(
        "Creates a new key (replacing an unconfirmed one). Add it to an authenticator app, "
        "then confirm with a code. 409 `mfa_already_enabled` when it is already on."
    ),
)
def begin_mfa_setup(request: HttpRequest) -> MfaSetupOut:
    user = api_user(request)
    device = mfa_service.mfa_begin_setup(user=user, now=timezone.now())
    return MfaSetupOut(
        secret=device.secret,
        otpauth_uri=totp.provisioning_uri(secret=device.secret, account=user.email),
    )


@router.post(
    "/confirm",
    response={200: RecoveryCodesOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Turn two-factor on",
    description="Needs a current code for the new key. Returns ten recovery codes, only once.",
)
def confirm_mfa_setup(request: HttpRequest, payload: MfaCodeIn) -> RecoveryCodesOut:
    session_key = (
        request.session.session_key if getattr(request, "auth_method", None) == "session" else None
    )
    codes = mfa_service.mfa_confirm_setup(
        user=api_user(request), code=payload.code, now=timezone.now(), session_key=session_key
    )
    return RecoveryCodesOut(recovery_codes=codes)
