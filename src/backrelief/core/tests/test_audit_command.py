"""`backrelief audit purge` (issue 2 §8, §13): the only deletion of audit rows, past retention."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import override_settings

from backrelief.core.audit import audit_record
from backrelief.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)


def _row(user, days_ago):
    return audit_record(
        action="login.success", actor=user, subject=user, at=NOW - dt.timedelta(days=days_ago)
    )


def _run(*args):
    out = io.StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


@time_machine.travel(NOW, tick=False)
def test_purge_deletes_rows_older_than_the_given_retention(client_user):
    old = _row(client_user, 400)
    kept = _row(client_user, 300)
    out = _run("purge", "--retention-days", "365")
    assert "Deleted 1 audit rows older than 2025-11-21T12:00:00Z (365 days)." in out
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()


@time_machine.travel(NOW, tick=False)
@override_settings(AUDIT_RETENTION_DAYS=730)
def test_purge_defaults_to_the_configured_retention(client_user):
    _row(client_user, 731)
    kept = _row(client_user, 729)
    assert "Deleted 1 audit rows" in _run("purge")
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [kept.pk]


@time_machine.travel(NOW, tick=False)
def test_dry_run_counts_and_deletes_nothing(client_user):
    _row(client_user, 800)
    _row(client_user, 700)
    _row(client_user, 10)
    out = _run("purge", "--retention-days", "500", "--dry-run")
    assert "Dry run: 2 audit rows older than" in out
    assert "nothing was deleted" in out
    assert AuditEvent.objects.count() == 3


@pytest.mark.parametrize("extra", [[], ["--dry-run"]])
def test_retention_under_a_year_is_refused(client_user, extra):
    _row(client_user, 800)
    with pytest.raises(CommandError, match="at least 365 days"):
        _run("purge", "--retention-days", "30", *extra)
    assert AuditEvent.objects.count() == 1


def test_a_subcommand_is_required():
    with pytest.raises(CommandError):
        _run()
