"""Reads for reviews (issue 5 item 3): the public list under a profile, a therapist's own
reviews, the staff queue of reported reviews, and a client's reviewable sessions.

Privacy rule (issue 5 item 3; docs/rules.md "Therapists: reviews"): a review names its author
only when the author chose `show_name` (and has a display name); otherwise it shows a stable
pseudonym derived from the *review's* public id ("Client 7F3A"), never from the user's id or
email, so two reviews by the same person cannot be linked through the pseudonym.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from backrelief.accounts.models import User
from backrelief.scheduling.models import Booking
from backrelief.therapists.models import Review, ReviewReply, ReviewReport, TherapistProfile
from backrelief.therapists.rating import PRIOR_MEAN, PRIOR_WEIGHT

PER_PAGE = 10


def review_pseudonym(public_id: uuid.UUID) -> str:
    """ "Client 7F3A": four hex digits of a hash of the review's public id (stable, unlinkable
    between reviews of one author)."""
    digest = hashlib.sha256(public_id.bytes).hexdigest()[:4].upper()
    return _("Client %(code)s") % {"code": digest}


def review_author_label(review: Review) -> str:
    """The name shown for a review: the display name only if the author chose to show it."""
    if review.show_name and review.author.display_name.strip():
        return review.author.display_name.strip()
    return review_pseudonym(review.public_id)


@dataclass(frozen=True)
class ReviewItem:
    """One review as shown publicly (no author identity unless `show_name`)."""

    public_id: uuid.UUID
    rating: int
    text: str
    created_at: dt.datetime
    author_label: str
    reply_text: str | None
    reply_at: dt.datetime | None

    @property
    def created_on(self) -> dt.date:
        return self.created_at.date()


@dataclass(frozen=True)
class ReviewPage:
    """One page of reviews, newest first; `number` is clamped into 1..`num_pages`."""

    items: list[ReviewItem]
    number: int
    num_pages: int
    count: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def ordering_note(self) -> str:
        """Plain words for the Bayesian ordering (`therapists/rating.py`), for the partial."""
        return _(
            "The directory orders therapists by a weighted rating: everyone starts as if they "
            "had %(weight)d reviews of %(mean).1f stars, and each real review pulls the figure "
            "toward their own average. So one 5-star review cannot outrank a long record of "
            "good ones. Hidden reviews do not count."
        ) % {"weight": PRIOR_WEIGHT, "mean": PRIOR_MEAN}

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1


def review_item(review: Review) -> ReviewItem:
    """The public view of one review (reads `author` and `reply`; select them first)."""
    reply = review_reply_of(review)
    return ReviewItem(
        public_id=review.public_id,
        rating=review.rating,
        text=review.text,
        created_at=review.created_at,
        author_label=review_author_label(review),
        reply_text=reply.text if reply is not None else None,
        reply_at=reply.updated_at if reply is not None else None,
    )


def review_reply_of(review: Review) -> ReviewReply | None:
    """The therapist's reply to `review`, None without one (a reverse one-to-one raises)."""
    try:
        return review.reply
    except ReviewReply.DoesNotExist:
        return None


def _visible(therapist: TherapistProfile) -> QuerySet[Review]:
    return (
        Review.objects.filter(therapist=therapist, hidden_at__isnull=True)
        .select_related("author", "reply")
        .order_by("-created_at", "-id")
    )


def review_list_public(
    *, therapist: TherapistProfile, page: int | str | None = 1, per_page: int = PER_PAGE
) -> ReviewPage:
    """The visible (not hidden) reviews of `therapist`, newest first, one page (two queries).

    A bad or out-of-range page number gives the first or last page. Callers decide whether the
    therapist may be seen (`therapists.access.therapist_get_for_public`).
    """
    paginator = Paginator(_visible(therapist), per_page)
    current = paginator.get_page(page)
    return ReviewPage(
        items=[review_item(r) for r in current.object_list],
        number=current.number,
        num_pages=paginator.num_pages,
        count=paginator.count,
    )


# --- the therapist's own reviews, the staff queue, the author's reviews ---------------------


def review_list_for_therapist(*, therapist: TherapistProfile) -> list[Review]:
    """All reviews of `therapist`, hidden ones included (the owner sees why), newest first."""
    return list(
        Review.objects.filter(therapist=therapist)
        .select_related("author", "reply")
        .order_by("-created_at", "-id")
    )


def review_list_by_author(*, author: User) -> list[Review]:
    """The reviews `author` wrote, newest first, with the therapist's name."""
    return list(
        Review.objects.filter(author=author)
        .select_related("therapist", "booking", "reply")
        .order_by("-created_at", "-id")
    )


def review_list_reported() -> list[Review]:
    """Every review that was ever reported, for the staff queue: those with open reports first
    (oldest open report first), then the rest newest first. Each carries `open_reports` and
    `all_reports` counts; its reports are prefetched."""
    open_report = ReviewReport.objects.filter(review=OuterRef("pk"), resolved_at__isnull=True)
    return list(
        Review.objects.filter(Exists(ReviewReport.objects.filter(review=OuterRef("pk"))))
        .annotate(
            open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)),
            all_reports=Count("reports"),
            has_open=Exists(open_report),
        )
        .select_related("therapist", "author", "booking", "reply", "hidden_by")
        .prefetch_related("reports")
        .order_by("-has_open", "-created_at", "-id")
    )


def review_recount(*, therapist: TherapistProfile) -> tuple[int, int]:
    """(count, sum) of the visible reviews recomputed from the rows; tests compare it with the
    counters the services keep on the profile."""
    rows = Review.objects.filter(therapist=therapist, hidden_at__isnull=True)
    return rows.count(), sum(rows.values_list("rating", flat=True))


def review_exists_for_booking(*, booking: Booking) -> bool:
    """Whether the booking has been reviewed (hidden reviews included)."""
    return Review.objects.filter(booking=booking).exists()


def review_reported_by(*, review: Review, user: User) -> bool:
    """Whether `user` has already reported `review` (reports are once per person)."""
    return ReviewReport.objects.filter(review=review, reporter=user).exists()
