"""Audit pages (issue 2 §8): staff search and CSV export, everyone's "who accessed my data"."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client

from backrelief.core.audit import audit_health_access, audit_record
from backrelief.core.tests.audit_helpers import login_verified

pytestmark = pytest.mark.django_db

SEARCH = "/audit/"
EXPORT = "/audit/export.csv"
ACCESS_LOG = "/account/access-log/"
AT = dt.datetime(2026, 11, 20, 8, 15, tzinfo=dt.UTC)


@pytest.fixture
def staff_client(staff_user):
    return login_verified(Client(), staff_user)


def _signed_in(user):
    return login_verified(Client(), user)


def _events(client_user, therapist, staff_user):
    audit_record(action="login.success", actor=client_user, subject=client_user, at=AT)
    audit_record(
        action="role.changed",
        actor=staff_user,
        subject=therapist,
        object_type="user",
        object_id=str(therapist.public_id),
        at=AT + dt.timedelta(hours=1),
    )
    return audit_health_access(
        actor=therapist,
        subject=client_user,
        action="health.read",
        object_type="intake",
        object_id="intake-7",
    )


def test_anonymous_visitors_are_sent_to_sign_in():
    client = Client()
    for url in (SEARCH, EXPORT, ACCESS_LOG):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["client_user", "other_client", "therapist"])
def test_the_audit_search_does_not_exist_for_anyone_but_staff(persona, request):
    client = _signed_in(request.getfixturevalue(persona))
    assert client.get(SEARCH).status_code == 404
    assert client.get(EXPORT).status_code == 404


def test_staff_search_shows_public_ids_never_emails(
    staff_client, client_user, therapist, staff_user
):
    _events(client_user, therapist, staff_user)
    response = staff_client.get(SEARCH)
    assert response.status_code == 200
    body = response.content.decode()
    assert "3 events match." in body
    assert str(client_user.public_id) in body
    assert "health.read" in body
    assert "2026-11-20 08:15:00" in body  # UTC, not the staff member's zone
    for user in (client_user, therapist, staff_user):
        assert user.email not in body
    assert '<th scope="col">' in body


def test_staff_search_filters_by_subject_actor_action_and_dates(
    staff_client, client_user, therapist, staff_user
):
    _events(client_user, therapist, staff_user)
    by_subject = staff_client.get(SEARCH, {"subject": str(therapist.public_id)})
    assert "1 event matches." in by_subject.content.decode()
    assert "role.changed" in by_subject.content.decode()
    by_actor = staff_client.get(SEARCH, {"actor": str(therapist.public_id)})
    assert "health.read" in by_actor.content.decode()
    assert "1 event matches." in by_actor.content.decode()
    by_action = staff_client.get(SEARCH, {"action": "login.success"})
    assert "1 event matches." in by_action.content.decode()
    by_dates = staff_client.get(SEARCH, {"date_from": "2026-11-20", "date_to": "2026-11-20"})
    assert "2 events match." in by_dates.content.decode()
    # the export link keeps the filters
    assert "/audit/export.csv?date_from=2026-11-20&amp;date_to=2026-11-20" in (
        by_dates.content.decode()
    )


@pytest.mark.parametrize(
    ("params", "field_message"),
    [
        ({"subject": "alice@example.test"}, "Enter a public id"),
        ({"actor": "12345"}, "Enter a public id"),
        ({"date_from": "20/11/2026"}, "Enter a date as YYYY-MM-DD."),
        ({"action": "drop table"}, "Choose an action from the list."),
        ({"date_from": "2026-11-21", "date_to": "2026-11-20"}, "on or after the start date"),
    ],
)
def test_bad_search_input_gets_field_errors(staff_client, params, field_message):
    response = staff_client.get(SEARCH, params)
    assert response.status_code == 400
    body = response.content.decode()
    assert field_message in body
    assert 'class="errorlist"' in body
    assert "events match" not in body
    export = staff_client.get(EXPORT, params)
    assert export.status_code == 400
    assert field_message in export.content.decode()


def test_pagination_links_keep_the_filters(staff_client, client_user):
    for minute in range(51):
        audit_record(action="logout", actor=client_user, at=AT + dt.timedelta(minutes=minute))
    body = staff_client.get(SEARCH, {"action": "logout"}).content.decode()
    assert "Page 1 of 2" in body
    assert "?action=logout&amp;page=2" in body
    assert (
        "Page 2 of 2"
        in staff_client.get(SEARCH, {"action": "logout", "page": "2"}).content.decode()
    )


def _csv(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="backrelief-audit-')
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    return text, list(csv.DictReader(io.StringIO(text)))


def test_csv_export_has_the_filtered_rows_and_no_emails(
    staff_client, client_user, therapist, staff_user
):
    read = _events(client_user, therapist, staff_user)
    text, rows = _csv(staff_client.get(EXPORT, {"subject": str(client_user.public_id)}))
    assert len(rows) == 2
    assert rows[0]["action"] == "health.read"
    assert rows[0]["actor_public_id"] == str(therapist.public_id)
    assert rows[0]["subject_public_id"] == str(client_user.public_id)
    assert rows[0]["object_type"] == "intake"
    assert rows[0]["object_id"] == "intake-7"
    assert rows[0]["request_id"] == read.request_id
    assert rows[1]["at_utc"] == "2026-11-20T08:15:00.000000Z"
    for user in (client_user, therapist, staff_user):
        assert user.email not in text
        assert user.display_name not in text


def test_csv_cells_cannot_run_as_spreadsheet_formulas(staff_client, client_user):
    audit_record(
        action="health.read",
        actor=client_user,
        subject=client_user,
        object_type="=HYPERLINK(1)",
        object_id="@SUM(1)",
        at=AT,
    )
    _text, rows = _csv(staff_client.get(EXPORT))
    assert rows[0]["object_type"] == "'=HYPERLINK(1)"
    assert rows[0]["object_id"] == "'@SUM(1)"


def test_access_log_shows_others_reads_of_my_data_in_my_time_zone(
    make_user, therapist, other_client, staff_user
):
    me = make_user("client", time_zone="America/New_York")
    audit_record(action="health.read", actor=therapist, subject=me, object_type="intake", at=AT)
    audit_record(
        action="health.read",
        actor=staff_user,
        subject=me,
        object_type="intake",
        outcome="denied",
        at=AT + dt.timedelta(minutes=5),
    )
    audit_record(action="login.success", actor=me, subject=me, at=AT)  # my own: not shown
    audit_record(action="health.read", actor=therapist, subject=other_client, at=AT)

    response = _signed_in(me).get(ACCESS_LOG)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<tr>") == 3  # header + two accesses
    assert str(therapist.public_id) in body
    assert "Therapist" in body
    assert "Staff" in body
    assert "Read your health data (intake)" in body
    assert "Refused" in body
    assert 'datetime="2026-11-20T03:15:00-05:00"' in body
    for other in (therapist, staff_user):
        assert other.email not in body
        assert other.display_name not in body
    assert str(other_client.public_id) not in body


@pytest.mark.parametrize("persona", ["client_user", "therapist", "staff_user"])
def test_everyone_has_an_access_log_page(persona, request):
    response = _signed_in(request.getfixturevalue(persona)).get(ACCESS_LOG)
    assert response.status_code == 200
    assert "Nobody else has accessed your data." in response.content.decode()


def test_the_other_client_sees_nothing_of_my_access_log(client_user, other_client, therapist):
    audit_health_access(
        actor=therapist,
        subject=client_user,
        action="health.read",
        object_type="intake",
        object_id="i-1",
    )
    body = _signed_in(other_client).get(ACCESS_LOG).content.decode()
    assert "Nobody else has accessed your data." in body
    assert str(therapist.public_id) not in body
