"""Reads of stored assessments and drafts (issue 3 item 7, issue 4 items 2 and 4). Callers have
already decided who may read: these take the owner, never a foreign user (`access.py` is the
gate for anyone else; `assessment_compare` goes through it for the two ids it is given)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import QuerySet

from backrelief.accounts.models import User
from backrelief.assessment.access import assessment_get_for_view
from backrelief.assessment.compare import Comparison, compare
from backrelief.assessment.instruments import INSTRUMENT_CODES, INSTRUMENTS
from backrelief.assessment.models import Assessment, AssessmentDraft, ClinicianAttestation


def assessment_list_for_owner(*, owner: User) -> QuerySet[Assessment]:
    """The person's assessments, newest first (ties by insertion order, newest first)."""
    return Assessment.objects.filter(owner=owner).order_by("-created_at", "-id")


def assessment_latest_for_owner(*, owner: User) -> Assessment | None:
    """The person's latest assessment, or None before the first one."""
    return assessment_list_for_owner(owner=owner).first()


def attestation_for(*, assessment: Assessment) -> ClinicianAttestation | None:
    """The clinician attestation recorded after `assessment`, if any."""
    return ClinicianAttestation.objects.filter(
        assessment=assessment, attested_at__gte=assessment.created_at
    ).first()


def draft_list_open(*, owner: User) -> QuerySet[AssessmentDraft]:
    """The person's drafts not submitted yet, most recently saved first."""
    return AssessmentDraft.objects.filter(owner=owner, submitted_assessment__isnull=True).order_by(
        "-updated_at", "-id"
    )


@dataclass(frozen=True)
class ScoreSummary:
    instrument: str
    name: str
    display: str | None
    band_label: str | None


@dataclass(frozen=True)
class HistoryRow:
    """One past assessment as the history list shows it (issue 4 item 4)."""

    public_id: uuid.UUID
    created_at: dt.datetime
    assessed_on: dt.date
    triage_level: str
    duration_class: str
    primary_region: str | None
    scores: tuple[ScoreSummary, ...]  # valid scores only, in instrument order
    top_technique: str | None  # rank 1, None when nothing may be offered
    attested: bool


def _history_row(row: Assessment, attested: set[int]) -> HistoryRow:
    stored = row.result.get("scores") or {}
    # In instrument order: PostgreSQL's jsonb does not keep the stored key order.
    scores = tuple(
        ScoreSummary(
            instrument=code,
            name=INSTRUMENTS[code].name,
            display=stored[code].get("display"),
            band_label=stored[code].get("band_label"),
        )
        for code in INSTRUMENT_CODES
        if code in stored and stored[code].get("valid")
    )
    top = next((t for t in row.result.get("techniques", []) if t.get("rank") == 1), None)
    return HistoryRow(
        public_id=row.public_id,
        created_at=row.created_at,
        assessed_on=row.assessed_on,
        triage_level=row.triage_level,
        duration_class=row.duration_class,
        primary_region=row.inputs.get("primary_region"),
        scores=scores,
        top_technique=None if top is None else top["technique"],
        attested=row.pk in attested,
    )


def assessment_history(*, owner: User) -> list[HistoryRow]:
    """The person's past assessments, newest first, with date, triage level, valid scores,
    the first-ranked technique and whether a clinician attestation was recorded. Two queries
    whatever the length."""
    rows = list(assessment_list_for_owner(owner=owner))
    attested = set(
        ClinicianAttestation.objects.filter(assessment__in=rows).values_list(
            "assessment_id", flat=True
        )
    )
    return [_history_row(row, attested) for row in rows]


@dataclass(frozen=True)
class AssessmentComparison:
    a: HistoryRow
    b: HistoryRow
    comparison: Comparison


def assessment_compare(
    *, owner: User, a_public_id: uuid.UUID | str, b_public_id: uuid.UUID | str
) -> AssessmentComparison:
    """What changed from assessment `a` (the baseline) to `b` (`compare.compare`): per
    questionnaire score changes with the meaningful-change flags, the triage change and
    technique rank changes. Both must be `owner`'s: anyone else's is NotFound, and the
    attempt is audited (`access.assessment_get_for_view`)."""
    a = assessment_get_for_view(user=owner, public_id=a_public_id)
    b = assessment_get_for_view(user=owner, public_id=b_public_id)
    attested = set(
        ClinicianAttestation.objects.filter(assessment__in=[a, b]).values_list(
            "assessment_id", flat=True
        )
    )
    return AssessmentComparison(
        a=_history_row(a, attested),
        b=_history_row(b, attested),
        comparison=compare(a.result, b.result, a_inputs=a.inputs, b_inputs=b.inputs),
    )
