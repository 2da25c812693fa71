"""Emergency number and crisis line per country, and the fallback (issue 3 item 4)."""

from __future__ import annotations

import re

import pytest

from backrelief.accounts.countries import COUNTRIES
from backrelief.assessment.data.emergency_numbers import CONTACTS, emergency_contacts

REQUIRED = (
    "GB IE US CA AU NZ DE FR ES IT NL BE AT CH SE NO DK FI PL PT IN JP ZA".split()  # noqa: SIM905
)


@pytest.mark.parametrize("country", [None, "", "  ", "XX", "ZZ", "United Kingdom", "G"])
def test_unknown_or_missing_country_shows_every_common_number(country):
    contacts = emergency_contacts(country)
    assert contacts.emergency == "112 / 911 / 999 / 000"
    assert contacts.is_fallback
    assert contacts.country is None
    assert contacts.crisis_number is None


@pytest.mark.parametrize(
    ("country", "emergency", "crisis"),
    [
        ("GB", "999 / 112", "116 123"),
        ("US", "911", "988"),
        ("CA", "911", "988"),
        ("AU", "000 / 112", "13 11 14"),
        ("NZ", "111", "1737"),
        ("NO", "113 / 112", "116 123"),
        ("CH", "144 / 112", "143"),
        ("JP", "119", None),
    ],
)
def test_known_countries(country, emergency, crisis):
    contacts = emergency_contacts(country)
    assert (contacts.country, contacts.emergency, contacts.crisis_number) == (
        country,
        emergency,
        crisis,
    )
    assert not contacts.is_fallback


def test_country_code_is_read_in_any_case_and_trimmed():
    assert emergency_contacts(" gb ").country == "GB"


def test_every_required_country_is_covered_with_a_valid_iso_code():
    assert set(REQUIRED) <= set(CONTACTS)
    assert set(CONTACTS) <= set(COUNTRIES)


@pytest.mark.parametrize("country", sorted(CONTACTS))
def test_numbers_are_digits_and_a_crisis_line_has_a_name(country):
    entry = CONTACTS[country]
    assert entry.emergency
    for number in (*entry.emergency, entry.crisis_number or "0"):
        assert re.fullmatch(r"[0-9][0-9 ]*[0-9]|[0-9]", number), number
    assert (entry.crisis_name is None) == (entry.crisis_number is None)
