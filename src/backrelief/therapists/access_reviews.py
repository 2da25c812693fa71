"""Who may see or act on which review (issue 5 item 3; STYLE.md rule 5).

- Reporting: any signed-in person may report a review they can see publicly — visible (not
  hidden) under a listed therapist; the reviewed therapist and staff also while unlisted.
- Replying: only the reviewed therapist (hidden reviews included, the reply stays with them).
- Moderation: staff only, every review.
Anyone else gets NotFound, as for an id that does not exist.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext as _

from backrelief.accounts.models import Role, User
from backrelief.core.errors import NotFound
from backrelief.therapists.access import require_staff, require_therapist
from backrelief.therapists.models import Review
from backrelief.therapists.selectors import therapist_is_listed


def _review_not_found() -> NotFound:
    return NotFound(_("Review not found. It may have been removed."))


def _review(public_id: uuid.UUID | str) -> Review | None:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return (
        Review.objects.select_related("therapist", "therapist__user", "author")
        .filter(public_id=key)
        .first()
    )


def review_get_for_report(*, user: User, public_id: uuid.UUID | str, now: dt.datetime) -> Review:
    """A review `user` can see publicly (and so may report), else NotFound."""
    review = _review(public_id)
    if review is None or review.hidden_at is not None:
        raise _review_not_found()
    if review.therapist.user_id == user.pk or user.role == Role.STAFF:
        return review
    if not review.therapist.user.is_active or not therapist_is_listed(
        therapist=review.therapist, now=now
    ):
        raise _review_not_found()
    return review


def review_get_for_therapist(*, user: User, public_id: uuid.UUID | str) -> Review:
    """A review of `user`'s own profile (to reply), else NotFound; non-therapists get
    PermissionDenied."""
    require_therapist(user=user)
    review = _review(public_id)
    if review is None or review.therapist.user_id != user.pk:
        raise _review_not_found()
    return review


def review_get_for_staff(*, user: User, public_id: uuid.UUID | str) -> Review:
    """Any review, for staff moderation; PermissionDenied for everyone else."""
    require_staff(user=user)
    review = _review(public_id)
    if review is None:
        raise _review_not_found()
    return review
