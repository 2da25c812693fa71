"""`demo_load` and `backrelief demo`: personas ready to use, idempotent, refused in production."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from backrelief.accounts.consent_notice import NOTICE_VERSION
from backrelief.accounts.models import Consent, ConsentPurpose, TOTPDevice, User
from backrelief.core.demo import DEMO_PASSWORD, DEMO_STAFF_TOTP_SECRET, PERSONAS, SIZES
from backrelief.core.errors import PermissionDenied
from backrelief.core.models import AuditEvent
from backrelief.core.services.demo import demo_load, demo_personas_load

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)


def _emails() -> list[str]:
    return sorted(User.objects.values_list("email", flat=True))


def test_small_demo_creates_the_personas_and_three_clients():
    result = demo_load(size="small", seed=42, now=NOW)
    assert result.created == len(PERSONAS) + SIZES["small"] == User.objects.count()
    assert result.existing == 0
    assert all(u.email_verified_at == NOW for u in User.objects.all())


def test_running_twice_with_the_same_seed_adds_nothing():
    first = demo_load(size="small", seed=42, now=NOW)
    emails = _emails()
    second = demo_load(size="small", seed=42, now=NOW)
    assert second.created == 0
    assert second.existing == first.created
    assert second.emails == first.emails
    assert _emails() == emails
    assert Consent.objects.count() == 1
    assert TOTPDevice.objects.count() == 1


def test_growing_the_demo_adds_only_the_missing_clients():
    demo_load(size="small", seed=42, now=NOW)
    result = demo_load(size="medium", seed=42, now=NOW)
    assert result.created == SIZES["medium"] - SIZES["small"]
    assert User.objects.count() == len(PERSONAS) + SIZES["medium"]


def test_everyone_signs_in_with_the_demo_password():
    demo_load(size="small", seed=42, now=NOW)
    for user in User.objects.all():
        assert user.check_password(DEMO_PASSWORD)


def test_staff_persona_is_staff_with_a_confirmed_authenticator():
    demo_load(size="small", seed=42, now=NOW)
    staff = User.objects.get(email=PERSONAS[2].email)
    assert staff.role == "staff"
    assert staff.is_staff
    device = TOTPDevice.objects.get(user=staff)
    assert device.confirmed
    assert device.secret == DEMO_STAFF_TOTP_SECRET


def test_demo_client_has_consented_to_health_data_under_the_current_notice():
    demo_load(size="small", seed=42, now=NOW)
    client = User.objects.get(email=PERSONAS[0].email)
    consent = Consent.objects.get(user=client)
    assert consent.purpose == ConsentPurpose.HEALTH_DATA
    assert consent.notice_version == NOTICE_VERSION
    assert consent.active
    assert AuditEvent.objects.filter(
        action="consent.given", subject_public_id=client.public_id
    ).exists()


def test_a_withdrawn_demo_consent_stays_withdrawn_on_a_rerun():
    demo_load(size="small", seed=42, now=NOW)
    Consent.objects.update(withdrawn_at=NOW)
    demo_load(size="small", seed=42, now=NOW)
    assert not Consent.objects.filter(withdrawn_at__isnull=True).exists()


@override_settings(PRODUCTION=True)
def test_demo_is_refused_in_production():
    with pytest.raises(PermissionDenied, match="local use only"):
        demo_load(size="small", seed=42, now=NOW)
    with pytest.raises(CommandError, match="local use only"):
        call_command("demo", stdout=io.StringIO())
    assert not User.objects.exists()


def test_command_reports_what_it_created():
    out = io.StringIO()
    call_command("demo", "--size", "small", "--seed", "3", stdout=out)
    assert "6 accounts created, 0 already there" in out.getvalue()
    out = io.StringIO()
    call_command("demo", "--size", "small", "--seed", "3", stdout=out)
    assert "0 accounts created, 6 already there" in out.getvalue()


def test_personas_alone_are_created_once_without_extra_clients():
    first = demo_personas_load(now=NOW)
    assert first.created == len(PERSONAS) == User.objects.count()
    again = demo_personas_load(now=NOW)
    assert again.created == 0
    assert TOTPDevice.objects.count() == 1


@override_settings(PRODUCTION=True)
def test_personas_alone_are_refused_in_production():
    with pytest.raises(PermissionDenied, match="local use only"):
        demo_personas_load(now=NOW)
    assert not User.objects.exists()


def test_the_command_also_loads_demo_therapists():
    out = io.StringIO()
    call_command("demo", "--therapists", "2", stdout=out)
    assert "Demo therapists: 2 created, 0 already there" in out.getvalue()
