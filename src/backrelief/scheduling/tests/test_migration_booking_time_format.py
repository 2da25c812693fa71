"""The no-overlap guard cannot be side-stepped by how a time is written (migration 0006).

SQLite has no datetime type: the 0004 triggers compare the text Django writes
('YYYY-MM-DD HH:MM:SS[.ffffff]', which sorts in time order). A raw-SQL insert of the same
instants as ISO 8601 with a 'T' ('2026-03-02T09:30:00') compared wrongly (' ' < 'T'), so an
overlapping active booking went in — and, once in, it also fooled the overlap check of every
later booking and the ORM's own range filters. Migration 0006 refuses, on SQLite, any start,
end or blocked_until not in Django's form; PostgreSQL parses every spelling into timestamptz,
so its exclusion constraint needs nothing more. Runs on both backends (`db` marker)."""

from __future__ import annotations

import importlib
import uuid
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from backrelief.scheduling.models import Booking
from backrelief.scheduling.tests.test_migration_no_overlap import NINE, H, _Editor
from backrelief.therapists.tests.factories import make_booking, make_profile

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("backrelief.scheduling.migrations.0006_booking_time_format")
ISO_T = "%Y-%m-%dT%H:%M:%S"
_SKIP_OFF_SQLITE = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL stores timestamptz, not text"
)


def sqlite_only(test: Any) -> Any:
    """SQLite's text times only: deselected from the PostgreSQL run (`-m "not sqlite_only"`,
    where a skip would fail CI's no-skips rule) and skipped anywhere else it is not SQLite."""
    return pytest.mark.sqlite_only(_SKIP_OFF_SQLITE(test))


@pytest.fixture
def first(client_user, therapist):
    return make_booking(client_user, make_profile(therapist), start=NINE)


def _raw_insert(booking: Booking, *, start: str, end: str, status: str = "confirmed") -> None:
    """INSERT of a booking of the same therapist with the times written as the given text."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO scheduling_booking (public_id, client_id, therapist_id, service_id, "
            'start, "end", status, created_at, updated_at, cancelled_at, blocked_until, '
            "cancel_reason, late_cancellation, client_time_zone) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                uuid.uuid4().hex if connection.vendor == "sqlite" else uuid.uuid4(),
                booking.client_id,
                booking.therapist_id,
                booking.service_id,
                start,
                end,
                status,
                start,
                start,
                start if status == "cancelled" else None,
                end,
                "",
                False,
                "UTC",
            ],
        )


@pytest.mark.parametrize("spelling", [ISO_T, ISO_T + "Z", ISO_T + ".000001"])
def test_an_overlapping_booking_written_in_iso_8601_with_a_t_is_refused(first, spelling):
    start, end = NINE + H / 2, NINE + H + H / 2
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw_insert(first, start=start.strftime(spelling), end=end.strftime(spelling))
    assert Booking.objects.count() == 1


@sqlite_only
@pytest.mark.parametrize(
    "text",
    ["2026-03-03T09:00:00", "2026-03-03 09:00", "2026-03-03 09:00:00+00:00", "1772528400"],
)
def test_sqlite_refuses_any_spelling_but_djangos_even_without_an_overlap(first, text):
    with pytest.raises(IntegrityError, match="booking_time_format"), transaction.atomic():
        _raw_insert(first, start=text, end="2026-03-03 10:00:00", status="cancelled")
    with pytest.raises(IntegrityError, match="booking_time_format"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE scheduling_booking SET blocked_until = %s WHERE id = %s", [text, first.pk]
            )
    assert Booking.objects.count() == 1


@sqlite_only
def test_djangos_own_spellings_still_pass(first):
    _raw_insert(first, start="2026-03-03 09:00:00", end="2026-03-03 10:00:00.250000")
    Booking.objects.filter(pk=first.pk).update(blocked_until=NINE + 2 * H + H / 7)  # microseconds
    assert Booking.objects.count() == 2


@sqlite_only
def test_the_migration_reverses_and_reapplies(first):
    operation = MIGRATION.Migration.operations[0]
    spelled = {"start": "2026-03-03T09:00:00", "end": "2026-03-03T10:00:00"}
    with transaction.atomic():
        operation.reverse_code(None, _Editor())
        _raw_insert(first, **spelled, status="cancelled")  # no format guard now
        Booking.objects.exclude(pk=first.pk).delete()
        operation.code(None, _Editor())
        with pytest.raises(IntegrityError), transaction.atomic():
            _raw_insert(first, **spelled, status="cancelled")
