"""The therapist's credentials pages and the evidence downloads (issue 5 items 2 and 5).

Adapters only: lookups through `therapists.access`, changes through
`therapists.services.credentials` (the same services as `/api/v1/therapists/me/licences`).
Plain multipart forms with POST-redirect-GET; no JavaScript needed. Non-therapists get the
"for therapist accounts" page (403); someone else's licence is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from backrelief.accounts.models import User
from backrelief.core.errors import DomainError, NotFound, PermissionDenied
from backrelief.core.forms import form_add_domain_error
from backrelief.therapists.access import (
    EvidenceFile,
    certification_evidence_open,
    certification_get_for_owner,
    licence_evidence_open,
    licence_get_for_owner,
    own_profile_or_none,
)
from backrelief.therapists.forms.credentials import CertificationForm, LicenceForm
from backrelief.therapists.models import TherapistProfile
from backrelief.therapists.selectors import listing_date
from backrelief.therapists.selectors_credentials import (
    certification_list_for_therapist,
    country_name,
    licence_list_for_therapist,
    technique_name,
)
from backrelief.therapists.selectors_profile import listing_problem
from backrelief.therapists.services.credentials import (
    certification_submit,
    certification_update,
    licence_submit,
    licence_update,
)

View = Callable[..., HttpResponse]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def credentials_page(view: View) -> View:
    """Signed in, therapist role, with a profile (else onboarding); passes the profile."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            profile = own_profile_or_none(user=_user(request))
        except PermissionDenied:
            return render(request, "therapists/therapist_only.html", status=403)
        if profile is None:
            return redirect("therapists:onboarding", "about")
        return view(request, profile, *args, **kwargs)

    return wrapper


@credentials_page
@require_GET
def credentials(request: HttpRequest, profile: TherapistProfile) -> HttpResponse:
    """My licences (status, rejection reasons, expiry) and certifications, with add/edit links."""
    now = timezone.now()
    today = listing_date(now)
    licences = [
        {"row": row, "country_name": country_name(row.country), "expired": row.expires_on < today}
        for row in licence_list_for_therapist(therapist=profile)
    ]
    certifications = [
        {"row": row, "technique_name": technique_name(row.technique)}
        for row in certification_list_for_therapist(therapist=profile)
    ]
    return render(
        request,
        "therapists/credential_list.html",
        {
            "profile": profile,
            "licences": licences,
            "certifications": certifications,
            # The listing rule in words, from the one place that states it.
            "listing_problem": listing_problem(profile=profile, now=now),
        },
    )


def _render_form(
    request: HttpRequest, template: str, context: dict[str, Any], *, failed: bool
) -> HttpResponse:
    return render(request, template, context, status=422 if failed else 200)


@credentials_page
@require_http_methods(["GET", "POST"])
def licence_new(request: HttpRequest, profile: TherapistProfile) -> HttpResponse:
    """Submit a licence with its evidence file; it waits for staff verification."""
    form = LicenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            licence_submit(
                user=_user(request),
                country=data["country"],
                region=data["region"],
                registry=data["registry"],
                number=data["number"],
                issued_on=data["issued_on"],
                expires_on=data["expires_on"],
                evidence=data["evidence"],
                now=timezone.now(),
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(
                request, _("Licence submitted. Staff will check it; you will get an email.")
            )
            return redirect("therapists:credentials")
    return _render_form(
        request,
        "therapists/licence_form.html",
        {"form": form, "licence": None},
        failed=request.method == "POST",
    )


@credentials_page
@require_http_methods(["GET", "POST"])
def licence_edit(request: HttpRequest, profile: TherapistProfile, public_id: Any) -> HttpResponse:
    """Edit my licence; a change to a verified licence sends it back for verification."""
    user = _user(request)
    try:
        licence = licence_get_for_owner(user=user, public_id=public_id)
    except NotFound:
        raise Http404 from None
    form = LicenceForm(
        request.POST or None,
        request.FILES or None,
        initial=LicenceForm.initial_from(licence),
        evidence_required=False,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        was = licence.status
        try:
            updated = licence_update(
                user=user,
                public_id=licence.public_id,
                country=data["country"],
                region=data["region"],
                registry=data["registry"],
                number=data["number"],
                issued_on=data["issued_on"],
                expires_on=data["expires_on"],
                evidence=data["evidence"] or None,
                now=timezone.now(),
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            if was != updated.status:
                messages.success(
                    request, _("Licence saved. It waits for staff verification again.")
                )
            else:
                messages.success(request, _("Licence saved."))
            return redirect("therapists:credentials")
    return _render_form(
        request,
        "therapists/licence_form.html",
        {"form": form, "licence": licence},
        failed=request.method == "POST",
    )


@credentials_page
@require_http_methods(["GET", "POST"])
def certification_new(request: HttpRequest, profile: TherapistProfile) -> HttpResponse:
    """Add training in one technique; it waits for staff verification."""
    form = CertificationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            certification_submit(
                user=_user(request),
                technique=data["technique"],
                provider=data["provider"],
                hours=data["hours"],
                completed_on=data["completed_on"],
                evidence=data["evidence"] or None,
                now=timezone.now(),
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("Training added. Staff will check it."))
            return redirect("therapists:credentials")
    return _render_form(
        request,
        "therapists/certification_form.html",
        {"form": form, "certification": None},
        failed=request.method == "POST",
    )


@credentials_page
@require_http_methods(["GET", "POST"])
def certification_edit(
    request: HttpRequest, profile: TherapistProfile, public_id: Any
) -> HttpResponse:
    """Edit my certification; a change to a verified one sends it back for verification."""
    user = _user(request)
    try:
        row = certification_get_for_owner(user=user, public_id=public_id)
    except NotFound:
        raise Http404 from None
    form = CertificationForm(
        request.POST or None, request.FILES or None, initial=CertificationForm.initial_from(row)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        was = row.status
        try:
            updated = certification_update(
                user=user,
                public_id=row.public_id,
                technique=data["technique"],
                provider=data["provider"],
                hours=data["hours"],
                completed_on=data["completed_on"],
                evidence=data["evidence"] or None,
                now=timezone.now(),
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            if was != updated.status:
                messages.success(
                    request, _("Training saved. It waits for staff verification again.")
                )
            else:
                messages.success(request, _("Training saved."))
            return redirect("therapists:credentials")
    return _render_form(
        request,
        "therapists/certification_form.html",
        {"form": form, "certification": row},
        failed=request.method == "POST",
    )


# --- evidence downloads (owner and staff; audited) -------------------------------------------


def evidence_response(evidence: EvidenceFile) -> FileResponse:
    """An attachment that browsers never render inline or sniff, and nobody caches."""
    response = FileResponse(
        evidence.handle,
        as_attachment=True,
        filename=evidence.filename,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_GET
def licence_evidence(request: HttpRequest, public_id: Any) -> FileResponse:
    """The licence's evidence file: its therapist or staff; others 404. Every read audited."""
    try:
        evidence = licence_evidence_open(
            user=_user(request), public_id=public_id, now=timezone.now()
        )
    except NotFound:
        raise Http404 from None
    return evidence_response(evidence)


@login_required
@require_GET
def certification_evidence(request: HttpRequest, public_id: Any) -> FileResponse:
    """The certification's evidence file: its therapist or staff; others 404. Audited."""
    try:
        evidence = certification_evidence_open(
            user=_user(request), public_id=public_id, now=timezone.now()
        )
    except NotFound:
        raise Http404 from None
    return evidence_response(evidence)
