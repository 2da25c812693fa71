"""Credential rules on plain values (issue 5 item 2), pure: no ORM, no clock (`today` passed in).

- Licence fields: ISO 3166-1 alpha-2 country, registry (the board or register), number,
  issue and expiry dates. The expiry must be after the issue date, the issue date not in the
  future, and the licence not already expired ("This licence expired on …; submit a current
  one" — an expired licence could never list anyone, so accepting it would only fill the staff
  queue). A licence expiring today is current: the listing rule keeps it until the end of that
  day (`selectors.listing_date`).
- Certification fields: a catalogue technique, a provider, 1 to 10,000 hours, a completion
  date not in the future.
- Evidence files: PDF, PNG or JPEG recognised by their first bytes (the name and the declared
  type are not trusted), at most 10 MB, not empty. The content type stored is the one sniffed.
- Notices sent by the daily job (`jobs.licence_notices_send`): the 30-day warning for a
  verified licence expiring within 30 days (today counts, still current), the expired notice
  for a verified licence whose expiry date is past. Each once; the job claims the row first.
  An expired notice is not sent for licences that expired more than 30 days ago (a first run
  on old data, or a long outage, must not mail people about licences that lapsed long since).

Documented in docs/rules.md "Therapists: credentials".
"""

from __future__ import annotations

import datetime as dt

from django.utils import formats
from django.utils.translation import gettext as _

from backrelief.accounts.countries import COUNTRIES
from backrelief.catalog.data.techniques import TECHNIQUE_CODES

REGISTRY_MAX = 150  # Licence.registry max_length
REGION_MAX = 100  # Licence.region
NUMBER_MAX = 64  # Licence.number
PROVIDER_MAX = 150  # Certification.provider
REASON_MAX = 500  # rejection_reason
HOURS_MIN = 1
HOURS_MAX = 10_000

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# Sniffed content type -> file name suffix offered on download.
EVIDENCE_TYPES: dict[str, str] = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
}
EVIDENCE_TYPES_LABEL = "PDF, PNG or JPEG"
# How many leading bytes `evidence_content_type` needs.
SNIFF_BYTES = 8

EXPIRY_WARNING_DAYS = 30
EXPIRED_NOTICE_WINDOW_DAYS = 30


def _date_label(value: dt.date) -> str:
    return str(formats.date_format(value, "j F Y"))


def clean_text(value: str) -> str:
    """Trim and collapse white space: ' Board   of  X ' is stored as 'Board of X'."""
    return " ".join(value.split())


def clean_licence_number(value: str) -> str:
    """Numbers are compared without surrounding or repeated spaces and in upper case, so
    'ab 123' and 'AB 123' are one licence (duplicate rule)."""
    return clean_text(value).upper()


def _has_control_characters(value: str) -> bool:
    return any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in value)


def _text_errors(value: str, *, maximum: int, required: bool = True) -> list[str]:
    if required and not value:
        return [_("This field is required.")]
    if len(value) > maximum:
        return [_("Use at most %(max)d characters.") % {"max": maximum}]
    if _has_control_characters(value):
        return [_("Remove control characters.")]
    return []


def country_errors(value: str) -> list[str]:
    """An assigned ISO 3166-1 alpha-2 code in upper case (the jurisdiction)."""
    if value not in COUNTRIES:
        return [_("Choose the country that issued the licence from the list (e.g. DE, GB, US).")]
    return []


def licence_date_errors(
    *, issued_on: dt.date, expires_on: dt.date, today: dt.date
) -> dict[str, list[str]]:
    """Issue not in the future; expiry after issue; not already expired (module docstring)."""
    errors: dict[str, list[str]] = {}
    if issued_on > today:
        errors["issued_on"] = [
            _("The issue date cannot be in the future; enter the date printed on the licence.")
        ]
    if expires_on <= issued_on:
        errors["expires_on"] = [_("The expiry date must be after the issue date.")]
    elif expires_on < today:
        errors["expires_on"] = [
            _("This licence expired on %(date)s; submit a current one.")
            % {"date": _date_label(expires_on)}
        ]
    return errors


def licence_field_errors(
    *,
    country: str,
    region: str,
    registry: str,
    number: str,
    issued_on: dt.date,
    expires_on: dt.date,
    today: dt.date,
) -> dict[str, list[str]]:
    """Every field rule of a licence (cleaned values in); empty when all is well."""
    errors: dict[str, list[str]] = {}
    checks = {
        "country": country_errors(country),
        "region": _text_errors(region, maximum=REGION_MAX, required=False),
        "registry": _text_errors(registry, maximum=REGISTRY_MAX),
        "number": _text_errors(number, maximum=NUMBER_MAX),
    }
    errors.update({name: messages for name, messages in checks.items() if messages})
    errors.update(licence_date_errors(issued_on=issued_on, expires_on=expires_on, today=today))
    return errors


def certification_field_errors(
    *, technique: str, provider: str, hours: int, completed_on: dt.date, today: dt.date
) -> dict[str, list[str]]:
    """A catalogue technique, a provider, 1..10,000 hours, completed today or earlier."""
    errors: dict[str, list[str]] = {}
    if technique not in TECHNIQUE_CODES:
        errors["technique"] = [_("Choose a technique from the list.")]
    provider_errors = _text_errors(provider, maximum=PROVIDER_MAX)
    if provider_errors:
        errors["provider"] = provider_errors
    if not HOURS_MIN <= hours <= HOURS_MAX:
        errors["hours"] = [
            _("Enter the training hours as a whole number from %(min)d to %(max)d.")
            % {"min": HOURS_MIN, "max": HOURS_MAX}
        ]
    if completed_on > today:
        errors["completed_on"] = [
            _("The completion date cannot be in the future; add the training once completed.")
        ]
    return errors


def rejection_reason_errors(reason: str) -> list[str]:
    """A rejection tells the therapist why, in at most 500 characters."""
    if not reason:
        return [_("Say why, so the therapist knows what to fix.")]
    if len(reason) > REASON_MAX:
        return [_("Use at most %(max)d characters.") % {"max": REASON_MAX}]
    return []


# --- evidence files ------------------------------------------------------------------------------


def evidence_content_type(head: bytes) -> str | None:
    """The content type recognised from a file's first bytes, or None if not allowed."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def evidence_errors(*, size: int, head: bytes) -> list[str]:
    """Not empty, at most 10 MB, and a PDF, PNG or JPEG by its first bytes."""
    if size == 0:
        return [_("The file is empty; choose the scan or photo of your document.")]
    if size > MAX_EVIDENCE_BYTES:
        return [
            _("The file is larger than %(mb)d MB; upload a smaller scan or photo.")
            % {"mb": MAX_EVIDENCE_BYTES // (1024 * 1024)}
        ]
    if evidence_content_type(head) is None:
        return [
            _("Upload the document as %(types)s; this file is none of these.")
            % {"types": EVIDENCE_TYPES_LABEL}
        ]
    return []


# --- notices --------------------------------------------------------------------------------------


def expiry_warning_due(
    *, verified: bool, expires_on: dt.date, warning_sent: bool, today: dt.date
) -> bool:
    """The 30-day warning: verified, still current, expiring within 30 days, not yet sent."""
    return (
        verified
        and not warning_sent
        and today <= expires_on <= today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
    )


def expired_notice_due(
    *, verified: bool, expires_on: dt.date, notice_sent: bool, today: dt.date
) -> bool:
    """The expired notice: verified, expiry date past (within the last 30 days), not yet sent."""
    return (
        verified
        and not notice_sent
        and today - dt.timedelta(days=EXPIRED_NOTICE_WINDOW_DAYS) <= expires_on < today
    )


def warning_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """Inclusive expiry dates that get the 30-day warning on `today` (for the job's query)."""
    return today, today + dt.timedelta(days=EXPIRY_WARNING_DAYS)


def expired_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """Inclusive expiry dates that get the expired notice on `today` (for the job's query)."""
    return today - dt.timedelta(days=EXPIRED_NOTICE_WINDOW_DAYS), today - dt.timedelta(days=1)


def changed_fields(before: dict[str, object], after: dict[str, object]) -> list[str]:
    """Names whose value differs (an edit that changes nothing does not reset a verification)."""
    return [name for name, value in after.items() if before.get(name) != value]
