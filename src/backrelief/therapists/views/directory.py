"""The therapist directory page (issue 5 items 4-5), public.

A plain GET form: every search is a shareable URL and works without JavaScript. With htmx the
form swaps only the results region (`_directory_results.html`, target `directory-results`)
and pushes the URL; the place field asks the same URL for city suggestions (target
`place-suggestions`, a datalist). Both the page and `GET /api/v1/therapists` call
`selectors_directory.directory_search`.

A signed-in client's latest assessment orders the results and removes AVOID techniques; if it
blocks booking, its triage message comes first and the directory stays browsable without
services offered. No assessment content goes into a URL.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from backrelief.catalog.data.techniques import TECHNIQUES_BY_CODE
from backrelief.core.errors import Invalid
from backrelief.core.forms import form_add_domain_error
from backrelief.core.time import format_local, local_date
from backrelief.therapists.forms.directory import DirectorySearchForm
from backrelief.therapists.places import place_search
from backrelief.therapists.profile_rules import price_display
from backrelief.therapists.selectors_directory import (
    EARLIEST_DAYS,
    MODES,
    RADIUS_DEFAULT_KM,
    SORT_EARLIEST,
    DirectoryPage,
    DirectoryResult,
    directory_search,
    directory_viewer_assessment,
)

RESULTS_ID = "directory-results"
SUGGESTIONS_ID = "place-suggestions"
TEMPLATE = "therapists/directory_list.html"
RESULTS_TEMPLATE = "therapists/_directory_results.html"


def _htmx_target(request: HttpRequest) -> str | None:
    htmx = getattr(request, "htmx", None)
    return htmx.target if htmx else None


def _language_name(code: str) -> str:
    try:
        from backrelief.therapists.data.languages import language_name
    except ImportError:
        return code
    return language_name(code)


def _mode_label(result: DirectoryResult) -> str:
    km = {"km": result.travel_radius_km}
    if result.in_clinic and result.mobile:
        return _("In a clinic, or at your place within %(km)s km") % km
    if result.mobile:
        return _("At your place within %(km)s km (mobile)") % km
    return _("In a clinic")


def _booking_url(service_public_id: str | None, therapist_public_id: str) -> str:
    """The booking page of the service (its slot picker), else the therapist's profile."""
    if service_public_id is not None:
        return reverse("scheduling:book_service", args=[service_public_id])
    return reverse("therapists:profile_public", args=[therapist_public_id])


def _next_free(result: DirectoryResult, viewer_zone: str | None) -> dict[str, Any] | None:
    """The "Next free" line of a card sorted by earliest availability: the time in the
    viewer's zone (the therapist's when the viewer has none), zone named, and the
    therapist's own when it differs."""
    if result.next_free is None:
        return None
    zone = viewer_zone or result.therapist_time_zone
    return {
        "when": format_local(result.next_free, zone),
        "therapist_when": format_local(result.next_free, result.therapist_time_zone)
        if zone != result.therapist_time_zone
        else "",
        # The booking page opens at the week of that time (its dates read in the same zone).
        "url": _booking_url(result.next_free_service_id, result.public_id)
        + (
            f"?from={local_date(result.next_free, zone).isoformat()}"
            if result.next_free_service_id is not None
            else ""
        ),
    }


def card(
    result: DirectoryResult, *, sorted_by_earliest: bool = False, viewer_zone: str | None = None
) -> dict[str, Any]:
    """What a result card shows (the same figures as the API)."""
    return {
        "next_free": _next_free(result, viewer_zone) if sorted_by_earliest else None,
        "next_free_unknown": sorted_by_earliest
        and result.next_free is None
        and not result.next_free_known,
        "nothing_free": sorted_by_earliest and result.next_free is None and result.next_free_known,
        "r": result,
        "services": [
            {
                "name": TECHNIQUES_BY_CODE[s.technique].name,
                "duration_min": s.duration_min,
                "price": price_display(s.price_minor, s.currency),
            }
            for s in result.services
        ],
        "languages": [_language_name(code) for code in result.languages],
        "mode": _mode_label(result),
    }


def _error_summary(form: DirectorySearchForm) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for name, errors in form.errors.items():
        anchor = "id_place" if name in ("lat", "lon") else f"id_{name}"
        for message in errors:
            rows.append(
                {
                    "anchor": anchor if name != "__all__" else "directory-form",
                    "message": str(message),
                }
            )
    return rows


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    """Search listed therapists; the results region alone for htmx; city suggestions for the
    place field's htmx request."""
    target = _htmx_target(request)
    if target == SUGGESTIONS_ID:
        try:
            suggestions = place_search(request.GET.get("place", ""))
        except ValueError:
            suggestions = []
        response = render(
            request, "therapists/_place_suggestions.html", {"suggestions": suggestions}
        )
        patch_vary_headers(response, ["HX-Request", "HX-Target"])
        return response

    params = request.GET.copy()
    params.setdefault("radius_km", str(RADIUS_DEFAULT_KM))  # shown in the field, not the URL
    form = DirectorySearchForm(params)
    user = request.user if request.user.is_authenticated else None
    viewer = directory_viewer_assessment(user=user)
    page: DirectoryPage | None = None
    if form.is_valid():
        try:
            page = directory_search(
                filters=form.filters(),
                viewer_advice=None if viewer is None else viewer.advice,
                now=timezone.now(),
            )
        except Invalid as exc:
            form_add_domain_error(form, exc)
    context = {
        "form": form,
        "page": page,
        "cards": [
            card(
                r,
                sorted_by_earliest=page.filters.sort == SORT_EARLIEST,
                viewer_zone=getattr(user, "time_zone", None) or None,
            )
            for r in page.results
        ]
        if page
        else [],
        "earliest_days": EARLIEST_DAYS,
        "viewer": viewer,
        "is_client": getattr(user, "role", None) == "client",
        "place_used": form.place_used if page is not None else None,
        "place_typed": (form.data.get("place") or "").strip(),
        "errors": _error_summary(form),
        "query": _query_without_page(request),
        "modes": MODES,
    }
    partial = target == RESULTS_ID
    status = 200 if page is not None or partial else 422
    response = render(request, RESULTS_TEMPLATE if partial else TEMPLATE, context, status=status)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response
