"""Sign-up, email verification, sign-in/out and password pages (issue 2 §6).

Adapters only (STYLE.md): parse the form, call one service, map `DomainError` to form errors
(`core.forms.form_add_domain_error`) and render. Every page works without JavaScript.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backrelief.accounts.forms.auth import (
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    PasswordResetRequestForm,
    SignupForm,
    VerifyResendForm,
)
from backrelief.accounts.models import User
from backrelief.accounts.services import auth as auth_service
from backrelief.accounts.services import passwords as password_service
from backrelief.core.errors import Conflict, DomainError, Invalid, RateLimited
from backrelief.core.forms import form_add_domain_error
from backrelief.core.middleware import client_ip


def _status(form: object) -> int:
    return 422 if getattr(form, "errors", None) else 200


def _safe_next(request: HttpRequest) -> str | None:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


# --- sign-up and verification -------------------------------------------------------------------


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account as client or therapist; the verification link is mailed."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            auth_service.user_signup(**form.cleaned_data)
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            return redirect("accounts:signup_done")
    return render(request, "accounts/signup_form.html", {"form": form}, status=_status(form))


@require_GET
def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_done.html")


@require_GET
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """Open the link from the verification mail.

    Verifying on GET is deliberate: the link only proves the mailbox is reachable and cannot
    be used for anything else, so a mail scanner opening it does no harm.
    """
    try:
        auth_service.email_verify(token=token)
    except Conflict as exc:
        return render(request, "accounts/email_verified.html", {"already": True, "note": exc})
    except DomainError as exc:
        return render(request, "accounts/email_verified.html", {"error": exc.message}, status=400)
    return render(request, "accounts/email_verified.html", {})


@login_required
@require_http_methods(["GET", "POST"])
def verify_resend(request: HttpRequest) -> HttpResponse:
    """Send the verification link again to the signed-in person's address."""
    user = _signed_in(request)
    form = VerifyResendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            auth_service.email_verification_send(user=user)
        except DomainError as exc:
            messages.info(request, exc.message)
            return redirect(settings.LOGIN_REDIRECT_URL)
        messages.success(request, _("We sent a new link. It may take a few minutes to arrive."))
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/email_resend.html", {"form": form})


# --- sign-in and sign-out -----------------------------------------------------------------------


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Password step of signing in; hands over to the two-factor step when it is on."""
    next_url = _safe_next(request)
    if request.user.is_authenticated and request.method == "GET":
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    form = LoginForm(request.POST if request.method == "POST" else None)
    status = 200
    retry_after: int | None = None
    if request.method == "POST" and form.is_valid():
        try:
            user = auth_service.login_attempt(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                ip=client_ip(request),
            )
        except RateLimited as exc:
            form.add_error(None, exc.message)
            status, retry_after = 429, exc.retry_after_s
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            step = auth_service.login_after_password(request=request, user=user, next_url=next_url)
            if step == "mfa":
                return redirect("accounts:login_mfa")
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    if form.errors and status == 200:
        status = 422
    response = render(
        request, "accounts/login_form.html", {"form": form, "next": next_url}, status=status
    )
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


@login_required
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Sign out (POST only, so a link or image cannot sign anyone out)."""
    auth_service.logout_user(request=request)
    messages.info(request, _("You are signed out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


# --- passwords ----------------------------------------------------------------------------------


@sensitive_post_parameters("current_password", "new_password")
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's password; every other session is signed out."""
    user = _signed_in(request)
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            ended = password_service.password_change(
                request=request,
                user=user,
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            if ended:
                messages.success(
                    request,
                    _("Your password was changed and your other sessions were signed out."),
                )
            else:
                messages.success(request, _("Your password was changed."))
            return redirect("accounts:profile")
    return render(
        request, "accounts/password_change_form.html", {"form": form}, status=_status(form)
    )


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a reset link; the answer is the same whether or not the address has an account."""
    form = PasswordResetRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        password_service.password_reset_request(email=form.cleaned_data["email"])
        return redirect("accounts:password_reset_done")
    return render(
        request, "accounts/password_reset_form.html", {"form": form}, status=_status(form)
    )


@require_GET
def password_reset_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html")


@sensitive_post_parameters("new_password")
@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Choose a new password from a reset link (single use, 60 minutes)."""
    try:
        password_service.password_reset_check(uidb64=uidb64, token=token)
    except Invalid as exc:
        return render(
            request, "accounts/password_reset_confirm.html", {"link_error": exc.message}, status=400
        )
    form = PasswordResetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            password_service.password_reset_confirm(
                uidb64=uidb64, token=token, new_password=form.cleaned_data["new_password"]
            )
        except Invalid as exc:
            if not exc.fields:
                return render(
                    request,
                    "accounts/password_reset_confirm.html",
                    {"link_error": exc.message},
                    status=400,
                )
            form_add_domain_error(form, exc)
        else:
            return redirect("accounts:password_reset_complete")
    return render(
        request, "accounts/password_reset_confirm.html", {"form": form}, status=_status(form)
    )


@require_GET
def password_reset_complete(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_complete.html")
