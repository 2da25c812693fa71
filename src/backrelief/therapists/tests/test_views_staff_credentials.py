"""Staff verification queue and decision pages (issue 5 items 2 and 5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from backrelief.core.models import AuditEvent
from backrelief.core.tests.audit_helpers import login_verified
from backrelief.therapists.tests.credentials_helpers import NOW
from backrelief.therapists.tests.factories import make_certification, make_licence, make_profile

pytestmark = pytest.mark.django_db

QUEUE = "/therapists/staff/licences/"


@pytest.fixture
def pending(therapist: Any) -> dict[str, Any]:
    profile = make_profile(therapist, now=NOW)
    return {
        "old": make_licence(
            profile, status="pending", number="OLD-1", now=NOW - dt.timedelta(days=2)
        ),
        "new": make_licence(profile, status="pending", number="NEW-1", now=NOW),
        "done": make_licence(profile, status="verified", number="DONE-1", now=NOW),
        "cert": make_certification(profile, status="pending", now=NOW),
    }


def _as(user: Any | None) -> Client:
    client = Client()
    return login_verified(client, user) if user is not None else client


def test_staff_queue_lists_pending_oldest_first_with_counts(staff_user, pending):
    with time_machine.travel(NOW, tick=False):
        response = _as(staff_user).get(QUEUE)
        html = response.content.decode()
        assert response.status_code == 200
        assert html.index("OLD-1") < html.index("NEW-1")
        assert "DONE-1" not in html
        assert "2 licences wait" in html
        assert "1 training certificate waits" in html
        assert f"/therapists/staff/certifications/{pending['cert'].public_id}/" in html


@pytest.mark.parametrize("persona", ["client_user", "other_client", "therapist", "other_therapist"])
def test_staff_pages_do_not_exist_for_anyone_else(request, persona, pending):
    user = request.getfixturevalue(persona)
    with time_machine.travel(NOW, tick=False):
        client = _as(user)
        licence_url = f"/therapists/staff/licences/{pending['old'].public_id}/"
        cert_url = f"/therapists/staff/certifications/{pending['cert'].public_id}/"
        for url in (QUEUE, licence_url, cert_url):
            assert client.get(url).status_code == 404
        assert client.post(licence_url, {"decision": "verify"}).status_code == 404
        pending["old"].refresh_from_db()
        assert pending["old"].status == "pending"


def test_anonymous_is_sent_to_sign_in(pending):
    with time_machine.travel(NOW, tick=False):
        for url in (QUEUE, f"/therapists/staff/licences/{pending['old'].public_id}/"):
            response = Client().get(url)
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")


def test_staff_without_two_factor_session_is_sent_to_two_factor(staff_user, pending):
    with time_machine.travel(NOW, tick=False):
        client = Client()
        client.force_login(staff_user)
        response = client.get(QUEUE)
        assert response.status_code == 302
        assert "/accounts/login/" not in response["Location"]


def test_detail_shows_fields_evidence_link_and_decision_forms(staff_user, pending):
    with time_machine.travel(NOW, tick=False):
        licence = pending["old"]
        html = (
            _as(staff_user).get(f"/therapists/staff/licences/{licence.public_id}/").content.decode()
        )
        assert "OLD-1" in html
        assert 'name="decision" value="verify"' in html
        assert 'name="reason"' in html


def test_staff_verify_from_the_page(staff_user, pending, therapist):
    with time_machine.travel(NOW, tick=False):
        licence = pending["old"]
        url = f"/therapists/staff/licences/{licence.public_id}/"
        response = _as(staff_user).post(url, {"decision": "verify"})
        assert response.status_code == 302
        assert response["Location"] == QUEUE
        licence.refresh_from_db()
        assert (licence.status, licence.decided_by) == ("verified", staff_user)
        assert AuditEvent.objects.filter(action="licence.verified").count() == 1


def test_reject_without_reason_shows_the_error_and_changes_nothing(staff_user, pending):
    with time_machine.travel(NOW, tick=False):
        licence = pending["old"]
        url = f"/therapists/staff/licences/{licence.public_id}/"
        response = _as(staff_user).post(url, {"decision": "reject", "reason": ""})
        assert response.status_code == 422
        assert "Say why" in response.content.decode()
        licence.refresh_from_db()
        assert licence.status == "pending"


def test_reject_with_reason(staff_user, pending):
    with time_machine.travel(NOW, tick=False):
        licence = pending["old"]
        url = f"/therapists/staff/licences/{licence.public_id}/"
        client = _as(staff_user)
        assert (
            client.post(url, {"decision": "reject", "reason": "Not in register"}).status_code == 302
        )
        licence.refresh_from_db()
        assert (licence.status, licence.rejection_reason) == ("rejected", "Not in register")
        # Deciding again: told so, nothing changes.
        again = client.post(url, {"decision": "verify"}, follow=True)
        assert "already rejected" in again.content.decode()
        licence.refresh_from_db()
        assert licence.status == "rejected"


def test_decided_licence_page_shows_no_decision_forms(staff_user, pending):
    with time_machine.travel(NOW, tick=False):
        html = (
            _as(staff_user)
            .get(f"/therapists/staff/licences/{pending['done'].public_id}/")
            .content.decode()
        )
        assert 'value="verify"' not in html


def test_staff_decides_a_certification(staff_user, pending):
    with time_machine.travel(NOW, tick=False):
        row = pending["cert"]
        url = f"/therapists/staff/certifications/{row.public_id}/"
        client = _as(staff_user)
        assert client.get(url).status_code == 200
        assert client.post(url, {"decision": "verify"}).status_code == 302
        row.refresh_from_db()
        assert row.status == "verified"


def test_unknown_ids_are_404_for_staff(staff_user):
    with time_machine.travel(NOW, tick=False):
        zero = "00000000-0000-0000-0000-000000000000"
        client = _as(staff_user)
        assert client.get(f"/therapists/staff/licences/{zero}/").status_code == 404
        assert client.get(f"/therapists/staff/certifications/{zero}/").status_code == 404
