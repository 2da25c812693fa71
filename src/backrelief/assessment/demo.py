"""Demo assessments for the demo client (issue 4 item 7), loaded by `core/services/demo.py`.

A reproducible story, timed relative to `now`: chronic lower back pain from desk work,
screened four times over twelve weeks — NONE_REPORTED (a ranked recommendation), URGENT
(answered "yes" to U6, then a clinician attestation a day later), SOON (S3) and NONE_REPORTED
again with lower scores, so history and compare have something to show — plus one open draft
with the pain step saved. Everything goes through the real services (consent, re-screen rule,
parse), so the rows are exactly what a person would have produced.

Idempotent: only loaded for a demo client with no assessment and no draft yet, and only while
their health-data consent is live; otherwise nothing is done (what they did since stays).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from backrelief.accounts.models import User
from backrelief.accounts.services.consent import consent_has_health_processing
from backrelief.assessment.data.red_flags import QUESTION_IDS
from backrelief.assessment.models import Assessment, AssessmentDraft
from backrelief.assessment.services import (
    assessment_create,
    attestation_record,
    draft_create,
    draft_save_step,
    local_date,
)

ONSET_DAYS_AGO = 200


def _red_flags(*yes: str) -> dict[str, bool]:
    return {qid: qid in yes for qid in QUESTION_IDS}


def _story(onset: str) -> list[tuple[int, dict[str, Any]]]:
    """(days before now, assess-contract input), oldest first."""
    base: dict[str, Any] = {
        "regions": {"LOWER_BACK": 7, "LEG_L": 2},
        "primary_region": "LOWER_BACK",
        "pain_onset_date": onset,
        "is_recurrent_episode": True,
        "triggers": ["SUSTAINED_POSTURE", "DESK_SCREEN_WORK"],
        "symptoms": ["stiffness", "muscle_tension"],
        "conditions": ["hypertension_controlled"],
        "preferences": {"pressure": "moderate", "clothing": "either", "heat": "likes"},
        "goals": ["pain_relief", "mobility"],
    }
    return [
        (
            84,
            {
                **base,
                "red_flags": _red_flags(),
                "questionnaires": {
                    "nprs": [7],
                    "odi": [3, 2, 2, 1, 2, 3, 2, 0, 2, 2],
                    "phq4": [1, 1, 1, 0],
                },
            },
        ),
        (
            56,
            {
                **base,
                "regions": {"LOWER_BACK": 9},
                "red_flags": _red_flags("U6"),
                "questionnaires": {"nprs": [9]},
            },
        ),
        (
            28,
            {
                **base,
                "red_flags": _red_flags("S3"),
                "questionnaires": {"nprs": [5], "odi": [2, 2, 1, 1, 2, 2, 1, 0, 1, 2]},
            },
        ),
        (
            3,
            {
                **base,
                "regions": {"LOWER_BACK": 3},
                "red_flags": _red_flags(),
                "questionnaires": {
                    "nprs": [3],
                    "odi": [1, 1, 1, 0, 1, 1, 1, 0, 1, 1],
                    "phq4": [0, 1, 0, 0],
                },
            },
        ),
    ]


@transaction.atomic
def demo_assessments_load(*, owner: User, now: dt.datetime) -> int:
    """Load the demo story for `owner` (see the module docstring); returns how many
    assessments were created (0 when skipped)."""
    if (
        Assessment.objects.filter(owner=owner).exists()
        or AssessmentDraft.objects.filter(owner=owner).exists()
        or not consent_has_health_processing(user=owner)
    ):
        return 0
    onset = (local_date(user=owner, now=now) - dt.timedelta(days=ONSET_DAYS_AGO)).isoformat()
    created = 0
    for days_ago, raw in _story(onset):
        at = now - dt.timedelta(days=days_ago)
        row = assessment_create(owner=owner, raw=raw, now=at)
        created += 1
        if row.triage_level == "URGENT":
            attestation_record(
                owner=owner, assessment_public_id=row.public_id, now=at + dt.timedelta(days=1)
            )
    started = now - dt.timedelta(days=1)
    draft = draft_create(owner=owner, now=started)
    draft_save_step(
        owner=owner,
        draft_public_id=draft.public_id,
        step="pain",
        data={
            "regions": {"LOWER_BACK": 4, "NECK": 2},
            "primary_region": "LOWER_BACK",
            "pain_onset_date": onset,
            "nprs": 4,
            "is_recurrent_episode": True,
            "triggers": ["DESK_SCREEN_WORK"],
            "symptoms": ["stiffness"],
        },
        now=started + dt.timedelta(minutes=3),
    )
    return created
