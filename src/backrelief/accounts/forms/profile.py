"""HTML input for the profile page: parsing only (rules live in `services/profile.py`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backrelief.accounts.countries import COUNTRIES
from backrelief.accounts.forms.auth import display_name_field, locale_field, time_zone_field
from backrelief.accounts.models import User


def country_choices() -> list[tuple[str, Any]]:
    ordered = sorted(COUNTRIES.items(), key=lambda item: str(item[1]))
    return [("", _("Not set")), *ordered]


class ProfileForm(forms.Form):
    display_name = display_name_field()
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=country_choices,
        error_messages={"invalid_choice": _("Choose a country from the list, or leave it empty.")},
        widget=forms.Select(attrs={"autocomplete": "country"}),
    )
    time_zone = time_zone_field()
    locale = locale_field()

    @classmethod
    def for_user(cls, user: User, data: Any = None) -> ProfileForm:
        form = cls(
            data,
            initial={
                "display_name": user.display_name,
                "country": user.country,
                "time_zone": user.time_zone,
                "locale": user.locale,
            },
        )
        # A chosen zone wins over the browser's; the untouched default (UTC) may be replaced.
        if data is not None or user.time_zone != "UTC":
            form.fields["time_zone"].widget.attrs["data-user-set"] = "1"
        return form
