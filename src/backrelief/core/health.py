"""The list of models that hold health data or secrets about a person.

None of these may be registered in Django admin (test: core/tests/test_admin_health.py), and
every read of them by someone other than the owner goes through an `access` function that
audits. Each later capability adds its models here in the same commit that creates them.
"""

HEALTH_MODELS: tuple[str, ...] = (
    # Not health values themselves, but about them or secret; kept out of admin as well.
    "accounts.Consent",
    "accounts.TOTPDevice",
    "accounts.RecoveryCode",
    "accounts.ApiToken",
    "accounts.UserSession",
    "accounts.LoginFailure",
    "core.AuditEvent",
    "core.AuditPurgePermit",
    # Assessments (issue 3): intake, red-flag answers, questionnaire answers, results.
    "assessment.Assessment",
    "assessment.ClinicianAttestation",
    # Assessment drafts (issue 4): the same answers, saved step by step.
    "assessment.AssessmentDraft",
    # Bookings (issue 5): who sees which therapist, when; reviews may carry health details.
    "scheduling.Booking",
    # Issue 6: the outbox says who has a session when; idempotency records hold booking bodies.
    "scheduling.Notification",
    "scheduling.IdempotencyRecord",
    "therapists.Review",
    "therapists.ReviewReport",
    # Licence evidence and decisions are handled in the staff queue, audited, never in admin.
    "therapists.Licence",
    "therapists.Certification",
)
