"""/api/v1/therapists: reviews (issue 5 items 3 and 5).

The same access lookups and services as the review pages (STYLE rule 1). Fixed words
(`/reviews/reviewable`, `/reviews/reported`) come before `/reviews/{review_id}`; the whole
router is mounted before the profile router so `/reviews` is never read as a therapist id.

- `GET /{therapist_id}/reviews`: public (listed therapists; owner and staff also while
  unlisted), author identity only with `show_name`.
- Clients: `GET /reviews/reviewable`, `POST /reviews`. Therapists: `PUT /reviews/{id}/reply`.
  Anyone signed in: `POST /reviews/{id}/report`. Staff (403 otherwise): `GET /reviews/reported`,
  `POST /reviews/{id}/hide|unhide|dismiss-reports`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field as NinjaField
from ninja import Query, Router, Schema, Status

from backrelief.accounts.auth import api_auth_optional, api_optional_user, api_user
from backrelief.core.schemas import ErrorOut
from backrelief.scheduling.selectors import booking_list_reviewable
from backrelief.therapists.access import require_staff, therapist_get_for_public
from backrelief.therapists.rating import rating_of
from backrelief.therapists.schemas_reviews import (
    DismissOut,
    HideIn,
    PublicReviewPageOut,
    ReplyIn,
    ReplyOut,
    ReportedReviewOut,
    ReportIn,
    ReportOut,
    ReviewableOut,
    ReviewIn,
    ReviewOut,
)
from backrelief.therapists.selectors_reviews import review_list_public, review_list_reported
from backrelief.therapists.services.reviews import (
    review_create,
    review_hide,
    review_reply_set,
    review_report,
    review_reports_dismiss,
    review_unhide,
)

router = Router()

_WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class PageQuery(Schema):
    page: int = NinjaField(1, ge=1, description="Page number, 10 reviews a page.")


@router.get(
    "/reviews/reviewable",
    response={200: list[ReviewableOut], 401: ErrorOut},
    summary="My sessions I can review",
    description="Completed sessions inside the review window and not reviewed yet, newest first.",
)
def list_reviewable(request: HttpRequest) -> list[ReviewableOut]:
    days = settings.REVIEW_WINDOW_DAYS
    return [
        ReviewableOut.of(b, window_days=days)
        for b in booking_list_reviewable(client=api_user(request), now=timezone.now())
    ]


@router.get(
    "/reviews/reported",
    response={200: list[ReportedReviewOut], 401: ErrorOut, 403: ErrorOut},
    summary="Reported reviews (staff)",
    description="Every reported review, those with open reports first. Staff only (403).",
)
def list_reported(request: HttpRequest) -> list[ReportedReviewOut]:
    require_staff(user=api_user(request))
    return [ReportedReviewOut.of(r) for r in review_list_reported()]


@router.post(
    "/reviews",
    response={201: ReviewOut, **_WRITE},
    summary="Review a completed session",
    description=(
        "The booking's client only (404 otherwise), once per session (409 `review_exists`), "
        "after it counts as completed (409 `not_ended`, `awaiting_completion`, `no_show`, "
        "`cancelled`) and within the review window (409 `window_closed`). Rating 1 to 5, "
        "text 10 to 2,000 characters (422 naming the field)."
    ),
)
def create_review(request: HttpRequest, payload: ReviewIn) -> Status[ReviewOut]:
    review = review_create(
        author=api_user(request),
        booking_id=payload.booking_id,
        rating=payload.rating,
        text=payload.text,
        show_name=payload.show_name,
        now=timezone.now(),
    )
    return Status(201, ReviewOut.of(review))


@router.put(
    "/reviews/{review_id}/reply",
    response={200: ReplyOut, **_WRITE},
    summary="Write or edit my reply to a review",
    description="The reviewed therapist only (404 otherwise); 1 to 1,000 characters.",
)
def reply_review(request: HttpRequest, review_id: uuid.UUID, payload: ReplyIn) -> ReplyOut:
    reply = review_reply_set(
        user=api_user(request), review_id=review_id, text=payload.text, now=timezone.now()
    )
    return ReplyOut.of(reply)


@router.post(
    "/reviews/{review_id}/report",
    response={201: ReportOut, **_WRITE},
    summary="Report a review to staff",
    description="Anyone signed in who can see the review, once (409 `report_exists`).",
)
def report_review(
    request: HttpRequest, review_id: uuid.UUID, payload: ReportIn
) -> Status[ReportOut]:
    report = review_report(
        user=api_user(request),
        review_id=review_id,
        reason=payload.reason.value,
        note=payload.note,
        now=timezone.now(),
    )
    return Status(201, ReportOut.of(report))


@router.post(
    "/reviews/{review_id}/hide",
    response={200: ReviewOut, **_WRITE},
    summary="Hide a review (staff)",
    description="Reason required; resolves open reports; 409 `review_hidden` if already hidden.",
)
def hide_review(request: HttpRequest, review_id: uuid.UUID, payload: HideIn) -> ReviewOut:
    review = review_hide(
        staff=api_user(request), review_id=review_id, reason=payload.reason, now=timezone.now()
    )
    return ReviewOut.of(review)


@router.post(
    "/reviews/{review_id}/unhide",
    response={200: ReviewOut, **_WRITE},
    summary="Show a hidden review again (staff)",
    description="409 `review_not_hidden` if it is visible.",
)
def unhide_review(request: HttpRequest, review_id: uuid.UUID) -> ReviewOut:
    review = review_unhide(staff=api_user(request), review_id=review_id, now=timezone.now())
    return ReviewOut.of(review)


@router.post(
    "/reviews/{review_id}/dismiss-reports",
    response={200: DismissOut, **_WRITE},
    summary="Dismiss a review's reports (staff)",
    description="Resolves open reports, the review stays visible; 409 `no_open_reports`.",
)
def dismiss_reports(request: HttpRequest, review_id: uuid.UUID) -> DismissOut:
    resolved = review_reports_dismiss(
        staff=api_user(request), review_id=review_id, now=timezone.now()
    )
    return DismissOut(review_id=review_id, resolved=resolved)


@router.get(
    "/{therapist_id}/reviews",
    auth=api_auth_optional,
    response={200: PublicReviewPageOut, 404: ErrorOut, 422: ErrorOut},
    summary="A therapist's public reviews",
    description=(
        "Visible reviews, newest first, 10 a page, with the rating figures. 404 unless the "
        "therapist is listed (the owner and staff also see an unlisted profile)."
    ),
)
def list_public_reviews(
    request: HttpRequest, therapist_id: uuid.UUID, query: Query[PageQuery]
) -> PublicReviewPageOut:
    profile = therapist_get_for_public(
        user=api_optional_user(request), public_id=therapist_id, now=timezone.now()
    )
    page = review_list_public(therapist=profile, page=query.page)
    return PublicReviewPageOut.of(
        page, rating_of(count=profile.review_count, total=profile.review_sum)
    )
