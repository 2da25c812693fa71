"""Core pages: the role-aware home page, the health check, and the audit pages."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors see what BackRelief is; signed-in people see their role's home."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "core/home_public.html")
    return render(request, f"core/home_{user.role}.html")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability for load balancers (no personal data)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok"})
    except Exception:  # the check must answer, whatever the failure
        return JsonResponse({"status": "database unavailable"}, status=503)


def audit_search(request: HttpRequest) -> HttpResponse:  # completed by the audit work
    raise NotImplementedError


def audit_export(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def access_log(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
