"""HTML input for the availability pages (issue 6 item 1). Parsing only: the ranges, order and
overlap rules are the services' (`services_availability`), whose field errors
(`hours.<index>.end`) `add_domain_error` places beside the matching inputs.

Shift rows work without JavaScript: each day has a number of start/end pairs (the saved
shifts plus one empty pair; a hidden `rows-<day>` carries the count), an "Add a shift" submit
button re-renders the form with one more pair, and clearing both times of a pair removes it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backrelief.core.errors import DomainError, Invalid
from backrelief.core.forms import form_add_domain_error
from backrelief.scheduling.availability_rules import (
    CUTOFF_HOURS_MAX,
    MAX_NOTE_LENGTH,
    MAX_SHIFTS_PER_DAY,
    NOTICE_MINUTES_MAX,
    SLOT_STEPS,
    WEEKDAY_NAMES,
)

_TIME_ERROR = _("Enter a time as HH:MM, e.g. 09:00.")
_DATE_ERROR = _("Enter a date as YYYY-MM-DD.")


def _time_field(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        input_formats=["%H:%M", "%H:%M:%S"],
        error_messages={"invalid": _TIME_ERROR},
    )


def rows_from_post(data: Any, *, prefix: str, days: range, minimum: int = 1) -> dict[int, int]:
    """How many shift pairs each day shows, from the hidden counters (clamped to 1-6)."""
    counts: dict[int, int] = {}
    for day in days:
        try:
            n = int(data.get(f"{prefix}rows-{day}", minimum))
        except (TypeError, ValueError):
            n = minimum
        counts[day] = max(minimum, min(MAX_SHIFTS_PER_DAY, n))
    return counts


class _ShiftRowsForm(forms.Form):
    """Start/end pairs grouped by day (a weekday, or the one date of an override)."""

    days: range = range(7)

    def __init__(self, *args: Any, rows: dict[int, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.index_fields: list[tuple[str, str]] = []  # service row index → (start, end) names
        for day in self.days:
            for i in range(rows.get(day, 1)):
                label = self.day_label(day)
                self.fields[f"{day}-{i}-start"] = _time_field(
                    str(_("%(day)s, shift %(n)d: start")) % {"day": label, "n": i + 1}
                )
                self.fields[f"{day}-{i}-end"] = _time_field(
                    str(_("%(day)s, shift %(n)d: end")) % {"day": label, "n": i + 1}
                )

    def day_label(self, day: int) -> str:
        return str(_(WEEKDAY_NAMES[day]))

    def day_rows(self, day: int) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"{day}-{i}-start"], self[f"{day}-{i}-end"]) for i in range(self.rows.get(day, 1))
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        shifts: list[tuple[int, dt.time, dt.time]] = []
        self.index_fields = []
        for day in self.days:
            for i in range(self.rows.get(day, 1)):
                start_name, end_name = f"{day}-{i}-start", f"{day}-{i}-end"
                if start_name in self.errors or end_name in self.errors:
                    continue
                start, end = data.get(start_name), data.get(end_name)
                if start is None and end is None:
                    continue  # an empty pair: no shift (clearing both removes one)
                if start is None or end is None:
                    missing = start_name if start is None else end_name
                    self.add_error(
                        missing, _("Enter both start and end, or clear both to remove the shift.")
                    )
                    continue
                shifts.append((day, start, end))
                self.index_fields.append((start_name, end_name))
        data["shifts"] = shifts
        return data

    def add_domain_error(self, exc: DomainError) -> None:
        """Place service errors keyed `hours.<index>.<part>` on the matching input."""
        if not isinstance(exc, Invalid):
            form_add_domain_error(self, exc)
            return
        placed = False
        for key, messages in exc.fields.items():
            parts = key.split(".")
            if len(parts) == 3 and parts[0] == "hours" and parts[1].isdigit():
                index = int(parts[1])
                if index < len(self.index_fields):
                    start_name, end_name = self.index_fields[index]
                    for message in messages:
                        self.add_error(end_name if parts[2] == "end" else start_name, message)
                    placed = True
                    continue
            if key == "hours" or key not in self.fields:
                for message in messages:
                    self.add_error(None, message)
                placed = True
        if not placed:
            form_add_domain_error(self, exc)


class WeekForm(_ShiftRowsForm):
    """The whole week: shift pairs per weekday (Monday first)."""

    days = range(7)


class DateHoursForm(_ShiftRowsForm):
    """The hours of one date: closed, or shift pairs (day key 0)."""

    days = range(1)

    def __init__(self, *args: Any, date: dt.date, **kwargs: Any) -> None:
        self.date = date
        super().__init__(*args, **kwargs)
        self.fields = {
            "closed": forms.BooleanField(label=_("Closed all day (no sessions)"), required=False),
            **self.fields,
        }

    def day_label(self, day: int) -> str:
        return self.date.isoformat()


class PolicyForm(forms.Form):
    """Booking rules (issue 6 items 1 and 6); ranges checked again by `policy_update`."""

    min_notice_minutes = forms.IntegerField(
        label=_("Minimum notice (minutes)"),
        min_value=0,
        max_value=NOTICE_MINUTES_MAX,
        help_text=_("How soon before a session it can still be booked; 720 is 12 hours."),
        widget=forms.NumberInput(attrs={"class": "short"}),
    )
    horizon_days = forms.IntegerField(
        label=_("Booking horizon (days)"),
        min_value=1,
        max_value=365,
        help_text=_("How far ahead clients can book."),
        widget=forms.NumberInput(attrs={"class": "short"}),
    )
    slot_step_minutes = forms.TypedChoiceField(
        label=_("Start times every"),
        coerce=int,
        choices=[(n, _("%(n)d minutes") % {"n": n}) for n in SLOT_STEPS],
    )
    cancellation_cutoff_hours = forms.IntegerField(
        label=_("Cancellation cut-off (hours)"),
        min_value=0,
        max_value=CUTOFF_HOURS_MAX,
        help_text=_("Clients can always cancel; inside this many hours it counts as late."),
        widget=forms.NumberInput(attrs={"class": "short"}),
    )


class TimeOffForm(forms.Form):
    """An absence in the therapist's zone; empty times mean whole days."""

    start_date = forms.DateField(
        label=_("First day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _DATE_ERROR, "required": _("Enter the first day.")},
    )
    start_time = _time_field(str(_("From (time, optional)")))
    end_date = forms.DateField(
        label=_("Last day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _DATE_ERROR, "required": _("Enter the last day.")},
    )
    end_time = _time_field(str(_("Until (time, optional)")))
    note = forms.CharField(
        label=_("Note (only you see it)"),
        required=False,
        max_length=MAX_NOTE_LENGTH,
        help_text=_("E.g. holiday, training. At most 200 characters."),
    )

    def instants(self) -> tuple[dt.datetime, dt.datetime]:
        """Local (naive) start and end: no start time is the day's start, no end time the end
        of the last day."""
        data = self.cleaned_data
        start = dt.datetime.combine(data["start_date"], data["start_time"] or dt.time(0, 0))
        if data["end_time"] is not None:
            end = dt.datetime.combine(data["end_date"], data["end_time"])
        elif data["end_date"] < dt.date.max:
            end = dt.datetime.combine(data["end_date"] + dt.timedelta(days=1), dt.time(0, 0))
        else:  # 9999-12-31: no next day; the service refuses the year with a clear message
            end = dt.datetime.combine(data["end_date"], dt.time.max)
        return start, end

    def add_domain_error(self, exc: DomainError) -> None:
        """Service errors keyed `start`/`end` go beside the dates."""
        if isinstance(exc, Invalid):
            mapped = {
                {"start": "start_date", "end": "end_date"}.get(k, k): v
                for k, v in exc.fields.items()
            }
            exc = Invalid(exc.message, fields=mapped, code=exc.code)
        form_add_domain_error(self, exc)
