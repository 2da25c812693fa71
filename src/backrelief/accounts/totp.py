"""TOTP codes and recovery codes: pure functions, no database, no clock (issue 2 §6).

- Codes follow RFC 6238 (TOTP) with the RFC 4226 HOTP truncation: SHA-1, 6 digits, 30-second
  steps, which is what every authenticator app speaks. `pyotp` computes the code for a step.
- A code is accepted for the current step and one step either side (RFC 6238 §5.2 allows a
  small window for clock drift and typing time).
- A step at or before the last accepted one is refused, so a code that was used once cannot be
  replayed, even within its 90-second window (RFC 6238 §5.2: "the verifier MUST NOT accept the
  second attempt of the OTP after the successful validation has been issued").
- Recovery codes carry 50 bits each (10 symbols of Crockford's base-32), which is far beyond
  guessing within the attempt limits; that is why a fast SHA-256 is enough to store them
  (the same reasoning as for API tokens, `services/tokens.py`).

The caller passes the time in and stores `last_step`; see `services/mfa.py`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

import pyotp

STEP_S = 30
DIGITS = 6
WINDOW = 1  # steps accepted either side of the current one
SECRET_LENGTH = 32  # base-32 characters: 160 bits, the HMAC-SHA-1 key size (RFC 4226 §4 R6)
ISSUER = "BackRelief"

RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base-32: no i, l, o, u
RECOVERY_SYMBOLS = 10  # 10 x 5 bits = 50 bits
RECOVERY_BITS = RECOVERY_SYMBOLS * 5
MAX_CODE_INPUT = 64  # anything longer is not a code; refuse before doing any work

_SEPARATORS = re.compile(r"[\s\-_.]+")
_CONFUSABLE = str.maketrans({"o": "0", "i": "1", "l": "1"})
_TOTP_INPUT = re.compile(r"^[0-9]{6}$")


def new_secret() -> str:
    """A fresh base-32 shared secret of 160 bits from the OS's CSPRNG (RFC 4226 §4 R6/R7)."""
    return pyotp.random_base32(length=SECRET_LENGTH)


def step_at(now: dt.datetime) -> int:
    """The RFC 6238 time step T = floor((unix time - T0) / X) with T0 = 0 and X = 30 s."""
    if now.tzinfo is None:
        raise ValueError("Pass an aware datetime; naive times are ambiguous.")
    return int(now.timestamp()) // STEP_S


def code_at_step(secret: str, step: int) -> str:
    """The 6-digit code for one time step (RFC 6238 §4, RFC 4226 §5.3 truncation)."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_S).generate_otp(step)


def normalise_totp_input(raw: str) -> str | None:
    """Six digits after removing spaces and dashes (apps show `123 456`), else None."""
    if len(raw) > MAX_CODE_INPUT:
        return None
    cleaned = _SEPARATORS.sub("", raw)
    return cleaned if _TOTP_INPUT.match(cleaned) else None


def totp_match(
    *, secret: str, code: str, now: dt.datetime, last_step: int | None, window: int = WINDOW
) -> int | None:
    """The time step `code` is valid for, or None.

    Accepted: the current step and `window` steps either side (RFC 6238 §5.2), but only steps
    *after* `last_step`, so no code is accepted twice (no replay). Every candidate is compared
    in constant time, and all candidates are always computed, so timing reveals nothing.
    """
    normalised = normalise_totp_input(code)
    if normalised is None:
        return None
    current = step_at(now)
    matched: int | None = None
    for step in range(current - window, current + window + 1):
        if step < 0:
            continue
        equal = hmac.compare_digest(code_at_step(secret, step), normalised)
        fresh = last_step is None or step > last_step
        if equal and fresh and matched is None:
            matched = step
    return matched


def provisioning_uri(*, secret: str, account: str, issuer: str = ISSUER) -> str:
    """The `otpauth://totp/...` URI that authenticator apps read from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_S).provisioning_uri(
        name=account, issuer_name=issuer
    )


def format_secret(secret: str) -> str:
    """The secret in groups of four, easier to type by hand (the QR code is the easy way)."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def generate_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """`count` distinct codes shaped `xxxx-xxxx-xx`, each 50 random bits (issue 2 §6)."""
    codes: list[str] = []
    while len(codes) < count:
        symbols = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_SYMBOLS))
        code = f"{symbols[:4]}-{symbols[4:8]}-{symbols[8:]}"
        if code not in codes:
            codes.append(code)
    return codes


def normalise_recovery_code(raw: str) -> str | None:
    """The canonical form of a typed recovery code, or None if it cannot be one.

    Case, spaces, dashes, dots and underscores are ignored, and the letters people confuse with
    digits are read as those digits (o → 0, i and l → 1), as Crockford's base-32 prescribes.
    """
    if len(raw) > MAX_CODE_INPUT:
        return None
    cleaned = _SEPARATORS.sub("", raw).lower().translate(_CONFUSABLE)
    if len(cleaned) != RECOVERY_SYMBOLS or any(c not in RECOVERY_ALPHABET for c in cleaned):
        return None
    return cleaned


def hash_recovery_code(raw: str) -> str | None:
    """SHA-256 (hex) of the normalised code, or None when `raw` is not a recovery code."""
    normalised = normalise_recovery_code(raw)
    if normalised is None:
        return None
    return hashlib.sha256(normalised.encode()).hexdigest()
