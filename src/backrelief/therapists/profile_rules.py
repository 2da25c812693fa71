"""The rules for profile, service and experience values (issue 5 item 1), pure.

Each `*_errors` function returns the messages for one value (empty when fine); the services in
`services/profile.py` collect them into `Invalid(fields=...)` so nothing is stored when any
field is wrong. Forms and API schemas only parse; the rules live here once (STYLE rule 1).
Documented in docs/rules.md "Therapists: profile and services".
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from backrelief.accounts.preferences import has_unsafe_characters, is_time_zone
from backrelief.catalog.data.techniques import TECHNIQUE_CODES
from backrelief.therapists.data.languages import LANGUAGE_CODES

DISPLAY_NAME_MAX = 80
BIO_MAX = 2000
ADDRESS_MAX = 200
ACCESSIBILITY_NOTES_MAX = 300
RADIUS_MIN, RADIUS_MAX = 1, 200  # km, when mobile
DURATION_MIN, DURATION_MAX = 15, 240  # minutes
PRICE_MAX_MINOR = 10_000_00  # 10,000.00 in any offered currency
YEARS_MIN, YEARS_MAX = 0, 60


def clean_text(value: str) -> str:
    """Trim; collapse runs of spaces in one-line values."""
    return " ".join(value.split())


def display_name_errors(value: str) -> list[str]:
    """1 to 80 printable characters: the name clients see."""
    if not value:
        return [_("Enter the name clients will see, for example “Anna Müller”.")]
    if has_unsafe_characters(value):
        return [_("Remove control or direction-changing characters from the name.")]
    if len(value) > DISPLAY_NAME_MAX:
        return [_("Use at most %(max)d characters.") % {"max": DISPLAY_NAME_MAX}]
    return []


def text_errors(value: str, *, limit: int, multiline: bool = False) -> list[str]:
    """Optional free text up to `limit` characters, without control characters (new lines
    are allowed in multi-line text such as the bio)."""
    checked = value.replace("\r", "").replace("\n", "").replace("\t", "") if multiline else value
    if has_unsafe_characters(checked):
        return [_("Remove control or direction-changing characters.")]
    if len(value) > limit:
        return [
            _("Use at most %(max)d characters (you have %(n)d).") % {"max": limit, "n": len(value)}
        ]
    return []


def gender_errors(value: str, *, allowed: Iterable[str]) -> list[str]:
    if value not in set(allowed):
        return [_("Choose one of the options, or “Not stated”.")]
    return []


def languages_errors(codes: Iterable[str]) -> list[str]:
    """At least one language, each from `data/languages.py`."""
    codes = list(codes)
    if not codes:
        return [_("Choose at least one language you offer sessions in.")]
    unknown = sorted(set(codes) - LANGUAGE_CODES)
    if unknown:
        return [
            _("Unknown language code(s): %(codes)s. Choose from the list.")
            % {"codes": ", ".join(unknown)}
        ]
    return []


def coordinates_errors(latitude: float | None, longitude: float | None) -> dict[str, list[str]]:
    """Both or neither; latitude -90..90 and longitude -180..180 (WGS84 degrees)."""
    errors: dict[str, list[str]] = {}
    if (latitude is None) != (longitude is None):
        missing = "longitude" if longitude is None else "latitude"
        errors[missing] = [_("Enter both latitude and longitude, or neither.")]
        return errors
    if latitude is not None and not (-90 <= latitude <= 90):
        errors["latitude"] = [
            _("Latitude coordinates out of range: use a number from -90 to 90, e.g. 52.52.")
        ]
    if longitude is not None and not (-180 <= longitude <= 180):
        errors["longitude"] = [
            _("Longitude coordinates out of range: use a number from -180 to 180, e.g. 13.40.")
        ]
    return errors


def mode_errors(*, in_clinic: bool, mobile: bool) -> list[str]:
    if not (in_clinic or mobile):
        return [_("Choose in-clinic sessions, home visits (mobile), or both.")]
    return []


def radius_errors(*, mobile: bool, radius_km: int | None) -> list[str]:
    """A mobile therapist says how far they travel: 1 to 200 km."""
    if not mobile:
        return []
    if radius_km is None:
        return [_("Say how far you travel for home visits, from 1 to 200 km.")]
    if not (RADIUS_MIN <= radius_km <= RADIUS_MAX):
        return [_("Use a travel distance from 1 to 200 km.")]
    return []


def time_zone_errors(value: str) -> list[str]:
    if not is_time_zone(value):
        return [_("Choose a time zone from the list, for example Europe/Berlin.")]
    return []


def technique_errors(value: str) -> list[str]:
    if value not in TECHNIQUE_CODES:
        return [
            _("Unknown technique “%(code)s”. Choose one of: %(codes)s.")
            % {"code": value, "codes": ", ".join(TECHNIQUE_CODES)}
        ]
    return []


def duration_errors(value: int) -> list[str]:
    if not (DURATION_MIN <= value <= DURATION_MAX):
        return [_("Use a duration from 15 to 240 minutes.")]
    return []


def price_to_minor(value: str | Decimal | int) -> tuple[int | None, list[str]]:
    """A price such as "70", "69.50" or Decimal("69.5") in minor units (cents), or errors.

    Never a float: a decimal string or Decimal. At most two decimal places, not negative, at
    most 10,000.
    """
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None, [_("Enter a price as a number, such as 70 or 69.50.")]
    if not amount.is_finite():
        return None, [_("Enter a price as a number, such as 70 or 69.50.")]
    if amount < 0:
        return None, [_("The price cannot be negative. Enter 0 or more, such as 70.")]
    if amount != amount.quantize(Decimal("0.01")):
        return None, [_("Use at most two decimal places, such as 69.50.")]
    minor = int(amount * 100)
    if minor > PRICE_MAX_MINOR:
        return None, [_("Use a price of at most 10,000.")]
    return minor, []


def minor_to_price(minor: int) -> str:
    """Minor units as a decimal string with two places: 6950 → "69.50"."""
    return f"{Decimal(minor) / 100:.2f}"


def currency_errors(value: str, *, allowed: Iterable[str]) -> list[str]:
    allowed = list(allowed)
    if value not in allowed:
        return [_("Choose one of the offered currencies: %(c)s.") % {"c": ", ".join(allowed)}]
    return []


def years_errors(technique: str, years: int) -> list[str]:
    if technique not in TECHNIQUE_CODES:
        return technique_errors(technique)
    if not (YEARS_MIN <= years <= YEARS_MAX):
        return [_("Use a number of years from 0 to 60.")]
    return []


CURRENCY_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "US$", "CHF": "CHF ", "AUD": "A$", "CAD": "C$"}


def price_display(minor: int, currency: str) -> str:
    """A price for people: "€70.00", "£45.50", "CHF 90.00"."""
    return f"{CURRENCY_SYMBOLS.get(currency, currency + ' ')}{minor_to_price(minor)}"
