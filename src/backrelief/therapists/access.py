"""Who may see or change which therapist object (issue 5; STYLE.md rule 5).

- A therapist's own profile, services, credentials and evidence: the therapist (role
  therapist, owner) and staff. Anyone else gets NotFound, as for an id that does not exist.
- A public profile: anyone while the therapist is listed (`selectors.listed_q`); the owner
  and staff also see it while unlisted (a preview), everyone else gets NotFound.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext as _

from backrelief.accounts.models import Role, User
from backrelief.core.errors import NotFound, PermissionDenied
from backrelief.therapists.models import TherapistProfile
from backrelief.therapists.selectors import therapist_is_listed


def _uuid(public_id: uuid.UUID | str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(public_id))
    except ValueError:
        return None


def _therapist_not_found() -> NotFound:
    return NotFound(_("Therapist not found. Find one in the directory."))


def require_therapist(*, user: User) -> None:
    """PermissionDenied unless the person has the therapist role."""
    if user.role != Role.THERAPIST:
        raise PermissionDenied(
            _("Only therapist accounts can do this. Sign up as a therapist to offer sessions."),
            code="therapist_only",
        )


def require_staff(*, user: User) -> None:
    """PermissionDenied unless the person has the staff role (two-factor is enforced by the
    MFA middleware for every staff request)."""
    if user.role != Role.STAFF:
        raise PermissionDenied(_("Only staff can do this."), code="staff_only")


def own_profile_or_none(*, user: User) -> TherapistProfile | None:
    """The therapist's own profile, None before onboarding; PermissionDenied for non-therapists."""
    require_therapist(user=user)
    return TherapistProfile.objects.filter(user=user).first()


def own_profile(*, user: User) -> TherapistProfile:
    """The therapist's own profile, or NotFound telling them to start onboarding."""
    profile = own_profile_or_none(user=user)
    if profile is None:
        raise NotFound(
            _("You have no therapist profile yet. Start the onboarding to create it."),
            code="no_profile",
        )
    return profile


def therapist_get_for_public(
    *, user: User | None, public_id: uuid.UUID | str, now: dt.datetime
) -> TherapistProfile:
    """A therapist's public profile: listed, or the viewer is its owner or staff."""
    key = _uuid(public_id)
    if key is None:
        raise _therapist_not_found()
    profile = TherapistProfile.objects.select_related("user").filter(public_id=key).first()
    if profile is None:
        raise _therapist_not_found()
    if user is not None and (profile.user_id == user.pk or user.role == Role.STAFF):
        return profile
    if not profile.user.is_active or not therapist_is_listed(therapist=profile, now=now):
        raise _therapist_not_found()
    return profile


def therapist_get_for_owner_or_staff(*, user: User, public_id: uuid.UUID | str) -> TherapistProfile:
    """A therapist's private side (credentials, evidence): its owner or staff, else NotFound."""
    key = _uuid(public_id)
    profile = (
        None
        if key is None
        else TherapistProfile.objects.select_related("user").filter(public_id=key).first()
    )
    if profile is None or not (profile.user_id == user.pk or user.role == Role.STAFF):
        raise _therapist_not_found()
    return profile
