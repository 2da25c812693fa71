"""Who may see or change which therapist object (issue 5; STYLE.md rule 5).

- A therapist's own profile, services, credentials and evidence: the therapist (role
  therapist, owner) and staff. Anyone else gets NotFound, as for an id that does not exist.
- A public profile: anyone while the therapist is listed (`selectors.listed_q`); the owner
  and staff also see it while unlisted (a preview), everyone else gets NotFound.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from backrelief.accounts.models import Role, User
from backrelief.core.audit import audit_record
from backrelief.core.errors import NotFound, PermissionDenied
from backrelief.core.models import AuditOutcome
from backrelief.therapists.credentials import EVIDENCE_TYPES
from backrelief.therapists.evidence import Kind, evidence_open
from backrelief.therapists.models import Certification, Licence, TherapistProfile
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


# --- credentials (issue 5 item 2) -----------------------------------------------------------------
# Licences, certifications and their evidence files: the owner and staff; anyone else gets
# NotFound. Staff pages use the `*_for_staff` lookups (others 404). Every evidence read is
# audited (`licence.evidence_read` / `certification.evidence_read`, subject = the therapist);
# a refused read of an existing file is audited as denied.


def _licence_not_found() -> NotFound:
    return NotFound(_("Licence not found. Open it from the credentials page."))


def _certification_not_found() -> NotFound:
    return NotFound(_("Certification not found. Open it from the credentials page."))


def _may_see_credentials(*, user: User, licence_or_cert: Licence | Certification) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (licence_or_cert.therapist.user_id == user.pk or user.role == Role.STAFF)
    )


def licence_get_for_owner_or_staff(*, user: User, public_id: uuid.UUID | str) -> Licence:
    """A licence for its owner (the therapist) or staff; anyone else gets NotFound."""
    key = _uuid(public_id)
    row = (
        None
        if key is None
        else Licence.objects.select_related("therapist__user", "decided_by")
        .filter(public_id=key)
        .first()
    )
    if row is None or not _may_see_credentials(user=user, licence_or_cert=row):
        raise _licence_not_found()
    return row


def certification_get_for_owner_or_staff(
    *, user: User, public_id: uuid.UUID | str
) -> Certification:
    """A certification for its owner or staff; anyone else gets NotFound."""
    key = _uuid(public_id)
    row = (
        None
        if key is None
        else Certification.objects.select_related("therapist__user", "decided_by")
        .filter(public_id=key)
        .first()
    )
    if row is None or not _may_see_credentials(user=user, licence_or_cert=row):
        raise _certification_not_found()
    return row


def licence_get_for_owner(*, user: User, public_id: uuid.UUID | str) -> Licence:
    """A licence its owner may edit; staff and everyone else get NotFound (edit pages)."""
    row = licence_get_for_owner_or_staff(user=user, public_id=public_id)
    if row.therapist.user_id != user.pk:
        raise _licence_not_found()
    return row


def certification_get_for_owner(*, user: User, public_id: uuid.UUID | str) -> Certification:
    """A certification its owner may edit; everyone else gets NotFound (edit pages)."""
    row = certification_get_for_owner_or_staff(user=user, public_id=public_id)
    if row.therapist.user_id != user.pk:
        raise _certification_not_found()
    return row


def licence_get_for_staff(*, user: User, public_id: uuid.UUID | str) -> Licence:
    """A licence on the staff review page: staff only, everyone else NotFound."""
    if user.role != Role.STAFF:
        raise _licence_not_found()
    return licence_get_for_owner_or_staff(user=user, public_id=public_id)


def certification_get_for_staff(*, user: User, public_id: uuid.UUID | str) -> Certification:
    """A certification on the staff review page: staff only, everyone else NotFound."""
    if user.role != Role.STAFF:
        raise _certification_not_found()
    return certification_get_for_owner_or_staff(user=user, public_id=public_id)


@dataclass(frozen=True)
class EvidenceFile:
    """An opened evidence file to stream as an attachment."""

    handle: IO[bytes]
    content_type: str
    filename: str


def _evidence_open(
    *,
    user: User,
    kind: Kind,
    row: Licence | Certification | None,
    not_found: NotFound,
    now: dt.datetime,
) -> EvidenceFile:
    if row is None or not row.evidence_name:
        raise not_found
    therapist_user = row.therapist.user
    allowed = _may_see_credentials(user=user, licence_or_cert=row)
    audit_record(
        action=f"{kind}.evidence_read",
        actor=user if user.is_authenticated else None,
        subject=therapist_user,
        object_type=kind,
        object_id=str(row.public_id),
        outcome=AuditOutcome.ALLOWED if allowed else AuditOutcome.DENIED,
        at=now,
    )
    if not allowed:
        raise not_found
    try:
        handle = evidence_open(kind, row.evidence_name)
    except FileNotFoundError:
        raise not_found from None
    suffix = EVIDENCE_TYPES.get(row.evidence_content_type, "")
    return EvidenceFile(
        handle=handle,
        content_type=row.evidence_content_type or "application/octet-stream",
        filename=f"{kind}-evidence-{row.public_id}{suffix}",
    )


def licence_evidence_open(
    *, user: User, public_id: uuid.UUID | str, now: dt.datetime
) -> EvidenceFile:
    """The licence's evidence file for its owner or staff, audited `licence.evidence_read`
    (denied attempts too); anyone else, or no file, gets NotFound."""
    key = _uuid(public_id)
    row = (
        None
        if key is None
        else Licence.objects.select_related("therapist__user").filter(public_id=key).first()
    )
    return _evidence_open(
        user=user, kind="licence", row=row, not_found=_licence_not_found(), now=now
    )


def certification_evidence_open(
    *, user: User, public_id: uuid.UUID | str, now: dt.datetime
) -> EvidenceFile:
    """The certification's evidence file for its owner or staff, audited
    `certification.evidence_read`; anyone else, or no file, gets NotFound."""
    key = _uuid(public_id)
    row = (
        None
        if key is None
        else Certification.objects.select_related("therapist__user").filter(public_id=key).first()
    )
    return _evidence_open(
        user=user, kind="certification", row=row, not_found=_certification_not_found(), now=now
    )
