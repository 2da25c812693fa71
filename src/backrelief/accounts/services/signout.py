"""Ending one's own browser sessions from the sessions page and API (issue 2 §6).

`sessions.session_end` ends one session (and audits `session.ended`); this module adds
"sign out everywhere", which ends every session of the person, the current one included,
and audits it once as `session.ended_all`. Kept apart from `sessions.py` (the registry the
login and password flows share) so the audited use case has one writer.
"""

from __future__ import annotations

from django.db import transaction

from backrelief.accounts.models import User
from backrelief.accounts.services.sessions import sessions_end_all
from backrelief.core.audit import audit_record


@transaction.atomic
def sessions_sign_out_everywhere(*, user: User) -> int:
    """End all of `user`'s browser sessions; returns how many ended.

    The caller also signs the current request out (its session row is already gone).
    Personal access tokens are not sessions and stay valid; they are revoked on their own page.
    """
    ended = sessions_end_all(user=user)
    audit_record(
        action="session.ended_all",
        actor=user,
        subject=user,
        object_type="session",
        object_id=str(ended),
    )
    return ended
