"""Value rules for profiles and services (issue 5 item 1), pure."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backrelief.therapists import profile_rules as rules
from backrelief.therapists.data.languages import LANGUAGE_CODES, LANGUAGES


@pytest.mark.parametrize(
    ("value", "minor"),
    [("70", 7000), ("69.50", 6950), ("69,5", 6950), ("0", 0), (Decimal("1.01"), 101), (45, 4500)],
)
def test_prices_become_minor_units_without_floats(value, minor):
    assert rules.price_to_minor(value) == (minor, [])


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("-5", "cannot be negative"),
        ("abc", "as a number"),
        ("NaN", "as a number"),
        ("1.005", "two decimal places"),
        ("10000.01", "at most 10,000"),
    ],
)
def test_bad_prices_get_specific_messages(value, fragment):
    minor, errors = rules.price_to_minor(value)
    assert minor is None
    assert fragment in errors[0]


@pytest.mark.parametrize(
    ("lat", "lon", "fields"),
    [
        (52.5, 13.4, set()),
        (None, None, set()),
        (90, 180, set()),
        (-90.0001, 0, {"latitude"}),
        (0, 180.5, {"longitude"}),
        (91, -181, {"latitude", "longitude"}),
        (52.5, None, {"longitude"}),
        (None, 13.4, {"latitude"}),
    ],
)
def test_coordinates_in_range_and_both_or_neither(lat, lon, fields):
    errors = rules.coordinates_errors(lat, lon)
    assert set(errors) == fields
    if lat is not None and lon is not None and fields:
        assert all("coordinates out of range" in m[0] for m in errors.values())


def test_mobile_needs_a_radius_of_1_to_200_km():
    assert rules.radius_errors(mobile=False, radius_km=None) == []
    assert rules.radius_errors(mobile=True, radius_km=None)
    assert rules.radius_errors(mobile=True, radius_km=0)
    assert rules.radius_errors(mobile=True, radius_km=201)
    assert rules.radius_errors(mobile=True, radius_km=200) == []


def test_languages_need_one_known_code():
    assert rules.languages_errors([]) == ["Choose at least one language you offer sessions in."]
    assert "xx" in rules.languages_errors(["en", "xx"])[0]
    assert rules.languages_errors(["en", "de"]) == []


def test_the_language_list_is_iso_639_1_and_unique():
    codes = [code for code, _name in LANGUAGES]
    assert len(codes) == len(set(codes)) == len(LANGUAGE_CODES) >= 40
    assert all(len(code) == 2 and code.islower() for code in codes)


def test_unknown_technique_names_the_catalogue_codes():
    assert "Unknown technique “reiki”" in rules.technique_errors("reiki")[0]
    assert rules.technique_errors("swedish") == []


def test_duration_and_years_ranges():
    assert rules.duration_errors(14)
    assert rules.duration_errors(241)
    assert rules.duration_errors(15) == rules.duration_errors(240) == []
    assert rules.years_errors("swedish", 61)
    assert rules.years_errors("swedish", -1)
    assert rules.years_errors("swedish", 0) == []


def test_prices_are_shown_with_their_currency():
    assert rules.price_display(6950, "EUR") == "€69.50"
    assert rules.price_display(4500, "GBP") == "£45.00"
    assert rules.price_display(9000, "CHF") == "CHF 90.00"
