"""The directory's search form (issue 5 items 4-5): a plain GET form, so every search is a
shareable URL and works without JavaScript. It parses the query string into
`selectors_directory.DirectoryFilters`; the rules themselves (radius range, prices, known
technique...) are checked once by `directory_filters_check`, whose errors the view places
beside these fields.

Place: hidden `lat`/`lon` (filled by "Use my location" or typed as "52.52, 13.40") win over
the text; otherwise the text is resolved offline to the best city (`places.place_resolve`)
and the page says which one it used.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backrelief.catalog.data.techniques import TECHNIQUES
from backrelief.therapists.data import ranking
from backrelief.therapists.geo import COORDINATES_OUT_OF_RANGE, check_coordinates
from backrelief.therapists.models import Gender
from backrelief.therapists.places import Place, place_resolve
from backrelief.therapists.selectors_directory import (
    MODES,
    RADIUS_DEFAULT_KM,
    RADIUS_MAX_KM,
    RADIUS_MIN_KM,
    SORTS,
    DirectoryFilters,
)

PLACE_NOT_FOUND = _("Place not found — try a nearby city or enter coordinates (e.g. 52.52, 13.40).")
_CHOOSE = _("Choose one from the list.")


def _language_choices() -> list[tuple[str, str]]:
    try:
        from backrelief.therapists.data.languages import LANGUAGES
    except ImportError:  # the profile area adds the language list
        return []
    return list(LANGUAGES)


class DirectorySearchForm(forms.Form):
    technique = forms.ChoiceField(
        label=_("Technique"),
        required=False,
        choices=[("", _("Any technique")), *((t.code, t.name) for t in TECHNIQUES)],
        error_messages={"invalid_choice": _("Unknown technique. Choose one from the list.")},
    )
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=120,
        help_text=_("A city, or coordinates as latitude, longitude."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "place-suggestions"}),
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    radius_km = forms.IntegerField(
        label=_("Within (km)"),
        required=False,
        min_value=RADIUS_MIN_KM,
        max_value=RADIUS_MAX_KM,
        initial=RADIUS_DEFAULT_KM,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": _("Radius out of range: choose 1 to 200 km."),
            "max_value": _("Radius out of range: choose 1 to 200 km."),
            "invalid": _("Enter the radius as a whole number of km, 1 to 200."),
        },
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language"))],
        error_messages={"invalid_choice": _("Unknown language. Choose one from the list.")},
    )
    price_min = forms.DecimalField(
        label=_("Price from"),
        required=False,
        min_value=Decimal(0),
        max_digits=7,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
        error_messages={"min_value": _("Enter a price of 0 or more.")},
    )
    price_max = forms.DecimalField(
        label=_("Price up to"),
        required=False,
        min_value=Decimal(0),
        max_digits=7,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
        error_messages={"min_value": _("Enter a price of 0 or more.")},
    )
    gender = forms.ChoiceField(
        label=_("Therapist's gender"),
        required=False,
        choices=[("", _("Any")), *((v, label) for v, label in Gender.choices if v)],
        error_messages={"invalid_choice": _CHOOSE},
    )
    mode = forms.ChoiceField(
        label=_("Where"),
        required=False,
        choices=list(MODES.items()),
        error_messages={"invalid_choice": _CHOOSE},
    )
    sort = forms.ChoiceField(
        label=_("Order by"),
        required=False,
        choices=list(SORTS.items()),
        error_messages={"invalid_choice": _CHOOSE},
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        languages = _language_choices()
        if languages:
            self.fields["language"].choices = [("", _("Any language")), *languages]  # type: ignore[attr-defined]
        else:  # no list yet: accept a code; the selector checks its shape
            self.fields["language"] = forms.CharField(
                label=_("Language (code)"), required=False, max_length=3
            )
        self.place_used: Place | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lat, lon = data.get("lat"), data.get("lon")
        text = (data.get("place") or "").strip()
        if lat is not None or lon is not None:
            try:
                lat, lon = check_coordinates(lat, lon)  # type: ignore[arg-type]
            except ValueError:
                self.add_error("place", str(COORDINATES_OUT_OF_RANGE))
                return data
            self.place_used = Place("", "", lat, lon, 0, is_coordinates=True)
        elif text:
            try:
                self.place_used = place_resolve(text)
            except ValueError as exc:
                self.add_error("place", str(exc))
                return data
            if self.place_used is None:
                self.add_error("place", PLACE_NOT_FOUND)
        return data

    def filters(self) -> DirectoryFilters:
        """The parsed search (call after `is_valid()`)."""
        data = self.cleaned_data
        place = self.place_used
        return DirectoryFilters(
            technique=data.get("technique") or None,
            latitude=None if place is None else place.latitude,
            longitude=None if place is None else place.longitude,
            radius_km=data.get("radius_km") or RADIUS_DEFAULT_KM,
            language=data.get("language") or None,
            price_min=data.get("price_min"),
            price_max=data.get("price_max"),
            gender=data.get("gender") or None,
            mode=data.get("mode") or "any",
            sort=data.get("sort") or ranking.SORT_BEST,
            page=data.get("page") or 1,
        )
