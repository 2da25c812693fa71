"""The results page (issue 4 item 3): readable in a minute, printable, owner only.

It shows the stored result only (`Assessment.result`); a foreign or unknown id is a 404
(STYLE rule 5, audited by `access.assessment_get_for_view`). After a URGENT or EMERGENCY
result the page offers its one next step in BackRelief: recording that a clinician has
assessed the person (`services.attestation_record`), which lets them answer again.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from backrelief.accounts.models import User
from backrelief.assessment.access import assessment_get_for_view
from backrelief.assessment.models import Assessment
from backrelief.assessment.presentation import result_view
from backrelief.assessment.selectors import attestation_for
from backrelief.assessment.services import (
    ATTESTATION_STATEMENT,
    NEEDS_ATTESTATION,
    attestation_record,
)
from backrelief.core.errors import DomainError, NotFound


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _own(request: HttpRequest, assessment_id: uuid.UUID) -> Assessment:
    try:
        return assessment_get_for_view(user=_user(request), public_id=assessment_id)
    except NotFound:
        raise Http404 from None


@login_required
@require_GET
def show_assessment(request: HttpRequest, assessment_id: uuid.UUID) -> HttpResponse:
    """The triage message first, then (when allowed) the ranked, explained techniques."""
    assessment = _own(request, assessment_id)
    needs = assessment.triage_level in NEEDS_ATTESTATION
    context = {
        "assessment": assessment,
        "view": result_view(assessment.result),
        "needs_attestation": needs,
        "attestation": attestation_for(assessment=assessment) if needs else None,
        "statement": _(ATTESTATION_STATEMENT),
    }
    return render(request, "assessment/assessment_result.html", context)


@login_required
@require_POST
def attest_assessment(request: HttpRequest, assessment_id: uuid.UUID) -> HttpResponse:
    """Record that a clinician has assessed the person after this URGENT/EMERGENCY result."""
    assessment = _own(request, assessment_id)
    try:
        attestation_record(
            owner=_user(request), assessment_public_id=assessment.public_id, now=timezone.now()
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Recorded. You can now answer the warning-sign questions again.")
        )
    return redirect("assessment:assessment_result", assessment.public_id)
