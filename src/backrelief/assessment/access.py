"""Who may see a stored assessment (issue 3 item 7; STYLE.md rule 5).

Today only its owner. Anyone else gets NotFound, exactly as for an id that does not exist, so
nobody learns that another person's assessment exists; the attempt is audited (DOMAIN §2.1,
issue 2 §8). Later capabilities add consented therapists here, and every read they make is
audited too (`audit_health_access` records any reader who is not the owner).
"""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _

from backrelief.accounts.models import User
from backrelief.assessment.models import Assessment, AssessmentDraft
from backrelief.core.audit import audit_health_access
from backrelief.core.errors import NotFound

OBJECT_TYPE = "assessment"
DRAFT_OBJECT_TYPE = "assessment_draft"


def _not_found() -> NotFound:
    return NotFound(_("Assessment not found. Open it from your list of assessments."))


def assessment_get_for_view(*, user: User, public_id: uuid.UUID | str) -> Assessment:
    """The assessment `public_id` if `user` may see it, else NotFound (foreign = absent)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise _not_found() from None
    assessment = Assessment.objects.select_related("owner").filter(public_id=key).first()
    if assessment is None:
        raise _not_found()
    allowed = assessment.owner_id == user.pk
    audit_health_access(
        actor=user,
        subject=assessment.owner,
        action="health.read",
        object_type=OBJECT_TYPE,
        object_id=str(assessment.public_id),
        allowed=allowed,
    )
    if not allowed:
        raise _not_found()
    return assessment


def _draft_not_found() -> NotFound:
    return NotFound(_("Draft not found. Open it from your list of assessments."))


def _uuid(public_id: uuid.UUID | str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(public_id))
    except ValueError:
        return None


def draft_get_for_owner(*, user: User, public_id: uuid.UUID | str) -> AssessmentDraft:
    """The draft `public_id` if it is `user`'s own, else NotFound (foreign = absent).

    Only the owner may see or change a draft (issue 4); anyone else's attempt is audited as a
    denied health-data read. Call it outside a transaction that the NotFound would roll back
    (adapters call it first, then the service), so the audit row stays.
    """
    key = _uuid(public_id)
    if key is None:
        raise _draft_not_found()
    draft = (
        AssessmentDraft.objects.select_related("owner", "submitted_assessment")
        .filter(public_id=key)
        .first()
    )
    if draft is None:
        raise _draft_not_found()
    if draft.owner_id != user.pk:
        audit_health_access(
            actor=user,
            subject=draft.owner,
            action="health.read",
            object_type=DRAFT_OBJECT_TYPE,
            object_id=str(draft.public_id),
            allowed=False,
        )
        raise _draft_not_found()
    return draft
