"""Reviews, replies, reports and moderation (issue 5 item 3; docs/rules.md "Therapists: reviews").

Counters: `TherapistProfile.review_count` / `review_sum` cover the *visible* reviews. Every
service that changes visibility changes them in the same transaction with F() expressions
(never read-modify-write), guarded by a conditional UPDATE on the review so a double click
cannot count twice; the database check `therapist_review_sum_in_range` is the last defence.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from backrelief.accounts.models import User
from backrelief.core.audit import audit_record
from backrelief.core.errors import Conflict, Invalid
from backrelief.scheduling import completion
from backrelief.scheduling.access import booking_get_for_client
from backrelief.therapists.access_reviews import (
    review_get_for_report,
    review_get_for_staff,
    review_get_for_therapist,
)
from backrelief.therapists.models import (
    ReportReason,
    Review,
    ReviewReply,
    ReviewReport,
    TherapistProfile,
)

TEXT_MIN = 10
TEXT_MAX = 2000
REPLY_MAX = 1000
REASON_MAX = 500
NOTE_MAX = 500


def review_block_message(block: str, *, days: int) -> str:
    """Plain words for a `scheduling.completion.review_block` code."""
    messages = {
        "cancelled": _("This session was cancelled, so it cannot be reviewed."),
        "no_show": _("This session was marked as a no-show, so it cannot be reviewed."),
        "not_ended": _("This session has not taken place yet. You can review it after it ends."),
        "awaiting_completion": _(
            "This session is not completed yet. You can review it once the therapist marks "
            "it completed, or 12 hours after its end."
        ),
        "window_closed": _(
            "Reviews are accepted up to %(days)d days after a session; this one is too old."
        )
        % {"days": days},
    }
    return messages[block]


def _audit(action: str, *, actor: User, review: Review, now: dt.datetime) -> None:
    audit_record(
        action=action,
        actor=actor,
        subject=review.therapist.user,
        object_type="review",
        object_id=str(review.public_id),
        at=now,
    )


def _clean_text(value: object, *, field: str, minimum: int, maximum: int, what: str) -> str:
    text = str(value or "").strip()
    if len(text) < minimum:
        message = (
            _("Write your %(what)s.") % {"what": what}
            if minimum <= 1
            else _("Write at least %(n)d characters.") % {"n": minimum}
        )
        raise Invalid(_("Check the %(what)s.") % {"what": what}, fields={field: [message]})
    if len(text) > maximum:
        raise Invalid(
            _("Check the %(what)s.") % {"what": what},
            fields={
                field: [
                    _("Keep it to %(n)d characters (now %(len)d).")
                    % {"n": maximum, "len": len(text)}
                ]
            },
        )
    return text


def _counters(therapist: TherapistProfile, *, count: int, total: int) -> None:
    TherapistProfile.objects.filter(pk=therapist.pk).update(
        review_count=F("review_count") + count, review_sum=F("review_sum") + total
    )


@transaction.atomic
def review_create(
    *,
    author: User,
    booking_id: uuid.UUID | str,
    rating: object,
    text: object,
    show_name: bool = False,
    now: dt.datetime,
) -> Review:
    """The booking's client reviews it (issue 5 item 3).

    Rules, in order: the booking is the author's own (else NotFound); not reviewed yet
    (Conflict "review_exists", also enforced by the one-to-one column); it counts as completed
    at `now` and ended no more than settings.REVIEW_WINDOW_DAYS ago (Conflict naming why, see
    `scheduling.completion.review_block`); rating a whole number 1 to 5 (Invalid on "rating");
    text 10 to 2,000 characters after trimming (Invalid on "text"). Shown under a pseudonym
    unless `show_name`. The therapist's counters grow in the same transaction; audited
    "review.created".
    """
    booking = booking_get_for_client(user=author, public_id=booking_id)
    if Review.objects.filter(booking=booking).exists():
        raise Conflict(
            _("You have already reviewed this session. Each session can be reviewed once."),
            code="review_exists",
        )
    window = settings.REVIEW_WINDOW_DAYS
    block = completion.review_block(
        status=booking.status, end=booking.end, now=now, window_days=window
    )
    if block is not None:
        raise Conflict(review_block_message(block, days=window), code=block)
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise Invalid(
            _("Check the rating."),
            fields={"rating": [_("Choose a rating from 1 to 5 stars.")]},
        )
    clean = _clean_text(text, field="text", minimum=TEXT_MIN, maximum=TEXT_MAX, what=_("review"))
    review = Review(
        booking=booking,
        therapist=booking.therapist,
        author=author,
        rating=rating,
        text=clean,
        show_name=bool(show_name),
        created_at=now,
    )
    review.full_clean(exclude=["booking"])  # uniqueness: checked above and by the database
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:  # a concurrent request reviewed the same booking
        raise Conflict(
            _("You have already reviewed this session. Each session can be reviewed once."),
            code="review_exists",
        ) from None
    _counters(booking.therapist, count=1, total=rating)
    _audit("review.created", actor=author, review=review, now=now)
    return review


@transaction.atomic
def review_reply_set(
    *, user: User, review_id: uuid.UUID | str, text: object, now: dt.datetime
) -> ReviewReply:
    """The reviewed therapist writes or edits their one public reply (1 to 1,000 characters
    after trimming; issue 5 item 3). Anyone else gets NotFound (non-therapists
    PermissionDenied)."""
    review = review_get_for_therapist(user=user, public_id=review_id)
    clean = _clean_text(text, field="text", minimum=1, maximum=REPLY_MAX, what=_("reply"))
    reply = ReviewReply.objects.filter(review=review).first()
    if reply is None:
        reply = ReviewReply(review=review, text=clean, created_at=now, updated_at=now)
    else:
        reply.text = clean
        reply.updated_at = now
    reply.full_clean()
    reply.save()
    return reply


@transaction.atomic
def review_report(
    *,
    user: User,
    review_id: uuid.UUID | str,
    reason: object,
    note: object = "",
    now: dt.datetime,
) -> ReviewReport:
    """A signed-in person reports a review they can see to staff, once (issue 5 item 3).

    Anyone signed in may report, the author included: a review cannot be edited, so reporting
    is how an author asks staff to remove what reveals too much. The reason is one of
    `ReportReason`; the note is optional (up to 500 characters). A second report by the same
    person is a Conflict. Audited "review.reported".
    """
    review = review_get_for_report(user=user, public_id=review_id, now=now)
    if reason not in ReportReason.values:
        raise Invalid(
            _("Check the reason."), fields={"reason": [_("Choose a reason from the list.")]}
        )
    clean_note = str(note or "").strip()
    if len(clean_note) > NOTE_MAX:
        raise Invalid(
            _("Check the note."),
            fields={"note": [_("Keep it to %(n)d characters.") % {"n": NOTE_MAX}]},
        )
    if ReviewReport.objects.filter(review=review, reporter=user).exists():
        raise Conflict(
            _("You have already reported this review. Staff will look at it."),
            code="report_exists",
        )
    report = ReviewReport(
        review=review, reporter=user, reason=str(reason), note=clean_note, created_at=now
    )
    report.full_clean(exclude=["review", "reporter"])
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise Conflict(
            _("You have already reported this review. Staff will look at it."),
            code="report_exists",
        ) from None
    _audit("review.reported", actor=user, review=review, now=now)
    return report


def _resolve_reports(review: Review, *, staff: User, now: dt.datetime) -> int:
    return ReviewReport.objects.filter(review=review, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=staff
    )


@transaction.atomic
def review_hide(
    *, staff: User, review_id: uuid.UUID | str, reason: object, now: dt.datetime
) -> Review:
    """Staff hide a review with a reason (issue 5 item 3): it leaves the public list and the
    rating (counters decrease), its open reports are resolved, audited "review.hidden".
    Already hidden: Conflict. The review stays stored so the decision can be reversed."""
    review = review_get_for_staff(user=staff, public_id=review_id)
    clean = _clean_text(reason, field="reason", minimum=1, maximum=REASON_MAX, what=_("reason"))
    hidden = Review.objects.filter(pk=review.pk, hidden_at__isnull=True).update(
        hidden_at=now, hidden_by=staff, hidden_reason=clean
    )
    if hidden != 1:
        raise Conflict(_("This review is already hidden."), code="review_hidden")
    _counters(review.therapist, count=-1, total=-review.rating)
    _resolve_reports(review, staff=staff, now=now)
    review.refresh_from_db()
    _audit("review.hidden", actor=staff, review=review, now=now)
    return review


@transaction.atomic
def review_unhide(*, staff: User, review_id: uuid.UUID | str, now: dt.datetime) -> Review:
    """Staff show a hidden review again: back in the list and the rating (counters increase),
    audited "review.unhidden". Not hidden: Conflict."""
    review = review_get_for_staff(user=staff, public_id=review_id)
    shown = Review.objects.filter(pk=review.pk, hidden_at__isnull=False).update(
        hidden_at=None, hidden_by=None, hidden_reason=""
    )
    if shown != 1:
        raise Conflict(_("This review is not hidden."), code="review_not_hidden")
    _counters(review.therapist, count=1, total=review.rating)
    review.refresh_from_db()
    _audit("review.unhidden", actor=staff, review=review, now=now)
    return review


@transaction.atomic
def review_reports_dismiss(*, staff: User, review_id: uuid.UUID | str, now: dt.datetime) -> int:
    """Staff resolve a review's open reports without hiding it; returns how many. No open
    report: Conflict. Audited "review.reports_dismissed"."""
    review = review_get_for_staff(user=staff, public_id=review_id)
    resolved = _resolve_reports(review, staff=staff, now=now)
    if resolved == 0:
        raise Conflict(_("This review has no open reports."), code="no_open_reports")
    _audit("review.reports_dismissed", actor=staff, review=review, now=now)
    return resolved
