"""Demo people for local use only: three fixed personas plus reproducible extra clients.

Pure data and generation: no database, no clock (the writer is `core/services/demo.py`).

- The personas are the logins `backrelief run --setup` prints. They share one demo password
  and the staff persona has a fixed TOTP secret, so a person can add it to an authenticator
  app (staff must use two-factor authentication, issue 2 §6). Both are public, which is why
  demo data is refused in production.
- Extra clients are derived from `(seed, index)` alone: the same seed gives the same emails
  and names on every machine, and a larger size extends a smaller one (the first 3 clients of
  `large` are the 3 clients of `small`), so re-running or growing the demo never duplicates.
- Addresses use the reserved `.test` top-level domain (RFC 2606): mail to them can never be
  delivered to a real person.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

DEMO_DOMAIN = "demo.backrelief.test"
DEMO_PASSWORD = "demo-password-2026"
# Base-32, 32 characters = 160 bits like `accounts.totp.new_secret()`; public by design.
DEMO_STAFF_TOTP_SECRET = "BACKRELIEFDEMOSTAFFTOTPSECRETKEY"
SIZES: dict[str, int] = {"small": 3, "medium": 50, "large": 500}
DEFAULT_SIZE = "small"
DEFAULT_SEED = 42


@dataclass(frozen=True)
class DemoPerson:
    email: str
    display_name: str
    role: str  # "client", "therapist" or "staff" (accounts.models.Role values)
    country: str
    time_zone: str


PERSONAS: tuple[DemoPerson, ...] = (
    DemoPerson(f"client@{DEMO_DOMAIN}", "Clara Client", "client", "DE", "Europe/Berlin"),
    DemoPerson(f"therapist@{DEMO_DOMAIN}", "Theo Therapist", "therapist", "GB", "Europe/London"),
    DemoPerson(f"staff@{DEMO_DOMAIN}", "Sam Staff", "staff", "US", "America/New_York"),
)

_FIRST_NAMES = (
    "Ada", "Amara", "Ben", "Chen", "Dana", "Elif", "Emil", "Fatima", "Grace", "Hana", "Ines",
    "Jonas", "Kai", "Lena", "Luca", "Maya", "Mateo", "Nia", "Noah", "Olga", "Priya", "Rafael",
    "Sara", "Tomás", "Uma", "Viktor", "Wen", "Yara", "Zoe", "Aarav",
)  # fmt: skip
_LAST_NAMES = (
    "Adeyemi", "Bauer", "Costa", "Dubois", "Eriksen", "Fischer", "García", "Haddad", "Ivanova",
    "Jensen", "Kowalski", "Lee", "Müller", "Nakamura", "Okafor", "Papadopoulos", "Quinn",
    "Rossi", "Schmidt", "Tanaka", "Urban", "Varga", "Walsh", "Xu", "Yilmaz", "Zhang",
)  # fmt: skip
# (country, IANA time zone): DST rules of Europe, the Americas and Australia all occur.
_PLACES = (
    ("DE", "Europe/Berlin"),
    ("GB", "Europe/London"),
    ("FR", "Europe/Paris"),
    ("US", "America/New_York"),
    ("US", "America/Los_Angeles"),
    ("BR", "America/Sao_Paulo"),
    ("AU", "Australia/Sydney"),
    ("JP", "Asia/Tokyo"),
    ("IN", "Asia/Kolkata"),
    ("NG", "Africa/Lagos"),
)
_ASCII = str.maketrans({"á": "a", "é": "e", "í": "i", "ó": "o", "ú": "u", "ü": "u", "ö": "o"})


def demo_client(*, seed: int, index: int) -> DemoPerson:
    """The `index`-th extra client for `seed`; depends on nothing else (reproducibility).

    Seeding `random.Random` with a string is stable across processes and Python versions
    (it hashes with SHA-512, unlike `hash()`), so the same pair always gives the same person.
    """
    if index < 0:
        raise ValueError("index must be 0 or more")
    rng = random.Random(f"backrelief-demo:{seed}:{index}")  # noqa: S311 (not for secrets)
    first = rng.choice(_FIRST_NAMES)
    last = rng.choice(_LAST_NAMES)
    country, time_zone = rng.choice(_PLACES)
    local = f"{first}.{last}".lower().translate(_ASCII)
    return DemoPerson(
        email=f"{local}.{index + 1:04d}@{DEMO_DOMAIN}",
        display_name=f"{first} {last}",
        role="client",
        country=country,
        time_zone=time_zone,
    )


def demo_clients(*, size: str, seed: int) -> list[DemoPerson]:
    """The extra clients for a named size (see `SIZES`), in a stable order."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}")
    return [demo_client(seed=seed, index=i) for i in range(SIZES[size])]
