"""The sessions page: where you are signed in, end one session, sign out everywhere (§6).

Works without JavaScript (POST, then redirect with a message). With htmx, ending another
session swaps just that table row (`session-row` / `session-ended` partials); ending the
current session, or all of them, signs this browser out and goes to the sign-in page.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from backrelief.accounts.models import User
from backrelief.accounts.selectors_security import session_key_of, session_rows
from backrelief.accounts.services.sessions import session_end
from backrelief.accounts.services.signout import sessions_sign_out_everywhere
from backrelief.core.errors import NotFound

TEMPLATE = "accounts/session_list.html"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


@login_required
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    rows = session_rows(
        user=_user(request),
        current_session_key=request.session.session_key,
        now=timezone.now(),
    )
    return render(request, TEMPLATE, {"sessions": rows})


def _signed_out(request: HttpRequest, message: str) -> HttpResponse:
    """This browser's session is gone: sign it out and send it to the sign-in page."""
    logout(request)
    messages.info(request, message)
    login_url = reverse("accounts:login")
    if _is_htmx(request):
        return HttpResponseClientRedirect(login_url)
    return redirect(login_url)


@login_required
@require_POST
def end_session(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    """End one of my sessions; someone else's (or an unknown) session is a 404."""
    user = _user(request)
    key = session_key_of(user=user, session_public_id=session_id)
    try:
        session_end(user=user, session_public_id=str(session_id))
    except NotFound:
        raise Http404 from None
    if key is not None and key == request.session.session_key:
        return _signed_out(request, _("You signed out of this session."))
    if _is_htmx(request):
        response = render(request, TEMPLATE + "#session-ended", {"session_id": session_id})
        patch_vary_headers(response, ["HX-Request"])
        return response
    messages.success(request, _("That session has ended; the device is signed out."))
    return redirect("accounts:sessions")


@login_required
@require_POST
def end_all_sessions(request: HttpRequest) -> HttpResponse:
    """Sign out everywhere: every session ends, this one included."""
    sessions_sign_out_everywhere(user=_user(request))
    return _signed_out(request, _("You are signed out everywhere. Sign in again to continue here."))
