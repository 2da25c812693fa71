"""API authentication: personal access token first, then the browser session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from backrelief.accounts.models import User
from backrelief.accounts.services.tokens import token_authenticate


class TokenAuth(HttpBearer):
    """`Authorization: Bearer br_...`; not cookie-based, so no CSRF token is needed."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = getattr(request, "br_token_user", None)  # looked up by MFARequiredMiddleware
        if user is None:
            user = token_authenticate(raw=token)
        if user is None:
            return None
        request.user = user
        request.auth_method = "token"  # type: ignore[attr-defined]
        return user


class BrowserSessionAuth(SessionAuth):
    """Django session cookie; Ninja checks the CSRF token for it (csrf=True)."""

    csrf = True

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None:
            request.auth_method = "session"  # type: ignore[attr-defined]
        return user


api_auth = [TokenAuth(), BrowserSessionAuth()]


class Anonymous:
    """Marker for a caller of a public operation who sent no (valid) credentials."""

    def __bool__(self) -> bool:  # Ninja accepts any truthy result as "authenticated"
        return True


ANONYMOUS = Anonymous()


def _anonymous(request: HttpRequest) -> Anonymous:
    return ANONYMOUS


# Public operations (the therapist directory, public profiles and reviews): a signed-in caller
# is recognised (personal ranking), anyone else is served as anonymous. Listed in
# `backrelief.api.PUBLIC_API_OPERATIONS` so the architecture test knows them.
api_auth_optional = [TokenAuth(), BrowserSessionAuth(), _anonymous]


def api_user(request: HttpRequest) -> User:
    """The authenticated caller of an API operation (every operation requires auth)."""
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User):  # unreachable behind api_auth; never trust silently
        raise TypeError("API operation reached without an authenticated user")
    return user


def api_optional_user(request: HttpRequest) -> User | None:
    """The caller of a public operation (`api_auth_optional`): a user, or None if anonymous."""
    user = request.auth  # type: ignore[attr-defined]
    return user if isinstance(user, User) else None
