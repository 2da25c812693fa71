"""The consent page: notice, current state, one-click give/withdraw, history (issue 2 §7).

Works without JavaScript (POST, then redirect back with a message). With htmx, the forms swap
only the `consent-panel` partial, and the outcome message is shown inside it.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backrelief.accounts.consent_notice import NOTICE_VERSION, notice_for
from backrelief.accounts.forms.consent import ConsentGiveForm
from backrelief.accounts.models import SHARING_PURPOSES, ConsentPurpose
from backrelief.accounts.selectors_consent import consent_overview
from backrelief.accounts.services.consent import consent_give, consent_withdraw
from backrelief.core.errors import DomainError, NotFound
from backrelief.core.forms import form_add_domain_error

PANEL_ID = "consent-panel"


def _wants_panel(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and htmx.target == PANEL_ID  # type: ignore[union-attr]


def _render(
    request: HttpRequest,
    *,
    form: ConsentGiveForm,
    flash: str = "",
    status: int = 200,
) -> HttpResponse:
    template = "accounts/consent_page.html"
    if _wants_panel(request):
        template += "#" + PANEL_ID
    context = {
        "overview": consent_overview(user=request.user),  # type: ignore[arg-type]
        "notice": notice_for(ConsentPurpose.HEALTH_DATA),
        "sharing_notices": [notice_for(p) for p in SHARING_PURPOSES],
        "version": NOTICE_VERSION,
        "form": form,
        "flash": flash,
    }
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def _done(request: HttpRequest, message: str) -> HttpResponse:
    if _wants_panel(request):
        return _render(request, form=ConsentGiveForm(), flash=message)
    messages.success(request, message)
    return redirect("accounts:consent")


@login_required
@require_http_methods(["GET", "POST"])
def consent_page(request: HttpRequest) -> HttpResponse:
    """Show the notice and state; POST gives consent to processing one's own health data."""
    if request.method != "POST":
        return _render(request, form=ConsentGiveForm())
    form = ConsentGiveForm(request.POST)
    if form.is_valid():
        try:
            consent_give(
                user=request.user,  # type: ignore[arg-type]
                purpose=form.cleaned_data["purpose"],
                now=timezone.now(),
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            return _done(
                request,
                _("Thank you. Your consent is recorded; you can withdraw it here at any time."),
            )
    # htmx only swaps 2xx answers, so the panel with its errors comes back as 200.
    return _render(request, form=form, status=200 if _wants_panel(request) else 422)


@login_required
@require_POST
def withdraw_consent(request: HttpRequest, consent_id: uuid.UUID) -> HttpResponse:
    """One click, effective at once; someone else's consent is a 404 (STYLE rule 5)."""
    try:
        row = consent_withdraw(
            user=request.user,  # type: ignore[arg-type]
            consent_public_id=consent_id,
            now=timezone.now(),
        )
    except NotFound:
        raise Http404 from None
    if row.purpose == ConsentPurpose.HEALTH_DATA:
        message = _(
            "Your consent is withdrawn. From now on no new health entries are accepted and "
            "nothing is shared with therapists. You can still read everything already stored."
        )
    else:
        message = _("Sharing has stopped. The therapist can no longer see this information.")
    return _done(request, message)
