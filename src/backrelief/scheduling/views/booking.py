"""Booking pages (issue 6 item 9): pick a free time of a service, confirm, book.

- `book_service` (public, like the profile it is linked from): a week (default) or month
  view of the service's free slots, previous/next, in the viewer's zone — `?tz=` when chosen
  in the zone box, else the signed-in person's zone, else the therapist's — with the zone
  named, and the therapist's time beside each slot when their zone differs. Reads through
  `selectors_slots` (the input checks of `slot_list_public`, then the bookable service and
  its slots: three queries).
- `book_confirm` (signed in; anonymous people are sent to sign in and back): GET shows what
  is booked (therapist, technique with its evidence grades, duration, place, price, the time
  in both zones, the cancellation policy) for `?start=` (an ISO instant with its offset);
  POST books through `services_booking.booking_create`, which recomputes the slot and never
  trusts the time sent. Every refusal of the service is shown on the page with its own
  message and status; nothing is stored. A second press of "Book" for the same time answers
  with the booking already made instead of "Just taken".

No JavaScript needed: every slot is a plain link, the confirm page a plain form.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from backrelief.accounts.models import Role, User
from backrelief.accounts.preferences import time_zone_names
from backrelief.catalog.data.techniques import TECHNIQUES_BY_CODE
from backrelief.catalog.labels import GRADE_LABELS
from backrelief.core.errors import DomainError, NotFound
from backrelief.core.forms import form_add_domain_error
from backrelief.core.time import (
    format_local,
    local_date,
    local_to_utc_forward,
    utc_to_local,
    zone_abbreviation,
    zone_names,
)
from backrelief.scheduling.forms_booking import BookForm, SlotQueryForm
from backrelief.scheduling.models import Booking
from backrelief.scheduling.selectors_sessions import booking_find_own_at
from backrelief.scheduling.selectors_slots import (
    policy_or_defaults,
    service_get_bookable,
    slot_is_free,
    slot_list,
    slot_request_problems,
)
from backrelief.scheduling.services_booking import (
    SlotTaken,
    booking_alternatives,
    booking_create,
    booking_refusal,
)
from backrelief.therapists.models import Service, TherapistProfile
from backrelief.therapists.profile_rules import price_display

WEEK = 7


def viewer_of(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None


def _month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return first, last


def _period(view: str, anchor: dt.date) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    """(first, last, previous period's first day, next period's first day)."""
    if view == "month":
        first, last = _month_bounds(anchor)
        return first, last, (first - dt.timedelta(days=1)).replace(day=1), last + dt.timedelta(1)
    # A week is the seven days from `anchor` (today by default), so that on a Sunday the
    # default view still shows the coming working days.
    first = anchor
    return first, first + dt.timedelta(6), first - dt.timedelta(WEEK), first + dt.timedelta(WEEK)


def _day_label(day: dt.date) -> str:
    return f"{_weekday(day)} {day.day} {_month(day)} {day.year}"


def _weekday(day: dt.date) -> str:
    return (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))[day.weekday()]


def _month(day: dt.date) -> str:
    names = (
        _("Jan"),
        _("Feb"),
        _("Mar"),
        _("Apr"),
        _("May"),
        _("Jun"),
        _("Jul"),
        _("Aug"),
        _("Sep"),
        _("Oct"),
        _("Nov"),
        _("Dec"),
    )
    return names[day.month - 1]


def start_param(instant: dt.datetime, zone: str) -> str:
    """The `start` a slot link carries: the instant in the viewer's zone with its offset."""
    return utc_to_local(instant, zone).isoformat()


def slot_href(base: str, instant: dt.datetime, zone: str, tz: str | None) -> str:
    query = {"start": start_param(instant, zone)}
    if tz:
        query["tz"] = tz
    return f"{base}?{urlencode(query)}"


def two_zones(instant: dt.datetime, zone: str, other_zone: str | None) -> dict[str, str]:
    """An instant as the viewer reads it, and in the other side's zone when that differs."""
    return {
        "here": format_local(instant, zone),
        "there": format_local(instant, other_zone) if other_zone and other_zone != zone else "",
    }


def place_of(therapist: TherapistProfile) -> str:
    """Where the session takes place, as a client reads it (like the emails)."""
    if therapist.in_clinic and therapist.address:
        if therapist.mobile:
            return _("At the practice (%(address)s) or at your place") % {
                "address": therapist.address
            }
        return therapist.address
    if therapist.mobile:
        return _("At your place")
    return _("The address is on the therapist's profile")


def technique_of(code: str) -> dict[str, Any]:
    """The technique's name and its claims with their evidence grades (as on Techniques)."""
    technique = TECHNIQUES_BY_CODE[code]
    return {
        "code": code,
        "name": technique.name,
        "claims": [
            {"text": c.text, "grade": str(c.grade), "grade_label": GRADE_LABELS[c.grade]}
            for c in technique.claims
        ],
    }


def policy_text(therapist: TherapistProfile) -> str:
    hours = policy_or_defaults(therapist=therapist).cancellation_cutoff_hours
    if hours == 0:
        return _("You can cancel at any time before the session starts.")
    return ngettext(
        "You can cancel at any time. Cancelling less than %(hours)d hour before the start "
        "is recorded as a late cancellation (no fee).",
        "You can cancel at any time. Cancelling less than %(hours)d hours before the start "
        "is recorded as a late cancellation (no fee).",
        hours,
    ) % {"hours": hours}


def service_summary(service: Service) -> dict[str, Any]:
    therapist = service.therapist
    return {
        "service": service,
        "therapist": therapist,
        "technique": technique_of(service.technique),
        "price": price_display(service.price_minor, service.currency),
        "place": place_of(therapist),
        "policy": policy_text(therapist),
    }


def _zone_for(request: HttpRequest, tz: str, therapist: TherapistProfile, default: str = "") -> str:
    """The explicit `tz`, else `default` (the zone the page around it uses), else the
    signed-in person's zone, else the therapist's."""
    viewer = viewer_of(request)
    for zone in (tz, default, viewer.time_zone if viewer else "", therapist.time_zone):
        if zone and zone in zone_names():
            return zone
    return "UTC"


def period_abbreviations(first: dt.date, zone: str, starts: list[dt.datetime]) -> list[str]:
    """The zone's abbreviations of the times shown, in order ("CET", or "CET", "CEST" when
    the clocks change between them); with no time shown, the first day's (at noon)."""
    instants = starts or [local_to_utc_forward(day=first, at=dt.time(12), zone=zone)]
    seen: list[str] = []
    for instant in sorted(instants):
        abbreviation = zone_abbreviation(instant, zone)
        if abbreviation not in seen:
            seen.append(abbreviation)
    return seen


def slot_picker(
    request: HttpRequest,
    *,
    service_id: uuid.UUID,
    now: dt.datetime,
    link_base: str,
    moving: Booking | None = None,
    default_zone: str = "",
) -> tuple[dict[str, Any], int]:
    """The week or month of free slots of a bookable service, for `book_service` and for
    rescheduling (`moving`: the booking being moved — its own time counts as free, so it can
    move by less than its length, and its current start is not offered; `default_zone`: the
    zone of the page it is on, used when no `tz` is chosen); each slot links to
    `link_base?start=...`. NotFound when the service cannot be booked. Status 400 (with the
    field's message) for a bad `view`, `from` or `tz`; the page then shows the default
    instead."""
    form = SlotQueryForm(request.GET)
    form.is_valid()
    status = 400 if form.errors else 200
    view = form.cleaned_data.get("view") or "week"
    tz = form.cleaned_data.get("tz") or ""
    service = service_get_bookable(public_id=service_id, now=now)
    therapist = service.therapist
    zone = _zone_for(request, tz, therapist, default_zone)
    today = local_date(now, zone)
    first, last, previous, following = _period(view, form.cleaned_data.get("from") or today)
    previous = max(previous, today)
    problems = slot_request_problems(start=first, end=last, zone=zone)
    if problems:  # a date before 2000 or after 2099: show today's period instead
        form.add_error("from", next(iter(problems.values()))[0])
        status = 400
        first, last, previous, following = _period(view, today)
        previous = max(previous, today)
    found = [
        slot
        for slot in slot_list(
            service=service,
            start=first,
            end=last,
            now=now,
            zone=zone,
            ignoring=moving.pk if moving is not None else None,
        )
        if moving is None or slot.start != moving.start
    ]
    horizon = policy_or_defaults(therapist=therapist).horizon_days
    last_bookable = local_date(now + dt.timedelta(days=horizon), zone)
    other = therapist.time_zone if therapist.time_zone != zone else None
    abbreviations = period_abbreviations(first, zone, [slot.start for slot in found])
    # In a period with a clock change every time says which side of it it is on.
    label_format = "%H:%M %Z" if len(abbreviations) > 1 else "%H:%M"
    by_day: dict[dt.date, list[dict[str, Any]]] = defaultdict(list)
    for slot in found:
        by_day[local_date(slot.start, zone)].append(
            {
                "label": utc_to_local(slot.start, zone).strftime(label_format),
                "therapist_label": (
                    f"{utc_to_local(slot.start, other):%H:%M} "
                    f"{utc_to_local(slot.start, other).tzname()}"
                    if other
                    else ""
                ),
                "href": slot_href(link_base, slot.start, zone, tz),
            }
        )

    def nav(day: dt.date, as_view: str = view) -> str:
        query = {"view": as_view, "from": day.isoformat()}
        if tz:
            query["tz"] = tz
        return "?" + urlencode(query)

    def day_row(day: dt.date) -> dict[str, Any]:
        return {
            "date": day,
            "id": f"day-{day.isoformat()}",
            "label": _day_label(day),
            "slots": by_day.get(day, []),
            "in_period": first <= day <= last,
            "is_today": day == today,
            "week_href": nav(day, "week") + f"#day-{day.isoformat()}",
        }

    weeks: list[list[dict[str, Any]]] = []
    if view == "month":
        cursor = first - dt.timedelta(days=first.weekday())
        while cursor <= last:
            weeks.append([day_row(cursor + dt.timedelta(i)) for i in range(WEEK)])
            cursor += dt.timedelta(WEEK)
    days = [day_row(first + dt.timedelta(i)) for i in range((last - first).days + 1)]
    context = {
        "form": form,
        "view": view,
        "tz": tz,
        "zone": zone,
        "zone_abbr": " / ".join(abbreviations),
        "therapist_zone": other,
        "period_label": (
            f"{_month(first)} {first.year}"
            if view == "month"
            else _("%(first)s to %(last)s") % {"first": _day_label(first), "last": _day_label(last)}
        ),
        "days": days,
        "weeks": weeks,
        "weekday_names": [_weekday(first + dt.timedelta(i - first.weekday())) for i in range(7)],
        "slot_count": len(found),
        "previous_href": nav(previous) if first > today else None,
        "next_href": nav(following) if following <= last_bookable else None,
        "week_href": nav(first if view == "week" else max(first, today), "week"),
        "month_href": nav(first, "month"),
        "from": first.isoformat(),
        "zone_names": time_zone_names(),
        **service_summary(service),
    }
    return context, status


@require_GET
def book_service(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    """Pick a free time of a service: week or month view (public)."""
    now = timezone.now()
    link = reverse("scheduling:book_confirm", args=[service_id])
    try:
        context, status = slot_picker(request, service_id=service_id, now=now, link_base=link)
    except NotFound:
        return unavailable(request, _not_bookable_message(), status=404)
    viewer = viewer_of(request)
    page = {"picker": context, "not_client": viewer is not None and viewer.role != Role.CLIENT}
    return render(request, "scheduling/book_service.html", page, status=status)


def _not_bookable_message() -> str:
    return _(
        "This service cannot be booked now: the therapist is not taking bookings or no "
        "longer offers it. Choose another therapist in the directory."
    )


def unavailable(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    return render(request, "scheduling/book_unavailable.html", {"message": message}, status=status)


def clients_only(request: HttpRequest) -> HttpResponse:
    return render(request, "scheduling/book_clients_only.html", status=403)


def _alternatives(
    service: Service, starts: list[dt.datetime], zone: str, tz: str | None
) -> list[dict[str, str]]:
    base = reverse("scheduling:book_confirm", args=[service.public_id])
    return [{"label": format_local(s, zone), "href": slot_href(base, s, zone, tz)} for s in starts]


def _confirm_context(
    request: HttpRequest, service: Service, form: BookForm, start: dt.datetime | None, tz: str
) -> dict[str, Any]:
    zone = _zone_for(request, tz, service.therapist)
    context: dict[str, Any] = {
        "form": form,
        "zone": zone,
        "tz": tz,
        "start": start,
        "back_href": reverse("scheduling:book_service", args=[service.public_id])
        + (
            "?"
            + urlencode({"from": local_date(start, zone).isoformat(), **({"tz": tz} if tz else {})})
            if start
            else ""
        ),
        "summary": service_summary(service),
        **service_summary(service),
    }
    if start is not None:
        end = start + dt.timedelta(minutes=service.duration_min)
        context["when"] = two_zones(start, zone, service.therapist.time_zone)
        context["until"] = f"{utc_to_local(end, zone):%H:%M}"
    return context


@login_required
@require_http_methods(["GET", "POST"])
def book_confirm(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    """Confirm and book one free time (`?start=`); POST books it (`booking_create`)."""
    user = viewer_of(request)
    assert user is not None
    if user.role != Role.CLIENT:
        return clients_only(request)
    now = timezone.now()
    if request.method == "POST":
        return _book(request, user, service_id, now)
    try:
        service = service_get_bookable(public_id=service_id, now=now)
    except NotFound:
        return unavailable(request, _not_bookable_message(), status=404)
    form = BookForm(request.GET)
    if not form.is_valid():
        context = _confirm_context(request, service, form, None, "")
        return render(request, "scheduling/book_confirm.html", context, status=400)
    start, tz = form.cleaned_data["start"], form.cleaned_data.get("tz") or ""
    context = _confirm_context(request, service, form, start, tz)
    refusal = booking_refusal(client=user, service_id=service.public_id, start=start, now=now)
    if refusal is not None:  # say why before the button, not after it (nothing is stored)
        form_add_domain_error(form, refusal)
        context["refused"] = True
        return render(request, "scheduling/book_confirm.html", context, status=refusal.status)
    if not slot_is_free(service=service, start=start, now=now):
        own = booking_find_own_at(client=user, service_public_id=service.public_id, start=start)
        if own is not None:  # e.g. "Back" after booking, then the same link again
            messages.info(request, _("You have already booked this time. Here is your session."))
            return redirect("scheduling:booking_detail", own.public_id)
        context["not_free"] = True
        zone = context["zone"]
        starts = booking_alternatives(service=service, now=now)
        context["alternatives"] = _alternatives(service, starts, zone, tz or None)
        return render(request, "scheduling/book_confirm.html", context, status=409)
    form = BookForm(initial={"start": start_param(start, context["zone"]), "tz": tz})
    context["form"] = form
    return render(request, "scheduling/book_confirm.html", context)


def _book(
    request: HttpRequest, user: User, service_id: uuid.UUID, now: dt.datetime
) -> HttpResponse:
    form = BookForm(request.POST)
    valid = form.is_valid()
    start = form.cleaned_data.get("start") if valid else None
    tz = (form.cleaned_data.get("tz") or "") if valid else ""
    error: DomainError | None = None
    booking: Booking | None = None
    if valid and start is not None:
        try:
            booking = booking_create(
                client=user,
                service_id=service_id,
                start=start,
                now=now,
                client_time_zone=tz or None,
            )
        except DomainError as exc:
            error = exc
    if booking is not None:
        messages.success(
            request, _("Booked. Your session is confirmed; a confirmation email is on its way.")
        )
        return redirect("scheduling:booking_detail", booking.public_id)
    if isinstance(error, SlotTaken) and start is not None:
        own = booking_find_own_at(client=user, service_public_id=service_id, start=start)
        if own is not None:  # the same client pressed "Book" twice
            messages.info(request, _("You have already booked this time. Here is your session."))
            return redirect("scheduling:booking_detail", own.public_id)
    try:
        service = service_get_bookable(public_id=service_id, now=now)
    except NotFound:
        message = error.message if error is not None else _not_bookable_message()
        return unavailable(request, message, status=404)
    context = _confirm_context(request, service, form, start, tz)
    status = 400
    if error is not None:
        status = error.status
        form_add_domain_error(form, error)
        if isinstance(error, SlotTaken):
            context["taken"] = True
            context["alternatives"] = _alternatives(
                service, error.alternatives, context["zone"], tz or None
            )
    context["form"] = form
    context["refused"] = True
    return render(request, "scheduling/book_confirm.html", context, status=status)
