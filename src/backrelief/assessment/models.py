"""Stored assessments and clinician attestations (issue 3 item 7). Health data: never in Django
admin (core/health.py), read by others only through `assessment/access.py`, which audits.

An assessment row is written once and never edited (DOMAIN §2.1: store each screening with
its timestamp and rule versions for audit); a new screening is a new row.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models

from backrelief.accounts.models import User
from backrelief.assessment.duration import DurationClass
from backrelief.assessment.triage import TriageLevel
from backrelief.assessment.wizard import WIZARD_STEPS

TRIAGE_LEVELS = [(str(level), str(level)) for level in TriageLevel]
DURATION_CLASSES = [(str(c), str(c)) for c in DurationClass]


class Assessment(models.Model):
    """One assessment: the checked inputs (intake, red-flag answers, questionnaire answers),
    the recommendation shown and every rule/table version it was made with."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assessments")
    created_at = models.DateTimeField()
    # The person's local calendar date the duration class was computed for (DOMAIN §1.1).
    assessed_on = models.DateField()
    inputs = models.JSONField()
    result = models.JSONField()
    versions = models.JSONField()
    triage_level = models.CharField(max_length=16, choices=TRIAGE_LEVELS)
    # "" when the onset date was not given (duration unknown).
    duration_class = models.CharField(max_length=16, choices=DURATION_CLASSES, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="assessment_owner_newest")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(triage_level__in=[v for v, _ in TRIAGE_LEVELS]),
                name="assessment_triage_level_known",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_class="")
                | models.Q(duration_class__in=[v for v, _ in DURATION_CLASSES]),
                name="assessment_duration_class_known",
            ),
        ]

    def __str__(self) -> str:
        return str(self.public_id)


class ClinicianAttestation(models.Model):
    """The person's statement that a clinician has assessed them after a URGENT or EMERGENCY
    screening (DOMAIN §2.3, issue 3 item 4); it lets them screen again (`may_rescreen`)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="attestations")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="attestations"
    )
    attested_at = models.DateTimeField()
    statement_version = models.CharField(max_length=16)

    class Meta:
        ordering = ["-attested_at", "-id"]
        constraints = [
            models.UniqueConstraint("assessment", name="attestation_one_per_assessment"),
        ]

    def __str__(self) -> str:
        return str(self.public_id)


class AssessmentDraft(models.Model):
    """An assessment being filled in step by step (issue 4 item 2), saved at every step so
    closing the browser loses nothing. `data` holds the answers so far keyed like the `assess`
    contract; `completed_steps` the wizard steps saved (`wizard.WIZARD_STEPS`). A person may
    keep several open drafts (listed newest first); submitting links the stored assessment
    and closes the draft for good (docs/rules.md "Assessment drafts and history")."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assessment_drafts")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)
    completed_steps = models.JSONField(default=list, blank=True)
    submitted_assessment = models.OneToOneField(
        Assessment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="draft",
    )

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["owner", "-updated_at"], name="draft_owner_newest")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(updated_at__gte=models.F("created_at")),
                name="draft_updated_after_created",
            ),
        ]

    def __str__(self) -> str:
        return str(self.public_id)

    @property
    def is_open(self) -> bool:
        return self.submitted_assessment_id is None

    def clean(self) -> None:
        if not isinstance(self.data, dict):
            raise ValidationError({"data": "The draft's answers must be an object."})
        steps = self.completed_steps
        if not isinstance(steps, list) or any(s not in WIZARD_STEPS for s in steps):
            raise ValidationError({"completed_steps": "Only wizard step names may be listed."})
