"""Booking writes queue per therapist on PostgreSQL (a row lock taken before the slot check and
the insert), so racing inserts never check the exclusion constraint against each other's
uncommitted rows — which deadlocked once in the benchmark's 32-client race — and a deadlock
that still happens is a "just taken", never a 500. SQLite serializes writers by its IMMEDIATE
transaction instead (no FOR UPDATE is sent there)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from backrelief.scheduling.services_booking import (
    _is_deadlock,
    booking_create,
    booking_reschedule,
)
from backrelief.scheduling.tests.booking_helpers import NOW, SLOT, bookable

pytestmark = pytest.mark.django_db


def _position(queries: list[dict[str, str]], *fragments: str) -> int:
    for index, query in enumerate(queries):
        if all(fragment in query["sql"] for fragment in fragments):
            return index
    raise AssertionError(f"no query with {fragments}")


def _lock_index(queries: list[dict[str, str]]) -> int | None:
    for index, query in enumerate(queries):
        if "FOR UPDATE" in query["sql"] and "therapists_therapistprofile" in query["sql"]:
            return index
    return None


def test_booking_locks_the_therapist_before_checking_and_inserting(therapist, client_user):
    with time_machine.travel(NOW, tick=False):
        _, service = bookable(therapist)
        with CaptureQueriesContext(connection) as captured:
            booking_create(client=client_user, service_id=service.public_id, start=SLOT, now=NOW)
        queries = captured.captured_queries
        lock = _lock_index(queries)
        insert = _position(queries, "INSERT INTO", "scheduling_booking")
        if connection.vendor == "postgresql":
            assert lock is not None
            assert lock < _position(queries, "FROM", "scheduling_timeoff") < insert
        else:
            assert lock is None  # SQLite: the IMMEDIATE transaction is the lock


def test_a_move_locks_the_therapist_before_cancelling_the_old_booking(therapist, client_user):
    with time_machine.travel(NOW, tick=False):
        _, service = bookable(therapist)
        old = booking_create(client=client_user, service_id=service.public_id, start=SLOT, now=NOW)
        with CaptureQueriesContext(connection) as captured:
            booking_reschedule(
                actor=client_user,
                booking_id=old.public_id,
                new_start=SLOT + dt.timedelta(days=1),
                now=NOW,
            )
        queries = captured.captured_queries
        lock = _lock_index(queries)
        cancel = _position(queries, "UPDATE", "scheduling_booking")
        if connection.vendor == "postgresql":
            assert lock is not None
            assert lock < cancel
        else:
            assert lock is None


class _PsycopgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(("sqlstate", "deadlock"), [("40P01", True), ("57014", False)])
def test_only_postgresqls_deadlock_state_counts_as_a_lost_race(sqlstate, deadlock):
    error = OperationalError("deadlock detected while checking exclusion constraint")
    error.__cause__ = _PsycopgError(sqlstate)
    assert _is_deadlock(error) is deadlock
    assert _is_deadlock(OperationalError("database is locked")) is False
