"""HTML input of the booking pages (issue 6 item 9): the slot picker's query (view, week or
month start, zone), the chosen start, and cancelling.

Forms only parse; the rules (is this start free, inside the notice, the cut-off...) are the
services' (`services_booking`), whose errors are shown beside these fields.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backrelief.accounts.preferences import time_zone_names
from backrelief.core.time import zone_names
from backrelief.scheduling.services_booking import CANCEL_REASON_MAX

VIEWS = ("week", "month")
# The dates the slot picker can show (the same range as `selectors_slots.slot_request_problems`);
# checked on the field so that a year like 9999 never reaches date arithmetic.
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
PAGE_MAX = 10_000  # pages of "My sessions" (50 sessions each)
# A '+' in a query string that was not percent-encoded arrives as a space: "10:00:00 01:00".
_SPACED_OFFSET = re.compile(r"^(.*T[\d:.]+) (\d\d:?\d\d)$")


def _zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in time_zone_names()]


class ZoneField(forms.ChoiceField):
    """An IANA zone name, offered as a list (the same list as the account's profile)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("Choose a time zone from the list, for example Europe/Berlin.")},
        )
        super().__init__(choices=_zone_choices, **kwargs)

    def valid_value(self, value: Any) -> bool:  # a set lookup, not a walk over 600 choices
        return str(value) in zone_names()


class SlotQueryForm(forms.Form):
    """The slot picker's GET query: `view` (week or month), `from` (a date in the week or
    month to show) and `tz` (the zone the times are shown in)."""

    view = forms.ChoiceField(
        choices=[("week", _("Week")), ("month", _("Month"))],
        required=False,
        error_messages={"invalid_choice": _("Choose the week or the month view.")},
    )
    tz = ZoneField(label=_("Show times in"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: add the field under its query-string name.
        self.fields["from"] = forms.DateField(
            required=False,
            input_formats=["%Y-%m-%d"],
            error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
        )

    def clean_from(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data.get("from")
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError(
                _("Choose a date between %(first)s and %(last)s.")
                % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()}
            )
        return day


class SessionListQueryForm(forms.Form):
    """Which page of the past and of the cancelled sessions "My sessions" shows (from 1)."""

    past = forms.IntegerField(required=False, min_value=1, max_value=PAGE_MAX)
    cancelled = forms.IntegerField(required=False, min_value=1, max_value=PAGE_MAX)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        message = _("Choose a page number from the links.")
        for field in self.fields.values():
            field.error_messages.update(
                {"invalid": message, "min_value": message, "max_value": message}
            )

    def page(self, name: str) -> int:
        value = self.cleaned_data.get(name) if self.is_valid() else None
        return int(value) if value else 1


def parse_start(value: str) -> dt.datetime:
    """An ISO 8601 instant with its UTC offset ("2026-03-04T10:00:00+01:00"), as sent by the
    slot links; raises forms.ValidationError with a message saying what to do."""
    text = (value or "").strip()
    match = _SPACED_OFFSET.match(text)
    if match:
        text = f"{match.group(1)}+{match.group(2)}"
    if not text or len(text) > 40:
        raise forms.ValidationError(_("Choose a time from the list of free times."))
    try:
        start = dt.datetime.fromisoformat(text)
    except ValueError:
        raise forms.ValidationError(
            _("This is not a time we understand. Choose a time from the list of free times.")
        ) from None
    if start.tzinfo is None or start.utcoffset() is None:
        raise forms.ValidationError(
            _("The time needs its UTC offset, e.g. +01:00. Choose a time from the list.")
        )
    if not FIRST_DAY <= start.date() <= LAST_DAY:
        raise forms.ValidationError(_("Choose a time from the list of free times."))
    return start


class StartField(forms.CharField):
    """The chosen start (hidden on the confirm form), parsed by `parse_start`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        return parse_start(str(text))


class BookForm(forms.Form):
    """Confirming a booking: the start the client chose and the zone they were looking at."""

    start = StartField(error_messages={"required": _("Choose a time from the list.")})
    tz = ZoneField(required=False, widget=forms.HiddenInput)


class CancelForm(forms.Form):
    """Cancelling a session: an optional reason (required from a therapist, who cancels on
    the client) and, inside the cut-off, the client's confirmation of a late cancellation."""

    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=CANCEL_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _("Keep the reason under %(limit_value)d characters."),
        },
    )
    confirm_late = forms.BooleanField(
        label=_("I understand this is a late cancellation."),
        required=False,
    )

    def __init__(self, *args: Any, reason_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        if reason_required:
            field.required = True
            field.help_text = _("The client sees this on their session page.")
            field.error_messages["required"] = _(
                "Tell the client why you cancel (they see it on their session page)."
            )
        else:
            field.help_text = _("Optional. The therapist sees it.")
