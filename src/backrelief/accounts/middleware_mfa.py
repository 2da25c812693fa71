"""Two-factor authentication is required for staff (issue 2 §6).

A signed-in staff member whose account has no confirmed authenticator, or whose current session
was not verified with it, is sent to the two-factor page for every page except that page,
sign-out, static files, the language switch and the health check. On the API they get 403
`{"code": "mfa_required"}`. A staff member's personal access token is honoured only while the
account has a confirmed authenticator.

Must sit after `AuthenticationMiddleware` and `SessionPolicyMiddleware` (an expired session is
signed out before this runs).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from backrelief.accounts.access import mfa_device_confirmed, session_mfa_verified
from backrelief.accounts.models import Role, User
from backrelief.accounts.services.tokens import token_authenticate

API_PREFIX = "/api/"


class MFARequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @cached_property
    def setup_path(self) -> str:
        return reverse("accounts:mfa_setup")

    @cached_property
    def exempt_paths(self) -> frozenset[str]:
        return frozenset(
            {
                self.setup_path,
                reverse("accounts:logout"),
                reverse("core:set_language"),
                reverse("core:healthz"),
            }
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            refusal = self._check_api(request)
        else:
            refusal = self._check_page(request)
        return refusal or self.get_response(request)

    def _check_page(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or not isinstance(user, User) or user.role != Role.STAFF:
            return None
        if request.path in self.exempt_paths or request.path.startswith(settings.STATIC_URL):
            return None
        if self._session_ok(request, user):
            return None
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = self.setup_path
            return response
        return HttpResponseRedirect(self.setup_path)

    def _check_api(self, request: HttpRequest) -> HttpResponse | None:
        header = request.headers.get("Authorization", "")
        scheme, _sep, raw = header.partition(" ")
        if scheme.lower() == "bearer" and raw.strip():
            token_user = token_authenticate(raw=raw.strip())
            if token_user is not None:
                # TokenAuth reuses this lookup instead of hashing and querying again.
                request.br_token_user = token_user  # type: ignore[attr-defined]
                if token_user.role == Role.STAFF and not mfa_device_confirmed(user=token_user):
                    return _api_refusal()
                return None
        user = request.user
        if not user.is_authenticated or not isinstance(user, User) or user.role != Role.STAFF:
            return None
        return None if self._session_ok(request, user) else _api_refusal()

    @staticmethod
    def _session_ok(request: HttpRequest, user: User) -> bool:
        return mfa_device_confirmed(user=user) and session_mfa_verified(
            user=user, session_key=request.session.session_key
        )


def _api_refusal() -> JsonResponse:
    return JsonResponse(
        {
            "code": "mfa_required",
            "detail": _(
                "Staff accounts need two-factor authentication: turn it on (or confirm this "
                "session with a code) at /accounts/two-factor/, then try again."
            ),
        },
        status=403,
    )
