"""Stored assessments: consent, re-screen after URGENT/EMERGENCY, nothing stored on bad input,
owner-only access with audit of anyone else, history newest first (issue 3 item 7)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from backrelief.accounts.models import ConsentPurpose
from backrelief.accounts.services.consent import consent_give, consent_withdraw
from backrelief.assessment.access import assessment_get_for_view
from backrelief.assessment.models import Assessment, ClinicianAttestation
from backrelief.assessment.recommendation import parse_assessment, recommend
from backrelief.assessment.selectors import assessment_list_for_owner
from backrelief.assessment.services import assessment_create, attestation_record
from backrelief.assessment.tests.assess_inputs import all_no, raw_input
from backrelief.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from backrelief.core.models import AuditEvent

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def consented(user):
    consent_give(user=user, purpose=ConsentPurpose.HEALTH_DATA, now=NOW - dt.timedelta(days=1))
    return user


def later(minutes):
    return NOW + dt.timedelta(minutes=minutes)


def test_create_stores_inputs_result_and_versions(client_user):
    consented(client_user)
    row = assessment_create(owner=client_user, raw=raw_input(), now=NOW)
    row.refresh_from_db()
    assert row.owner == client_user
    assert row.triage_level == "NONE_REPORTED"
    assert row.duration_class == "subacute"
    assert row.assessed_on == dt.date(2026, 3, 2)
    assert row.versions["ranking"] == row.result["versions"]["ranking"]
    assert len(row.result["techniques"]) == 6
    # The stored inputs reproduce the stored result.
    again = recommend(parse_assessment(row.inputs, today=row.assessed_on)).as_dict()
    assert again == row.result


def test_today_is_the_owners_local_date(make_user):
    user = consented(make_user("client", time_zone="Australia/Sydney"))
    evening_utc = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)  # 07:00 on 3 March in Sydney
    row = assessment_create(owner=user, raw=raw_input(), now=evening_utc)
    assert row.assessed_on == dt.date(2026, 3, 3)


def test_profile_country_is_used_when_the_input_gives_none(make_user):
    user = consented(make_user("client", country="GB"))
    row = assessment_create(owner=user, raw=raw_input(red_flags=all_no(E1=True)), now=NOW)
    assert row.inputs["country"] == "GB"
    assert "999" in row.result["triage"]["emergency_contacts"]["emergency_numbers"]


def test_without_consent_nothing_is_stored(client_user):
    with pytest.raises(PermissionDenied) as info:
        assessment_create(owner=client_user, raw=raw_input(), now=NOW)
    assert info.value.code == "consent_required"
    assert not Assessment.objects.exists()


def test_after_consent_is_withdrawn_new_assessments_are_refused_but_old_ones_readable(
    client_user,
):
    consent = consent_give(user=client_user, purpose=ConsentPurpose.HEALTH_DATA, now=NOW)
    row = assessment_create(owner=client_user, raw=raw_input(), now=later(1))
    consent_withdraw(user=client_user, consent_public_id=consent.public_id, now=later(2))
    with pytest.raises(PermissionDenied):
        assessment_create(owner=client_user, raw=raw_input(), now=later(3))
    assert assessment_get_for_view(user=client_user, public_id=row.public_id) == row


def test_bad_input_raises_invalid_and_stores_nothing(client_user):
    consented(client_user)
    bad = raw_input(regions={"LOWER_BACK": 12}, conditions=["nonsense"])
    with pytest.raises(Invalid) as info:
        assessment_create(owner=client_user, raw=bad, now=NOW)
    assert {"regions.LOWER_BACK", "conditions[0].code"} <= set(info.value.fields)
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("flag", ["U3", "E2"])
def test_after_urgent_or_emergency_a_new_screening_needs_an_attestation(client_user, flag):
    consented(client_user)
    blocked = assessment_create(
        owner=client_user, raw=raw_input(red_flags=all_no(**{flag: True})), now=NOW
    )
    with pytest.raises(PermissionDenied) as info:
        assessment_create(owner=client_user, raw=raw_input(), now=later(5))
    assert info.value.code == "clinician_attestation_required"
    assert "clinician has assessed you" in info.value.message
    assert Assessment.objects.count() == 1

    attestation = attestation_record(
        owner=client_user, assessment_public_id=blocked.public_id, now=later(10)
    )
    assert attestation.statement_version
    assert (
        attestation_record(
            owner=client_user, assessment_public_id=str(blocked.public_id), now=later(11)
        )
        == attestation
    )
    fresh = assessment_create(owner=client_user, raw=raw_input(), now=later(20))
    assert fresh.triage_level == "NONE_REPORTED"


def test_after_soon_or_not_screened_screening_again_needs_no_attestation(client_user):
    consented(client_user)
    assessment_create(owner=client_user, raw=raw_input(red_flags=all_no(S2=True)), now=NOW)
    assessment_create(owner=client_user, raw=raw_input(red_flags={}), now=later(1))
    assessment_create(owner=client_user, raw=raw_input(), now=later(2))
    assert Assessment.objects.filter(owner=client_user).count() == 3


def test_attestation_is_refused_for_levels_that_need_none_and_for_older_assessments(client_user):
    consented(client_user)
    calm = assessment_create(owner=client_user, raw=raw_input(), now=NOW)
    with pytest.raises(Conflict):
        attestation_record(owner=client_user, assessment_public_id=calm.public_id, now=later(1))
    urgent = assessment_create(
        owner=client_user, raw=raw_input(red_flags=all_no(U1=True)), now=later(2)
    )
    attestation_record(owner=client_user, assessment_public_id=urgent.public_id, now=later(3))
    assessment_create(owner=client_user, raw=raw_input(), now=later(4))
    with pytest.raises(Conflict):
        attestation_record(owner=client_user, assessment_public_id=urgent.public_id, now=later(5))


def test_attestation_for_someone_elses_assessment_does_not_exist(client_user, other_client):
    consented(client_user)
    consented(other_client)
    urgent = assessment_create(owner=client_user, raw=raw_input(red_flags=all_no(U1=True)), now=NOW)
    for key in (urgent.public_id, uuid.uuid4(), "not-a-uuid"):
        with pytest.raises(NotFound):
            attestation_record(owner=other_client, assessment_public_id=key, now=later(1))
    assert not ClinicianAttestation.objects.exists()


def test_owner_reads_own_assessment_without_an_audit_row(client_user):
    consented(client_user)
    row = assessment_create(owner=client_user, raw=raw_input(), now=NOW)
    assert assessment_get_for_view(user=client_user, public_id=str(row.public_id)) == row
    assert not AuditEvent.objects.filter(action="health.read").exists()


@pytest.mark.parametrize("persona", ["other_client", "therapist", "staff_user"])
def test_anyone_else_gets_not_found_and_the_attempt_is_audited(client_user, persona, request):
    consented(client_user)
    row = assessment_create(owner=client_user, raw=raw_input(), now=NOW)
    reader = request.getfixturevalue(persona)
    with pytest.raises(NotFound):
        assessment_get_for_view(user=reader, public_id=row.public_id)
    event = AuditEvent.objects.get(action="health.read")
    assert event.actor_public_id == reader.public_id
    assert event.subject_public_id == client_user.public_id
    assert event.object_id == str(row.public_id)
    assert event.outcome == "denied"


@pytest.mark.parametrize("key", [uuid.uuid4(), "nonsense"])
def test_unknown_ids_are_not_found(client_user, key):
    with pytest.raises(NotFound):
        assessment_get_for_view(user=client_user, public_id=key)


def test_history_is_newest_first_and_only_the_owners(client_user, other_client):
    consented(client_user)
    consented(other_client)
    first = assessment_create(owner=client_user, raw=raw_input(), now=NOW)
    second = assessment_create(owner=client_user, raw=raw_input(), now=later(1))
    assessment_create(owner=other_client, raw=raw_input(), now=later(2))
    assert list(assessment_list_for_owner(owner=client_user)) == [second, first]


def test_unknown_onset_stores_an_empty_duration_class(client_user):
    consented(client_user)
    row = assessment_create(owner=client_user, raw=raw_input(pain_onset_date=None), now=NOW)
    assert row.duration_class == ""
    assert row.result["duration_class"] is None
