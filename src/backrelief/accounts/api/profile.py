"""The caller's own account, mounted at /api/v1/me (issue 2 §6 profile, §10).

`PATCH` calls the same `profile_update` service as the profile page (STYLE.md rule 1); a
session-authenticated PATCH needs the CSRF token (`accounts/auth.py`).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from backrelief.accounts.access import mfa_device_confirmed
from backrelief.accounts.auth import api_user
from backrelief.accounts.models import Role, User
from backrelief.accounts.schemas import MeOut, MePatch
from backrelief.accounts.services.profile import profile_update
from backrelief.core.schemas import ErrorOut

router = Router(tags=["profile"])


def _me(user: User) -> MeOut:
    return MeOut(
        public_id=user.public_id,
        email=user.email,
        role=Role(user.role),
        display_name=user.display_name,
        country=user.country,
        time_zone=user.time_zone,
        locale=user.locale,
        email_verified=user.email_verified,
        mfa_enabled=mfa_device_confirmed(user=user),
    )


@router.get(
    "",
    response={200: MeOut, 401: ErrorOut, 403: ErrorOut},
    summary="My account",
    description="Your public id, email, role, profile and security status.",
)
def get_me(request: HttpRequest) -> MeOut:
    return _me(api_user(request))


@router.patch(
    "",
    response={200: MeOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Change my profile",
    description=(
        "Send only the fields to change. Invalid values answer 422 with `fields` naming each "
        "field and what to fix; nothing is saved then."
    ),
)
def update_me(request: HttpRequest, payload: MePatch) -> MeOut:
    user = profile_update(user=api_user(request), **payload.model_dump(exclude_unset=True))
    return _me(user)
