"""Wizard pages and "My assessments" (issue 4 items 2 and 4): wiring only — the service rules
are tested in test_services_drafts.py. Plain POST with redirect (no JavaScript), the htmx
partial with a pushed URL, errors named as the service names them, Back saves, owner only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from backrelief.accounts.models import ConsentPurpose
from backrelief.accounts.services.consent import consent_give
from backrelief.assessment.data.red_flags import QUESTION_IDS
from backrelief.assessment.services import draft_create

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "wizard"}
PAIN = {
    "region_NECK": "on",
    "intensity_NECK": "6",
    "primary_region": "NECK",
    "nprs": "5",
    "action": "next",
}


def consented(user):
    consent_give(user=user, purpose=ConsentPurpose.HEALTH_DATA, now=NOW - dt.timedelta(days=1))
    return user


def step(draft, name):
    return reverse("assessment:draft_step", args=[draft.public_id, name])


@pytest.fixture
def draft(client, client_user):
    consented(client_user)
    client.force_login(client_user)
    return draft_create(owner=client_user, now=NOW)


def test_starting_is_a_post_that_opens_the_pain_step(client, client_user):
    consented(client_user)
    client.force_login(client_user)
    assert client.get(reverse("assessment:draft_start")).status_code == 200
    response = client.post(reverse("assessment:draft_start"))
    assert response.status_code == 302
    assert response["Location"].endswith("/pain/")


def test_starting_without_consent_says_what_to_do(client, client_user):
    client.force_login(client_user)
    response = client.post(reverse("assessment:draft_start"))
    assert response.status_code == 422
    assert reverse("accounts:consent") in response.content.decode()


def test_a_plain_post_saves_and_redirects_to_the_next_step(client, draft):
    response = client.post(step(draft, "pain"), PAIN)
    assert response.status_code == 302
    assert response["Location"] == step(draft, "warning_signs")
    page = client.get(step(draft, "pain")).content.decode()
    assert 'id="region-NECK" name="region_NECK" checked' in page
    assert 'value="6"' in page


def test_htmx_gets_the_next_step_partial_and_the_url_to_push(client, draft):
    response = client.post(step(draft, "pain"), PAIN, **HTMX)
    assert response.status_code == 200
    assert response["HX-Push-Url"] == step(draft, "warning_signs")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="wizard"')
    assert "<html" not in body


def test_back_saves_too(client, draft):
    client.post(step(draft, "pain"), PAIN)
    answers = {f"red_flag_{q}": "no" for q in QUESTION_IDS} | {"action": "back"}
    response = client.post(step(draft, "warning_signs"), answers)
    assert response["Location"] == step(draft, "pain")
    page = client.get(step(draft, "warning_signs")).content.decode()
    assert page.count("checked") == len(QUESTION_IDS)


def test_warning_signs_are_not_pre_answered_and_a_missing_one_is_named(client, draft):
    page = client.get(step(draft, "warning_signs")).content.decode()
    assert "checked" not in page.split('<ol class="question-list">', 1)[1]
    answers = {f"red_flag_{q}": "no" for q in QUESTION_IDS if q != "S3"}
    response = client.post(step(draft, "warning_signs"), answers)
    assert response.status_code == 422
    body = response.content.decode()
    assert 'href="#f-red_flags-S3"' in body
    assert 'id="f-red_flags-S3-error"' in body


def test_field_errors_sit_next_to_the_field_named_by_the_service(client, draft):
    response = client.post(step(draft, "pain"), {**PAIN, "primary_region": "LOWER_BACK"})
    assert response.status_code == 422
    assert 'id="f-primary_region-error"' in response.content.decode()
    response = client.post(step(draft, "pain"), {**PAIN, "intensity_NECK": "eleven"}, **HTMX)
    assert response.status_code == 200  # htmx swaps 2xx only
    assert 'id="f-regions-NECK-error"' in response.content.decode()


def test_review_submits_to_the_result_page(client, draft):
    client.post(step(draft, "pain"), PAIN)
    client.post(step(draft, "warning_signs"), {f"red_flag_{q}": "no" for q in QUESTION_IDS})
    client.post(step(draft, "conditions"), {})
    client.post(step(draft, "questionnaires"), {})
    client.post(step(draft, "preferences"), {})
    response = client.post(step(draft, "review"), {"action": "submit"})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    # the draft is closed: its steps lead to the result
    assert client.get(step(draft, "pain"))["Location"] == response["Location"]


def test_submitting_an_incomplete_draft_names_the_steps(client, draft):
    response = client.post(step(draft, "review"), {"action": "submit"})
    assert response.status_code == 422
    assert 'href="#f-steps-pain"' in response.content.decode()


def test_other_people_get_404_and_anonymous_the_login(client, draft, other_client, therapist):
    for person in (other_client, therapist):
        client.force_login(person)
        assert client.get(step(draft, "pain")).status_code == 404
        assert client.post(step(draft, "pain"), PAIN).status_code == 404
    client.logout()
    assert client.get(step(draft, "pain"))["Location"].startswith("/accounts/login/")


def test_unknown_step_is_a_404(client, draft):
    assert client.get(step(draft, "pain").replace("pain", "nope")).status_code == 404


def test_my_assessments_lists_open_drafts_with_resume(client, draft):
    client.post(step(draft, "pain"), PAIN)
    page = client.get(reverse("assessment:assessment_list")).content.decode()
    assert step(draft, "warning_signs") in page
    assert "Resume" in page


def test_discarding_a_draft_removes_it_from_the_list(client, draft):
    response = client.post(reverse("assessment:draft_discard", args=[draft.public_id]))
    assert response["Location"] == reverse("assessment:assessment_list")
    assert step(draft, "pain") not in client.get(response["Location"]).content.decode()


def test_a_questionnaire_left_blank_is_not_stored_as_answered(client, draft):
    client.post(step(draft, "pain"), PAIN)
    client.post(step(draft, "questionnaires"), {"q_ndi_1": "2"})
    draft.refresh_from_db()
    assert set(draft.data["questionnaires"]) == {"nprs", "ndi"}
