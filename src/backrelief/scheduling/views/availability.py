"""The therapist's availability pages (issue 6 item 1): weekly hours, booking rules, special
hours for a date, time off.

Adapters only: the profile through `therapists.access` (the `therapist_page` decorator:
non-therapists get the "for therapist accounts" page, 403), reads through
`selectors_availability`, changes through `services_availability` (the same services as
`/api/v1/availability`). Plain forms with POST-redirect-GET, no JavaScript needed ("Add a
shift" is a submit button that re-renders the form with one more row). Times are shown and
entered in the therapist's zone, named on the page. Bookings outside the availability are
listed at the top of the page after every change and on every visit until resolved.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from backrelief.core.errors import DomainError, NotFound
from backrelief.core.forms import form_add_domain_error
from backrelief.core.time import format_local, utc_to_local
from backrelief.scheduling.availability_rules import MAX_SHIFTS_PER_DAY, WEEKDAY_NAMES
from backrelief.scheduling.forms_availability import (
    DateHoursForm,
    PolicyForm,
    TimeOffForm,
    WeekForm,
    rows_from_post,
)
from backrelief.scheduling.selectors_availability import (
    BookingConflict,
    availability_overview,
    date_override_list,
    therapist_today,
)
from backrelief.scheduling.selectors_slots import FIRST_DATE, LAST_DATE
from backrelief.scheduling.services_availability import (
    AvailabilityChange,
    date_override_clear,
    date_override_set,
    policy_update,
    time_off_add,
    time_off_remove,
    weekly_hours_set,
)
from backrelief.therapists.models import TherapistProfile
from backrelief.therapists.views.profile import therapist_page, user_of

_SHIFT_KEY = re.compile(r"^\d-\d-(start|end)$")


def _conflict_rows(conflicts: list[BookingConflict], zone: str) -> list[dict[str, Any]]:
    return [
        {
            "booking_id": c.booking_id,
            "when": format_local(c.start, zone, with_zone=False),
            "until": f"{utc_to_local(c.end, zone):%H:%M}",
            "service": c.service,
            "client": c.client_label,
        }
        for c in conflicts
    ]


def _saved(request: HttpRequest, change: AvailabilityChange, text: str) -> None:
    """The success message, with the conflicts count when there are any (shown on the page)."""
    n = len(change.conflicts)
    if n:
        messages.warning(
            request,
            text
            + " "
            + ngettext(
                "%(n)d upcoming booking is outside your availability now. It is kept: "
                "reschedule or cancel it yourself (listed below).",
                "%(n)d upcoming bookings are outside your availability now. They are kept: "
                "reschedule or cancel them yourself (listed below).",
                n,
            )
            % {"n": n},
        )
    else:
        messages.success(request, text)


def _week_initial(week: list[Any]) -> tuple[dict[str, Any], dict[int, int]]:
    initial: dict[str, Any] = {}
    counts = dict.fromkeys(range(7), 0)
    for row in week:
        i = counts[row.weekday]
        initial[f"{row.weekday}-{i}-start"] = row.start_time
        initial[f"{row.weekday}-{i}-end"] = row.end_time
        counts[row.weekday] = i + 1
    rows = {day: min(MAX_SHIFTS_PER_DAY, n + 1) for day, n in counts.items()}
    return initial, rows


def _policy_initial(policy: Any) -> dict[str, Any]:
    return {
        "min_notice_minutes": policy.min_notice_minutes,
        "horizon_days": policy.horizon_days,
        "slot_step_minutes": policy.slot_step_minutes,
        "cancellation_cutoff_hours": policy.cancellation_cutoff_hours,
    }


def _posted_times(request: HttpRequest) -> dict[str, str]:
    return {k: request.POST.get(k, "") for k in request.POST if _SHIFT_KEY.match(k)}


def _add_row(rows: dict[int, int], raw: str | None) -> dict[int, int]:
    if raw is not None and raw in {str(day) for day in rows}:
        day = int(raw)
        rows = {**rows, day: min(MAX_SHIFTS_PER_DAY, rows[day] + 1)}
    return rows


@therapist_page
@require_http_methods(["GET", "POST"])
def availability(request: HttpRequest, profile: TherapistProfile) -> HttpResponse:
    """The week (shift rows per weekday), the booking rules, upcoming special dates and time
    off with remove buttons, and the bookings outside the availability."""
    user, now = user_of(request), timezone.now()
    if request.method == "GET" and "date" in request.GET:  # "special hours for a date" box
        try:
            day = dt.date.fromisoformat(request.GET["date"])
        except ValueError:
            messages.error(request, _("Enter a date as YYYY-MM-DD."))
            return redirect("scheduling:availability")
        return redirect("scheduling:override_edit", day.isoformat())
    view = availability_overview(therapist=profile, now=now)
    week_initial, week_rows = _week_initial(view.week)
    week_form = WeekForm(initial=week_initial, rows=week_rows)
    policy_form = PolicyForm(initial=_policy_initial(view.policy))
    status = 200
    if request.method == "POST":
        action = request.POST.get("form")
        if action == "week":
            rows = rows_from_post(request.POST, prefix="", days=range(7))
            if "add" in request.POST:  # "Add a shift": one more row for that day, not saved
                week_form = WeekForm(
                    initial=_posted_times(request), rows=_add_row(rows, request.POST.get("add"))
                )
            else:
                week_form = WeekForm(request.POST, rows=rows)
                if week_form.is_valid():
                    try:
                        change = weekly_hours_set(
                            user=user, hours=week_form.cleaned_data["shifts"], now=now
                        )
                    except DomainError as exc:
                        week_form.add_domain_error(exc)
                    else:
                        _saved(request, change, _("Your weekly hours were saved."))
                        return redirect("scheduling:availability")
                status = 422
        elif action == "policy":
            policy_form = PolicyForm(request.POST)
            if policy_form.is_valid():
                try:
                    change = policy_update(user=user, now=now, **policy_form.cleaned_data)
                except DomainError as exc:
                    form_add_domain_error(policy_form, exc)
                else:
                    _saved(request, change, _("Your booking rules were saved."))
                    return redirect("scheduling:availability")
            status = 422
        elif action == "time_off_remove":
            try:
                change = time_off_remove(
                    user=user, time_off_id=request.POST.get("time_off", ""), now=now
                )
            except NotFound as exc:
                raise Http404(exc.message) from None
            _saved(request, change, _("The time off was removed."))
            return redirect("scheduling:availability")
        elif action == "date_clear":
            try:
                day = dt.date.fromisoformat(request.POST.get("date", ""))
                change = date_override_clear(user=user, date=day, now=now)
            except (ValueError, NotFound):
                raise Http404(_("That date has no special hours.")) from None
            _saved(request, change, _("The special hours were removed."))
            return redirect("scheduling:availability")
        else:
            status = 400
    zone = view.time_zone
    context = {
        "profile": profile,
        "zone": zone,
        "today": view.today,
        "week_form": week_form,
        "week_days": [
            {"day": d, "name": _(WEEKDAY_NAMES[d]), "rows": week_form.day_rows(d)} for d in range(7)
        ],
        "week_rows": week_form.rows,
        "max_rows": MAX_SHIFTS_PER_DAY,
        "policy_form": policy_form,
        "policy_saved": view.policy.pk is not None,
        "dates": [
            {
                "date": day,
                "closed": any(r.closed for r in rows),
                "hours": [
                    f"{r.start_time:%H:%M}–{r.end_time:%H:%M}"
                    for r in rows
                    if not r.closed and r.start_time is not None and r.end_time is not None
                ],
            }
            for day, rows in view.dates.items()
        ],
        "time_off": [
            {
                "row": row,
                "start": format_local(row.start, zone, with_zone=False),
                "end": format_local(row.end, zone, with_zone=False),
            }
            for row in view.time_off
        ],
        "conflicts": _conflict_rows(view.conflicts, zone),
    }
    return render(request, "scheduling/availability_edit.html", context, status=status)


def _prefill_days(value: str) -> dict[str, dt.date]:
    """Both days of the time-off form from `?date=` (the calendar's link); nothing when the
    value is not a date."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return {}
    return {"start_date": day, "end_date": day}


def _parse_day(value: str) -> dt.date:
    """The date of an override page; 404 for anything but a date in 2000-2099 (the range the
    slots and the calendar work in: a page for 9999-12-31 stored hours nobody could use)."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise Http404(_("Enter a date as YYYY-MM-DD.")) from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise Http404(
            _("Choose a date between %(first)s and %(last)s.")
            % {"first": FIRST_DATE.isoformat(), "last": LAST_DATE.isoformat()}
        )
    return day


@therapist_page
@require_http_methods(["GET", "POST"])
def override_edit(request: HttpRequest, profile: TherapistProfile, day: str) -> HttpResponse:
    """Special hours for one date in the therapist's zone: closed, or shift rows replacing the
    weekly hours of that date."""
    user, now = user_of(request), timezone.now()
    date = _parse_day(day)
    rows = date_override_list(therapist=profile, start=date, end=date).get(date, [])
    initial: dict[str, Any] = {"closed": any(r.closed for r in rows)}
    open_rows = [r for r in rows if not r.closed]
    for i, r in enumerate(open_rows):
        initial[f"0-{i}-start"], initial[f"0-{i}-end"] = r.start_time, r.end_time
    count = {0: min(MAX_SHIFTS_PER_DAY, len(open_rows) + 1)}
    form = DateHoursForm(initial=initial, rows=count, date=date)
    status = 200
    if request.method == "POST":
        posted = rows_from_post(request.POST, prefix="", days=range(1))
        if "add" in request.POST:
            form = DateHoursForm(
                initial={**_posted_times(request), "closed": "closed" in request.POST},
                rows=_add_row(posted, "0"),
                date=date,
            )
        else:
            form = DateHoursForm(request.POST, rows=posted, date=date)
            if form.is_valid():
                try:
                    change = date_override_set(
                        user=user,
                        date=date,
                        closed=form.cleaned_data["closed"],
                        hours=[(s, e) for _d, s, e in form.cleaned_data["shifts"]],
                        now=now,
                    )
                except DomainError as exc:
                    form.add_domain_error(exc)
                else:
                    _saved(
                        request,
                        change,
                        _("The hours of %(date)s were saved.") % {"date": date.isoformat()},
                    )
                    return redirect("scheduling:availability")
            status = 422
    return render(
        request,
        "scheduling/availability_date.html",
        {
            "profile": profile,
            "zone": profile.time_zone,
            "date": date,
            "past": date < therapist_today(therapist=profile, now=now),
            "has_override": bool(rows),
            "form": form,
            "rows": form.day_rows(0),
            "row_count": form.rows[0],
            "max_rows": MAX_SHIFTS_PER_DAY,
        },
        status=status,
    )


@therapist_page
@require_http_methods(["GET", "POST"])
def time_off_new(request: HttpRequest, profile: TherapistProfile) -> HttpResponse:
    """Add time off: first and last day, optional times (whole days when empty), a note.
    `?date=YYYY-MM-DD` (the calendar's link) prefills both days; anything else is ignored."""
    form = TimeOffForm(request.POST or None, initial=_prefill_days(request.GET.get("date", "")))
    if request.method == "POST" and form.is_valid():
        start, end = form.instants()
        try:
            change = time_off_add(
                user=user_of(request),
                start=start,
                end=end,
                note=form.cleaned_data["note"],
                now=timezone.now(),
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            _saved(request, change, _("Your time off was added."))
            return redirect("scheduling:availability")
    return render(
        request,
        "scheduling/availability_time_off.html",
        {"profile": profile, "zone": profile.time_zone, "form": form},
        status=422 if request.method == "POST" else 200,
    )
