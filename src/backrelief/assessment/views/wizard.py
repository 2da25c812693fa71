"""The step-by-step assessment pages (issue 4 item 2).

Every step is a plain POST form that works without JavaScript (POST, then redirect to the next
step); with htmx the form swaps only the `wizard` partial and pushes the step's URL. The
answers are saved server-side at every step through the same service as the API
(`services.draft_save_step`), so closing the browser loses nothing. "Back" saves too.
Field errors come from the service, named as it names them, and are shown next to the fields.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import push_url

from backrelief.accounts.models import User
from backrelief.assessment import forms
from backrelief.assessment.access import draft_get_for_owner
from backrelief.assessment.models import AssessmentDraft
from backrelief.assessment.services import (
    draft_create,
    draft_discard,
    draft_save_step,
    draft_submit,
)
from backrelief.assessment.views import wizard_context as ctx
from backrelief.assessment.wizard import WIZARD_STEPS, step_values
from backrelief.core.errors import DomainError, Invalid, NotFound

PARTIAL_ID = "wizard"
TEMPLATE = "assessment/draft_step.html"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _wants_partial(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and htmx.target == PARTIAL_ID  # type: ignore[union-attr]


def step_url(draft: AssessmentDraft, step: str) -> str:
    return reverse("assessment:draft_step", args=[draft.public_id, step])


@login_required
@require_http_methods(["GET", "POST"])
def start_assessment(request: HttpRequest) -> HttpResponse:
    """GET explains the steps; POST starts a draft and opens its first step. (Starting is a
    POST so that a link preview or a reload never creates drafts.)"""
    problem = ""
    if request.method == "POST":
        try:
            draft = draft_create(owner=_user(request), now=timezone.now())
        except DomainError as exc:
            problem = exc.message
            code = exc.code
        else:
            return redirect(step_url(draft, WIZARD_STEPS[0]))
    else:
        code = ""
    return render(
        request,
        "assessment/draft_start.html",
        {"problem": problem, "needs_consent": code == "consent_required"},
        status=422 if problem else 200,
    )


def _load(request: HttpRequest, draft_id: uuid.UUID, step: str) -> AssessmentDraft:
    if step not in WIZARD_STEPS:
        raise Http404
    try:
        return draft_get_for_owner(user=_user(request), public_id=draft_id)
    except NotFound:
        raise Http404 from None


_PARSERS: dict[str, Callable[[QueryDict], tuple[dict[str, Any], dict[str, list[str]]]]] = {
    "pain": forms.pain_body,
    "warning_signs": forms.warning_signs_body,
    "conditions": forms.conditions_body,
    "preferences": forms.preferences_body,
}


def _parse(step: str, post: QueryDict, draft: AssessmentDraft) -> tuple[dict[str, Any], dict]:
    if step == "questionnaires":
        return forms.questionnaires_body(post, ctx.asked_here(draft.data))
    return _PARSERS[step](post)


def _step_context(
    draft: AssessmentDraft,
    step: str,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    note: str = "",
) -> dict[str, Any]:
    errors = errors or {}
    if values is None:
        values = step_values(draft.data, step) if step != "review" else {}
    index = WIZARD_STEPS.index(step)
    builders: dict[str, Callable[[], dict[str, Any]]] = {
        "pain": lambda: ctx.pain(values, errors),
        "warning_signs": lambda: ctx.warning_signs(values, errors),
        "conditions": lambda: ctx.conditions(values, errors),
        "questionnaires": lambda: ctx.questionnaires(values, errors, draft.data),
        "preferences": lambda: ctx.preferences(values, errors),
        "review": lambda: ctx.review(draft.data),
    }
    return {
        "draft": draft,
        "step": step,
        "step_label": ctx.labels.STEP_LABELS[step],
        "step_number": index + 1,
        "step_count": len(WIZARD_STEPS),
        "progress": ctx.progress(step, list(draft.completed_steps)),
        "previous": WIZARD_STEPS[index - 1] if index else None,
        "form_url": step_url(draft, step),
        "errors": ctx.error_summary(errors),
        "note": note,
        "s": builders[step](),
    }


def _render(
    request: HttpRequest, context: dict[str, Any], *, status: int = 200, push: str = ""
) -> HttpResponse:
    template = TEMPLATE
    if _wants_partial(request):
        template += "#" + PARTIAL_ID
        status = 200  # htmx swaps 2xx answers only; the errors are in the partial
    response = render(request, template, context, status=status)
    if push and _wants_partial(request):
        push_url(response, push)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@login_required
@require_http_methods(["GET", "POST"])
def draft_step(request: HttpRequest, draft_id: uuid.UUID, step: str) -> HttpResponse:
    """One step: GET shows the saved answers; POST saves them and moves on (or back)."""
    draft = _load(request, draft_id, step)
    if not draft.is_open:
        return redirect("assessment:assessment_result", draft.submitted_assessment.public_id)  # type: ignore[union-attr]
    if request.method != "POST":
        return _render(request, _step_context(draft, step))
    if step == "review":
        return _submit(request, draft)
    action = request.POST.get("action", "next")
    body, errors = _parse(step, request.POST, draft)
    if not errors:
        try:
            draft = draft_save_step(
                owner=_user(request),
                draft_public_id=draft.public_id,
                step=step,
                data=body,
                now=timezone.now(),
            )
        except Invalid as exc:
            errors = dict(exc.fields) or {"step": [exc.message]}
        except DomainError as exc:
            errors = {"step": [exc.message]}
    if errors:
        note = ""
        if action == "back":
            note = _(
                "Your answers on this step are not saved yet. Correct them, or leave this "
                "step from the list of steps above without saving."
            )
        context = _step_context(draft, step, values=body, errors=errors, note=note)
        return _render(request, context, status=422)
    index = WIZARD_STEPS.index(step)
    target = WIZARD_STEPS[max(index - 1, 0)] if action == "back" else WIZARD_STEPS[index + 1]
    if _wants_partial(request):
        return _render(request, _step_context(draft, target), push=step_url(draft, target))
    return redirect(step_url(draft, target))


def _submit(request: HttpRequest, draft: AssessmentDraft) -> HttpResponse:
    try:
        assessment = draft_submit(
            owner=_user(request), draft_public_id=draft.public_id, now=timezone.now()
        )
    except Invalid as exc:
        errors = dict(exc.fields) or {"step": [exc.message]}
        return _render(request, _step_context(draft, "review", errors=errors), status=422)
    except DomainError as exc:
        return _render(
            request, _step_context(draft, "review", errors={"step": [exc.message]}), status=422
        )
    url = reverse("assessment:assessment_result", args=[assessment.public_id])
    if _wants_partial(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
@require_POST
def discard_draft(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    """Delete an open draft and its answers; back to "My assessments"."""
    draft = _load(request, draft_id, WIZARD_STEPS[0])
    try:
        draft_discard(owner=_user(request), draft_public_id=draft.public_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The draft and its answers are deleted."))
    return redirect("assessment:assessment_list")
