"""HTML input for the therapist's calendar (issue 6 item 9). Parsing only: who may cancel or
mark what is the services' (`services_booking.booking_cancel`, `services.booking_mark_*`).

`CalendarQueryForm` reads `?view=day|week&date=YYYY-MM-DD` (both optional: the week of today
in the therapist's zone); the quick-action forms carry the same two fields hidden, so after a
POST the therapist is sent back to the calendar page they came from.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from backrelief.scheduling.selectors_calendar import (
    CALENDAR_FIRST_DATE,
    CALENDAR_LAST_DATE,
    calendar_date_in_range,
)
from backrelief.scheduling.services_booking import CANCEL_REASON_MAX

DAY, WEEK = "day", "week"
_DATE_ERROR = _("Enter a date as YYYY-MM-DD.")


class CalendarQueryForm(forms.Form):
    """Which page of the calendar: a day or a week, around a local date."""

    view = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[(DAY, _("Day")), (WEEK, _("Week"))],
        error_messages={"invalid_choice": _("Choose the day view or the week view.")},
    )
    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _DATE_ERROR},
    )

    def clean_date(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data.get("date")
        if day is not None and not calendar_date_in_range(day):
            raise forms.ValidationError(
                _("Choose a date between %(first)s and %(last)s.")
                % {"first": CALENDAR_FIRST_DATE.isoformat(), "last": CALENDAR_LAST_DATE.isoformat()}
            )
        return day

    def view_or(self, default: str = WEEK) -> str:
        return str(self.cleaned_data.get("view") or default)

    def date_or(self, default: dt.date) -> dt.date:
        day = self.cleaned_data.get("date")
        return day if isinstance(day, dt.date) else default


class CancelForm(forms.Form):
    """A therapist cancels a session: the reason is asked (stored with the booking; emails
    never carry it)."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=CANCEL_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Kept with the booking. The client is told by email that you cancelled; the email "
            "does not quote the reason. At most 500 characters."
        ),
        error_messages={
            "required": _("Give a short reason, e.g. 'I am ill'."),
            "max_length": _("Keep the reason under 500 characters."),
        },
    )
