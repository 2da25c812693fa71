"""Load demo data (local use only): the personas and the extra clients of `core/demo.py`.

Rules:
- Refused when `settings.PRODUCTION` is true: the demo password and the staff TOTP secret are
  published in the code, so demo accounts on a real server would be open doors.
- Idempotent: people are matched by email (case-insensitively, like the login); existing
  accounts are left as they are, nothing is duplicated, and re-running only adds what is
  missing (e.g. after switching to a larger size).
- The password is hashed once with the configured (argon2) hasher and the encoded hash is
  reused for every demo account: hashing 500 times would take minutes and protects nothing,
  because the password is public anyway.
- The demo client has consented to processing their own health data, through the consent
  service (current notice version, audited), so health features can be tried at once.
- The staff persona is a superuser with a confirmed TOTP device (staff need two-factor
  authentication, issue 2 §6) whose secret is printed by `backrelief run --setup`.
- The demo client gets a story of assessments across triage levels and one open draft
  (`assessment/demo.py`), only while they have none and their consent is live.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from backrelief.accounts.models import ConsentPurpose, TOTPDevice, User
from backrelief.accounts.services.consent import consent_give
from backrelief.assessment.demo import demo_assessments_load
from backrelief.core.demo import DEMO_PASSWORD, DEMO_STAFF_TOTP_SECRET, PERSONAS, DemoPerson
from backrelief.core.demo import demo_clients as _demo_clients
from backrelief.core.errors import PermissionDenied

BATCH = 100


@dataclass(frozen=True)
class DemoLoadResult:
    created: int
    existing: int
    emails: list[str]  # every demo address of this size and seed, personas first


def demo_emails_existing(emails: Iterable[str]) -> set[str]:
    wanted = [e.lower() for e in emails]
    found: set[str] = set()
    for start in range(0, len(wanted), 500):  # stay under SQLite's bound-parameter limit
        chunk = wanted[start : start + 500]
        found.update(
            e.lower() for e in User.objects.filter(email__in=chunk).values_list("email", flat=True)
        )
    return found


def _user(person: DemoPerson, *, encoded: str, now: dt.datetime) -> User:
    user = User(
        email=person.email.lower(),
        password=encoded,
        role=person.role,
        display_name=person.display_name,
        country=person.country,
        time_zone=person.time_zone,
        email_verified_at=now,
        is_staff=person.role == "staff",
        is_superuser=person.role == "staff",
    )
    # Field rules (choices, lengths); uniqueness was settled by `demo_emails_existing`.
    user.full_clean(validate_unique=False, validate_constraints=False)
    return user


@transaction.atomic
def demo_load(
    *,
    size: str,
    seed: int,
    now: dt.datetime,
    progress: Callable[[int], object] | None = None,
) -> DemoLoadResult:
    """Create the demo personas and `SIZES[size]` extra clients that do not exist yet."""
    demo_refuse_in_production()
    return _load_people(
        [*PERSONAS, *_demo_clients(size=size, seed=seed)], now=now, progress=progress
    )


@transaction.atomic
def demo_personas_load(*, now: dt.datetime) -> DemoLoadResult:
    """Create the demo personas that do not exist yet (no extra clients), with their extras.

    For loaders that need a persona, e.g. `therapists/services/demo.py` uses the staff persona
    as the one who decided the demo licences; same rules as `demo_load` (refused in production).
    """
    demo_refuse_in_production()
    return _load_people(list(PERSONAS), now=now, progress=None)


def demo_refuse_in_production() -> None:
    """Raise PermissionDenied in production (module docstring: the secrets are public)."""
    if settings.PRODUCTION:
        raise PermissionDenied(
            "Demo data is for local use only: its password and two-factor secret are public. "
            "Unset BACKRELIEF_ENV=production to load it on your own machine.",
            code="demo_in_production",
        )


def demo_users_create(
    people: list[DemoPerson],
    *,
    now: dt.datetime,
    encoded: str | None = None,
    progress: Callable[[int], object] | None = None,
) -> tuple[list[DemoPerson], str]:
    """Create the accounts of `people` that do not exist yet (matched by email,
    case-insensitively) in batches; returns the people created and the password hash used.

    `encoded` is the demo password's hash, made once here when not given (module docstring).
    """
    existing = demo_emails_existing(p.email for p in people)
    missing = [p for p in people if p.email.lower() not in existing]
    if progress is not None and existing:
        progress(len(people) - len(missing))
    if encoded is None and missing:
        encoded = make_password(DEMO_PASSWORD)
    for start in range(0, len(missing), BATCH):
        batch = [_user(p, encoded=encoded or "", now=now) for p in missing[start : start + BATCH]]
        User.objects.bulk_create(batch)
        if progress is not None:
            progress(len(batch))
    return missing, encoded or ""


def _load_people(
    people: list[DemoPerson], *, now: dt.datetime, progress: Callable[[int], object] | None
) -> DemoLoadResult:
    missing, _ = demo_users_create(people, now=now, progress=progress)
    _persona_extras(created={p.email.lower() for p in missing}, now=now)
    return DemoLoadResult(
        created=len(missing),
        existing=len(people) - len(missing),
        emails=[p.email.lower() for p in people],
    )


def _persona_extras(*, created: set[str], now: dt.datetime) -> None:
    """Consent for a newly created demo client, a TOTP device for a newly created staff persona,
    the demo assessments for the demo client if they have none yet.

    Personas that already existed keep whatever was done with them since (a withdrawn consent
    or a re-enrolled authenticator stays as it is).
    """
    client_email, _therapist_email, staff_email = (p.email.lower() for p in PERSONAS)
    if client_email in created:
        client = User.objects.get(email__iexact=client_email)
        consent_give(user=client, purpose=ConsentPurpose.HEALTH_DATA, now=now)
    client_row = User.objects.filter(email__iexact=client_email).first()
    if client_row is not None:
        demo_assessments_load(owner=client_row, now=now)
    if staff_email in created:
        staff = User.objects.get(email__iexact=staff_email)
        TOTPDevice.objects.create(
            user=staff, secret=DEMO_STAFF_TOTP_SECRET, confirmed_at=now, created_at=now
        )
