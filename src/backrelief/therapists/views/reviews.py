"""Review pages (issue 5 items 3 and 5): a client's reviewable sessions and the review form,
reporting a review, the therapist's reviews with replies and sessions to mark, and the staff
moderation queue.

Thin adapters: look up through `access`, call the same services as `therapists/api/reviews.py`
and `scheduling/api.py`, render. Plain forms with POST-redirect-GET; a failed POST re-renders
the page with the error beside its field. Other people's objects and pages for another role
are 404s (the staff queue included, as for the audit search).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backrelief.accounts.models import Role, User
from backrelief.core.errors import DomainError, NotFound, PermissionDenied
from backrelief.core.forms import form_add_domain_error
from backrelief.scheduling import completion
from backrelief.scheduling.access import booking_get_for_client
from backrelief.scheduling.selectors import (
    booking_list_for_therapist_to_mark,
    booking_list_reviewable,
)
from backrelief.scheduling.services import booking_mark_completed, booking_mark_no_show
from backrelief.therapists.access import own_profile
from backrelief.therapists.access_reviews import review_get_for_report
from backrelief.therapists.forms.reviews import HideForm, ReplyForm, ReportForm, ReviewForm
from backrelief.therapists.selectors_reviews import (
    review_author_label,
    review_exists_for_booking,
    review_list_by_author,
    review_list_for_therapist,
    review_list_reported,
    review_reply_of,
    review_reported_by,
)
from backrelief.therapists.services.reviews import (
    review_block_message,
    review_create,
    review_hide,
    review_reply_set,
    review_report,
    review_reports_dismiss,
    review_unhide,
)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _own_profile_or_404(user: User) -> Any:
    try:
        return own_profile(user=user)
    except (NotFound, PermissionDenied):
        raise Http404 from None


def _require_staff_or_404(user: User) -> None:
    if user.role != Role.STAFF:
        raise Http404


# --- clients: sessions to review, writing a review -------------------------------------------


@login_required
@require_http_methods(["GET"])
def reviewable_sessions(request: HttpRequest) -> HttpResponse:
    """The signed-in person's sessions they can review now, and the reviews they wrote."""
    user = _user(request)
    now = timezone.now()
    sessions = [
        {
            "booking": b,
            "closes": completion.review_window_closes(
                end=b.end, window_days=settings.REVIEW_WINDOW_DAYS
            ),
        }
        for b in booking_list_reviewable(client=user, now=now)
    ]
    written = [
        {"review": r, "label": review_author_label(r), "reply": review_reply_of(r)}
        for r in review_list_by_author(author=user)
    ]
    return render(
        request,
        "therapists/review_sessions.html",
        {"sessions": sessions, "written": written},
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    """The review form for one of the person's completed sessions (`review_create`)."""
    user = _user(request)
    now = timezone.now()
    try:
        booking = booking_get_for_client(user=user, public_id=booking_id)
    except NotFound:
        raise Http404 from None
    blocked = None
    if review_exists_for_booking(booking=booking):
        blocked = _("You have already reviewed this session. Each session can be reviewed once.")
    else:
        block = completion.review_block(
            status=booking.status,
            end=booking.end,
            now=now,
            window_days=settings.REVIEW_WINDOW_DAYS,
        )
        if block is not None:
            blocked = review_block_message(block, days=settings.REVIEW_WINDOW_DAYS)
    form = ReviewForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            review_create(
                author=user,
                booking_id=booking.public_id,
                rating=form.cleaned_data["rating"],
                text=form.cleaned_data["text"],
                show_name=form.cleaned_data["show_name"],
                now=now,
            )
        except NotFound:
            raise Http404 from None
        except DomainError as exc:
            form_add_domain_error(form, exc)
            status = exc.status
        else:
            messages.success(request, _("Thank you. Your review is published."))
            return redirect("therapists:reviewable_sessions")
    elif request.method == "POST":
        status = 422
    if blocked is not None and status == 200:
        status = 409
    return render(
        request,
        "therapists/review_new.html",
        {"booking": booking, "form": form, "blocked": blocked},
        status=status,
    )


# --- anyone signed in: reporting a review ----------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report_review(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Report a review to staff, once (`review_report`); afterwards the page confirms it."""
    user = _user(request)
    now = timezone.now()
    try:
        review = review_get_for_report(user=user, public_id=public_id, now=now)
    except NotFound:
        raise Http404 from None
    form = ReportForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            review_report(
                user=user,
                review_id=review.public_id,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                now=now,
            )
        except NotFound:
            raise Http404 from None
        except DomainError as exc:
            form_add_domain_error(form, exc)
            status = exc.status
        else:
            messages.success(request, _("Thank you. Staff will look at this review."))
            return redirect("therapists:review_report", public_id=review.public_id)
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "therapists/review_report.html",
        {
            "review": review,
            "label": review_author_label(review),
            "form": form,
            "reported": review_reported_by(review=review, user=user),
        },
        status=status,
    )


# --- therapists: their reviews and replies, sessions to mark ----------------------------------


def _my_reviews_page(
    request: HttpRequest, *, bound: tuple[uuid.UUID, ReplyForm] | None = None, status: int = 200
) -> HttpResponse:
    profile = _own_profile_or_404(_user(request))
    rows = []
    for review in review_list_for_therapist(therapist=profile):
        reply = review_reply_of(review)
        if bound is not None and bound[0] == review.public_id:
            form = bound[1]
        else:
            form = ReplyForm(initial={"text": reply.text if reply else ""})
        rows.append(
            {"review": review, "label": review_author_label(review), "reply": reply, "form": form}
        )
    return render(
        request,
        "therapists/review_mine.html",
        {"profile": profile, "rows": rows},
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def my_reviews(request: HttpRequest) -> HttpResponse:
    """The therapist's reviews, hidden ones marked with the reason, each with a reply form."""
    return _my_reviews_page(request)


@login_required
@require_POST
def reply_review(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Write or edit the public reply to one of the therapist's reviews (`review_reply_set`)."""
    user = _user(request)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            review_reply_set(
                user=user, review_id=public_id, text=form.cleaned_data["text"], now=timezone.now()
            )
        except (NotFound, PermissionDenied):
            raise Http404 from None
        except DomainError as exc:
            form_add_domain_error(form, exc)
            return _my_reviews_page(request, bound=(public_id, form), status=exc.status)
        messages.success(request, _("Your reply is published."))
        return redirect(reverse("therapists:my_reviews") + f"#review-{public_id}")
    return _my_reviews_page(request, bound=(public_id, form), status=422)


@login_required
@require_http_methods(["GET"])
def my_sessions(request: HttpRequest) -> HttpResponse:
    """The therapist's ended sessions awaiting a mark, with Completed / No-show buttons."""
    profile = _own_profile_or_404(_user(request))
    now = timezone.now()
    rows = [
        {
            "booking": b,
            "auto_at": completion.auto_completes_at(end=b.end),
            "no_show_allowed": completion.no_show_allowed(status=b.status, end=b.end, now=now),
        }
        for b in booking_list_for_therapist_to_mark(therapist=profile, now=now)
    ]
    return render(request, "therapists/session_mark.html", {"rows": rows})


def _mark(request: HttpRequest, booking_id: uuid.UUID, *, no_show: bool) -> HttpResponse:
    user = _user(request)
    try:
        if no_show:
            booking_mark_no_show(user=user, booking_id=booking_id, now=timezone.now())
            messages.success(request, _("Marked as a no-show."))
        else:
            booking_mark_completed(user=user, booking_id=booking_id, now=timezone.now())
            messages.success(request, _("Marked as completed. The client can now review it."))
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("therapists:my_sessions")


@login_required
@require_POST
def complete_session(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    """Mark one of the therapist's sessions completed (`booking_mark_completed`)."""
    return _mark(request, booking_id, no_show=False)


@login_required
@require_POST
def no_show_session(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    """Mark one of the therapist's sessions no-show (`booking_mark_no_show`)."""
    return _mark(request, booking_id, no_show=True)


# --- staff: moderation queue ------------------------------------------------------------------


def _staff_page(
    request: HttpRequest, *, bound: tuple[uuid.UUID, HideForm] | None = None, status: int = 200
) -> HttpResponse:
    rows = []
    for review in review_list_reported():
        form = bound[1] if bound is not None and bound[0] == review.public_id else HideForm()
        rows.append({"review": review, "label": review_author_label(review), "form": form})
    return render(request, "therapists/review_staff.html", {"rows": rows}, status=status)


@login_required
@require_http_methods(["GET"])
def staff_reviews(request: HttpRequest) -> HttpResponse:
    """Reported reviews for staff, open reports first: hide with a reason, unhide, dismiss."""
    _require_staff_or_404(_user(request))
    return _staff_page(request)


@login_required
@require_POST
def hide_review(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Hide a review with a reason (`review_hide`)."""
    user = _user(request)
    _require_staff_or_404(user)
    form = HideForm(request.POST)
    form.is_valid()
    try:
        review_hide(
            staff=user,
            review_id=public_id,
            reason=form.cleaned_data.get("reason", ""),
            now=timezone.now(),
        )
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        form_add_domain_error(form, exc)
        return _staff_page(request, bound=(public_id, form), status=exc.status)
    messages.success(request, _("The review is hidden and its reports are resolved."))
    return redirect("therapists:staff_reviews")


def _staff_action(request: HttpRequest, public_id: uuid.UUID, *, unhide: bool) -> HttpResponse:
    user = _user(request)
    _require_staff_or_404(user)
    try:
        if unhide:
            review_unhide(staff=user, review_id=public_id, now=timezone.now())
            messages.success(request, _("The review is shown again."))
        else:
            review_reports_dismiss(staff=user, review_id=public_id, now=timezone.now())
            messages.success(request, _("The reports are dismissed; the review stays visible."))
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("therapists:staff_reviews")


@login_required
@require_POST
def unhide_review(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Show a hidden review again (`review_unhide`)."""
    return _staff_action(request, public_id, unhide=True)


@login_required
@require_POST
def dismiss_review_reports(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Resolve a review's open reports without hiding it (`review_reports_dismiss`)."""
    return _staff_action(request, public_id, unhide=False)
