"""JSON input and output for the review API (issue 5 items 3 and 5).

Public output never carries the author's identity: `author_label` is the display name only
if the author chose `show_name`, otherwise the review's pseudonym ("Client 7F3A"). Input is
parsed here; the rules (rating 1 to 5, text length, who may review) are the services', so
their 422/409 answers name the field and say what to do, as on the pages.
"""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Schema

from backrelief.scheduling.completion import review_window_closes
from backrelief.scheduling.models import Booking
from backrelief.therapists.models import ReportReason, Review, ReviewReply, ReviewReport
from backrelief.therapists.rating import Rating
from backrelief.therapists.selectors_reviews import (
    ReviewItem,
    ReviewPage,
    review_author_label,
    review_reply_of,
)


class RatingOut(Schema):
    count: int = Field(description="Visible reviews.")
    mean: float | None = Field(description="Plain average of the visible ratings; null if none.")
    bayesian: float = Field(
        description="The figure the directory orders by: prior 4.0 weighted as 10 reviews."
    )
    summary: str = Field(description='Plain words, e.g. "4.7 from 31 reviews".')

    @staticmethod
    def of(rating: Rating) -> RatingOut:
        return RatingOut(
            count=rating.count,
            mean=None if rating.mean is None else round(rating.mean, 2),
            bayesian=round(rating.bayesian, 3),
            summary=rating.summary(),
        )


class ReplyOut(Schema):
    text: str
    updated_at: dt.datetime

    @staticmethod
    def of(reply: ReviewReply) -> ReplyOut:
        return ReplyOut(text=reply.text, updated_at=reply.updated_at)


class PublicReviewOut(Schema):
    review_id: uuid.UUID
    rating: int
    text: str
    created_at: dt.datetime
    author_label: str = Field(
        description="The author's display name if they chose to show it, else a pseudonym."
    )
    reply: ReplyOut | None

    @staticmethod
    def of(item: ReviewItem) -> PublicReviewOut:
        reply = (
            ReplyOut(text=item.reply_text, updated_at=item.reply_at)
            if item.reply_text is not None and item.reply_at is not None
            else None
        )
        return PublicReviewOut(
            review_id=item.public_id,
            rating=item.rating,
            text=item.text,
            created_at=item.created_at,
            author_label=item.author_label,
            reply=reply,
        )


class PublicReviewPageOut(Schema):
    rating: RatingOut
    page: int
    num_pages: int
    count: int
    items: list[PublicReviewOut]

    @staticmethod
    def of(page: ReviewPage, rating: Rating) -> PublicReviewPageOut:
        return PublicReviewPageOut(
            rating=RatingOut.of(rating),
            page=page.number,
            num_pages=page.num_pages,
            count=page.count,
            items=[PublicReviewOut.of(i) for i in page.items],
        )


class ReviewableOut(Schema):
    booking_id: uuid.UUID
    therapist_id: uuid.UUID
    therapist_name: str
    start: dt.datetime
    end: dt.datetime
    review_closes_at: dt.datetime = Field(description="The last instant a review is accepted.")

    @staticmethod
    def of(booking: Booking, *, window_days: int) -> ReviewableOut:
        return ReviewableOut(
            booking_id=booking.public_id,
            therapist_id=booking.therapist.public_id,
            therapist_name=booking.therapist.display_name,
            start=booking.start,
            end=booking.end,
            review_closes_at=review_window_closes(end=booking.end, window_days=window_days),
        )


class ReviewIn(Schema):
    booking_id: uuid.UUID = Field(description="The completed session you are reviewing.")
    rating: int = Field(description="Whole stars, 1 to 5.")
    text: str = Field(description="10 to 2,000 characters (trimmed).")
    show_name: bool = Field(
        False, description="Show your display name; by default a pseudonym is shown."
    )


class ReviewOut(Schema):
    """A review as its author, its therapist or staff see it."""

    review_id: uuid.UUID
    booking_id: uuid.UUID
    therapist_id: uuid.UUID
    rating: int
    text: str
    show_name: bool
    author_label: str
    created_at: dt.datetime
    hidden: bool
    hidden_reason: str
    reply: ReplyOut | None

    @staticmethod
    def of(review: Review) -> ReviewOut:
        reply = review_reply_of(review)
        return ReviewOut(
            review_id=review.public_id,
            booking_id=review.booking.public_id,
            therapist_id=review.therapist.public_id,
            rating=review.rating,
            text=review.text,
            show_name=review.show_name,
            author_label=review_author_label(review),
            created_at=review.created_at,
            hidden=review.hidden_at is not None,
            hidden_reason=review.hidden_reason,
            reply=ReplyOut.of(reply) if reply is not None else None,
        )


class ReplyIn(Schema):
    text: str = Field(description="1 to 1,000 characters (trimmed).")


class ReportIn(Schema):
    reason: ReportReason = Field(description="Why staff should look at the review.")
    note: str = Field("", description="Optional, up to 500 characters.")


class ReportOut(Schema):
    review_id: uuid.UUID
    reason: str
    created_at: dt.datetime

    @staticmethod
    def of(report: ReviewReport) -> ReportOut:
        return ReportOut(
            review_id=report.review.public_id, reason=report.reason, created_at=report.created_at
        )


class ReportDetailOut(Schema):
    reason: str
    note: str
    created_at: dt.datetime
    resolved_at: dt.datetime | None


class ReportedReviewOut(Schema):
    review: ReviewOut
    therapist_name: str
    open_reports: int
    reports: list[ReportDetailOut]

    @staticmethod
    def of(review: Review) -> ReportedReviewOut:
        reports = list(review.reports.all())
        return ReportedReviewOut(
            review=ReviewOut.of(review),
            therapist_name=review.therapist.display_name,
            open_reports=sum(1 for r in reports if r.resolved_at is None),
            reports=[
                ReportDetailOut(
                    reason=r.reason, note=r.note, created_at=r.created_at, resolved_at=r.resolved_at
                )
                for r in sorted(reports, key=lambda r: r.created_at)
            ],
        )


class HideIn(Schema):
    reason: str = Field(description="Why the review is hidden; shown to the therapist.")


class DismissOut(Schema):
    review_id: uuid.UUID
    resolved: int = Field(description="How many open reports were resolved.")
