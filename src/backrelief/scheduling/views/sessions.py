"""A client's sessions (issue 6 item 9): "My sessions", one session, cancelling, moving.

- `my_sessions`: upcoming, past and cancelled sessions (who cancelled, when, late
  cancellations marked), times in the client's zone with the zone named; past completed
  sessions link to the review form while the review flow accepts them. A therapist is sent to
  their calendar (or, until it exists, to their sessions to mark).
- `booking_detail`, `booking_cancel`, `booking_reschedule`: for the booking's client and its
  therapist only (`access.booking_get_for_party`; anyone else gets 404). Changes go through
  `services_booking` (the same services as the API). Inside the therapist's cut-off a client
  is warned first and must tick the confirmation; a therapist must give the client a reason.
  Moving uses the same slot picker as booking.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from backrelief.accounts.models import Role, User
from backrelief.core.errors import Conflict, DomainError, NotFound
from backrelief.core.forms import form_add_domain_error
from backrelief.core.time import format_local, local_date, utc_to_local
from backrelief.scheduling import completion
from backrelief.scheduling.access import booking_get_for_party
from backrelief.scheduling.forms_booking import BookForm, CancelForm, SessionListQueryForm
from backrelief.scheduling.forms_calendar import WEEK
from backrelief.scheduling.models import Booking, BookingStatus
from backrelief.scheduling.selectors_sessions import booking_is_reviewable, session_lists
from backrelief.scheduling.selectors_slots import policy_or_defaults
from backrelief.scheduling.services_booking import (
    RESCHEDULED_REASON,
    SlotTaken,
    booking_cancel,
    booking_reschedule,
    late_cancellation_applies,
)
from backrelief.scheduling.views.booking import (
    place_of,
    slot_href,
    slot_picker,
    start_param,
    technique_of,
    two_zones,
)
from backrelief.scheduling.views.calendar import calendar_url as calendar_week_url
from backrelief.therapists.profile_rules import price_display


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _party_booking(user: User, booking_id: uuid.UUID) -> Booking:
    try:
        return booking_get_for_party(user=user, public_id=booking_id)
    except NotFound:
        raise Http404 from None


def _zones(booking: Booking, user: User) -> tuple[str, str]:
    """(the viewer's zone, the other side's zone): a client reads their account's zone and
    sees the therapist's beside it; the therapist reads their practice's zone and sees the
    zone the client booked from."""
    if booking.client_id == user.pk:
        return user.time_zone or booking.client_time_zone, booking.therapist.time_zone
    return booking.therapist.time_zone, booking.client_time_zone


def _was_moved(booking: Booking) -> bool:
    """Whether this booking was cancelled by a move (`booking_reschedule` stores its marker,
    an English word, as the reason: the pages say "moved" in the reader's language)."""
    return booking.cancel_reason == RESCHEDULED_REASON


def _row(booking: Booking, zone: str, user: User, reviewable: frozenset[int]) -> dict[str, Any]:
    cancelled_by = ""
    if booking.status == BookingStatus.CANCELLED:
        if booking.cancelled_by_id == user.pk:
            cancelled_by = _("you")
        elif booking.cancelled_by_id is not None:
            cancelled_by = _("the therapist")
    return {
        "booking": booking,
        "when": format_local(booking.start, zone),
        "technique": technique_of(booking.service.technique)["name"],
        "cancelled_at": format_local(booking.cancelled_at, zone) if booking.cancelled_at else "",
        "cancelled_by": cancelled_by,
        "moved": _was_moved(booking),
        "review_href": reverse("therapists:review_new", args=[booking.public_id])
        if booking.pk in reviewable
        else None,
    }


def calendar_url() -> str | None:
    """The therapist calendar (built beside this page); None while it does not exist."""
    try:
        return reverse("scheduling:calendar")
    except NoReverseMatch:
        return None


@login_required
@require_GET
def my_sessions(request: HttpRequest) -> HttpResponse:
    """The signed-in client's sessions: upcoming, past, cancelled."""
    user = _user(request)
    if user.role == Role.THERAPIST:
        return redirect(calendar_url() or reverse("therapists:my_sessions"))
    now = timezone.now()
    query = SessionListQueryForm(request.GET)
    pages = {"past": query.page("past"), "cancelled": query.page("cancelled")}
    lists = session_lists(
        client=user, now=now, past_page=pages["past"], cancelled_page=pages["cancelled"]
    )
    zone = user.time_zone or "UTC"

    def page_href(name: str, page: int) -> str:
        """The same list with section `name` at `page` (the other section's page kept)."""
        kept = {k: v for k, v in pages.items() if k != name and v > 1}
        return "?" + urlencode({**kept, name: page}) + f"#{name}-heading"

    def rows(section: Any, name: str = "") -> dict[str, Any]:
        return {
            "rows": [_row(b, zone, user, lists.reviewable_ids) for b in section.rows],
            "capped": section.capped,
            "limit": section.limit,
            "page": section.page,
            "older_href": page_href(name, section.page + 1) if name and section.capped else None,
            "newer_href": page_href(name, section.page - 1) if section.page > 1 else None,
        }

    context = {
        "zone": zone,  # each time names its own abbreviation (summer or winter time)
        "upcoming": rows(lists.upcoming),
        "past": rows(lists.past, "past"),
        "cancelled": rows(lists.cancelled, "cancelled"),
        "is_client": user.role == Role.CLIENT,
        "query_errors": [e for errors in query.errors.values() for e in errors],
    }
    status = 400 if query.errors else 200
    return render(request, "scheduling/session_list.html", context, status=status)


def _actions(booking: Booking, now: dt.datetime) -> bool:
    return completion.change_allowed(status=booking.status, start=booking.start, now=now)


def _detail_context(booking: Booking, user: User, now: dt.datetime) -> dict[str, Any]:
    zone, other = _zones(booking, user)
    is_client = booking.client_id == user.pk
    cancelled_by = ""
    if booking.cancelled_by_id is not None:
        if booking.cancelled_by_id == user.pk:
            cancelled_by = _("you")
        elif booking.cancelled_by_id == booking.client_id:
            cancelled_by = _("the client")
        else:
            cancelled_by = _("the therapist")
    moved_to = getattr(booking, "rescheduled_to", None)
    service = booking.service
    return {
        "booking": booking,
        "is_client": is_client,
        "zone": zone,
        "when": two_zones(booking.start, zone, other),
        "until": f"{utc_to_local(booking.end, zone):%H:%M}",
        "technique": technique_of(service.technique),
        "price": price_display(service.price_minor, service.currency),
        "place": place_of(booking.therapist),
        "client_label": booking.client.label if not is_client else "",
        "cancelled_at": format_local(booking.cancelled_at, zone) if booking.cancelled_at else "",
        "cancelled_by": cancelled_by,
        "cancel_reason": "" if _was_moved(booking) else booking.cancel_reason,
        "moved_to": moved_to,
        "can_change": _actions(booking, now),
        "review_href": reverse("therapists:review_new", args=[booking.public_id])
        if is_client and booking_is_reviewable(booking=booking, now=now)
        else None,
        "back_href": reverse("scheduling:my_sessions")
        if is_client
        else calendar_week_url(view=WEEK, day=local_date(booking.start, zone)),
    }


@login_required
@require_GET
def booking_detail(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    """One session for its client or its therapist: details, status, cancel and move."""
    user = _user(request)
    booking = _party_booking(user, booking_id)
    context = _detail_context(booking, user, timezone.now())
    return render(request, "scheduling/session_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def booking_cancel_page(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    """Confirm cancelling (`booking_cancel`): optional reason from a client, required from a
    therapist; inside the cut-off a client is warned and ticks the confirmation."""
    user = _user(request)
    booking = _party_booking(user, booking_id)
    now = timezone.now()
    is_client = booking.client_id == user.pk
    cutoff = policy_or_defaults(therapist=booking.therapist).cancellation_cutoff_hours
    late = is_client and late_cancellation_applies(booking=booking, cutoff_hours=cutoff, now=now)
    status = 200
    if request.method == "POST":
        form = CancelForm(request.POST, reason_required=not is_client)
        if form.is_valid():
            try:
                booking_cancel(
                    actor=user,
                    booking_id=booking.public_id,
                    reason=form.cleaned_data["reason"],
                    now=now,
                    confirm_late=form.cleaned_data["confirm_late"],
                )
            except DomainError as exc:
                status = exc.status
                if isinstance(exc, Conflict) and exc.code == "late_cancellation_confirm":
                    late = True
                    form.add_error("confirm_late", exc.message)
                else:
                    form_add_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    _("The session is cancelled.")
                    + ("" if is_client else " " + _("The client is told by email.")),
                )
                return redirect("scheduling:booking_detail", booking.public_id)
        else:
            status = 400
    else:
        form = CancelForm(reason_required=not is_client)
    context = _detail_context(booking, user, now)
    context.update({"form": form, "late": late, "cutoff": cutoff})
    return render(request, "scheduling/session_cancel.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def booking_reschedule_page(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    """Move a session: the slot picker of its service, then confirm the new time
    (`booking_reschedule`: the old booking is cancelled and the new one made together)."""
    user = _user(request)
    booking = _party_booking(user, booking_id)
    now = timezone.now()
    context = _detail_context(booking, user, now)
    base = reverse("scheduling:booking_reschedule", args=[booking.public_id])
    context["back_href"] = base
    if not context["can_change"]:
        context["problem"] = _("This session can no longer be moved.")
        return render(request, "scheduling/session_reschedule.html", context, status=409)
    if request.method == "POST":
        return _reschedule(request, user, booking, now, context, base)
    if "start" not in request.GET:
        try:
            picker, status = slot_picker(
                request,
                service_id=booking.service.public_id,
                now=now,
                link_base=base,
                moving=booking,
                default_zone=context["zone"],  # the practice's for its therapist
            )
        except NotFound:
            context["problem"] = _(
                "This service cannot be booked any more, so the session cannot be moved. "
                "You can cancel it instead."
            )
            return render(request, "scheduling/session_reschedule.html", context, status=409)
        context.update({"picker": picker})
        return render(request, "scheduling/session_reschedule.html", context, status=status)
    form = BookForm(request.GET)
    if not form.is_valid():
        context["form"] = form
        return render(request, "scheduling/session_reschedule.html", context, status=400)
    start = form.cleaned_data["start"]
    tz = form.cleaned_data.get("tz") or ""
    zone = tz or context["zone"]
    other = _zones(booking, user)[1]
    context.update(
        {
            "form": BookForm(initial={"start": start_param(start, zone), "tz": tz}),
            "new_when": two_zones(start, zone, other),
            "new_start": start,
            "back_href": base + (f"?tz={tz}" if tz else ""),
        }
    )
    return render(request, "scheduling/session_reschedule.html", context)


def _reschedule(
    request: HttpRequest,
    user: User,
    booking: Booking,
    now: dt.datetime,
    context: dict[str, Any],
    base: str,
) -> HttpResponse:
    form = BookForm(request.POST)
    status = 400
    if form.is_valid():
        start = form.cleaned_data["start"]
        try:
            new = booking_reschedule(
                actor=user, booking_id=booking.public_id, new_start=start, now=now
            )
        except DomainError as exc:
            status = exc.status
            form_add_domain_error(form, exc)
            if isinstance(exc, SlotTaken):
                context["alternatives"] = [
                    {
                        "label": format_local(s, context["zone"]),
                        "href": slot_href(base, s, context["zone"], None),
                    }
                    for s in exc.alternatives
                ]
        else:
            messages.success(request, _("The session is moved to the new time."))
            return redirect("scheduling:booking_detail", new.public_id)
    context.update({"form": form, "refused": True, "back_href": base})
    return render(request, "scheduling/session_reschedule.html", context, status=status)
