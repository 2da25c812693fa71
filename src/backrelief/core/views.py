"""Core pages: the role-aware home page, the health check, and the audit pages."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from backrelief.core import selectors
from backrelief.core.access import audit_search_allowed
from backrelief.core.errors import Invalid
from backrelief.core.forms import AuditSearchForm, form_add_domain_error
from backrelief.core.models import AuditEvent


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


# --- Audit search and export (staff only; issue 2 §8) ----------------------------------------

_FILTERS = ("subject", "actor", "date_from", "date_to", "action")
CSV_COLUMNS = (
    "at_utc",
    "actor_public_id",
    "subject_public_id",
    "action",
    "object_type",
    "object_id",
    "outcome",
    "ip",
    "request_id",
)


def _filters(form: AuditSearchForm) -> dict[str, Any]:
    return {name: form.cleaned_data.get(name) or None for name in _FILTERS}


def _query_without_page(query: QueryDict) -> str:
    kept = query.copy()
    kept.pop("page", None)
    return kept.urlencode()


def _require_audit_staff(request: HttpRequest) -> None:
    # Other people's objects do not exist (STYLE rule 5): the search is a 404 to non-staff.
    if not audit_search_allowed(user=request.user):
        raise Http404


@login_required
@require_GET
def audit_search(request: HttpRequest) -> HttpResponse:
    """Staff search the audit log by subject, actor, dates and action; 50 rows a page."""
    _require_audit_staff(request)
    form = AuditSearchForm(request.GET)
    page = None
    if form.is_valid():
        try:
            page = selectors.audit_search(**_filters(form), page=request.GET.get("page"))
        except Invalid as exc:
            form_add_domain_error(form, exc)
    return render(
        request,
        "core/audit_search.html",
        {"form": form, "page": page, "query": _query_without_page(request.GET)},
        status=200 if page is not None else 400,
    )


class _Echo:
    """A write-only file for csv.writer that hands each line back (streamed CSV)."""

    def write(self, value: str) -> str:
        return value


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """A CSV cell that spreadsheets will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _utc(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _csv_lines(rows: Iterable[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for row in rows:
        yield writer.writerow(
            [
                _utc(row.at),
                _cell(row.actor_public_id),
                _cell(row.subject_public_id),
                _cell(row.action),
                _cell(row.object_type),
                _cell(row.object_id),
                _cell(row.outcome),
                _cell(row.ip),
                _cell(row.request_id),
            ]
        )


@login_required
@require_GET
def audit_export(request: HttpRequest) -> HttpResponseBase:
    """The same filters as the search, as a streamed CSV download (public ids only)."""
    _require_audit_staff(request)
    form = AuditSearchForm(request.GET)
    if form.is_valid():
        try:
            rows = selectors.audit_export_rows(**_filters(form))
        except Invalid as exc:
            form_add_domain_error(form, exc)
        else:
            stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv")
            response["Content-Disposition"] = f'attachment; filename="backrelief-audit-{stamp}.csv"'
            return response
    return render(
        request,
        "core/audit_search.html",
        {"form": form, "page": None, "query": _query_without_page(request.GET)},
        status=400,
    )


# --- Who accessed my data (everyone; issue 2 §8) ---------------------------------------------

ACTION_LABELS = {
    "health.read": _("Read your health data"),
    "health.write": _("Changed your health data"),
    "health.export": _("Exported your health data"),
    "health.delete": _("Deleted your health data"),
    "role.changed": _("Changed your role"),
    "consent.given": _("Recorded a consent for you"),
    "consent.withdrawn": _("Withdrew a consent for you"),
    "session.ended": _("Ended one of your sessions"),
    "session.ended_all": _("Ended all your sessions"),
}
ROLE_LABELS = {
    "client": _("Client"),
    "therapist": _("Therapist"),
    "staff": _("Staff"),
    "": _("Account no longer exists"),
}
OUTCOME_LABELS = {"allowed": _("Allowed"), "denied": _("Refused")}


@login_required
@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    """Every person sees who else read or changed their data or account: when, who (role and
    opaque id), what kind of object, and whether it was allowed."""
    page = selectors.access_log_for(user=request.user, page=request.GET.get("page"))
    entries = [
        {
            "at": entry.at,
            "actor_public_id": entry.actor_public_id,
            "role": ROLE_LABELS.get(entry.actor_role, entry.actor_role),
            "action": ACTION_LABELS.get(entry.action, entry.action),
            "object_type": entry.object_type,
            "outcome": OUTCOME_LABELS.get(entry.outcome, entry.outcome),
            "denied": entry.outcome == "denied",
        }
        for entry in page.rows
    ]
    return render(request, "core/access_log.html", {"page": page, "entries": entries})
