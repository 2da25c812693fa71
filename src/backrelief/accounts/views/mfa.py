"""Two-factor pages: the sign-in code step, setup with QR code, recovery codes, turning off.

Adapters only (STYLE.md): parse the form, call `services.mfa`, render. Recovery codes and the
secret appear only in response bodies (never in URLs, messages or logs); every page here is
personal, so `NoStoreForPersonalMiddleware` marks it `no-store`.
"""

from __future__ import annotations

from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backrelief.accounts import totp
from backrelief.accounts.access import login_pending_user, request_mfa_verified
from backrelief.accounts.forms.security import AppCodeForm, LoginCodeForm, MfaDisableForm
from backrelief.accounts.models import User
from backrelief.accounts.services import mfa as mfa_service
from backrelief.accounts.services.auth import login_complete
from backrelief.core.errors import DomainError, PermissionDenied, RateLimited
from backrelief.core.forms import form_add_domain_error

# The contract with the password step (views/auth.py): it stores {"public_id", "at"} here.
PENDING_KEY = "br_mfa_pending"
PENDING_TTL_S = 5 * 60
MAX_LOGIN_ATTEMPTS = 5


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


# --- sign-in, second step ----------------------------------------------------------------------


def _pending(request: HttpRequest) -> dict[str, Any] | None:
    """The pending sign-in if it is well-formed and younger than five minutes."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    at = pending.get("at")
    age = timezone.now().timestamp() - at if isinstance(at, int | float) else -1
    if not 0 <= age < PENDING_TTL_S:
        return None
    return pending


def _start_over(request: HttpRequest, message: str) -> HttpResponse:
    request.session.pop(PENDING_KEY, None)
    messages.error(request, message)
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def login_mfa(request: HttpRequest) -> HttpResponse:
    """Second sign-in step: valid for 5 minutes after the password, at most 5 wrong codes."""
    pending = _pending(request)
    user = login_pending_user(public_id=pending.get("public_id")) if pending else None
    if pending is None or user is None:
        if PENDING_KEY not in request.session:
            if request.user.is_authenticated:
                return redirect(settings.LOGIN_REDIRECT_URL)
            return _start_over(request, _("Sign in with your email and password first."))
        return _start_over(request, _("Your sign-in timed out. Please sign in again."))

    form = LoginCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            method = mfa_service.mfa_verify_login(
                user=user, code=form.cleaned_data["code"], now=timezone.now()
            )
        except RateLimited as exc:
            return _start_over(request, exc.message)
        except DomainError as exc:
            failures = int(pending.get("failures", 0)) + 1
            if failures >= MAX_LOGIN_ATTEMPTS:
                return _start_over(
                    request, _("Too many wrong codes. Please sign in again with your password.")
                )
            request.session[PENDING_KEY] = {**pending, "failures": failures}
            form_add_domain_error(form, exc)
        else:
            return _finish_login(request, user=user, pending=pending, method=method)
    return render(
        request,
        "accounts/mfa_login.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


def _finish_login(
    request: HttpRequest, *, user: User, pending: dict[str, Any], method: str
) -> HttpResponse:
    request.session.pop(PENDING_KEY, None)
    login_complete(request=request, user=user, mfa_verified=True)
    if method == "recovery":
        left = mfa_service.mfa_status(user=user).recovery_codes_left
        messages.warning(
            request,
            _(
                "You signed in with a recovery code; each works only once and you have "
                "%(left)d left. Create new ones under Two-factor authentication."
            )
            % {"left": left},
        )
    next_url = pending.get("next")
    if isinstance(next_url, str) and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect(settings.LOGIN_REDIRECT_URL)


# --- setup, step-up, recovery codes, turning off -----------------------------------------------


def qr_svg(data: str) -> SafeString:
    """An inline SVG QR code (no external image, no style attributes: the CSP forbids them)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    svg = svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    return mark_safe(svg)  # noqa: S308 - generated by qrcode from our own URI, no user markup


@login_required
@require_http_methods(["GET", "POST"])
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Turn two-factor on: start (new secret), scan or type it, confirm with a code.

    When it is already on but this session was not verified with it (it began before, or on
    another device), the page asks for a code to verify this session (step-up).
    """
    user = _signed_in(request)
    now = timezone.now()
    form = AppCodeForm(request.POST if request.method == "POST" else None)
    action = request.POST.get("action", "")
    if request.method == "POST":
        try:
            if action == "begin":
                mfa_service.mfa_begin_setup(user=user, now=now)
                return redirect("accounts:mfa_setup")
            if action == "confirm" and form.is_valid():
                codes = mfa_service.mfa_confirm_setup(
                    user=user,
                    code=form.cleaned_data["code"],
                    now=now,
                    session_key=request.session.session_key,
                )
                messages.success(request, _("Two-factor authentication is now on."))
                return _show_recovery_codes(request, codes)
            if action == "verify" and form.is_valid():
                mfa_service.mfa_verify_session(
                    user=user,
                    code=form.cleaned_data["code"],
                    now=now,
                    session_key=request.session.session_key or "",
                )
                messages.success(request, _("This session is now verified."))
                return redirect("accounts:mfa_setup")
        except DomainError as exc:
            form_add_domain_error(form, exc)

    status = mfa_service.mfa_status(user=user)
    context: dict[str, Any] = {
        "status": status,
        "form": form,
        "session_verified": request_mfa_verified(request),
        "required": user.is_staff_role or user.is_therapist,
    }
    if not status.enabled:
        device = mfa_service.mfa_pending_device(user=user)
        if device is not None:
            uri = totp.provisioning_uri(secret=device.secret, account=user.email)
            context["secret"] = totp.format_secret(device.secret)
            context["qr_svg"] = qr_svg(uri)
    return render(
        request,
        "accounts/mfa_setup.html",
        context,
        status=422 if request.method == "POST" and form.errors else 200,
    )


def _show_recovery_codes(request: HttpRequest, codes: list[str]) -> HttpResponse:
    return render(request, "accounts/mfa_recovery_codes.html", {"new_codes": codes})


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """How many recovery codes are left, and making a new set (needs an app code)."""
    user = _signed_in(request)
    status = mfa_service.mfa_status(user=user)
    if not status.enabled:
        return redirect("accounts:mfa_setup")
    form = AppCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = mfa_service.mfa_regenerate_recovery_codes(
                user=user, code=form.cleaned_data["code"], now=timezone.now()
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("New recovery codes made; the old ones no longer work."))
            return _show_recovery_codes(request, codes)
    return render(
        request,
        "accounts/mfa_recovery_codes.html",
        {"form": form, "status": status},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def mfa_disable(request: HttpRequest) -> HttpResponse:
    """Turn two-factor off with the current password and a code (refused for staff)."""
    user = _signed_in(request)
    status = mfa_service.mfa_status(user=user)
    if not status.enabled:
        return redirect("accounts:mfa_setup")
    form = MfaDisableForm(request.POST if request.method == "POST" else None)
    refused = False
    if request.method == "POST" and form.is_valid():
        try:
            mfa_service.mfa_disable(
                user=user,
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
                now=timezone.now(),
            )
        except PermissionDenied as exc:
            refused = True
            messages.error(request, exc.message)
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("Two-factor authentication is now off."))
            return redirect("accounts:mfa_setup")
    return render(
        request,
        "accounts/mfa_disable.html",
        {"form": form, "staff": user.is_staff_role},
        status=403 if refused else (422 if form.errors else 200),
    )
