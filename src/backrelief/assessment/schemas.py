"""JSON input and output for the assessment API (issue 4 item 5).

A step's body is one object whose fields are the step's own (`wizard.STEP_FIELDS`); the
schema lists every step field so OpenAPI clients see their names and shapes, but the values
are checked by the services with the assessment's parse helpers (errors name the field,
422), so a field sent to the wrong step or an unknown one is refused there, not here.
Results are the `backrelief assess --json` contract (README "Assessment from the command
line") plus the stored row's id, dates and checked inputs.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict

from backrelief.assessment.models import Assessment, AssessmentDraft, ClinicianAttestation
from backrelief.assessment.selectors import AssessmentComparison, HistoryRow
from backrelief.assessment.wizard import WIZARD_STEPS, asked_questionnaires, next_step

StepName = Literal["pain", "warning_signs", "conditions", "questionnaires", "preferences", "review"]


class StepIn(BaseModel):
    """The answers of one step. Send only the fields of the step named in the path."""

    model_config = ConfigDict(extra="allow")

    regions: dict[str, Any] | None = Field(
        None, description='pain: `{"LOWER_BACK": 6}`, DOMAIN §1.2 codes, whole numbers 0-10.'
    )
    primary_region: Any = Field(
        None, description="pain: the marked region that bothers you most (needed with several)."
    )
    pain_onset_date: Any = Field(None, description="pain: `YYYY-MM-DD`, today or earlier.")
    nprs: Any = Field(
        None, description="pain: overall pain 0-10 on average over the last 24 hours (NPRS)."
    )
    is_recurrent_episode: Any = Field(
        None, description="pain: has this pain happened before? true, false or null."
    )
    triggers: Any = Field(None, description="pain: list of trigger codes.")
    symptoms: Any = Field(None, description="pain: list of associated-symptom codes.")
    red_flags: dict[str, Any] | None = Field(
        None,
        description='warning_signs: every DOMAIN §2.2 question answered, `{"E1": false, …}`.',
    )
    conditions: Any = Field(
        None, description="conditions: codes or `{code, side, regions, qualifiers}` objects."
    )
    questionnaires: dict[str, Any] | None = Field(
        None,
        description='questionnaires: `{"odi": [item values, null unanswered]}` for the '
        "questionnaires asked for the main region (not nprs).",
    )
    preferences: dict[str, Any] | None = Field(
        None, description="preferences: `pressure`, `clothing`, `heat`."
    )
    goals: Any = Field(None, description="preferences: list of goal codes.")

    def answers(self) -> dict[str, Any]:
        """The fields actually sent (a null sent is kept: it clears that answer)."""
        return self.model_dump(exclude_unset=True)


class DraftOut(Schema):
    id: uuid.UUID = Field(description="The draft's public id.")
    created_at: dt.datetime
    updated_at: dt.datetime
    steps: list[str] = Field(description="The wizard's steps, in order.")
    completed_steps: list[str] = Field(description="Steps saved so far, in wizard order.")
    next_step: str = Field(description="The first step not saved yet (`review` when all are).")
    asked_questionnaires: list[str] = Field(
        description="Questionnaires asked for the main region chosen so far (nprs on `pain`)."
    )
    data: dict[str, Any] = Field(description="Answers so far, keyed like the assess contract.")
    submitted_assessment: uuid.UUID | None = Field(
        description="The stored assessment once submitted, else null."
    )

    @classmethod
    def from_row(cls, row: AssessmentDraft) -> DraftOut:
        submitted = row.submitted_assessment
        return cls(
            id=row.public_id,
            created_at=row.created_at,
            updated_at=row.updated_at,
            steps=list(WIZARD_STEPS),
            completed_steps=list(row.completed_steps),
            next_step=next_step(row.completed_steps),
            asked_questionnaires=list(asked_questionnaires(row.data.get("primary_region"))),
            data=dict(row.data),
            submitted_assessment=None if submitted is None else submitted.public_id,
        )


class AssessmentOut(Schema):
    """One stored assessment: the assess contract result, its checked inputs and versions."""

    id: uuid.UUID
    created_at: dt.datetime
    assessed_on: dt.date = Field(description="The person's local date it was made for.")
    triage: dict[str, Any]
    duration_class: str | None
    scores: dict[str, dict[str, Any]]
    techniques: list[dict[str, Any]]
    self_massage: dict[str, Any]
    questionnaires_to_track: list[str]
    next_steps: list[str]
    versions: dict[str, Any]
    inputs: dict[str, Any]

    @classmethod
    def from_row(cls, row: Assessment) -> AssessmentOut:
        result = row.result
        return cls(
            id=row.public_id,
            created_at=row.created_at,
            assessed_on=row.assessed_on,
            triage=result["triage"],
            duration_class=result.get("duration_class"),
            scores=result.get("scores", {}),
            techniques=result.get("techniques", []),
            self_massage=result.get("self_massage", {}),
            questionnaires_to_track=result.get("questionnaires_to_track", []),
            next_steps=result.get("next_steps", []),
            versions=dict(row.versions),
            inputs=dict(row.inputs),
        )


class ScoreSummaryOut(Schema):
    instrument: str
    name: str
    display: str | None
    band_label: str | None


class HistoryOut(Schema):
    id: uuid.UUID
    created_at: dt.datetime
    assessed_on: dt.date
    triage_level: str
    duration_class: str | None
    primary_region: str | None
    scores: list[ScoreSummaryOut] = Field(description="Questionnaires scored validly.")
    top_technique: str | None = Field(description="The first-ranked technique, if any.")
    attested: bool = Field(description="A clinician attestation was recorded after it.")

    @classmethod
    def from_row(cls, row: HistoryRow) -> HistoryOut:
        return cls(
            id=row.public_id,
            created_at=row.created_at,
            assessed_on=row.assessed_on,
            triage_level=row.triage_level,
            duration_class=row.duration_class or None,
            primary_region=row.primary_region,
            scores=[ScoreSummaryOut(**s.__dict__) for s in row.scores],
            top_technique=row.top_technique,
            attested=row.attested,
        )


class CompareQuery(Schema):
    a: uuid.UUID = Field(description="The baseline assessment's id (usually the older).")
    b: uuid.UUID = Field(description="The assessment compared with it.")


class TriageChangeOut(Schema):
    before: str
    after: str
    direction: Literal["less_restrictive", "more_restrictive", "same"]


class ScoreChangeOut(Schema):
    instrument: str
    name: str
    before: str | None
    after: str | None
    change: str | None = Field(description="Signed change, display precision.")
    percent: str | None = Field(description="Signed percent change; null at baseline 0.")
    direction: str | None = Field(description="improved / worsened / unchanged.")
    meaningful: bool | None = Field(description="Meets the MCID; null when there is none.")
    note: str | None


class TechniqueChangeOut(Schema):
    technique: str
    name: str
    rank_before: int | None
    rank_after: int | None
    action_before: str
    action_after: str
    movement: Literal["up", "down", "same", "new", "dropped", "not_offered"]


class CompareOut(Schema):
    a: HistoryOut
    b: HistoryOut
    triage: TriageChangeOut
    scores: list[ScoreChangeOut]
    techniques: list[TechniqueChangeOut]

    @classmethod
    def from_result(cls, result: AssessmentComparison) -> CompareOut:
        c = result.comparison
        return cls(
            a=HistoryOut.from_row(result.a),
            b=HistoryOut.from_row(result.b),
            triage=TriageChangeOut(**c.triage.as_dict()),
            scores=[ScoreChangeOut(**s.as_dict()) for s in c.scores],
            techniques=[TechniqueChangeOut(**t.as_dict()) for t in c.techniques],
        )


class AttestationOut(Schema):
    id: uuid.UUID = Field(description="The attestation's public id.")
    assessment: uuid.UUID = Field(description="The URGENT/EMERGENCY assessment it follows.")
    attested_at: dt.datetime
    statement: str = Field(description="What the person stated.")
    statement_version: str

    @classmethod
    def from_row(cls, row: ClinicianAttestation, *, statement: str) -> AttestationOut:
        return cls(
            id=row.public_id,
            assessment=row.assessment.public_id,
            attested_at=row.attested_at,
            statement=statement,
            statement_version=row.statement_version,
        )
