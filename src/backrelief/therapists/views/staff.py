"""Staff pages for the credentials queue (issue 5 items 2 and 5): pending licences and
certifications, oldest first, and one page per item with its evidence, a Verify button and a
Reject form with a reason. Staff only — anyone else gets 404 (the pages do not exist for
them); staff two-factor is enforced by `accounts.middleware_mfa`.

The decisions call the same services as `POST /api/v1/therapists/licences/{id}/verify|reject`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from backrelief.accounts.models import Role, User
from backrelief.core.errors import Conflict, DomainError, NotFound
from backrelief.core.forms import form_add_domain_error
from backrelief.therapists.access import certification_get_for_staff, licence_get_for_staff
from backrelief.therapists.forms.credentials import DecisionForm
from backrelief.therapists.selectors import listing_date
from backrelief.therapists.selectors_credentials import (
    certification_queue,
    country_name,
    licence_queue,
    technique_name,
)
from backrelief.therapists.services.credentials import (
    certification_reject,
    certification_verify,
    licence_reject,
    licence_verify,
)


def _staff(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or user.role != Role.STAFF:
        raise Http404
    return user


@login_required
@require_GET
def staff_licences(request: HttpRequest) -> HttpResponse:
    """The verification queue: pending licences, then pending certifications, oldest first."""
    _staff(request)
    licences = [{"row": row, "country_name": country_name(row.country)} for row in licence_queue()]
    certifications = [
        {"row": row, "technique_name": technique_name(row.technique)}
        for row in certification_queue()
    ]
    return render(
        request,
        "therapists/licence_staff_queue.html",
        {"licences": licences, "certifications": certifications},
    )


def _decide(
    request: HttpRequest,
    *,
    form: DecisionForm,
    verify: Any,
    reject: Any,
    public_id: Any,
    done: dict[str, str],
) -> HttpResponse | None:
    """Run the chosen decision; on success redirect to the queue, else leave errors on the form."""
    if not form.is_valid():
        return None
    staff = _staff(request)
    now = timezone.now()
    try:
        if form.cleaned_data["decision"] == "verify":
            verify(actor=staff, public_id=public_id, now=now)
            messages.success(request, done["verify"])
        else:
            reject(actor=staff, public_id=public_id, reason=form.cleaned_data["reason"], now=now)
            messages.success(request, done["reject"])
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("therapists:staff_licences")
    except DomainError as exc:
        form_add_domain_error(form, exc)
        return None
    return redirect("therapists:staff_licences")


@login_required
@require_http_methods(["GET", "POST"])
def staff_licence_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    """One licence: its fields, the evidence link, Verify, and Reject with a reason."""
    staff = _staff(request)
    try:
        licence = licence_get_for_staff(user=staff, public_id=public_id)
    except NotFound:
        raise Http404 from None
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        response = _decide(
            request,
            form=form,
            verify=licence_verify,
            reject=licence_reject,
            public_id=licence.public_id,
            done={
                "verify": _("Licence verified. The therapist gets an email."),
                "reject": _("Licence rejected. The therapist gets an email with the reason."),
            },
        )
        if response is not None:
            return response
    return render(
        request,
        "therapists/licence_staff_detail.html",
        {
            "licence": licence,
            "country_name": country_name(licence.country),
            "expired": licence.expires_on < listing_date(timezone.now()),
            "form": form,
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_certification_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    """One certification: its fields, the evidence link (if any), Verify, Reject with reason."""
    staff = _staff(request)
    try:
        row = certification_get_for_staff(user=staff, public_id=public_id)
    except NotFound:
        raise Http404 from None
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        response = _decide(
            request,
            form=form,
            verify=certification_verify,
            reject=certification_reject,
            public_id=row.public_id,
            done={
                "verify": _("Training verified."),
                "reject": _("Training rejected; the therapist sees the reason."),
            },
        )
        if response is not None:
            return response
    return render(
        request,
        "therapists/certification_staff_detail.html",
        {"certification": row, "technique_name": technique_name(row.technique), "form": form},
        status=422 if form.errors else 200,
    )
