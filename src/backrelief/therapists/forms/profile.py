"""HTML input for the therapist's profile, photo, services and experience (issue 5 item 1).

Parsing only: ranges, the coordinate rules, price rules and every other business rule live in
`profile_rules.py` and are applied by `services/profile.py`, whose errors the views place
beside these fields (`core.forms.form_add_domain_error`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backrelief.accounts.forms.auth import time_zone_choices
from backrelief.catalog.data.techniques import TECHNIQUES
from backrelief.therapists.data.languages import LANGUAGES
from backrelief.therapists.models import Currency, Gender, Service, TherapistProfile
from backrelief.therapists.profile_rules import minor_to_price

_NUMBER = _("Enter a number.")
_WHOLE = _("Enter a whole number.")
TECHNIQUE_CHOICES = [(t.code, t.name) for t in TECHNIQUES]


def _technique_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Technique"),
        choices=TECHNIQUE_CHOICES,
        error_messages={"invalid_choice": _("Unknown technique. Choose one from the list.")},
    )


class AboutForm(forms.Form):
    """Onboarding step "about" and the first part of the profile page."""

    display_name = forms.CharField(
        label=_("Name shown to clients"),
        max_length=200,  # the service says "at most 80" in its own words
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter the name clients will see.")},
    )
    bio = forms.CharField(
        label=_("Short bio"),
        required=False,
        help_text=_("How you work and who you help, in up to 2000 characters."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    gender = forms.ChoiceField(
        label=_("Gender (optional)"),
        required=False,
        choices=Gender.choices,
        help_text=_("Only if you want clients to be able to filter by it."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you offer sessions in"),
        choices=LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one language you offer sessions in."),
            "invalid_choice": _("Choose languages from the list."),
        },
    )


class PracticeForm(forms.Form):
    """Onboarding step "practice" and the second part of the profile page."""

    address = forms.CharField(
        label=_("Practice address"),
        required=False,
        max_length=400,
        help_text=_("Street, postcode and city. For home visits only, the area you start from."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        help_text=_("Decimal degrees from -90 to 90, e.g. 52.52 (from any online map)."),
        error_messages={"invalid": _NUMBER},
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        required=False,
        help_text=_("Decimal degrees from -180 to 180, e.g. 13.405."),
        error_messages={"invalid": _NUMBER},
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    in_clinic = forms.BooleanField(label=_("Clients come to my practice"), required=False)
    mobile = forms.BooleanField(label=_("I visit clients at home (mobile)"), required=False)
    travel_radius_km = forms.IntegerField(
        label=_("How far you travel for home visits (km)"),
        required=False,
        help_text=_("1 to 200 km; needed for home visits."),
        error_messages={"invalid": _WHOLE},
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone of your practice"),
        choices=time_zone_choices,
        error_messages={"invalid_choice": _("Choose a time zone from the list.")},
    )
    step_free_access = forms.BooleanField(label=_("Step-free access"), required=False)
    accessible_toilet = forms.BooleanField(label=_("Accessible toilet"), required=False)
    accessibility_notes = forms.CharField(
        label=_("Notes on access (optional)"),
        required=False,
        max_length=600,
        help_text=_("E.g. “lift to the 2nd floor, ramp at the side entrance”."),
    )


class ProfileForm(AboutForm, PracticeForm):
    """The whole profile on one page (profile_edit)."""


def profile_initial(profile: TherapistProfile, languages: list[str]) -> dict[str, Any]:
    return {
        "display_name": profile.display_name,
        "bio": profile.bio,
        "gender": profile.gender,
        "languages": languages,
        "address": profile.address,
        "latitude": profile.latitude,
        "longitude": profile.longitude,
        "in_clinic": profile.in_clinic,
        "mobile": profile.mobile,
        "travel_radius_km": profile.travel_radius_km,
        "time_zone": profile.time_zone,
        "step_free_access": profile.step_free_access,
        "accessible_toilet": profile.accessible_toilet,
        "accessibility_notes": profile.accessibility_notes,
    }


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"),
        help_text=_(
            "JPEG, PNG or WebP, at most 5 MB. We re-save it at up to 800 × 800 pixels and "
            "remove hidden data such as the camera and GPS location."
        ),
        error_messages={
            "required": _("Choose a photo to upload."),
            "empty": _("The file is empty. Choose a JPEG, PNG or WebP photo."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class ServiceForm(forms.Form):
    technique = _technique_field()
    duration_min = forms.IntegerField(
        label=_("Duration (minutes)"),
        help_text=_("15 to 240 minutes."),
        error_messages={"invalid": _WHOLE, "required": _("Enter the duration in minutes.")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    price = forms.CharField(
        label=_("Price"),
        max_length=20,
        help_text=_("E.g. 70 or 69.50; paid at the session."),
        error_messages={"required": _("Enter the price, or 0 for free.")},
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    currency = forms.ChoiceField(
        label=_("Currency"),
        choices=Currency.choices,
        error_messages={"invalid_choice": _("Choose one of the offered currencies.")},
    )


class ServiceEditForm(forms.Form):
    duration_min = ServiceForm.base_fields["duration_min"]
    price = ServiceForm.base_fields["price"]
    currency = ServiceForm.base_fields["currency"]

    @classmethod
    def for_service(cls, service: Service, data: Any = None) -> ServiceEditForm:
        return cls(
            data,
            initial={
                "duration_min": service.duration_min,
                "price": minor_to_price(service.price_minor),
                "currency": service.currency,
            },
        )


class ExperienceForm(forms.Form):
    """One "years" box per technique; leave a box empty for a technique you do not practise."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for technique in TECHNIQUES:
            self.fields[f"years.{technique.code}"] = forms.IntegerField(
                label=technique.name,
                required=False,
                help_text=_("Years, 0 to 60"),
                error_messages={"invalid": _WHOLE},
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "short"}),
            )

    @classmethod
    def for_years(cls, years: dict[str, int], data: Any = None) -> ExperienceForm:
        return cls(data, initial={f"years.{code}": value for code, value in years.items()})

    def years(self) -> dict[str, int]:
        """technique → years for every filled box (call after is_valid)."""
        return {
            name.removeprefix("years."): value
            for name, value in self.cleaned_data.items()
            if name.startswith("years.") and value is not None
        }
