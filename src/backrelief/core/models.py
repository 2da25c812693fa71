"""Shared tables: the append-only audit log.

The audit log is append-only on SQLite and PostgreSQL alike: triggers created in migration
0002 refuse UPDATE and DELETE, and `AuditEventQuerySet` refuses bulk changes. The only
deletion is `backrelief audit purge`, which inserts an `AuditPurgePermit` for a cut-off in the
same transaction; the delete trigger lets through only rows older than a live permit.
See docs/adr/0004-append-only-audit-log.md.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models


class AuditAppendOnlyError(RuntimeError):
    """Raised on any attempt to change or delete audit rows through the ORM."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditAppendOnlyError("The audit log is append-only; rows cannot be updated.")

    def delete(self) -> NoReturn:
        raise AuditAppendOnlyError(
            "The audit log is append-only; use 'backrelief audit purge' for retention."
        )

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditAppendOnlyError("The audit log is append-only; rows cannot be updated.")


class AuditOutcome(models.TextChoices):
    ALLOWED = "allowed", "allowed"
    DENIED = "denied", "denied"


class AuditEvent(models.Model):
    """One security event or one access to health data by someone other than its owner.

    Actor and subject are opaque public ids (never email or name); no health values.
    """

    at = models.DateTimeField(db_index=True)
    actor_public_id = models.UUIDField(null=True, blank=True, db_index=True)
    subject_public_id = models.UUIDField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=8, choices=AuditOutcome.choices)
    ip = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["subject_public_id", "at"], name="audit_subject_at"),
            models.Index(fields=["actor_public_id", "at"], name="audit_actor_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=["allowed", "denied"]), name="audit_outcome_valid"
            )
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditAppendOnlyError("The audit log is append-only; rows cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditAppendOnlyError(
            "The audit log is append-only; use 'backrelief audit purge' for retention."
        )

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%dT%H:%M:%SZ} {self.action} {self.outcome}"


class AuditPurgePermit(models.Model):
    """A transaction-scoped permission for the delete trigger: rows older than `cutoff`.

    Created and removed inside the single transaction of `audit_purge`.
    """

    cutoff = models.DateTimeField()
    created_at = models.DateTimeField()
