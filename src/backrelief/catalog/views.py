"""Public Techniques pages (issue 4 item 6): what each technique is, how firm it is, what it
is for, and every benefit claim with its DOMAIN §5 evidence grade and sources.

The texts come from the versioned catalogue data; nothing here says anyone is "cleared" or
"safe for massage" (DOMAIN §0.2) — the pages describe techniques, not people.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from backrelief.catalog import selectors
from backrelief.catalog.data.evidence import GRADE_DEFINITIONS, EvidenceGrade
from backrelief.catalog.data.techniques import PURPOSES, Technique
from backrelief.catalog.labels import CLOTHING_LABELS, GRADE_LABELS, PRESSURE_LABELS
from backrelief.core.errors import NotFound


def grades_legend() -> list[dict[str, Any]]:
    return [
        {"code": str(g), "label": GRADE_LABELS[g], "definition": GRADE_DEFINITIONS[g]}
        for g in EvidenceGrade
    ]


def technique_context(technique: Technique) -> dict[str, Any]:
    """A technique as the templates show it (plain values, labels resolved)."""
    return {
        "code": technique.code,
        "name": technique.name,
        "description": technique.description,
        "pressure_range": (
            PRESSURE_LABELS[technique.pressure.lightest],
            PRESSURE_LABELS[technique.pressure.firmest],
        ),
        "pressure_note": technique.pressure.note,
        "adjustable": technique.pressure.adjustable,
        "purposes": [PURPOSES[p] for p in technique.purposes],
        "clothing": CLOTHING_LABELS[technique.clothing],
        "uses_heat": technique.uses_heat,
        "uses_tools": technique.uses_tools,
        "claims": [
            {
                "text": claim.text,
                "grade": str(claim.grade),
                "grade_label": GRADE_LABELS[claim.grade],
                "sources": claim.sources,
            }
            for claim in technique.claims
        ],
    }


@require_GET
def list_techniques(request: HttpRequest) -> HttpResponse:
    """Every technique with a short description and its graded claims (public)."""
    techniques = [technique_context(t) for t in selectors.technique_list()]
    return render(
        request,
        "catalog/technique_list.html",
        {"techniques": techniques, "grades": grades_legend()},
    )


@require_GET
def show_technique(request: HttpRequest, code: str) -> HttpResponse:
    """One technique: description, pressure, purposes, every claim with grade and sources."""
    try:
        technique = selectors.technique_get(code=code)
    except NotFound:
        raise Http404 from None
    return render(
        request,
        "catalog/technique_detail.html",
        {"technique": technique_context(technique), "grades": grades_legend()},
    )
