"""The assessment API at /api/v1/assessments (issue 4 item 5): wiring, the persona matrix,
odd JSON never a server error, CSRF on every write, result and history shapes."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import get_args

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from backrelief.accounts.models import ConsentPurpose
from backrelief.accounts.services.consent import consent_give
from backrelief.accounts.tests.mfa_helpers import sign_in, sign_in_staff
from backrelief.assessment.models import Assessment, AssessmentDraft
from backrelief.assessment.schemas import StepName
from backrelief.assessment.tests.assess_inputs import all_no
from backrelief.assessment.tests.test_services_drafts import STEPS
from backrelief.assessment.wizard import WIZARD_STEPS
from backrelief.core.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = "/api/v1/assessments"
DRAFTS = f"{URL}/drafts"
NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def _client(user, *, consent=True):
    if consent:
        consent_give(user=user, purpose=ConsentPurpose.HEALTH_DATA, now=timezone.now())
    client = Client()
    if user.is_staff_role:
        sign_in_staff(client, user)
    else:
        sign_in(client, user)
    return client


def _put(client, draft_id, step, body):
    return client.put(f"{DRAFTS}/{draft_id}/steps/{step}", body, content_type="application/json")


def _submitted(client, **override):
    draft_id = client.post(DRAFTS).json()["id"]
    for step, body in {**STEPS, **override}.items():
        response = _put(client, draft_id, step, body)
        assert response.status_code == 200, response.content
    response = client.post(f"{DRAFTS}/{draft_id}/submit")
    assert response.status_code == 201, response.content
    return draft_id, response.json()


def test_the_step_names_in_the_schema_are_the_wizards():
    assert get_args(StepName) == WIZARD_STEPS


def test_a_client_completes_an_assessment_step_by_step(client_user):
    client = _client(client_user)
    created = client.post(DRAFTS)
    assert created.status_code == 201, created.content
    draft = created.json()
    assert draft["steps"] == list(WIZARD_STEPS)
    assert draft["next_step"] == "pain"
    assert draft["completed_steps"] == []
    for step, body in STEPS.items():
        response = _put(client, draft["id"], step, body)
        assert response.status_code == 200, response.content
    body = client.get(f"{DRAFTS}/{draft['id']}").json()
    assert body["next_step"] == "review"
    assert "odi" in body["asked_questionnaires"]
    assert [d["id"] for d in client.get(DRAFTS).json()] == [draft["id"]]

    submitted = client.post(f"{DRAFTS}/{draft['id']}/submit")
    assert submitted.status_code == 201, submitted.content
    result = submitted.json()
    assert result["triage"]["level"] == "NONE_REPORTED"
    assert {"duration_class", "scores", "techniques", "versions", "next_steps"} <= set(result)
    assert 1 in {t["rank"] for t in result["techniques"]}
    assert client.get(DRAFTS).json() == []
    assert client.get(f"{DRAFTS}/{draft['id']}").json()["submitted_assessment"] == result["id"]

    again = client.post(f"{DRAFTS}/{draft['id']}/submit")
    assert again.status_code == 409
    assert again.json()["code"] == "draft_submitted"

    fetched = client.get(f"{URL}/{result['id']}")
    assert fetched.status_code == 200
    assert fetched.json()["techniques"] == result["techniques"]
    history = client.get(URL).json()
    assert [row["id"] for row in history] == [result["id"]]
    assert history[0]["triage_level"] == "NONE_REPORTED"
    assert {s["instrument"] for s in history[0]["scores"]} == {"nprs", "odi"}


def test_validation_errors_name_the_field_and_leave_the_draft_unchanged(client_user):
    client = _client(client_user)
    draft_id = client.post(DRAFTS).json()["id"]
    answers = all_no()
    del answers["S3"]
    response = _put(client, draft_id, "warning_signs", {"red_flags": answers})
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["red_flags.S3"]
    response = _put(client, draft_id, "pain", {"regions": {"LOWER_BACK": 99}, "extra": 1})
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"regions.LOWER_BACK", "extra"}
    assert client.get(f"{DRAFTS}/{draft_id}").json()["data"] == {}
    incomplete = client.post(f"{DRAFTS}/{draft_id}/submit")
    assert incomplete.status_code == 422
    assert incomplete.json()["code"] == "draft_incomplete"
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "[1, 2]",
        "null",
        "17",
        '"text"',
        '{"regions": [1]}',
        '{"regions": {"LOWER_BACK": 1e308}}',
        '{"regions": {"LOWER_BACK": 123456789012345678901234567890}}',
        '{"nprs": -1e400}',
        '{"primary_region": {"a": []}}',
        '{"pain_onset_date": 20260101}',
        '{"triggers": {"a": 1}}',
        '{"symptoms": "neck"}',
        '{"red_flags": null}',
        '{"unknown": null}',
        "not json",
        "",
    ],
)
def test_odd_json_is_refused_never_a_server_error(client_user, body):
    client = _client(client_user)
    draft_id = client.post(DRAFTS).json()["id"]
    for step in WIZARD_STEPS:
        response = client.put(
            f"{DRAFTS}/{draft_id}/steps/{step}", body, content_type="application/json"
        )
        assert response.status_code in (200, 400, 422), (step, body, response.content)
    assert client.post(f"{DRAFTS}/{draft_id}/submit").status_code == 422


def test_an_unknown_step_is_a_422(client_user):
    client = _client(client_user)
    draft_id = client.post(DRAFTS).json()["id"]
    response = _put(client, draft_id, "nonsense", {})
    assert response.status_code == 422
    assert "step" in response.json()["fields"]


def test_another_persons_draft_and_assessment_do_not_exist(client_user, other_client):
    owner = _client(client_user)
    _, result = _submitted(owner)
    open_id = owner.post(DRAFTS).json()["id"]
    other = _client(other_client)
    assert other.get(f"{DRAFTS}/{open_id}").status_code == 404
    assert _put(other, open_id, "pain", STEPS["pain"]).status_code == 404
    assert other.post(f"{DRAFTS}/{open_id}/submit").status_code == 404
    assert other.delete(f"{DRAFTS}/{open_id}").status_code == 404
    assert other.get(f"{URL}/{result['id']}").status_code == 404
    compare = other.get(f"{URL}/compare", {"a": result["id"], "b": result["id"]})
    assert compare.status_code == 404
    assert other.get(DRAFTS).json() == []
    assert other.get(URL).json() == []
    denied = AuditEvent.objects.filter(actor_public_id=other_client.public_id, outcome="denied")
    assert denied.filter(object_type="assessment_draft").count() == 4
    assert denied.filter(object_type="assessment").exists()
    assert AssessmentDraft.objects.get(public_id=open_id).data == {}
    # An id that never existed answers the same.
    assert owner.get(f"{DRAFTS}/{uuid.uuid4()}").status_code == 404
    assert owner.get(f"{URL}/{uuid.uuid4()}").status_code == 404


@pytest.mark.parametrize("role", ["therapist", "staff"])
def test_therapists_and_staff_see_empty_lists_and_may_not_start(make_user, role):
    client = _client(make_user(role))
    assert client.get(URL).json() == []
    assert client.get(DRAFTS).json() == []
    response = client.post(DRAFTS)
    assert response.status_code == 403
    assert response.json()["code"] == "clients_only"


def test_without_consent_a_draft_is_refused(client_user):
    client = _client(client_user, consent=False)
    response = client.post(DRAFTS)
    assert response.status_code == 403
    assert response.json()["code"] == "consent_required"


def test_anonymous_callers_get_401():
    client = Client()
    some = uuid.uuid4()
    for method, url in [
        ("get", URL),
        ("get", DRAFTS),
        ("post", DRAFTS),
        ("get", f"{DRAFTS}/{some}"),
        ("put", f"{DRAFTS}/{some}/steps/pain"),
        ("post", f"{DRAFTS}/{some}/submit"),
        ("delete", f"{DRAFTS}/{some}"),
        ("get", f"{URL}/{some}"),
        ("get", f"{URL}/compare?a={some}&b={some}"),
        ("post", f"{URL}/{some}/attestation"),
    ]:
        response = client.generic(method.upper(), url, "{}", content_type="application/json")
        assert response.status_code == 401, (method, url)


def test_session_writes_need_the_csrf_token(client_user):
    consent_give(user=client_user, purpose=ConsentPurpose.HEALTH_DATA, now=NOW)
    client = Client(enforce_csrf_checks=True)
    sign_in(client, client_user)
    assert client.post(DRAFTS).status_code == 403
    assert not AssessmentDraft.objects.exists()
    token = "k" * 32  # an unmasked secret, as the cookie holds it
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    response = client.post(DRAFTS, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


def test_discard_deletes_an_open_draft(client_user):
    client = _client(client_user)
    draft_id = client.post(DRAFTS).json()["id"]
    assert client.delete(f"{DRAFTS}/{draft_id}").status_code == 204
    assert client.get(f"{DRAFTS}/{draft_id}").status_code == 404
    assert not AssessmentDraft.objects.exists()


def test_compare_reports_score_triage_and_rank_changes(client_user):
    client = _client(client_user)
    _, first = _submitted(client, pain={**STEPS["pain"], "nprs": 8})
    _, second = _submitted(
        client,
        pain={**STEPS["pain"], "nprs": 3},
        warning_signs={"red_flags": all_no(S2=True)},
    )
    response = client.get(f"{URL}/compare", {"a": first["id"], "b": second["id"]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["a"]["id"] == first["id"]
    assert body["triage"] == {
        "before": "NONE_REPORTED",
        "after": "SOON",
        "direction": "more_restrictive",
    }
    nprs = next(s for s in body["scores"] if s["instrument"] == "nprs")
    assert nprs["before"] == "8"
    assert nprs["after"] == "3"
    assert nprs["change"] == "-5"
    assert nprs["direction"] == "improved"
    assert nprs["meaningful"] is True
    odi = next(s for s in body["scores"] if s["instrument"] == "odi")
    assert odi["change"] == "0.0" or odi["direction"] == "unchanged"
    moves = {t["technique"]: t["movement"] for t in body["techniques"]}
    assert moves["deep_tissue"] == "dropped"  # SOON allows light Swedish massage only
    assert len(moves) == 6
    bad = client.get(f"{URL}/compare", {"a": "x", "b": second["id"]})
    assert bad.status_code == 422


def test_after_an_urgent_result_the_attestation_lets_a_new_assessment_start(
    client_user, other_client
):
    client = _client(client_user)
    _, urgent = _submitted(client, warning_signs={"red_flags": all_no(U1=True)})
    assert urgent["triage"]["level"] == "URGENT"
    blocked = client.post(DRAFTS)
    assert blocked.status_code == 403
    assert blocked.json()["code"] == "clinician_attestation_required"
    assert _client(other_client).post(f"{URL}/{urgent['id']}/attestation").status_code == 404
    response = client.post(f"{URL}/{urgent['id']}/attestation")
    assert response.status_code == 200, response.content
    assert response.json()["assessment"] == urgent["id"]
    assert client.post(f"{URL}/{urgent['id']}/attestation").json() == response.json()
    assert client.post(DRAFTS).status_code == 201
    assert client.get(URL).json()[0]["attested"] is True


def test_an_attestation_after_a_calm_result_is_a_conflict(client_user):
    client = _client(client_user)
    _, calm = _submitted(client)
    assert client.post(f"{URL}/{calm['id']}/attestation").status_code == 409
