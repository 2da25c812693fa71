"""The therapist's own pages (issue 5 items 1 and 5): dashboard, profile, photo, services and
experience. Adapters only: the caller's profile comes from `access.own_profile*`, every change
goes through `services/profile.py` (the same services as `/api/v1/therapists/me/...`), errors
are placed beside their fields. Plain forms with POST-redirect-GET; no JavaScript needed.

Only therapist accounts have these pages: anyone else gets a 403 page saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from backrelief.accounts.models import User
from backrelief.catalog.data.techniques import TECHNIQUES_BY_CODE
from backrelief.core.errors import DomainError, NotFound, PermissionDenied
from backrelief.core.forms import form_add_domain_error
from backrelief.therapists.access import own_profile_or_none
from backrelief.therapists.completeness import NUMBERED_STEPS, completeness
from backrelief.therapists.data.languages import language_name
from backrelief.therapists.forms.profile import (
    ExperienceForm,
    PhotoForm,
    ProfileForm,
    ServiceEditForm,
    ServiceForm,
    profile_initial,
)
from backrelief.therapists.models import Service, TherapistProfile
from backrelief.therapists.photos import photo_url
from backrelief.therapists.profile_rules import price_display
from backrelief.therapists.selectors_profile import (
    experience_list,
    experience_years,
    listing_problem,
    profile_facts,
    profile_language_codes,
    service_get_own,
    service_list_active,
)
from backrelief.therapists.services.profile import (
    experience_set,
    profile_photo_remove,
    profile_photo_set,
    profile_update,
    service_create,
    service_retire,
    service_update,
)

View = Callable[..., HttpResponse]


def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def optional_url(name: str, *args: Any) -> str | None:
    """The URL of a page another area provides, or None while it does not exist yet."""
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:
        return None


def therapist_only_page(request: HttpRequest) -> HttpResponse:
    return render(request, "therapists/therapist_only.html", status=403)


def therapist_page(view: Callable[..., HttpResponse]) -> View:
    """Signed in, therapist role, with a profile (else to onboarding); passes the profile."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            profile = own_profile_or_none(user=user_of(request))
        except PermissionDenied:
            return therapist_only_page(request)
        if profile is None:
            return redirect("therapists:onboarding", "about")
        return view(request, profile, *args, **kwargs)

    return wrapper


def step_url(step: str) -> str | None:
    """Where the dashboard sends the therapist to fill a missing item (the licence form of
    the credentials area when it exists, else the onboarding step explaining it)."""
    if step == "credentials-hint":
        licence = optional_url("therapists:licence_new")
        if licence:
            return licence
    if step in NUMBERED_STEPS:
        return reverse("therapists:onboarding", args=[step])
    if step == "photo":
        return reverse("therapists:photo_edit")
    if step == "experience":
        return reverse("therapists:experience_edit")
    return None


def service_rows(services: Any) -> list[dict[str, Any]]:
    return [
        {
            "service": s,
            "name": TECHNIQUES_BY_CODE[s.technique].name,
            "price": price_display(s.price_minor, s.currency),
        }
        for s in services
    ]


@therapist_page
@require_GET
def dashboard(request: HttpRequest, profile: TherapistProfile) -> HttpResponse:
    """Completeness (percentage, what is missing with a link to the step), listing status and
    links to credentials, reviews and sessions (pages of other areas, shown once they exist)."""
    now = timezone.now()
    result = completeness(profile_facts(profile=profile))
    missing = [{"item": item, "url": step_url(item.step)} for item in result.missing]
    problem = listing_problem(profile=profile, now=now)
    context = {
        "profile": profile,
        "completeness": result,
        "missing": missing,
        "continue_url": None
        if result.required_done
        else reverse("therapists:onboarding", args=[result.first_open_step]),
        "listed": problem is None,
        "listing_problem": problem,
        "photo_url": photo_url(profile),
        "services": service_rows(service_list_active(profile=profile)),
        "links": {
            "credentials": optional_url("therapists:credentials"),
            "reviews": optional_url("therapists:my_reviews"),
            "sessions": optional_url("therapists:my_sessions"),
        },
    }
    return render(request, "therapists/profile_dashboard.html", context)


@therapist_page
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, profile: TherapistProfile) -> HttpResponse:
    """The whole profile on one page; saved by `profile_update` (same as PATCH /me/profile)."""
    initial = profile_initial(profile, profile_language_codes(profile=profile))
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(user=user_of(request), now=timezone.now(), **form.cleaned_data)
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("therapists:profile_edit")
    return render(
        request,
        "therapists/profile_edit.html",
        {"form": form, "profile": profile},
        status=422 if form.errors else 200,
    )


@therapist_page
@require_http_methods(["GET", "POST"])
def photo_edit(request: HttpRequest, profile: TherapistProfile) -> HttpResponse:
    """Upload (multipart) or remove the profile photo (`photos.py` checks and re-encodes)."""
    user, now = user_of(request), timezone.now()
    if request.method == "POST" and request.POST.get("action") == "remove":
        profile_photo_remove(user=user, now=now)
        messages.success(request, _("Your photo was removed."))
        return redirect("therapists:photo_edit")
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["photo"]
        try:
            profile_photo_set(user=user, upload=upload, size=upload.size, now=now)
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("Your photo was saved."))
            return redirect("therapists:photo_edit")
    return render(
        request,
        "therapists/profile_photo.html",
        {"form": form, "profile": profile, "photo_url": photo_url(profile)},
        status=422 if form.errors else 200,
    )


@therapist_page
@require_http_methods(["GET", "POST"])
def service_list(request: HttpRequest, profile: TherapistProfile) -> HttpResponse:
    """The services offered, each with Edit and Retire, and a form to add one."""
    form = ServiceForm(
        request.POST if request.method == "POST" else None, initial=_currency(profile)
    )
    if request.method == "POST" and form.is_valid():
        try:
            service_create(user=user_of(request), now=timezone.now(), **form.cleaned_data)
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("The service was added."))
            return redirect("therapists:service_list")
    return render(
        request,
        "therapists/service_list.html",
        {"form": form, "services": service_rows(service_list_active(profile=profile))},
        status=422 if form.errors else 200,
    )


def _currency(profile: TherapistProfile) -> dict[str, str]:
    """Start the currency box at the one the therapist already uses."""
    first = service_list_active(profile=profile).first()
    return {"currency": first.currency} if first else {}


def _own_service(profile: TherapistProfile, public_id: Any) -> Service:
    try:
        return service_get_own(profile=profile, public_id=public_id)
    except NotFound:
        raise Http404 from None


@therapist_page
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, profile: TherapistProfile, public_id: Any) -> HttpResponse:
    """Change duration, price or currency of one service, or retire it (POST action=retire)."""
    service = _own_service(profile, public_id)
    user, now = user_of(request), timezone.now()
    if request.method == "POST" and request.POST.get("action") == "retire":
        service_retire(user=user, service_public_id=service.public_id, now=now)
        messages.success(request, _("The service was retired; clients no longer see it."))
        return redirect("therapists:service_list")
    form = ServiceEditForm.for_service(service, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service_update(
                user=user, service_public_id=service.public_id, now=now, **form.cleaned_data
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("The service was saved."))
            return redirect("therapists:service_list")
    return render(
        request,
        "therapists/service_edit.html",
        {"form": form, "service": service, "name": TECHNIQUES_BY_CODE[service.technique].name},
        status=422 if form.errors else 200,
    )


@therapist_page
@require_http_methods(["GET", "POST"])
def experience_edit(request: HttpRequest, profile: TherapistProfile) -> HttpResponse:
    """Years of experience per technique (empty box = not practised)."""
    form = ExperienceForm.for_years(
        experience_years(profile=profile), request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            experience_set(user=user_of(request), years=form.years(), now=timezone.now())
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("Your experience was saved."))
            return redirect("therapists:experience_edit")
    return render(
        request,
        "therapists/experience_edit.html",
        {"form": form, "rows": experience_list(profile=profile)},
        status=422 if form.errors else 200,
    )


def language_names(codes: list[str]) -> list[str]:
    return [language_name(code) for code in codes]
