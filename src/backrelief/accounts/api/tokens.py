"""The personal access token API, mounted at /api/v1/tokens (issue 2 §10).

Same service as the tokens page. The raw token appears only in the answer to the POST that
created it. Another person's token does not exist (404).
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from backrelief.accounts.auth import api_user
from backrelief.accounts.schemas_security import TokenCreatedOut, TokenCreateIn, TokenOut
from backrelief.accounts.selectors_security import token_row, token_rows
from backrelief.accounts.services.tokens import token_create, token_revoke
from backrelief.core.schemas import ErrorOut

router = Router(tags=["tokens"])


@router.get(
    "",
    response={200: list[TokenOut], 401: ErrorOut, 403: ErrorOut},
    summary="My personal access tokens",
    description="Newest first; the tokens themselves are never shown again.",
)
def list_tokens(request: HttpRequest) -> list[TokenOut]:
    return [
        TokenOut.from_row(row) for row in token_rows(user=api_user(request), now=timezone.now())
    ]


@router.post(
    "",
    response={201: TokenCreatedOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Create a token",
    description="Returns the token once, in `token`; only its SHA-256 is stored.",
)
def create_token(request: HttpRequest, payload: TokenCreateIn) -> Status[TokenCreatedOut]:
    now = timezone.now()
    row, raw = token_create(
        user=api_user(request), name=payload.name, expires_at=payload.expires_at, now=now
    )
    out = TokenOut.from_row(token_row(row, now=now))
    return Status(201, TokenCreatedOut(**out.model_dump(), token=raw))


@router.delete(
    "/{token_id}",
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Revoke a token",
    description="Effective at once; revoking twice changes nothing. Unknown: 404.",
)
def revoke_token(request: HttpRequest, token_id: uuid.UUID) -> Status[None]:
    token_revoke(user=api_user(request), token_public_id=str(token_id), now=timezone.now())
    return Status(204, None)
