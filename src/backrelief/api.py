"""The JSON API under /api/v1 (OpenAPI at /api/v1/openapi.json).

Authentication: a personal access token (`Authorization: Bearer br_...`) or the browser
session. Session-authenticated writes require the CSRF token (Ninja's cookie auth checks it;
tests prove it for every writing endpoint). Domain errors are mapped to HTTP here, once.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from backrelief.accounts.api import consent as consent_api
from backrelief.accounts.api import mfa as mfa_api
from backrelief.accounts.api import profile as profile_api
from backrelief.accounts.api import sessions as sessions_api
from backrelief.accounts.api import tokens as tokens_api
from backrelief.accounts.auth import api_auth
from backrelief.assessment import api as assessment_api
from backrelief.core.api import router as audit_router
from backrelief.core.errors import DomainError, Invalid, RateLimited
from backrelief.scheduling import api as scheduling_api
from backrelief.scheduling import api_availability
from backrelief.scheduling import api_slots as slots_api
from backrelief.therapists.api import router as therapists_router

api = NinjaAPI(
    title="BackRelief API",
    version="1",
    urls_namespace="api",
    auth=api_auth,
    docs_url="/docs",
    openapi_url="/openapi.json",
    description="Back and neck relief through massage. Session (with CSRF) or token auth.",
)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body: dict[str, object] = {"code": exc.code, "detail": exc.message}
    if isinstance(exc, Invalid) and exc.fields:
        body["fields"] = exc.fields
    response = api.create_response(request, body, status=exc.status)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after_s)
    return response


_SOURCES = frozenset({"body", "payload", "query", "path", "form", "header", "cookie", "filters"})


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        # Ninja prefixes the source ("body", "query", "path", then the parameter group name);
        # clients want the field name alone, as in errors raised by our services.
        loc = [str(part) for part in error.get("loc", [])]
        while loc and loc[0] in _SOURCES:
            loc.pop(0)
        fields.setdefault(".".join(loc) or "__all__", []).append(str(error.get("msg", "invalid")))
    return api.create_response(
        request,
        {"code": "invalid", "detail": "Some fields are not valid.", "fields": fields},
        status=422,
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"code": "unauthenticated", "detail": "Sign in, or send a valid personal access token."},
        status=401,
    )


api.add_router("/me", profile_api.router)
api.add_router("/sessions", sessions_api.router)
api.add_router("/mfa", mfa_api.router)
api.add_router("/tokens", tokens_api.router)
api.add_router("/consents", consent_api.router)
api.add_router("/audit", audit_router)
api.add_router("/assessments", assessment_api.router)
api.add_router("/therapists", therapists_router)
api.add_router("/bookings", scheduling_api.router)
api.add_router("/slots", slots_api.router)
api.add_router("/availability", api_availability.router)

# Operations anyone may call (auth=api_auth_optional): (METHOD, OpenAPI path). The architecture
# test checks that every other operation answers 401 to an anonymous caller.
PUBLIC_API_OPERATIONS: frozenset[tuple[str, str]] = frozenset(
    {
        # each area adds its public operations here, e.g. ("GET", "/api/v1/therapists")
        ("GET", "/api/v1/therapists"),
        ("GET", "/api/v1/therapists/places"),
        ("GET", "/api/v1/therapists/{therapist_id}"),
        ("GET", "/api/v1/therapists/{therapist_id}/services"),
        ("GET", "/api/v1/therapists/{therapist_id}/reviews"),
        ("GET", "/api/v1/slots"),
        ("GET", "/api/v1/slots/earliest"),
    }
)
