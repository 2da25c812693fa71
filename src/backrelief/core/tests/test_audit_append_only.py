"""The audit log refuses UPDATE and DELETE — through the ORM and through raw SQL — on both
SQLite and PostgreSQL; only `audit_purge` deletes, and only rows past retention."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from backrelief.core.audit import audit_purge, audit_record
from backrelief.core.errors import Invalid
from backrelief.core.models import AuditAppendOnlyError, AuditEvent

# Not transactional: the triggers would also (rightly) refuse the flush between tests.
pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)


def _row(user, at=NOW):
    return audit_record(action="login.success", actor=user, subject=user, at=at)


def test_raw_sql_update_is_refused_by_the_database(client_user):
    row = _row(client_user)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditevent SET action = 'x' WHERE id = %s", [row.pk])
    assert AuditEvent.objects.get(pk=row.pk).action == "login.success"


def test_raw_sql_delete_is_refused_by_the_database(client_user):
    row = _row(client_user)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [row.pk])
    assert AuditEvent.objects.filter(pk=row.pk).exists()


def test_orm_bulk_changes_are_refused(client_user):
    row = _row(client_user)
    with pytest.raises(AuditAppendOnlyError):
        AuditEvent.objects.filter(pk=row.pk).update(action="x")
    with pytest.raises(AuditAppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditAppendOnlyError):
        row.save()
    with pytest.raises(AuditAppendOnlyError):
        row.delete()


def test_purge_deletes_only_rows_older_than_retention(client_user):
    old = _row(client_user, at=NOW - dt.timedelta(days=800))
    recent = _row(client_user, at=NOW - dt.timedelta(days=10))
    deleted = audit_purge(retention_days=730, now=NOW)
    assert deleted == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=recent.pk).exists()
    # the permit does not outlive the purge: a raw delete is refused again
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [recent.pk])


def test_purge_refuses_retention_under_a_year():
    with pytest.raises(Invalid):
        audit_purge(retention_days=30, now=NOW)


def test_unknown_action_is_a_programming_error(client_user):
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit_record(action="nope", actor=client_user)
