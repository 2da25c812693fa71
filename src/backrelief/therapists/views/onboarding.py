"""The onboarding wizard for a new therapist account (issue 5 item 1):

    about → practice → services → credentials-hint → done      ("Step 2 of 4")

Each step is a plain form that saves through `services/profile.py` and goes on to the next
(POST-redirect-GET). "About you" creates the profile; later steps need it (without one the
therapist is sent back to the first step). The licence step only explains and links to the
licence form of the credentials area; its "Finish" button calls `onboarding_complete`, which
says what is still missing if a required step is not done. Steps and completeness rules:
`completeness.py`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backrelief.core.errors import DomainError, Invalid, PermissionDenied
from backrelief.core.forms import form_add_domain_error
from backrelief.therapists.access import own_profile_or_none
from backrelief.therapists.completeness import (
    NUMBERED_STEPS,
    STEP_LABELS,
    STEPS,
    Completeness,
    completeness,
    next_step,
    previous_step,
    step_number,
)
from backrelief.therapists.forms.profile import (
    AboutForm,
    PracticeForm,
    ServiceForm,
    profile_initial,
)
from backrelief.therapists.models import TherapistProfile
from backrelief.therapists.selectors_profile import (
    profile_facts,
    profile_language_codes,
    service_list_active,
)
from backrelief.therapists.services.profile import (
    onboarding_complete,
    profile_create,
    profile_update,
    service_create,
)
from backrelief.therapists.views.profile import (
    optional_url,
    service_rows,
    step_url,
    therapist_only_page,
    user_of,
)


def _progress(step: str, result: Completeness) -> list[dict[str, Any]]:
    return [
        {
            "step": s,
            "label": _(STEP_LABELS[s]),
            "current": s == step,
            "done": result.steps_done[s],
        }
        for s in NUMBERED_STEPS
    ]


def _form_for(step: str, profile: TherapistProfile | None, data: Any) -> Any:
    if step == "about":
        if profile is None:
            return AboutForm(data)
        return AboutForm(
            data, initial=profile_initial(profile, profile_language_codes(profile=profile))
        )
    if step == "practice":
        assert profile is not None
        return PracticeForm(
            data, initial=profile_initial(profile, profile_language_codes(profile=profile))
        )
    if step == "services":
        assert profile is not None
        first = service_list_active(profile=profile).first()
        return ServiceForm(data, initial={"currency": first.currency} if first else {})
    return None


def _save(step: str, request: HttpRequest, profile: TherapistProfile | None, form: Any) -> None:
    user, now = user_of(request), timezone.now()
    if step == "about" and profile is None:
        profile_create(user=user, now=now, **form.cleaned_data)
    elif step in ("about", "practice"):
        profile_update(user=user, now=now, **form.cleaned_data)
    elif step == "services":
        service_create(user=user, now=now, **form.cleaned_data)


@login_required
@require_http_methods(["GET", "POST"])
def onboarding(request: HttpRequest, step: str) -> HttpResponse:
    """One onboarding step (see module docstring)."""
    if step not in STEPS:
        raise Http404
    try:
        profile = own_profile_or_none(user=user_of(request))
    except PermissionDenied:
        return therapist_only_page(request)
    if profile is None and step != "about":
        return redirect("therapists:onboarding", "about")
    posted = request.method == "POST"
    form = _form_for(step, profile, request.POST if posted else None)
    problem: Invalid | None = None
    if posted and step == "credentials-hint":
        try:
            onboarding_complete(user=user_of(request), now=timezone.now())
        except Invalid as exc:
            problem = exc
        else:
            return redirect("therapists:onboarding", "done")
    elif posted and form is not None and form.is_valid():
        try:
            _save(step, request, profile, form)
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            if step == "services":
                messages.success(request, _("The service was added."))
                if request.POST.get("action") == "add_another":
                    return redirect("therapists:onboarding", "services")
            return redirect("therapists:onboarding", next_step(step))
    result = completeness(profile_facts(profile=profile))
    context = {
        "step": step,
        "step_label": _(STEP_LABELS[step]),
        "step_number": step_number(step),
        "step_count": len(NUMBERED_STEPS),
        "progress": _progress(step, result),
        "previous": previous_step(step),
        "next": next_step(step),
        "form": form,
        "profile": profile,
        "completeness": result,
        "problem": problem,
        "missing_required": [
            {"item": item, "url": step_url(item.step)} for item in result.missing if item.required
        ],
        "services": service_rows(service_list_active(profile=profile)) if profile else [],
        "licence_url": optional_url("therapists:licence_new"),
        "dashboard_url": reverse("therapists:dashboard"),
        "public_url": reverse("therapists:profile_public", args=[profile.public_id])
        if profile
        else None,
    }
    failed = (form is not None and form.errors) or problem is not None
    return render(
        request, "therapists/profile_onboarding.html", context, status=422 if failed else 200
    )
