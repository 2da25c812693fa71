"""HTML input for two-factor authentication and personal access tokens (issue 2 §6, §10).

Parsing only; the rules live in `services/mfa.py` and `services/tokens.py`.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from backrelief.accounts.totp import MAX_CODE_INPUT

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CODE_ATTRS = {"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}


class LoginCodeForm(forms.Form):
    """The second step of signing in: an app code or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=MAX_CODE_INPUT,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={**_CODE_ATTRS, "autofocus": True}),
        error_messages={"required": _("Enter the code from your authenticator app.")},
    )


class AppCodeForm(forms.Form):
    """A current code from the authenticator app (setup, regenerating recovery codes)."""

    code = forms.CharField(
        label=_("Code from your app"),
        max_length=MAX_CODE_INPUT,
        help_text=_("Six digits; a new one appears every 30 seconds."),
        widget=forms.TextInput(attrs={**_CODE_ATTRS, "inputmode": "numeric"}),
        error_messages={"required": _("Enter the 6-digit code from your authenticator app.")},
    )


class MfaDisableForm(forms.Form):
    password = forms.CharField(
        label=_("Current password"),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your current password.")},
    )
    code = forms.CharField(
        label=_("Code from your app"),
        max_length=MAX_CODE_INPUT,
        widget=forms.TextInput(attrs={**_CODE_ATTRS, "inputmode": "numeric"}),
        error_messages={"required": _("Enter the 6-digit code from your authenticator app.")},
    )


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("What the token is for, e.g. “Sync script on my laptop”."),
        error_messages={
            "required": _("Give the token a name so you can recognise it later."),
            "max_length": _("Use at most 80 characters."),
        },
    )
    expires_at = forms.DateField(
        label=_("Expiry date (optional)"),
        required=False,
        help_text=_(
            "The token stops working at the end of this day in your time zone. "
            "Leave empty for no expiry."
        ),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )

    def clean_name(self) -> str:
        value: str = self.cleaned_data["name"]
        if _CONTROL.search(value):
            raise forms.ValidationError(_("Use letters, digits, spaces and punctuation only."))
        return value

    def clean_expires_at(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("expires_at")
        if value is not None and value.year >= 9999:
            raise forms.ValidationError(_("Choose a date before the year 9999, or none."))
        return value
