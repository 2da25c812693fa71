"""The audit API (issue 2 §8): staff search at /api/v1/audit, the caller's access log at
/api/v1/audit/me. Non-staff get 403 on the search (a documented collection endpoint)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from backrelief.core.audit import audit_health_access, audit_record
from backrelief.core.tests.audit_helpers import login_verified

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/audit"
ME = "/api/v1/audit/me"
AT = dt.datetime(2026, 11, 20, 8, 15, tzinfo=dt.UTC)


def _as(user):
    return login_verified(Client(), user)


def test_anonymous_callers_get_401():
    client = Client()
    assert client.get(SEARCH).status_code == 401
    assert client.get(ME).status_code == 401


@pytest.mark.parametrize("persona", ["client_user", "therapist", "other_therapist"])
def test_only_staff_may_search_others_get_403(persona, request, client_user):
    audit_record(action="login.success", actor=client_user, subject=client_user, at=AT)
    response = _as(request.getfixturevalue(persona)).get(SEARCH)
    assert response.status_code == 403
    assert response.json()["code"] == "staff_only"
    assert str(client_user.public_id) not in response.content.decode()


def test_staff_search_with_filters(staff_user, client_user, therapist):
    audit_record(action="login.success", actor=client_user, subject=client_user, at=AT)
    read = audit_health_access(
        actor=therapist,
        subject=client_user,
        action="health.read",
        object_type="intake",
        object_id="intake-7",
    )
    assert read is not None
    client = _as(staff_user)
    everything = client.get(SEARCH).json()
    assert everything["count"] == 2
    assert (everything["page"], everything["pages"]) == (1, 1)

    response = client.get(SEARCH, {"subject": str(client_user.public_id), "action": "health.read"})
    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert item["actor"] == str(therapist.public_id)
    assert item["subject"] == str(client_user.public_id)
    assert item["object_id"] == "intake-7"
    assert item["outcome"] == "allowed"
    assert item["request_id"] == read.request_id
    by_day = client.get(SEARCH, {"date_from": "2026-11-20", "date_to": "2026-11-20"}).json()
    assert [i["action"] for i in by_day["items"]] == ["login.success"]
    assert client_user.email not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"subject": "alice@example.test"}, "subject"),
        ({"actor": "1"}, "actor"),
        ({"date_from": "yesterday"}, "date_from"),
        ({"action": "drop table"}, "action"),
        ({"page": "0"}, "page"),
        ({"date_from": "2026-11-21", "date_to": "2026-11-20"}, "date_to"),
    ],
)
def test_bad_filters_are_422_with_field_details(staff_user, params, field):
    response = _as(staff_user).get(SEARCH, params)
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert any(key.split(".")[-1] == field for key in fields), fields


def test_my_access_log_lists_only_others_acting_on_me(client_user, other_client, therapist):
    audit_health_access(
        actor=therapist,
        subject=client_user,
        action="health.read",
        object_type="intake",
        object_id="i-1",
    )
    audit_record(action="login.success", actor=client_user, subject=client_user, at=AT)
    audit_health_access(
        actor=therapist,
        subject=other_client,
        action="health.read",
        object_type="intake",
        object_id="i-2",
    )
    body = _as(client_user).get(ME).json()
    assert body["count"] == 1
    (entry,) = body["items"]
    assert entry == {
        "at": entry["at"],
        "actor": str(therapist.public_id),
        "actor_role": "therapist",
        "action": "health.read",
        "object_type": "intake",
        "outcome": "allowed",
    }
    assert _as(other_client).get(ME).json()["count"] == 1
    assert _as(therapist).get(ME).json()["count"] == 0


def test_my_access_log_rejects_a_bad_page(client_user):
    assert _as(client_user).get(ME, {"page": "-1"}).status_code == 422
