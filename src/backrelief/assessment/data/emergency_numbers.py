"""Emergency number and crisis line per country, as reviewable data (issue 3 item 4, DOMAIN §2.3).

Shown with an EMERGENCY triage result (and available to any page that needs a crisis line).
Keys are ISO 3166-1 alpha-2 codes as stored in the profile (`accounts/countries.py`). An
unknown or missing country shows every common number, "112 / 911 / 999 / 000" (issue 3): most
mobile phones connect 112 and 911 anywhere, and the others are the UK/Ireland and Australian
numbers.

Each entry carries its source and our confidence. A crisis line we could not confirm is left
out (None) rather than guessed: a wrong number in a crisis is worse than none. Numbers change;
re-check every entry at each release and bump `EMERGENCY_NUMBERS_VERSION` with any change.
Confidence: "high" = widely published national number we are sure of; "medium" = confirmed by
one public source besides our own recollection (listed in the comment).
"""

from __future__ import annotations

from dataclasses import dataclass

EMERGENCY_NUMBERS_VERSION = "2026.1"
FALLBACK_NUMBERS: tuple[str, ...] = ("112", "911", "999", "000")


@dataclass(frozen=True)
class CountryContacts:
    emergency: tuple[str, ...]  # numbers to dial, the one to show first first
    crisis_name: str | None = None
    crisis_number: str | None = None


@dataclass(frozen=True)
class EmergencyContacts:
    """What a page shows: the emergency number(s) and, when known, a crisis line."""

    country: str | None  # the normalised code, None when the fallback is shown
    emergency_numbers: tuple[str, ...]
    crisis_name: str | None
    crisis_number: str | None

    @property
    def is_fallback(self) -> bool:
        return self.country is None

    @property
    def emergency(self) -> str:
        """For display: "999 / 112", or "112 / 911 / 999 / 000" when the country is unknown."""
        return " / ".join(self.emergency_numbers)


C = CountryContacts
CONTACTS: dict[str, CountryContacts] = {
    # UK and Ireland — 999/112 statutory; Samaritans 116 123 (high).
    "GB": C(("999", "112"), "Samaritans", "116 123"),
    "IE": C(("112", "999"), "Samaritans", "116 123"),
    # North America — 911; 988 Suicide & Crisis Lifeline (US since 2022, Canada since Nov 2023,
    # call or text) (high).
    "US": C(("911",), "988 Suicide & Crisis Lifeline", "988"),
    "CA": C(("911",), "9-8-8 Suicide Crisis Helpline", "988"),
    # Australia — 000 (112 from mobiles); Lifeline 13 11 14 (high).
    "AU": C(("000", "112"), "Lifeline", "13 11 14"),
    # New Zealand — 111; "Need to talk?" 1737, call or text (high).
    "NZ": C(("111",), "Need to talk? (call or text)", "1737"),
    # Germany — 112 (police 110); TelefonSeelsorge 0800 111 0 111 (high).
    "DE": C(("112",), "TelefonSeelsorge", "0800 111 0 111"),
    # France — 112 / 15 (SAMU); 3114 national suicide prevention line since 2021 (high).
    "FR": C(("112", "15"), "3114 (prévention du suicide)", "3114"),
    # Spain — 112; 024 line for suicidal behaviour since 2022 (high).
    "ES": C(("112",), "Línea 024", "024"),
    # Italy — 112 (118 medical in regions not yet on 112) (high). Crisis line: the published
    # numbers for Telefono Amico disagree between sources, so none is shown.
    "IT": C(("112", "118")),
    # Netherlands — 112; 113 Zelfmoordpreventie, 113 or 0800-0113 (high).
    "NL": C(("112",), "113 Zelfmoordpreventie", "0800 0113"),
    # Belgium — 112; Zelfmoordlijn 1813 (high). The French-language Centre de Prévention du
    # Suicide (0800 32 123, recollection only) is not shown until confirmed.
    "BE": C(("112",), "Zelfmoordlijn", "1813"),
    # Austria — 112 / 144 (Rettung); TelefonSeelsorge 142 (high).
    "AT": C(("112", "144"), "TelefonSeelsorge", "142"),
    # Switzerland — 144 ambulance, 112 also connects; Die Dargebotene Hand / La Main Tendue
    # 143 (high).
    "CH": C(("144", "112"), "Die Dargebotene Hand / La Main Tendue", "143"),
    # Sweden — 112; Mind Självmordslinjen 90101 (high).
    "SE": C(("112",), "Mind Självmordslinjen", "90101"),
    # Norway — 113 is the medical emergency number (112 is police) (high); Mental Helse
    # hjelpetelefonen 116 123 (high).
    "NO": C(("113", "112"), "Mental Helse hjelpetelefonen", "116 123"),
    # Denmark — 112; Livslinien 70 201 201 (high).
    "DK": C(("112",), "Livslinien", "70 201 201"),
    # Finland — 112; MIELI Crisis Helpline 09 2525 0111, 24 h (medium: mentalhealth.fi
    # "Where to go in an emergency" and MIELI's own page agree with our recollection).
    "FI": C(("112",), "MIELI Crisis Helpline", "09 2525 0111"),
    # Poland — 112 / 999 (ambulance) (high); 116 123 adult emotional-support line (high).
    "PL": C(("112", "999"), "Telefon zaufania", "116 123"),
    # Portugal — 112 (high). Crisis line: a new national line was announced for 2025 with a
    # number not yet confirmed here; none is shown until it is.
    "PT": C(("112",)),
    # India — 112 national emergency (108 ambulance in most states) (high); Tele-MANAS 14416,
    # the national mental-health helpline (high).
    "IN": C(("112", "108"), "Tele-MANAS", "14416"),
    # Japan — 119 (fire and ambulance; police 110) (high). Crisis line: sources disagree on
    # the current national numbers, so none is shown.
    "JP": C(("119",)),
    # South Africa — 112 from mobiles, 10177 ambulance (high); SADAG Suicide Crisis Line
    # 0800 567 567 (high).
    "ZA": C(("112", "10177"), "SADAG Suicide Crisis Line", "0800 567 567"),
}
del C


def emergency_contacts(country: str | None) -> EmergencyContacts:
    """The numbers to show for a person's country (issue 3 item 4).

    `country` is an ISO 3166-1 alpha-2 code in any case, with or without spaces; empty,
    None or a country without an entry gives the fallback "112 / 911 / 999 / 000".
    """
    code = (country or "").strip().upper()
    entry = CONTACTS.get(code)
    if entry is None:
        return EmergencyContacts(None, FALLBACK_NUMBERS, None, None)
    return EmergencyContacts(code, entry.emergency, entry.crisis_name, entry.crisis_number)
