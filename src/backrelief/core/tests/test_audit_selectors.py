"""Audit reads (issue 2 §8): staff search filters and "who accessed my data"."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from backrelief.core.audit import audit_health_access, audit_record
from backrelief.core.errors import Invalid
from backrelief.core.selectors import (
    access_log_for,
    audit_count_older_than,
    audit_export_rows,
    audit_search,
)

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 20)
START = dt.datetime(2026, 11, 20, 0, 0, tzinfo=dt.UTC)


def _at(hours):
    return START + dt.timedelta(hours=hours)


def test_filters_combine_and_results_are_newest_first(client_user, other_client, staff_user):
    a = audit_record(action="login.success", actor=client_user, subject=client_user, at=_at(1))
    b = audit_record(action="role.changed", actor=staff_user, subject=client_user, at=_at(2))
    c = audit_record(action="login.success", actor=other_client, subject=other_client, at=_at(3))

    assert [r.pk for r in audit_search().rows] == [c.pk, b.pk, a.pk]
    assert [r.pk for r in audit_search(subject=client_user.public_id).rows] == [b.pk, a.pk]
    assert [r.pk for r in audit_search(actor=staff_user.public_id).rows] == [b.pk]
    assert [r.pk for r in audit_search(action="login.success").rows] == [c.pk, a.pk]
    assert [
        r.pk for r in audit_search(subject=client_user.public_id, action="login.success").rows
    ] == [a.pk]


def test_dates_are_whole_utc_days_both_inclusive(client_user):
    before = audit_record(action="logout", actor=client_user, at=START - dt.timedelta(seconds=1))
    first = audit_record(action="logout", actor=client_user, at=START)
    last = audit_record(
        action="logout", actor=client_user, at=START + dt.timedelta(days=1, microseconds=-1)
    )
    after = audit_record(action="logout", actor=client_user, at=START + dt.timedelta(days=1))

    same_day = {r.pk for r in audit_search(date_from=DAY, date_to=DAY).rows}
    assert same_day == {first.pk, last.pk}
    assert before.pk not in {r.pk for r in audit_search(date_from=DAY).rows}
    assert after.pk not in {r.pk for r in audit_search(date_to=DAY).rows}


def test_extreme_dates_do_not_overflow(client_user):
    audit_record(action="logout", actor=client_user, at=START)
    page = audit_search(date_from=dt.date.min, date_to=dt.date.max)
    assert page.count == 1


def test_a_start_after_the_end_is_a_field_error_on_date_to():
    with pytest.raises(Invalid) as info:
        audit_search(date_from=DAY, date_to=DAY - dt.timedelta(days=1))
    assert "date_to" in info.value.fields
    with pytest.raises(Invalid):
        audit_export_rows(date_from=DAY, date_to=DAY - dt.timedelta(days=1))


def test_pages_hold_fifty_rows_and_bad_page_numbers_are_clamped(client_user):
    for minute in range(51):
        audit_record(action="logout", actor=client_user, at=START + dt.timedelta(minutes=minute))
    first = audit_search()
    assert (len(first.rows), first.count, first.num_pages) == (50, 51, 2)
    assert first.has_next
    assert not first.has_previous
    second = audit_search(page=2)
    assert len(second.rows) == 1
    assert second.has_previous
    assert not second.has_next
    assert audit_search(page=99).number == 2
    assert audit_search(page="abc").number == 1


def test_access_log_shows_only_others_acting_on_my_data(
    client_user, other_client, therapist, staff_user
):
    read = audit_health_access(
        actor=therapist,
        subject=client_user,
        action="health.read",
        object_type="intake",
        object_id="i-1",
    )
    refused = audit_health_access(
        actor=staff_user,
        subject=client_user,
        action="health.read",
        object_type="intake",
        object_id="i-1",
        allowed=False,
    )
    assert read is not None
    assert refused is not None
    # not shown: my own actions, anonymous failures, events about someone else
    audit_record(action="login.success", actor=client_user, subject=client_user, at=_at(1))
    audit_record(action="login.failure", actor=None, subject=client_user, at=_at(2))
    audit_health_access(
        actor=therapist,
        subject=other_client,
        action="health.read",
        object_type="intake",
        object_id="i-2",
    )

    page = access_log_for(user=client_user)
    assert page.count == 2
    by_role = {e.actor_role: e for e in page.rows}
    assert by_role["therapist"].actor_public_id == therapist.public_id
    assert by_role["therapist"].outcome == "allowed"
    assert by_role["therapist"].at == read.at
    assert by_role["staff"].outcome == "denied"
    assert by_role["staff"].at == refused.at
    assert by_role["therapist"].object_type == "intake"


def test_access_log_marks_an_actor_whose_account_is_gone(client_user):
    class Gone:
        public_id = uuid.uuid4()  # an account deleted since

    audit_record(action="health.read", actor=Gone(), subject=client_user, object_type="intake")
    (entry,) = access_log_for(user=client_user).rows
    assert entry.actor_role == ""


def test_count_older_than_matches_what_a_purge_would_delete(client_user):
    audit_record(action="logout", actor=client_user, at=START - dt.timedelta(days=800))
    audit_record(action="logout", actor=client_user, at=START)
    assert audit_count_older_than(cutoff=START - dt.timedelta(days=730)) == 1
