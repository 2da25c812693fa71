"""Reads about consent for pages and endpoints (issue 2 §7; ADR 0006).

The guards that later capabilities call (`consent_require_health_processing`,
`consent_sharing_allowed`) live in `accounts/services/consent.py` as ADR 0006 says; this
module holds the reads behind the consent page and the consent API.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.utils.translation import gettext as _

from backrelief.accounts.models import SHARING_PURPOSES, Consent, ConsentPurpose, Role, User
from backrelief.core.errors import Invalid


def consent_history(*, user: User) -> list[Consent]:
    """Every consent row of `user`, live and withdrawn, newest first (§7 "history visible")."""
    return list(
        Consent.objects.filter(user=user).select_related("grantee").order_by("-given_at", "-id")
    )


@dataclass(frozen=True)
class ConsentOverview:
    """What the consent page shows: the health-data consent state, sharing and history."""

    health: Consent | None  # the live health-data consent, if any
    health_withdrawn: bool  # it was given once and is now withdrawn
    sharing: list[Consent]  # live sharing consents
    history: list[Consent]


def consent_overview(*, user: User) -> ConsentOverview:
    """The consent page's state from a single query over the person's history."""
    history = consent_history(user=user)
    health_rows = [c for c in history if c.purpose == ConsentPurpose.HEALTH_DATA]
    live_health = next((c for c in health_rows if c.withdrawn_at is None), None)
    return ConsentOverview(
        health=live_health,
        health_withdrawn=live_health is None and bool(health_rows),
        sharing=[c for c in history if c.purpose in SHARING_PURPOSES and c.withdrawn_at is None],
        history=history,
    )


def consent_grantee_get(*, public_id: uuid.UUID | str) -> User:
    """The active therapist a person may name as grantee, by public id.

    Anything else (unknown id, a client, a staff member, a deactivated account) is the same
    field error, so the endpoint does not reveal which public ids exist.
    """
    grantee = (
        User.objects.filter(public_id=str(public_id), role=Role.THERAPIST, is_active=True).first()
        if _is_uuid(public_id)
        else None
    )
    if grantee is None:
        raise Invalid(
            _("No therapist with this id; check the id on the therapist's profile."),
            fields={"grantee": [_("Choose an active therapist.")]},
        )
    return grantee


def _is_uuid(value: uuid.UUID | str) -> bool:
    if isinstance(value, uuid.UUID):
        return True
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
