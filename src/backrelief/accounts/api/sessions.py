"""The sessions API, mounted at /api/v1/sessions (issue 2 §6).

Same selectors and services as the sessions page (STYLE rule 1). Another person's session
does not exist (404). Ending the calling browser session, or all sessions, signs the caller
out: the next session-authenticated request answers 401.
"""

from __future__ import annotations

import uuid

from django.contrib.auth import logout
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from backrelief.accounts.auth import api_user
from backrelief.accounts.schemas_security import SessionOut, SessionsEndedOut
from backrelief.accounts.selectors_security import session_key_of, session_rows
from backrelief.accounts.services.sessions import session_end
from backrelief.accounts.services.signout import sessions_sign_out_everywhere
from backrelief.core.schemas import ErrorOut

router = Router(tags=["sessions"])


def _session_key(request: HttpRequest) -> str | None:
    """The caller's own browser session, if it authenticated with one (not with a token)."""
    if getattr(request, "auth_method", None) != "session":
        return None
    return request.session.session_key


@router.get(
    "",
    response={200: list[SessionOut], 401: ErrorOut, 403: ErrorOut},
    summary="My browser sessions",
    description="Live sessions, most recently used first; `current` marks the caller's.",
)
def list_sessions(request: HttpRequest) -> list[SessionOut]:
    rows = session_rows(
        user=api_user(request), current_session_key=_session_key(request), now=timezone.now()
    )
    return [SessionOut.from_row(row) for row in rows]


@router.post(
    "/end-all",
    response={200: SessionsEndedOut, 401: ErrorOut, 403: ErrorOut},
    summary="Sign out everywhere",
    description=(
        "Ends every browser session, the caller's included. Personal access tokens keep "
        "working; revoke them under /tokens."
    ),
)
def end_all_sessions(request: HttpRequest) -> SessionsEndedOut:
    ended = sessions_sign_out_everywhere(user=api_user(request))
    if _session_key(request) is not None:
        logout(request)
    return SessionsEndedOut(ended=ended)


# Declared after /end-all so that path is not read as a session id.
@router.delete(
    "/{session_id}",
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="End one session",
    description="The device is signed out at once. Unknown or someone else's session: 404.",
)
def end_session(request: HttpRequest, session_id: uuid.UUID) -> Status[None]:
    user = api_user(request)
    key = session_key_of(user=user, session_public_id=session_id)
    session_end(user=user, session_public_id=str(session_id))
    if key is not None and key == _session_key(request):
        logout(request)
    return Status(204, None)
