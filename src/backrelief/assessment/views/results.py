"""The results page (issue 4 item 3): readable in a minute, printable, owner only.

It shows the stored result only (`Assessment.result`); a foreign or unknown id is a 404
(STYLE rule 5, audited by `access.assessment_get_for_view`).
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from backrelief.assessment.access import assessment_get_for_view
from backrelief.assessment.presentation import result_view
from backrelief.core.errors import NotFound


@login_required
@require_GET
def show_assessment(request: HttpRequest, assessment_id: uuid.UUID) -> HttpResponse:
    """The triage message first, then (when allowed) the ranked, explained techniques."""
    try:
        assessment = assessment_get_for_view(
            user=request.user,  # type: ignore[arg-type]
            public_id=assessment_id,
        )
    except NotFound:
        raise Http404 from None
    context = {"assessment": assessment, "view": result_view(assessment.result)}
    return render(request, "assessment/assessment_result.html", context)
