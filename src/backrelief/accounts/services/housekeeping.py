"""Housekeeping of security state that is no longer needed (run by `backrelief prune`).

- Login failures older than `LOGIN_FAILURE_RETENTION` no longer affect any lockout decision
  (the window is 15 minutes, the cool-off 15 more); the audit log keeps the history.
- Browser sessions past their 12-hour absolute lifetime, and `UserSession` rows whose Django
  session is already gone, are removed so the sessions page and the session table stay small.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction

from backrelief.accounts.models import LoginFailure, UserSession

LOGIN_FAILURE_RETENTION = dt.timedelta(days=1)


@dataclass(frozen=True)
class PruneResult:
    login_failures: int
    django_sessions: int
    user_sessions: int


@transaction.atomic
def security_state_prune(*, now: dt.datetime) -> PruneResult:
    """Delete login failures older than a day and sessions that can no longer be used."""
    failures, _ = LoginFailure.objects.filter(at__lt=now - LOGIN_FAILURE_RETENTION).delete()
    expired, _ = Session.objects.filter(expire_date__lt=now).delete()
    too_old = now - dt.timedelta(seconds=settings.SESSION_ABSOLUTE_TIMEOUT_S)
    live_keys = Session.objects.values("session_key")
    stale, _ = (
        UserSession.objects.filter(created_at__lt=too_old)
        | UserSession.objects.exclude(session_key__in=live_keys)
    ).delete()
    return PruneResult(login_failures=failures, django_sessions=expired, user_sessions=stale)
