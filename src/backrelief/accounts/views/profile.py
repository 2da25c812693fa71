"""The profile page: display name, country, time zone, language, and links to security pages.

Adapter only (STYLE.md): parse `ProfileForm`, call `services.profile.profile_update` (the same
service as `PATCH /api/v1/me`), map `DomainError` to form errors, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backrelief.accounts.access import mfa_device_confirmed
from backrelief.accounts.forms.profile import ProfileForm
from backrelief.accounts.models import User
from backrelief.accounts.services.profile import profile_update
from backrelief.core.errors import DomainError
from backrelief.core.forms import form_add_domain_error


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = ProfileForm.for_user(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(user=user, **form.cleaned_data)
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile_page.html",
        {"form": form, "mfa_enabled": mfa_device_confirmed(user=user)},
        status=422 if form.errors else 200,
    )
