"""HTML input for sign-up, sign-in and passwords: parsing only (rules live in the services).

Lengths are bounded here so oversized input never reaches the services: email 254 (RFC 5321),
password 128 (`accounts/passwords.py`), display name 80.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from backrelief.accounts import preferences
from backrelief.accounts.models import SIGNUP_ROLES, User
from backrelief.accounts.passwords import MAX_PASSWORD_LENGTH

_EMAIL_ERRORS = {
    "required": _("Enter your email address."),
    "invalid": _("Enter an email address such as name@example.com."),
}


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in preferences.time_zone_names()]


def email_field(*, autocomplete: str) -> forms.EmailField:
    return forms.EmailField(
        label=_("Email address"),
        max_length=preferences.EMAIL_MAX,
        error_messages=_EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": autocomplete, "spellcheck": "false"}),
    )


def password_field(*, label: Any, autocomplete: str, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        max_length=MAX_PASSWORD_LENGTH,
        help_text=help_text,
        error_messages={
            "required": _("Enter a password."),
            "max_length": _("Use at most %(limit_value)d characters."),
        },
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


NEW_PASSWORD_HELP = _(
    "At least 8 characters. Long passphrases are welcome (up to 128 characters); very common "
    "passwords are not accepted."
)


def time_zone_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        initial="UTC",
        help_text=_("Used to show times of sessions and reminders in your local time."),
        error_messages={"invalid_choice": _("Choose a time zone from the list.")},
        widget=forms.Select(attrs={"data-browser-timezone": "", "autocomplete": "off"}),
    )


def locale_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        error_messages={"invalid_choice": _("Choose one of the offered languages.")},
        widget=forms.Select(attrs={"autocomplete": "language"}),
    )


def display_name_field() -> forms.CharField:
    return forms.CharField(
        label=_("Display name"),
        required=False,
        max_length=preferences.DISPLAY_NAME_MAX,
        help_text=_("How BackRelief greets you and how therapists see you. Optional."),
        error_messages={"max_length": _("Use at most %(limit_value)d characters.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class SignupForm(forms.Form):
    role = forms.ChoiceField(
        label=_("I am signing up as"),
        choices=[(role.value, role.label) for role in SIGNUP_ROLES],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether you are signing up as a client or a therapist."),
            "invalid_choice": _("Choose whether you are signing up as a client or a therapist."),
        },
    )
    email = email_field(autocomplete="email")
    password = password_field(
        label=_("Password"), autocomplete="new-password", help_text=NEW_PASSWORD_HELP
    )
    display_name = display_name_field()
    time_zone = time_zone_field()
    locale = locale_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["locale"].initial = get_language() or settings.LANGUAGE_CODE
        if self.is_bound:  # keep what the person chose; the browser default is only a start
            self.fields["time_zone"].widget.attrs["data-user-set"] = "1"

    def clean(self) -> dict[str, Any]:
        """Report the password rules together with any other field's errors, so a person
        fixes everything in one round. `user_signup` checks them again and stays the rule."""
        data = super().clean() or {}
        password = data.get("password")
        if password and self.errors:
            probe = User(email=data.get("email", ""), display_name=data.get("display_name", ""))
            try:
                validate_password(password, user=probe)
            except ValidationError as exc:
                for message in exc.messages:
                    self.add_error("password", message)
        return data


class LoginForm(forms.Form):
    email = email_field(autocomplete="username")
    password = password_field(label=_("Password"), autocomplete="current-password")


class VerifyResendForm(forms.Form):
    """No fields: the link goes to the signed-in person's own address."""


class PasswordChangeForm(forms.Form):
    current_password = password_field(label=_("Current password"), autocomplete="current-password")
    new_password = password_field(
        label=_("New password"), autocomplete="new-password", help_text=NEW_PASSWORD_HELP
    )


class PasswordResetRequestForm(forms.Form):
    email = email_field(autocomplete="email")


class PasswordResetForm(forms.Form):
    new_password = password_field(
        label=_("New password"), autocomplete="new-password", help_text=NEW_PASSWORD_HELP
    )
