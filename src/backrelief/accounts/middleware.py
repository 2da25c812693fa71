"""Session policy (idle 30 min, absolute 12 h) and per-user time zone and language."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from backrelief.accounts.services import sessions

LOGIN_AT = "br_login_at"
SEEN_AT = "br_seen_at"
_TOUCH_EVERY_S = 60  # write last-seen at most once a minute


class SessionPolicyMiddleware:
    """Ends a browser session after 30 idle minutes or 12 hours in all (issue 2 §6).

    Token-authenticated API calls carry no session and are not affected.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = timezone.now().timestamp()
            login_at = float(request.session.get(LOGIN_AT, now))
            seen_at = float(request.session.get(SEEN_AT, now))
            expiry = sessions.expiry_reason(
                now=now,
                login_at=login_at,
                seen_at=seen_at,
                idle_s=settings.SESSION_IDLE_TIMEOUT_S,
                absolute_s=settings.SESSION_ABSOLUTE_TIMEOUT_S,
            )
            if expiry is not None:
                sessions.session_expire(request=request, user=user, reason=expiry)
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {
                            "code": "session_expired",
                            "detail": _("Your session expired; sign in again."),
                        },
                        status=401,
                    )
                messages.info(request, _("Your session expired. Please sign in again."))
                return redirect(f"{settings.LOGIN_URL_PATH}?{urlencode({'next': request.path})}")
            if now - seen_at >= _TOUCH_EVERY_S or SEEN_AT not in request.session:
                request.session[SEEN_AT] = now
                request.session.setdefault(LOGIN_AT, now)
                sessions.session_touch(request=request)
        return self.get_response(request)


class UserPreferencesMiddleware:
    """Activates the signed-in person's time zone and language for this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
            if user.locale in dict(settings.LANGUAGES):
                translation.activate(user.locale)
                request.LANGUAGE_CODE = user.locale
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
