"""Consent services and guards (issue 2 §7, ADR 0006), against the database."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, transaction

from backrelief.accounts.consent_notice import NOTICE_VERSION
from backrelief.accounts.models import Consent, ConsentPurpose
from backrelief.accounts.selectors_consent import consent_history, consent_overview
from backrelief.accounts.services.consent import (
    consent_give,
    consent_has_health_processing,
    consent_require_health_processing,
    consent_sharing_allowed,
    consent_withdraw,
)
from backrelief.core.errors import Invalid, NotFound, PermissionDenied
from backrelief.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 21, 9, 30, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(hours=2)
HEALTH = ConsentPurpose.HEALTH_DATA
INTAKE = ConsentPurpose.SHARE_INTAKE
PROGRESS = ConsentPurpose.SHARE_PROGRESS


def _audit(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_giving_health_consent_stores_notice_version_and_audits_public_ids(client_user):
    row = consent_give(user=client_user, purpose=HEALTH, now=NOW)
    assert row.active
    assert row.notice_version == NOTICE_VERSION
    assert row.given_at == NOW
    (event,) = _audit("consent.given")
    assert event.actor_public_id == client_user.public_id
    assert event.subject_public_id == client_user.public_id
    assert (event.object_type, event.object_id) == ("consent", str(row.public_id))
    assert client_user.email not in str(event.__dict__)


def test_giving_the_same_consent_twice_returns_the_live_row_without_a_second_audit_row(
    client_user,
):
    first = consent_give(user=client_user, purpose=HEALTH, now=NOW)
    second = consent_give(user=client_user, purpose=HEALTH, now=LATER)
    assert second.pk == first.pk
    assert second.given_at == NOW
    assert Consent.objects.filter(user=client_user).count() == 1
    assert len(_audit("consent.given")) == 1


def test_database_allows_only_one_live_consent_per_scope(client_user):
    consent_give(user=client_user, purpose=HEALTH, now=NOW)
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(user=client_user, purpose=HEALTH, notice_version="x", given_at=NOW)


def test_sharing_needs_a_live_health_data_consent_first(client_user, therapist):
    with pytest.raises(PermissionDenied) as info:
        consent_give(user=client_user, purpose=INTAKE, grantee=therapist, now=NOW)
    assert info.value.code == "consent_required"
    assert "/accounts/consent/" in info.value.message
    assert not Consent.objects.filter(user=client_user).exists()


def test_sharing_with_a_therapist_after_health_consent(client_user, therapist):
    consent_give(user=client_user, purpose=HEALTH, now=NOW)
    row = consent_give(user=client_user, purpose=INTAKE, grantee=therapist, now=NOW)
    assert row.grantee == therapist
    assert consent_sharing_allowed(owner=client_user, grantee=therapist, purpose=INTAKE)
    assert not consent_sharing_allowed(owner=client_user, grantee=therapist, purpose=PROGRESS)


@pytest.mark.parametrize("who", ["none", "self", "client", "staff", "inactive_therapist"])
def test_sharing_grantee_must_be_an_active_therapist(who, client_user, other_client, make_user):
    consent_give(user=client_user, purpose=HEALTH, now=NOW)
    grantee = {
        "none": None,
        "self": client_user,
        "client": other_client,
        "staff": make_user("staff"),
        "inactive_therapist": make_user("therapist", is_active=False),
    }[who]
    with pytest.raises(Invalid) as info:
        consent_give(user=client_user, purpose=INTAKE, grantee=grantee, now=NOW)
    assert "grantee" in info.value.fields


def test_health_consent_takes_no_grantee_and_no_object(client_user, therapist):
    with pytest.raises(Invalid) as info:
        consent_give(user=client_user, purpose=HEALTH, grantee=therapist, now=NOW)
    assert "grantee" in info.value.fields
    with pytest.raises(Invalid) as info:
        consent_give(user=client_user, purpose=HEALTH, object_type="intake", object_id="1", now=NOW)
    assert "object_type" in info.value.fields


def test_unknown_purpose_is_a_field_error(client_user):
    with pytest.raises(Invalid) as info:
        consent_give(user=client_user, purpose="marketing", now=NOW)
    assert "purpose" in info.value.fields


def test_object_scope_needs_both_parts_and_at_most_64_characters(client_user, therapist):
    consent_give(user=client_user, purpose=HEALTH, now=NOW)
    with pytest.raises(Invalid) as info:
        consent_give(user=client_user, purpose=INTAKE, grantee=therapist, object_type="x", now=NOW)
    assert "object_id" in info.value.fields
    with pytest.raises(Invalid):
        consent_give(
            user=client_user,
            purpose=INTAKE,
            grantee=therapist,
            object_type="intake",
            object_id="9" * 65,
            now=NOW,
        )


def test_withdrawing_health_consent_stops_all_sharing_at_once(
    client_user, therapist, other_therapist
):
    health = consent_give(user=client_user, purpose=HEALTH, now=NOW)
    intake = consent_give(user=client_user, purpose=INTAKE, grantee=therapist, now=NOW)
    progress = consent_give(user=client_user, purpose=PROGRESS, grantee=other_therapist, now=NOW)

    consent_withdraw(user=client_user, consent_public_id=health.public_id, now=LATER)

    for row in (health, intake, progress):
        row.refresh_from_db()
        assert row.withdrawn_at == LATER
    assert not consent_sharing_allowed(owner=client_user, grantee=therapist, purpose=INTAKE)
    assert not consent_sharing_allowed(owner=client_user, grantee=other_therapist, purpose=PROGRESS)
    withdrawn_ids = {e.object_id for e in _audit("consent.withdrawn")}
    assert withdrawn_ids == {str(health.public_id), str(intake.public_id), str(progress.public_id)}


def test_withdrawing_sharing_keeps_the_health_consent(client_user, therapist):
    health = consent_give(user=client_user, purpose=HEALTH, now=NOW)
    intake = consent_give(user=client_user, purpose=INTAKE, grantee=therapist, now=NOW)
    consent_withdraw(user=client_user, consent_public_id=str(intake.public_id), now=LATER)
    health.refresh_from_db()
    assert health.active
    assert not consent_sharing_allowed(owner=client_user, grantee=therapist, purpose=INTAKE)


def test_withdrawing_someone_elses_consent_does_not_exist(client_user, other_client):
    row = consent_give(user=client_user, purpose=HEALTH, now=NOW)
    with pytest.raises(NotFound):
        consent_withdraw(user=other_client, consent_public_id=row.public_id, now=LATER)
    row.refresh_from_db()
    assert row.active
    assert _audit("consent.withdrawn") == []


@pytest.mark.parametrize("bad_id", [uuid.uuid4(), "not-a-uuid", ""])
def test_withdrawing_an_unknown_or_malformed_id_is_not_found(client_user, bad_id):
    with pytest.raises(NotFound):
        consent_withdraw(user=client_user, consent_public_id=bad_id, now=NOW)


def test_withdrawing_twice_changes_nothing(client_user):
    row = consent_give(user=client_user, purpose=HEALTH, now=NOW)
    consent_withdraw(user=client_user, consent_public_id=row.public_id, now=LATER)
    again = consent_withdraw(
        user=client_user, consent_public_id=row.public_id, now=LATER + dt.timedelta(days=1)
    )
    assert again.withdrawn_at == LATER
    assert len(_audit("consent.withdrawn")) == 1


def test_a_clock_behind_given_at_still_withdraws(client_user):
    row = consent_give(user=client_user, purpose=HEALTH, now=NOW)
    consent_withdraw(
        user=client_user, consent_public_id=row.public_id, now=NOW - dt.timedelta(seconds=3)
    )
    row.refresh_from_db()
    assert row.withdrawn_at == NOW


def test_health_guard_blocks_new_entries_without_and_after_withdrawal(client_user):
    with pytest.raises(PermissionDenied) as info:
        consent_require_health_processing(user=client_user)
    assert info.value.code == "consent_required"
    assert "/accounts/consent/" in info.value.message

    row = consent_give(user=client_user, purpose=HEALTH, now=NOW)
    consent_require_health_processing(user=client_user)  # allowed while live

    consent_withdraw(user=client_user, consent_public_id=row.public_id, now=LATER)
    assert not consent_has_health_processing(user=client_user)
    with pytest.raises(PermissionDenied):
        consent_require_health_processing(user=client_user)


def test_history_keeps_every_row_newest_first_after_consent_is_given_again(client_user):
    first = consent_give(user=client_user, purpose=HEALTH, now=NOW)
    consent_withdraw(user=client_user, consent_public_id=first.public_id, now=LATER)
    second = consent_give(user=client_user, purpose=HEALTH, now=LATER + dt.timedelta(days=1))

    history = consent_history(user=client_user)
    assert [c.pk for c in history] == [second.pk, first.pk]
    assert history[1].withdrawn_at == LATER
    overview = consent_overview(user=client_user)
    assert overview.health == second
    assert not overview.health_withdrawn


def test_overview_after_withdrawal_says_withdrawn(client_user):
    row = consent_give(user=client_user, purpose=HEALTH, now=NOW)
    consent_withdraw(user=client_user, consent_public_id=row.public_id, now=LATER)
    overview = consent_overview(user=client_user)
    assert overview.health is None
    assert overview.health_withdrawn
    assert overview.history == [row]


def test_sharing_is_per_grantee(client_user, therapist, other_therapist):
    consent_give(user=client_user, purpose=HEALTH, now=NOW)
    consent_give(user=client_user, purpose=INTAKE, grantee=therapist, now=NOW)
    assert not consent_sharing_allowed(owner=client_user, grantee=other_therapist, purpose=INTAKE)
    assert not consent_sharing_allowed(owner=client_user, grantee=client_user, purpose=INTAKE)
    assert not consent_sharing_allowed(owner=client_user, grantee=therapist, purpose=HEALTH)


def test_object_scoped_sharing_covers_only_that_object(client_user, therapist):
    consent_give(user=client_user, purpose=HEALTH, now=NOW)
    consent_give(
        user=client_user,
        purpose=INTAKE,
        grantee=therapist,
        object_type="booking",
        object_id="b-1",
        now=NOW,
    )

    def allowed(object_type="", object_id=""):
        return consent_sharing_allowed(
            owner=client_user,
            grantee=therapist,
            purpose=INTAKE,
            object_type=object_type,
            object_id=object_id,
        )

    assert allowed("booking", "b-1")
    assert not allowed("booking", "b-2")
    assert not allowed()  # an object-scoped consent is not consent for everything
