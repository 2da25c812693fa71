"""Rules for the profile fields a person chooses (issue 2 §6 "Profile"), pure.

Each `*_errors` function returns the messages for one value (empty when it is fine); the
services collect them into `core.errors.Invalid(fields=...)`, the forms only parse. Keeping the
rules here lets sign-up and the profile page (HTML and JSON) share them (STYLE.md rule 1).
"""

from __future__ import annotations

import functools
import unicodedata
import zoneinfo
from collections.abc import Iterable

from django.utils.translation import gettext as _

from backrelief.accounts.countries import COUNTRIES

DISPLAY_NAME_MAX = 80  # User.display_name max_length
EMAIL_MAX = 254  # RFC 5321 path limit; User.email max_length

# `zoneinfo.available_timezones()` also lists files of the local tz database that are not
# IANA zone names; they are not offered and not accepted.
_NOT_ZONES = frozenset({"localtime", "posixrules", "posixrules.tab", "Factory"})
# Bidirectional overrides can disguise a name (Unicode TR #36 §2.1, "Trojan Source").
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@functools.cache
def time_zone_names() -> tuple[str, ...]:
    """Every IANA time zone this machine knows (zoneinfo.available_timezones), sorted."""
    return tuple(sorted(zoneinfo.available_timezones() - _NOT_ZONES))


def is_time_zone(value: str) -> bool:
    return value in _time_zone_set()


@functools.cache
def _time_zone_set() -> frozenset[str]:
    return frozenset(time_zone_names())


def has_unsafe_characters(value: str) -> bool:
    """Control characters, lone surrogates (cannot be stored as UTF-8) and bidi overrides."""
    return any(unicodedata.category(ch) in ("Cc", "Cs") or ch in _BIDI_CONTROLS for ch in value)


def clean_display_name(value: str) -> str:
    """Trim and collapse runs of white space, so ' Ann   Lee ' is stored as 'Ann Lee'."""
    return " ".join(value.split())


def display_name_errors(value: str) -> list[str]:
    """Optional, at most 80 characters, printable (issue 2 §6; the model's column size)."""
    if has_unsafe_characters(value):
        return [_("Remove control or direction-changing characters from the name.")]
    if len(value) > DISPLAY_NAME_MAX:
        return [_("Use at most %(max)d characters.") % {"max": DISPLAY_NAME_MAX}]
    return []


def clean_country(value: str) -> str:
    return value.strip().upper()


def country_errors(value: str) -> list[str]:
    """Empty (not set) or an ISO 3166-1 alpha-2 code such as DE or US (issue 2 §6)."""
    if value and value not in COUNTRIES:
        return [_("Choose a country from the list, or leave it empty.")]
    return []


def time_zone_errors(value: str) -> list[str]:
    """An IANA time zone name such as Europe/Berlin (issue 2 §6; STYLE.md rule 4)."""
    if not is_time_zone(value):
        return [_("Choose a time zone from the list, for example Europe/Berlin.")]
    return []


def locale_errors(value: str, *, available: Iterable[str]) -> list[str]:
    """One of the languages the site is translated into (settings.LANGUAGES)."""
    if value not in set(available):
        return [_("Choose one of the offered languages.")]
    return []
