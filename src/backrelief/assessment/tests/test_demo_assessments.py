"""Demo assessments (issue 4 item 7): every triage level of the story, the attestation, one open
draft, the demo client may start again; reproducible and idempotent through `demo_load`."""

from __future__ import annotations

import datetime as dt

import pytest

from backrelief.accounts.models import User
from backrelief.assessment.models import Assessment, AssessmentDraft, ClinicianAttestation
from backrelief.assessment.selectors import assessment_compare, assessment_history, draft_list_open
from backrelief.assessment.services import draft_create
from backrelief.core.demo import PERSONAS
from backrelief.core.services.demo import demo_load

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


def demo_client():
    return User.objects.get(email__iexact=PERSONAS[0].email)


def test_the_demo_client_has_a_story_across_triage_levels():
    demo_load(size="small", seed=42, now=NOW)
    client = demo_client()
    history = assessment_history(owner=client)
    assert [row.triage_level for row in history] == [
        "NONE_REPORTED",
        "SOON",
        "URGENT",
        "NONE_REPORTED",
    ]
    latest, _soon, urgent, first = history
    assert latest.top_technique is not None
    assert {s.instrument for s in latest.scores} >= {"nprs", "odi"}
    assert urgent.attested
    assert ClinicianAttestation.objects.filter(owner=client).count() == 1
    assert [d.data["questionnaires"] for d in draft_list_open(owner=client)] == [{"nprs": [4]}]
    change = assessment_compare(
        owner=client, a_public_id=first.public_id, b_public_id=latest.public_id
    )
    nprs = next(s for s in change.comparison.scores if s.instrument == "nprs")
    assert nprs.direction == "improved"
    assert nprs.meaningful is True
    # The latest result needs no attestation: the demo client can start a new assessment.
    assert draft_create(owner=client, now=NOW).is_open


def test_loading_again_adds_nothing_and_is_reproducible():
    demo_load(size="small", seed=42, now=NOW)
    first = list(Assessment.objects.values_list("inputs", "result", "triage_level"))
    demo_load(size="small", seed=42, now=NOW)
    assert Assessment.objects.count() == 4
    assert AssessmentDraft.objects.count() == 1
    assert list(Assessment.objects.values_list("inputs", "result", "triage_level")) == first
