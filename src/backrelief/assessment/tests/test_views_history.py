"""History and compare pages (issue 4 item 4): wiring only (the comparison rules are tested in
test_compare.py): the list shows date, triage and main scores; compare needs two different
assessments of one's own; anyone else's is a 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from backrelief.accounts.models import ConsentPurpose
from backrelief.accounts.services.consent import consent_give
from backrelief.assessment.services import assessment_create
from backrelief.assessment.tests.assess_inputs import raw_input

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def two(client_user):
    consent_give(user=client_user, purpose=ConsentPurpose.HEALTH_DATA, now=NOW)
    first = assessment_create(
        owner=client_user,
        raw=raw_input(questionnaires={"nprs": [7]}),
        now=NOW + dt.timedelta(minutes=1),
    )
    second = assessment_create(
        owner=client_user,
        raw=raw_input(questionnaires={"nprs": [3]}),
        now=NOW + dt.timedelta(days=14),
    )
    return first, second


def test_the_list_shows_date_triage_and_main_scores(client, client_user, two):
    client.force_login(client_user)
    body = client.get(reverse("assessment:assessment_list")).content.decode()
    for row in two:
        assert reverse("assessment:assessment_result", args=[row.public_id]) in body
    assert "No warning signs reported" in body
    assert "Numeric Pain Rating Scale: 3 (mild pain)" in body
    assert 'name="a"' in body
    assert 'name="b"' in body


def test_compare_shows_what_changed(client, client_user, two):
    first, second = two
    client.force_login(client_user)
    url = reverse("assessment:assessment_compare")
    response = client.get(url, {"a": first.public_id, "b": second.public_id})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Numeric Pain Rating Scale" in body
    assert "a change people usually notice" in body
    assert "Swedish massage" in body


def test_compare_needs_two_different_assessments(client, client_user, two):
    client.force_login(client_user)
    url = reverse("assessment:assessment_compare")
    assert client.get(url, {"a": two[0].public_id, "b": two[0].public_id}).status_code == 400
    assert client.get(url).status_code == 400


def test_someone_elses_assessment_cannot_be_compared(client, other_client, two):
    client.force_login(other_client)
    url = reverse("assessment:assessment_compare")
    assert client.get(url, {"a": two[0].public_id, "b": two[1].public_id}).status_code == 404
