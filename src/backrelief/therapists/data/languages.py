"""Languages a therapist can offer sessions in, and a client can filter by (issue 5 items 1, 4).

ISO 639-1 two-letter codes with their English names, the ~40 languages most spoken in the
countries BackRelief serves plus the largest world languages. Reviewable data: add a row to
offer a language; never remove one a therapist may have chosen (stored rows keep the code).
Pure: no ORM, no clock.
"""

from __future__ import annotations

LANGUAGES: tuple[tuple[str, str], ...] = (
    ("ar", "Arabic"),
    ("bg", "Bulgarian"),
    ("bn", "Bengali"),
    ("ca", "Catalan"),
    ("cs", "Czech"),
    ("da", "Danish"),
    ("de", "German"),
    ("el", "Greek"),
    ("en", "English"),
    ("es", "Spanish"),
    ("et", "Estonian"),
    ("fa", "Persian"),
    ("fi", "Finnish"),
    ("fr", "French"),
    ("he", "Hebrew"),
    ("hi", "Hindi"),
    ("hr", "Croatian"),
    ("hu", "Hungarian"),
    ("id", "Indonesian"),
    ("it", "Italian"),
    ("ja", "Japanese"),
    ("ko", "Korean"),
    ("lt", "Lithuanian"),
    ("lv", "Latvian"),
    ("ms", "Malay"),
    ("nl", "Dutch"),
    ("no", "Norwegian"),
    ("pa", "Punjabi"),
    ("pl", "Polish"),
    ("pt", "Portuguese"),
    ("ro", "Romanian"),
    ("ru", "Russian"),
    ("sk", "Slovak"),
    ("sl", "Slovenian"),
    ("sr", "Serbian"),
    ("sv", "Swedish"),
    ("sw", "Swahili"),
    ("th", "Thai"),
    ("tl", "Tagalog"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
    ("ur", "Urdu"),
    ("vi", "Vietnamese"),
    ("zh", "Chinese"),
)

LANGUAGE_NAMES: dict[str, str] = dict(LANGUAGES)
LANGUAGE_CODES: frozenset[str] = frozenset(LANGUAGE_NAMES)


def language_name(code: str) -> str:
    """The English name of `code`, or the code itself for one no longer offered."""
    return LANGUAGE_NAMES.get(code, code)
