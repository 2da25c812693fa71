"""Assessment drafts (issue 4 item 2): step checks name the field and leave the draft as it
was, submitting is atomic and happens once, consent and role rules, owner-only access."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backrelief.accounts.models import ConsentPurpose
from backrelief.accounts.services.consent import consent_give, consent_withdraw
from backrelief.assessment import services
from backrelief.assessment.access import draft_get_for_owner
from backrelief.assessment.data.red_flags import QUESTION_IDS
from backrelief.assessment.models import Assessment, AssessmentDraft
from backrelief.assessment.selectors import draft_list_open
from backrelief.assessment.services import (
    draft_create,
    draft_discard,
    draft_save_step,
    draft_submit,
)
from backrelief.assessment.tests.assess_inputs import all_no
from backrelief.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from backrelief.core.models import AuditEvent

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)

PAIN: dict[str, Any] = {
    "regions": {"LOWER_BACK": 6, "LEG_L": 3},
    "primary_region": "LOWER_BACK",
    "pain_onset_date": "2026-01-05",
    "nprs": 6,
    "is_recurrent_episode": True,
    "triggers": [],
    "symptoms": [],
}
STEPS: dict[str, dict[str, Any]] = {
    "pain": PAIN,
    "warning_signs": {"red_flags": all_no()},
    "conditions": {"conditions": []},
    "questionnaires": {"questionnaires": {"odi": [1, 2, 1, 0, 1, 2, 1, 0, 1, 1]}},
    "preferences": {"preferences": {"pressure": "light"}, "goals": []},
}


def later(minutes):
    return NOW + dt.timedelta(minutes=minutes)


@pytest.fixture
def owner(client_user):
    consent_give(user=client_user, purpose=ConsentPurpose.HEALTH_DATA, now=NOW)
    return client_user


def filled(owner, *, skip=(), **override):
    draft = draft_create(owner=owner, now=NOW)
    for i, (step, body) in enumerate({**STEPS, **override}.items()):
        if step not in skip:
            draft_save_step(
                owner=owner, draft_public_id=draft.public_id, step=step, data=body, now=later(i)
            )
    draft.refresh_from_db()
    return draft


def test_a_step_is_checked_merged_and_marked_completed(owner):
    draft = draft_create(owner=owner, now=NOW)
    assert draft.data == {}
    assert draft.completed_steps == []
    draft = draft_save_step(
        owner=owner, draft_public_id=draft.public_id, step="pain", data=PAIN, now=later(1)
    )
    draft.refresh_from_db()
    assert draft.completed_steps == ["pain"]
    assert draft.data["regions"] == {"LOWER_BACK": 6, "LEG_L": 3}
    assert draft.data["questionnaires"] == {"nprs": [6]}
    assert draft.data["is_recurrent_episode"] is True
    assert "red_flags" not in draft.data
    assert draft.updated_at == later(1)


def test_a_missing_warning_sign_answer_is_an_error_naming_it(owner):
    draft = draft_create(owner=owner, now=NOW)
    answers = all_no()
    del answers["S3"]
    answers["U1"] = None
    with pytest.raises(Invalid) as info:
        draft_save_step(
            owner=owner,
            draft_public_id=draft.public_id,
            step="warning_signs",
            data={"red_flags": answers},
            now=NOW,
        )
    assert set(info.value.fields) == {"red_flags.S3", "red_flags.U1"}


def test_nothing_is_pre_answered_an_empty_warning_step_names_every_question(owner):
    draft = draft_create(owner=owner, now=NOW)
    with pytest.raises(Invalid) as info:
        draft_save_step(
            owner=owner, draft_public_id=draft.public_id, step="warning_signs", data={}, now=NOW
        )
    assert set(info.value.fields) == {f"red_flags.{qid}" for qid in QUESTION_IDS}


@pytest.mark.parametrize(
    ("step", "body", "field"),
    [
        ("pain", {"regions": {"LOWER_BACK": 11}}, "regions.LOWER_BACK"),
        ("pain", {"regions": {"NEKC": 3}}, "regions.NEKC"),
        ("pain", {"regions": {"NECK": 3, "LOWER_BACK": 2}}, "primary_region"),
        ("pain", {"pain_onset_date": "2026-03-03"}, "pain_onset_date"),
        ("pain", {"nprs": 11}, "nprs"),
        ("pain", {"nprs": True}, "nprs"),
        ("pain", {"is_recurrent_episode": "yes"}, "is_recurrent_episode"),
        ("pain", {"red_flags": {}}, "red_flags"),
        ("pain", {"triggers": ["dancing"]}, "triggers[0]"),
        ("conditions", {"conditions": ["nonsense"]}, "conditions[0].code"),
        ("questionnaires", {"questionnaires": {"ndi": [0] * 10}}, "questionnaires.ndi"),
        ("questionnaires", {"questionnaires": {"nprs": [3]}}, "questionnaires.nprs"),
        ("questionnaires", {"questionnaires": {"odi": [9] * 10}}, "questionnaires.odi[0]"),
        ("questionnaires", {"questionnaires": []}, "questionnaires"),
        ("preferences", {"preferences": {"pressure": "max"}}, "preferences.pressure"),
        ("review", {"anything": 1}, "anything"),
        ("nonsense", {}, "step"),
        ("pain", [1, 2], "body"),
        ("pain", None, "body"),
    ],
)
def test_bad_step_input_names_the_field_and_leaves_the_draft_unchanged(owner, step, body, field):
    draft = filled(owner, skip=("warning_signs",))
    before = (draft.data, draft.completed_steps, draft.updated_at)
    with pytest.raises(Invalid) as info:
        draft_save_step(
            owner=owner, draft_public_id=draft.public_id, step=step, data=body, now=later(60)
        )
    assert field in info.value.fields
    draft.refresh_from_db()
    assert (draft.data, draft.completed_steps, draft.updated_at) == before


def test_a_new_main_region_drops_questionnaires_no_longer_asked_and_reopens_that_step(owner):
    draft = filled(owner)
    assert draft.data["questionnaires"]["odi"]
    neck = {**PAIN, "regions": {"NECK": 5}, "primary_region": "NECK"}
    draft = draft_save_step(
        owner=owner, draft_public_id=draft.public_id, step="pain", data=neck, now=later(30)
    )
    assert draft.data["questionnaires"] == {"nprs": [6]}
    assert "questionnaires" not in draft.completed_steps


def test_submit_stores_the_assessment_links_it_and_closes_the_draft(owner):
    draft = filled(owner)
    assessment = draft_submit(owner=owner, draft_public_id=draft.public_id, now=later(10))
    draft.refresh_from_db()
    assert draft.submitted_assessment == assessment
    assert assessment.triage_level == "NONE_REPORTED"
    assert assessment.inputs["is_recurrent_episode"] is True
    assert assessment.inputs["questionnaires"]["nprs"] == [6]
    assert assessment.result["scores"]["odi"]["valid"] is True
    assert assessment.result["techniques"][0]["rank"] is not None
    assert list(draft_list_open(owner=owner)) == []


def test_submitting_twice_is_a_conflict_and_stores_one_assessment(owner):
    draft = filled(owner)
    draft_submit(owner=owner, draft_public_id=draft.public_id, now=later(10))
    with pytest.raises(Conflict) as info:
        draft_submit(owner=owner, draft_public_id=draft.public_id, now=later(11))
    assert info.value.code == "draft_submitted"
    assert Assessment.objects.count() == 1
    with pytest.raises(Conflict):
        draft_save_step(
            owner=owner, draft_public_id=draft.public_id, step="pain", data=PAIN, now=later(12)
        )
    with pytest.raises(Conflict):
        draft_discard(owner=owner, draft_public_id=draft.public_id)


def test_submit_needs_every_step_before_review(owner):
    draft = filled(owner, skip=("warning_signs", "preferences"))
    with pytest.raises(Invalid) as info:
        draft_submit(owner=owner, draft_public_id=draft.public_id, now=later(10))
    assert info.value.code == "draft_incomplete"
    assert set(info.value.fields) == {"steps.warning_signs", "steps.preferences"}
    assert not Assessment.objects.exists()


def test_submit_is_atomic_a_failure_after_storing_the_assessment_stores_nothing(owner, monkeypatch):
    draft = filled(owner)

    def broken_link(self, *args, **kwargs):
        raise RuntimeError("disk full while linking the draft")

    monkeypatch.setattr(AssessmentDraft, "save", broken_link)
    with pytest.raises(RuntimeError):
        draft_submit(owner=owner, draft_public_id=draft.public_id, now=later(10))
    monkeypatch.undo()
    assert not Assessment.objects.exists()
    draft.refresh_from_db()
    assert draft.is_open
    # And it can still be submitted afterwards.
    draft_submit(owner=owner, draft_public_id=draft.public_id, now=later(11))
    assert Assessment.objects.count() == 1


def test_without_consent_drafts_cannot_be_started_saved_or_submitted(owner, client_user):
    draft = filled(owner)
    consent = client_user.consents.get(purpose=ConsentPurpose.HEALTH_DATA)
    consent_withdraw(user=owner, consent_public_id=consent.public_id, now=later(20))
    for call in (
        lambda: draft_create(owner=owner, now=later(21)),
        lambda: draft_save_step(
            owner=owner, draft_public_id=draft.public_id, step="pain", data=PAIN, now=later(21)
        ),
        lambda: draft_submit(owner=owner, draft_public_id=draft.public_id, now=later(21)),
    ):
        with pytest.raises(PermissionDenied) as info:
            call()
        assert info.value.code == "consent_required"
    assert not Assessment.objects.exists()
    # Deleting one's own answers stays possible.
    draft_discard(owner=owner, draft_public_id=draft.public_id)
    assert not AssessmentDraft.objects.exists()


@pytest.mark.parametrize("role", ["therapist", "staff"])
def test_only_clients_start_assessments(make_user, role):
    user = make_user(role)
    consent_give(user=user, purpose=ConsentPurpose.HEALTH_DATA, now=NOW)
    with pytest.raises(PermissionDenied) as info:
        draft_create(owner=user, now=NOW)
    assert info.value.code == "clients_only"


def test_after_an_urgent_result_a_new_draft_needs_the_attestation(owner):
    urgent = filled(owner, warning_signs={"red_flags": all_no(U1=True)})
    row = draft_submit(owner=owner, draft_public_id=urgent.public_id, now=later(10))
    assert row.triage_level == "URGENT"
    with pytest.raises(PermissionDenied) as info:
        draft_create(owner=owner, now=later(11))
    assert info.value.code == "clinician_attestation_required"
    services.attestation_record(owner=owner, assessment_public_id=row.public_id, now=later(12))
    assert draft_create(owner=owner, now=later(13)).is_open


def test_another_persons_draft_does_not_exist_and_the_attempt_is_audited(owner, other_client):
    draft = filled(owner)
    consent_give(user=other_client, purpose=ConsentPurpose.HEALTH_DATA, now=NOW)
    with pytest.raises(NotFound):
        draft_get_for_owner(user=other_client, public_id=draft.public_id)
    event = AuditEvent.objects.get(object_type="assessment_draft")
    assert event.object_id == str(draft.public_id)
    for call in (
        lambda: draft_save_step(
            owner=other_client, draft_public_id=draft.public_id, step="pain", data=PAIN, now=NOW
        ),
        lambda: draft_submit(owner=other_client, draft_public_id=draft.public_id, now=NOW),
        lambda: draft_discard(owner=other_client, draft_public_id=draft.public_id),
    ):
        with pytest.raises(NotFound):
            call()
    assert draft_get_for_owner(user=owner, public_id=str(draft.public_id)) == draft
    with pytest.raises(NotFound):
        draft_get_for_owner(user=owner, public_id="not-a-uuid")


def test_open_drafts_are_listed_most_recently_saved_first_and_discard_deletes(owner):
    first = draft_create(owner=owner, now=NOW)
    second = draft_create(owner=owner, now=later(1))
    assert list(draft_list_open(owner=owner)) == [second, first]
    draft_save_step(
        owner=owner, draft_public_id=first.public_id, step="pain", data=PAIN, now=later(2)
    )
    assert list(draft_list_open(owner=owner)) == [first, second]
    draft_discard(owner=owner, draft_public_id=first.public_id)
    assert list(draft_list_open(owner=owner)) == [second]


def test_history_lists_rows_newest_first_in_two_queries(owner, django_assert_num_queries):
    from backrelief.assessment.selectors import assessment_history

    for minutes in (10, 20, 30):
        draft_submit(owner=owner, draft_public_id=filled(owner).public_id, now=later(minutes))
    with django_assert_num_queries(2):
        rows = assessment_history(owner=owner)
    assert [r.created_at for r in rows] == [later(30), later(20), later(10)]
    assert rows[0].primary_region == "LOWER_BACK"
    assert [s.instrument for s in rows[0].scores] == ["nprs", "odi"]
    assert rows[0].top_technique is not None
    assert rows[0].attested is False
