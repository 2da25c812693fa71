""" "My assessments" (issue 4 item 4): open drafts to resume and past assessments with date,
triage and main scores, and comparing two of them (`selectors.assessment_compare`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from backrelief.accounts.models import User
from backrelief.assessment import labels
from backrelief.assessment.selectors import (
    HistoryRow,
    assessment_compare,
    assessment_history,
    draft_list_open,
)
from backrelief.assessment.wizard import next_step
from backrelief.catalog.data.techniques import TECHNIQUES_BY_CODE
from backrelief.core.errors import NotFound


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _row(row: HistoryRow) -> dict[str, Any]:
    top = TECHNIQUES_BY_CODE.get(row.top_technique or "")
    return {
        "row": row,
        "triage": labels.TRIAGE_LABELS.get(row.triage_level, row.triage_level),
        "top": top.name if top else "",
    }


@login_required
@require_GET
def list_assessments(request: HttpRequest) -> HttpResponse:
    """The person's open drafts (Resume) and past assessments, newest first, with a form to
    compare two of them."""
    user = _user(request)
    drafts = [
        {"draft": d, "resume_step": next_step(d.completed_steps)}
        for d in draft_list_open(owner=user)
    ]
    past = [_row(r) for r in assessment_history(owner=user)]
    return render(request, "assessment/assessment_list.html", {"drafts": drafts, "past": past})


@login_required
@require_GET
def compare_assessments(request: HttpRequest) -> HttpResponse:
    """What changed from an earlier assessment (`a`) to a later one (`b`); both must be the
    person's own (anyone else's is a 404, audited by the selector's access lookup)."""
    a, b = request.GET.get("a", ""), request.GET.get("b", "")
    if not a or not b or a == b:
        return render(
            request,
            "assessment/assessment_compare.html",
            {"problem": _("Choose two different assessments to compare.")},
            status=400,
        )
    try:
        result = assessment_compare(owner=_user(request), a_public_id=a, b_public_id=b)
    except NotFound:
        raise Http404 from None
    comparison = result.comparison
    context = {
        "a": _row(result.a),
        "b": _row(result.b),
        "triage_direction": labels.TRIAGE_DIRECTION_LABELS.get(comparison.triage.direction, ""),
        "scores": [
            {
                "s": s,
                "direction": labels.SCORE_DIRECTION_LABELS.get(s.direction or "", ""),
            }
            for s in comparison.scores
        ],
        "techniques": [
            {"t": t, "movement": labels.MOVEMENT_LABELS.get(t.movement, t.movement)}
            for t in comparison.techniques
        ],
    }
    return render(request, "assessment/assessment_compare.html", context)
