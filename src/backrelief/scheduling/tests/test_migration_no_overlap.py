"""The database itself refuses overlapping active bookings of one therapist (issue 6 item 4,
migration 0004): an exclusion constraint on PostgreSQL, triggers on SQLite. These tests run on
both backends (`db` marker; CI reruns them on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import importlib
import uuid

import pytest
from django.db import IntegrityError, connection, transaction

from backrelief.scheduling.models import Booking
from backrelief.therapists.tests.factories import make_booking, make_profile, make_service

pytestmark = pytest.mark.django_db

NINE = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
US = dt.timedelta(microseconds=1)
MIGRATION = importlib.import_module("backrelief.scheduling.migrations.0004_booking_no_overlap")


def _raw_insert(*, client_id, therapist_id, service_id, start, end, blocked_until, status):
    """INSERT without the ORM, values adapted exactly as Django stores them."""
    ops = connection.ops
    columns = (
        'public_id, client_id, therapist_id, service_id, start, "end", status, created_at, '
        "updated_at, cancelled_at, blocked_until, cancel_reason, late_cancellation, "
        "client_time_zone"
    )
    values = [
        uuid.uuid4().hex if connection.vendor == "sqlite" else uuid.uuid4(),
        client_id,
        therapist_id,
        service_id,
        ops.adapt_datetimefield_value(start),
        ops.adapt_datetimefield_value(end),
        status,
        ops.adapt_datetimefield_value(start),
        ops.adapt_datetimefield_value(start),
        ops.adapt_datetimefield_value(start) if status == "cancelled" else None,
        ops.adapt_datetimefield_value(blocked_until),
        "",
        False,
        "UTC",
    ]
    placeholders = ", ".join(["%s"] * len(values))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO scheduling_booking ({columns}) VALUES ({placeholders})",
            values,
        )


@pytest.fixture
def profile(therapist):
    return make_profile(therapist)


def test_a_raw_sql_insert_of_an_overlapping_active_booking_raises_integrity_error(
    client_user, profile
):
    first = make_booking(client_user, profile, start=NINE)
    for status in ("held", "confirmed", "completed", "no_show"):
        with pytest.raises(IntegrityError), transaction.atomic():
            _raw_insert(
                client_id=client_user.pk,
                therapist_id=profile.pk,
                service_id=first.service_id,
                start=NINE + H / 2,
                end=NINE + H + H / 2,
                blocked_until=NINE + H + H / 2,
                status=status,
            )
    assert Booking.objects.count() == 1


def test_touching_sessions_without_a_buffer_are_allowed(client_user, profile):
    make_service(profile, buffer_min=0)
    make_booking(client_user, profile, start=NINE)
    _raw_insert(
        client_id=client_user.pk,
        therapist_id=profile.pk,
        service_id=profile.services.get().pk,
        start=NINE + H,
        end=NINE + 2 * H,
        blocked_until=NINE + 2 * H,
        status="confirmed",
    )
    make_booking(client_user, profile, start=NINE - H)
    assert Booking.objects.filter(therapist=profile).count() == 3


def test_a_cancelled_booking_blocks_nothing(client_user, other_client, profile):
    make_booking(client_user, profile, start=NINE, status="cancelled")
    make_booking(other_client, profile, start=NINE)
    # ... and a cancelled row may lie over an active one
    make_booking(other_client, profile, start=NINE, status="cancelled")
    assert Booking.objects.filter(therapist=profile).count() == 3


def test_the_buffer_blocks_the_next_start_until_it_ends(client_user, profile):
    service = make_service(profile, duration_min=60, buffer_min=15)
    make_booking(client_user, profile, start=NINE, service=service)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_booking(client_user, profile, start=NINE + H, service=service)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_booking(client_user, profile, start=NINE + H + dt.timedelta(minutes=15) - US)
    make_booking(client_user, profile, start=NINE + H + dt.timedelta(minutes=15))


def test_a_session_ending_inside_another_ones_buffer_before_it_is_refused(client_user, profile):
    service = make_service(profile, duration_min=60, buffer_min=30)
    make_booking(client_user, profile, start=NINE, service=service)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_booking(
            client_user, profile, start=NINE - H - dt.timedelta(minutes=20), service=service
        )


@pytest.mark.parametrize(
    ("blocked_until", "next_start", "overlaps"),
    [
        (NINE + H + US, NINE + H, True),  # one microsecond of overlap
        (NINE + H, NINE + H + US, False),
        (
            NINE + H + dt.timedelta(microseconds=500_000),
            NINE + H + dt.timedelta(microseconds=499_999),
            True,
        ),
        (
            NINE + H + dt.timedelta(microseconds=500_000),
            NINE + H + dt.timedelta(microseconds=500_000),
            False,
        ),
        (NINE + H + dt.timedelta(seconds=1), NINE + H + dt.timedelta(microseconds=999_999), True),
        (NINE + H + dt.timedelta(microseconds=999_999), NINE + H + dt.timedelta(seconds=1), False),
    ],
)
def test_the_boundary_is_exact_to_the_microsecond(
    client_user, profile, blocked_until, next_start, overlaps
):
    """SQLite compares Django's UTC text ('... 10:00:00' and '... 10:00:00.000001'), so the
    fraction that appears only when non-zero must still order correctly."""
    make_booking(client_user, profile, start=NINE, blocked_until=blocked_until)
    if overlaps:
        with pytest.raises(IntegrityError), transaction.atomic():
            make_booking(client_user, profile, start=next_start)
    else:
        make_booking(client_user, profile, start=next_start)


def test_another_therapist_may_have_a_session_at_the_same_time(
    client_user, profile, other_therapist
):
    make_booking(client_user, profile, start=NINE)
    make_booking(client_user, make_profile(other_therapist), start=NINE)
    assert Booking.objects.filter(start=NINE, status="confirmed").count() == 2


def test_an_update_onto_another_session_is_refused_but_updating_a_row_in_place_is_fine(
    client_user, profile
):
    first = make_booking(client_user, profile, start=NINE)
    second = make_booking(client_user, profile, start=NINE + 2 * H)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=second.pk).update(start=NINE + H / 2)
    Booking.objects.filter(pk=first.pk).update(status="completed", updated_at=NINE + 2 * H)
    Booking.objects.filter(pk=first.pk).update(blocked_until=NINE + 2 * H)  # touches second


def test_reactivating_a_cancelled_booking_over_an_active_one_is_refused(client_user, profile):
    cancelled = make_booking(client_user, profile, start=NINE, status="cancelled")
    make_booking(client_user, profile, start=NINE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=cancelled.pk).update(status="confirmed")


class _Editor:
    """What the migration's RunPython functions use of a schema editor (a real one cannot be
    opened on SQLite inside the test's transaction)."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # ALTER TABLE refuses pending FK checks
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(sql)


def test_the_migration_reverses_and_reapplies(client_user, profile):
    operation = MIGRATION.Migration.operations[0]
    service = make_service(profile)
    with transaction.atomic():
        operation.reverse_code(None, _Editor())
        make_booking(client_user, profile, start=NINE, service=service)
        make_booking(client_user, profile, start=NINE, service=service)  # no guard now
        Booking.objects.all().delete()
        operation.code(None, _Editor())
        make_booking(client_user, profile, start=NINE, service=service)
        with pytest.raises(IntegrityError), transaction.atomic():
            make_booking(client_user, profile, start=NINE, service=service)
