""" "My assessments" (issue 4 item 4): open drafts to resume and past assessments with date,
triage and main scores, plus a form to compare two of them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from backrelief.assessment.selectors import assessment_list_for_owner, draft_list_open
from backrelief.assessment.wizard import next_step


@login_required
@require_GET
def list_assessments(request: HttpRequest) -> HttpResponse:
    """The person's open drafts (Resume) and past assessments, newest first."""
    user = request.user
    drafts = [
        {"draft": d, "resume_step": next_step(d.completed_steps)}
        for d in draft_list_open(owner=user)  # type: ignore[arg-type]
    ]
    past = assessment_list_for_owner(owner=user)  # type: ignore[arg-type]
    return render(
        request, "assessment/assessment_list.html", {"drafts": drafts, "assessments": past}
    )
