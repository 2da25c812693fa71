"""The audit service every app calls (issue 2 §8).

Rows carry opaque public ids only — never email, name or health values. Security events are
always recorded; health-data reads and writes are recorded whenever the actor is not the
owner. The request id and IP come from the per-request context.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Protocol

from django.db import connection, transaction
from django.utils import timezone

from backrelief.core import context
from backrelief.core.errors import Invalid
from backrelief.core.models import AuditEvent, AuditOutcome, AuditPurgePermit

# The closed list of actions; adding one is a reviewed code change.
SECURITY_ACTIONS = frozenset(
    {
        "login.success",
        "login.failure",
        "login.lockout",
        "logout",
        "session.ended",
        "session.ended_all",
        "session.expired",
        "mfa.enabled",
        "mfa.disabled",
        "mfa.success",
        "mfa.failure",
        "mfa.recovery_used",
        "mfa.recovery_regenerated",
        "password.changed",
        "password.reset_requested",
        "password.reset",
        "email.verified",
        "email.changed",
        "consent.given",
        "consent.withdrawn",
        "role.changed",
        "token.created",
        "token.revoked",
        "account.created",
        "profile.changed",
    }
)
# Therapist credentials, reviews and bookings (issue 5): decisions by staff and the evidence
# they looked at, so "who verified this licence, when" can always be answered.
THERAPIST_ACTIONS = frozenset(
    {
        "therapist.profile_created",
        "therapist.profile_changed",
        "therapist.service_changed",
        "licence.submitted",
        "licence.verified",
        "licence.rejected",
        "licence.reset_to_pending",
        "licence.evidence_read",
        "certification.submitted",
        "certification.verified",
        "certification.rejected",
        "certification.reset_to_pending",
        "certification.evidence_read",
        "review.created",
        "review.hidden",
        "review.unhidden",
        "review.reported",
        "review.reports_dismissed",
        "booking.completed",
        "booking.no_show",
        # availability management (issue 6 item 1)
        "availability.policy_changed",
        "availability.hours_changed",
        "availability.override_changed",
        "availability.time_off_added",
        "availability.time_off_removed",
    }
)
HEALTH_ACTIONS = frozenset({"health.read", "health.write", "health.export", "health.delete"})
ACTIONS = SECURITY_ACTIONS | HEALTH_ACTIONS | THERAPIST_ACTIONS


class HasPublicId(Protocol):
    public_id: uuid.UUID


def audit_record(
    *,
    action: str,
    actor: HasPublicId | None,
    subject: HasPublicId | None = None,
    object_type: str = "",
    object_id: str = "",
    outcome: str = AuditOutcome.ALLOWED,
    at: dt.datetime | None = None,
) -> AuditEvent:
    """Append one audit row. Unknown actions are a programming error, not user input."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}; add it to backrelief.core.audit.")
    ctx = context.current()
    return AuditEvent.objects.create(
        at=at or timezone.now(),
        actor_public_id=actor.public_id if actor is not None else None,
        subject_public_id=subject.public_id if subject is not None else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        outcome=outcome,
        ip=ctx.ip,
        request_id=ctx.request_id[:64],
    )


def audit_health_access(
    *,
    actor: HasPublicId,
    subject: HasPublicId,
    action: str,
    object_type: str,
    object_id: str,
    allowed: bool = True,
) -> AuditEvent | None:
    """Record a read/write of `subject`'s health data when the actor is someone else."""
    if action not in HEALTH_ACTIONS:
        raise ValueError(f"{action!r} is not a health-data action.")
    if actor.public_id == subject.public_id and allowed:
        return None
    return audit_record(
        action=action,
        actor=actor,
        subject=subject,
        object_type=object_type,
        object_id=object_id,
        outcome=AuditOutcome.ALLOWED if allowed else AuditOutcome.DENIED,
    )


@transaction.atomic
def audit_purge(*, retention_days: int, now: dt.datetime) -> int:
    """Delete audit rows older than the retention period; returns how many went.

    The delete trigger only lets rows through that are older than a permit written in this
    same transaction (docs/adr/0004-append-only-audit-log.md).
    """
    if retention_days < 365:
        raise Invalid(
            "Audit retention must be at least 365 days.",
            fields={"retention_days": ["Use 365 or more."]},
        )
    cutoff = now - dt.timedelta(days=retention_days)
    permit = AuditPurgePermit.objects.create(cutoff=cutoff, created_at=now)
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE at < %s", [cutoff])  # noqa: S608
        deleted = cursor.rowcount
    permit.delete()
    return int(deleted)
