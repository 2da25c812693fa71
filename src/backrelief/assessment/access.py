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
from backrelief.assessment.models import Assessment
from backrelief.core.audit import audit_health_access
from backrelief.core.errors import NotFound

OBJECT_TYPE = "assessment"


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
