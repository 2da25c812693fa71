"""Personal access tokens page: list, create (shown once), revoke (issue 2 §10).

The raw token is rendered only in the response to the POST that created it — never put in a
URL, a message or a log. With htmx, revoking swaps just that row (`token-row` partial).
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backrelief.accounts.forms.security import TokenCreateForm
from backrelief.accounts.models import User
from backrelief.accounts.selectors_security import token_row, token_rows
from backrelief.accounts.services.tokens import token_create, token_revoke
from backrelief.core.errors import DomainError, NotFound
from backrelief.core.forms import form_add_domain_error

TEMPLATE = "accounts/token_list.html"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def end_of_day(day: dt.date, time_zone: str) -> dt.datetime:
    """The instant a token "valid until `day`" stops working: the next local midnight."""
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """GET lists tokens; POST creates one and shows the raw token on this response only."""
    user = _user(request)
    now = timezone.now()
    form = TokenCreateForm(request.POST if request.method == "POST" else None)
    created: dict[str, object] | None = None
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["expires_at"]
        try:
            row, raw = token_create(
                user=user,
                name=form.cleaned_data["name"],
                expires_at=end_of_day(day, user.time_zone) if day else None,
                now=now,
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            created = {"row": token_row(row, now=now), "raw": raw}
            form = TokenCreateForm()
    status = 422 if form.errors else 200
    return render(
        request,
        TEMPLATE,
        {"tokens": token_rows(user=user, now=now), "form": form, "created": created},
        status=status,
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: uuid.UUID) -> HttpResponse:
    """Revoke one of my tokens at once; someone else's (or an unknown) token is a 404."""
    now = timezone.now()
    try:
        row = token_revoke(user=_user(request), token_public_id=str(token_id), now=now)
    except NotFound:
        raise Http404 from None
    if getattr(request, "htmx", False):
        response = render(
            request, TEMPLATE + "#token-row", {"token": token_row(row, now=now), "flash": True}
        )
        patch_vary_headers(response, ["HX-Request"])
        return response
    messages.success(request, _("The token is revoked; it no longer works."))
    return redirect("accounts:tokens")
