"""The therapist's day/week calendar (issue 6 item 9): working hours, time off and bookings in
the therapist's zone (named), with quick actions per booking.

Adapters only: the profile through the `therapist_page` decorator (non-therapists get the "for
therapist accounts" page, 403; a therapist without a profile goes to onboarding), the calendar
through `selectors_calendar`, the booking through `access.booking_get_for_therapist` (another
therapist's booking is a 404), and the changes through the services every other adapter uses:
`services_booking.booking_cancel` (the client is told by email) and
`services.booking_mark_completed` / `booking_mark_no_show`. Plain links and forms,
POST-redirect-GET back to the same calendar page (`view` and `date` travel as hidden fields);
no JavaScript needed. A week is a list of days with a heading each, so on a phone it reads
top to bottom.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backrelief.core.errors import DomainError, NotFound
from backrelief.core.forms import form_add_domain_error
from backrelief.core.time import (
    format_local,
    local_date,
    local_to_utc_forward,
    utc_to_local,
    zone_abbreviation,
)
from backrelief.scheduling.access import booking_get_for_therapist
from backrelief.scheduling.forms_calendar import DAY, WEEK, CalendarQueryForm, CancelForm
from backrelief.scheduling.selectors_calendar import (
    Calendar,
    calendar_date_in_range,
    calendar_for_therapist,
    calendar_week_start,
)
from backrelief.scheduling.services import booking_mark_completed, booking_mark_no_show
from backrelief.scheduling.services_booking import booking_cancel
from backrelief.therapists.models import TherapistProfile
from backrelief.therapists.selectors_credentials import technique_name
from backrelief.therapists.views.profile import optional_url, therapist_page, user_of


def calendar_url(*, view: str, day: dt.date) -> str:
    """The calendar page showing `view` ("day" or "week") around `day`."""
    query = urlencode({"view": view, "date": day.isoformat()})
    return f"{reverse('scheduling:calendar')}?{query}"


def _back(request: HttpRequest) -> str:
    """Where a quick action returns: the calendar page it was started from (hidden fields on
    a POST, the query string on a GET); today's week when they are missing or bad."""
    form = CalendarQueryForm(request.POST if request.method == "POST" else request.GET)
    if form.is_valid() and form.cleaned_data.get("date") is not None:
        return calendar_url(view=form.view_or(), day=form.cleaned_data["date"])
    return reverse("scheduling:calendar")


def _range(view: str, day: dt.date) -> tuple[dt.date, dt.date, dt.timedelta]:
    if view == DAY:
        return day, day, dt.timedelta(days=1)
    monday = calendar_week_start(day)
    return monday, monday + dt.timedelta(days=6), dt.timedelta(days=7)


def _zone_label(cal: Calendar) -> str:
    """ "Europe/Berlin (CET)", or "(CET / CEST)" for a week in which the clocks change."""
    seen: list[str] = []
    for day in cal.days:
        noon = utc_to_local(
            dt.datetime.combine(day.date, dt.time(12), tzinfo=dt.UTC), cal.time_zone
        )
        abbreviation = zone_abbreviation(noon, cal.time_zone)
        if abbreviation not in seen and abbreviation != cal.time_zone:
            seen.append(abbreviation)
    return f"{cal.time_zone} ({' / '.join(seen)})" if seen else cal.time_zone


def _clock_changes(first: dt.date, last: dt.date, zone: str) -> bool:
    """Whether the UTC offset of `zone` differs between the start of `first` and the end of
    `last` (local dates): a clock change falls inside the period shown."""
    start = local_to_utc_forward(day=first, at=dt.time(0), zone=zone)
    end = local_to_utc_forward(day=last + dt.timedelta(days=1), at=dt.time(0), zone=zone)
    return utc_to_local(start, zone).utcoffset() != utc_to_local(end, zone).utcoffset()


@therapist_page
@require_GET
def calendar(request: HttpRequest, profile: TherapistProfile) -> HttpResponse:
    """A day or a week (`?view=day|week&date=YYYY-MM-DD`, default: this week) of the
    therapist's working hours, time off and bookings, with previous / next / today links.
    A bad `view` or `date` shows this week with the error, status 400."""
    now = timezone.now()
    today = local_date(now, profile.time_zone)
    query = CalendarQueryForm(request.GET)
    status = 200
    if query.is_valid():
        view, day = query.view_or(), query.date_or(today)
    else:
        view, day, status = WEEK, today, 400
    first, last, step = _range(view, day)
    cal = calendar_for_therapist(therapist=profile, first=first, last=last, now=now)
    detail_exists = optional_url("scheduling:booking_detail", uuid.UUID(int=0)) is not None
    account_zone = user_of(request).time_zone
    context: dict[str, Any] = {
        "profile": profile,
        "calendar": cal,
        "view": view,
        "date": day,
        "zone_label": _zone_label(cal),
        # A period with a clock change: every session time carries its abbreviation, so the
        # repeated hour of an autumn change reads "02:30 CEST" and "02:30 CET".
        "mark_zone": _clock_changes(first, last, profile.time_zone),
        "account_zone": account_zone if account_zone != profile.time_zone else "",
        "query_errors": [e for errors in query.errors.values() for e in errors],
        # No link to a page the calendar cannot show (the edges of 2000-2099).
        "previous_url": calendar_url(view=view, day=day - step)
        if calendar_date_in_range(day - step)
        else None,
        "next_url": calendar_url(view=view, day=day + step)
        if calendar_date_in_range(day + step)
        else None,
        "today_url": calendar_url(view=view, day=today),
        "day_url": calendar_url(view=DAY, day=day),
        "week_url": calendar_url(view=WEEK, day=day),
        "shows_today": first <= today <= last,
        "detail_exists": detail_exists,
        "time_off_url": reverse("scheduling:time_off_new") + f"?date={day.isoformat()}",
    }
    return render(request, "scheduling/calendar.html", context, status=status)


@therapist_page
@require_http_methods(["GET", "POST"])
def calendar_cancel(
    request: HttpRequest, profile: TherapistProfile, booking_id: uuid.UUID
) -> HttpResponse:
    """Cancel one of the therapist's sessions: the reason is asked first; the client is told
    (`booking_cancel` queues the email). Another therapist's booking: 404. A session already
    cancelled, marked, started or past: the service's specific message, nothing changed."""
    user, now = user_of(request), timezone.now()
    try:
        booking = booking_get_for_therapist(user=user, public_id=booking_id)
    except NotFound:
        raise Http404 from None
    back = _back(request)
    form = CancelForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                booking_cancel(
                    actor=user,
                    booking_id=booking.public_id,
                    reason=form.cleaned_data["reason"],
                    now=now,
                )
            except NotFound:
                raise Http404 from None
            except DomainError as exc:
                form_add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("The session was cancelled. The client will be told by email."),
                )
                return redirect(back)
    zone = profile.time_zone
    query = CalendarQueryForm(request.POST if request.method == "POST" else request.GET)
    hidden = query.cleaned_data if query.is_valid() else {}
    return render(
        request,
        "scheduling/calendar_cancel.html",
        {
            "profile": profile,
            "booking": booking,
            "when": format_local(booking.start, zone),
            "ends": f"{utc_to_local(booking.end, zone):%H:%M}",
            "client_label": booking.client.label,
            "technique": technique_name(booking.service.technique),
            "already_cancelled": booking.status == "cancelled",
            "form": form,
            "back": back,
            "hidden_view": hidden.get("view") or "",
            "hidden_date": hidden.get("date"),
        },
        status=status,
    )


def _mark(request: HttpRequest, booking_id: uuid.UUID, *, no_show: bool) -> HttpResponse:
    user, now = user_of(request), timezone.now()
    try:
        if no_show:
            booking_mark_no_show(user=user, booking_id=booking_id, now=now)
            messages.success(request, _("Marked as a no-show."))
        else:
            booking_mark_completed(user=user, booking_id=booking_id, now=now)
            messages.success(request, _("Marked as completed. The client can now review it."))
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(_back(request))


@therapist_page
@require_POST
def calendar_complete(
    request: HttpRequest, profile: TherapistProfile, booking_id: uuid.UUID
) -> HttpResponse:
    """Mark a session completed (`booking_mark_completed`), then back to the calendar."""
    return _mark(request, booking_id, no_show=False)


@therapist_page
@require_POST
def calendar_no_show(
    request: HttpRequest, profile: TherapistProfile, booking_id: uuid.UUID
) -> HttpResponse:
    """Mark that the client did not come (`booking_mark_no_show`), then back to the calendar."""
    return _mark(request, booking_id, no_show=True)
