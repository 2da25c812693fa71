"""/api/v1/therapists credentials endpoints (issue 5 items 2 and 5): persona matrix, multipart
create and edit, staff decisions, evidence access with audit, CSRF."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings as dj_settings
from django.test import Client

from backrelief.core.models import AuditEvent
from backrelief.core.tests.audit_helpers import login_verified
from backrelief.therapists.models import Licence
from backrelief.therapists.services.credentials import certification_submit, licence_submit
from backrelief.therapists.tests.credentials_helpers import (
    NOW,
    PDF_BYTES,
    certification_fields,
    gif,
    licence_fields,
    pdf,
    stored_files,
)
from backrelief.therapists.tests.factories import make_profile

pytestmark = pytest.mark.django_db

API = "/api/v1/therapists"
ZERO = "00000000-0000-0000-0000-000000000000"


@pytest.fixture(autouse=True)
def private_root(settings: Any, tmp_path: Path) -> Path:
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    return settings.PRIVATE_FILES_ROOT


@pytest.fixture
def profiles(therapist: Any, other_therapist: Any) -> tuple[Any, Any]:
    return make_profile(therapist, now=NOW), make_profile(other_therapist, now=NOW)


@pytest.fixture
def licence(therapist: Any, profiles: Any) -> Licence:
    return licence_submit(user=therapist, evidence=pdf(), now=NOW, **licence_fields())


def _as(user: Any) -> Client:
    return login_verified(Client(), user)


def _form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in licence_fields().items()
    }
    data["evidence"] = pdf()
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- my licences ----------------------------------------------------------------------------------


def test_therapist_submits_and_lists_a_licence(therapist, profiles, private_root):
    with time_machine.travel(NOW, tick=False):
        client = _as(therapist)
        response = client.post(f"{API}/me/licences", _form())
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["status"], body["country"], body["has_evidence"]) == ("pending", "DE", True)
        assert body["evidence_url"] == f"{API}/licences/{body['public_id']}/evidence"
        listed = client.get(f"{API}/me/licences").json()
        assert [row["public_id"] for row in listed] == [body["public_id"]]
        assert len(stored_files(private_root)) == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"expires_on": "2019-12-31"}, "expires_on"),
        ({"country": "XX"}, "country"),
        ({"evidence": gif()}, "evidence"),
        ({"issued_on": "not-a-date"}, "issued_on"),
    ],
)
def test_bad_licence_input_is_422_naming_the_field_and_stores_nothing(
    therapist, profiles, private_root, overrides, field
):
    with time_machine.travel(NOW, tick=False):
        response = _as(therapist).post(f"{API}/me/licences", _form(**overrides))
        assert response.status_code == 422
        assert field in response.json()["fields"]
        assert Licence.objects.count() == 0
        assert stored_files(private_root) == []


def test_missing_evidence_is_422(therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        response = _as(therapist).post(f"{API}/me/licences", _form(evidence=None))
        assert response.status_code == 422
        assert "evidence" in response.json()["fields"]


def test_duplicate_number_is_422_licence_duplicate(therapist, licence):
    with time_machine.travel(NOW, tick=False):
        response = _as(therapist).post(f"{API}/me/licences", _form())
        assert response.status_code == 422
        assert response.json()["code"] == "licence_duplicate"


@pytest.mark.parametrize("persona", ["client_user", "staff_user"])
def test_me_endpoints_are_for_therapists(request, persona, profiles):
    with time_machine.travel(NOW, tick=False):
        client = _as(request.getfixturevalue(persona))
        assert client.get(f"{API}/me/licences").status_code == 403
        assert client.post(f"{API}/me/licences", _form()).status_code == 403
        assert client.get(f"{API}/me/certifications").status_code == 403
        assert Licence.objects.count() == 0


def test_editing_a_verified_licence_over_the_api_resets_it(therapist, staff_user, licence):
    with time_machine.travel(NOW, tick=False):
        _as(staff_user).post(f"{API}/licences/{licence.public_id}/verify")
        response = _as(therapist).post(
            f"{API}/me/licences/{licence.public_id}", _form(registry="Other", evidence=None)
        )
        assert response.status_code == 200
        assert (response.json()["status"], response.json()["decided_by"]) == ("pending", None)


def test_another_therapists_licence_cannot_be_edited(other_therapist, licence):
    with time_machine.travel(NOW, tick=False):
        response = _as(other_therapist).post(f"{API}/me/licences/{licence.public_id}", _form())
        assert response.status_code == 404


def test_certifications_over_the_api(therapist, other_therapist, staff_user, profiles):
    with time_machine.travel(NOW, tick=False):
        client = _as(therapist)
        data = {
            k: (v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in certification_fields().items()
        }
        created = client.post(f"{API}/me/certifications", data)
        assert created.status_code == 201
        row_id = created.json()["public_id"]
        assert created.json()["has_evidence"] is False
        bad = client.post(f"{API}/me/certifications", {**data, "technique": "nope"})
        assert bad.status_code == 422
        assert "technique" in bad.json()["fields"]
        edit = client.post(f"{API}/me/certifications/{row_id}", {**data, "hours": "300"})
        assert edit.json()["hours"] == 300
        other = _as(other_therapist).post(f"{API}/me/certifications/{row_id}", data)
        assert other.status_code == 404
        staff = _as(staff_user)
        assert [r["public_id"] for r in staff.get(f"{API}/certifications").json()] == [row_id]
        assert staff.post(f"{API}/certifications/{row_id}/verify").json()["status"] == "verified"
        assert staff.post(f"{API}/certifications/{row_id}/verify").status_code == 409


# --- staff ----------------------------------------------------------------------------------------


def test_staff_lists_pending_and_decides(staff_user, licence, therapist):
    with time_machine.travel(NOW, tick=False):
        client = _as(staff_user)
        queue = client.get(f"{API}/licences?status=pending").json()
        assert [row["public_id"] for row in queue] == [str(licence.public_id)]
        missing = client.post(
            f"{API}/licences/{licence.public_id}/reject", {}, content_type="application/json"
        )
        assert missing.status_code == 422
        blank = client.post(
            f"{API}/licences/{licence.public_id}/reject",
            {"reason": " "},
            content_type="application/json",
        )
        assert blank.status_code == 422
        assert blank.json()["code"] == "reason_required"
        done = client.post(
            f"{API}/licences/{licence.public_id}/reject",
            {"reason": "Not in the register"},
            content_type="application/json",
        )
        assert done.status_code == 200
        assert done.json()["decided_by"] == str(staff_user.public_id)
        again = client.post(f"{API}/licences/{licence.public_id}/verify")
        assert again.status_code == 409
        assert again.json()["code"] == "already_decided"
        assert client.get(f"{API}/licences?status=pending").json() == []
        rejected = client.get(f"{API}/licences?status=rejected").json()
        assert rejected[0]["rejection_reason"] == "Not in the register"
        assert client.get(f"{API}/licences?status=bogus").status_code == 422


@pytest.mark.parametrize("persona", ["client_user", "other_client", "therapist", "other_therapist"])
def test_staff_endpoints_refuse_other_roles_with_403(request, persona, licence):
    with time_machine.travel(NOW, tick=False):
        client = _as(request.getfixturevalue(persona))
        assert client.get(f"{API}/licences").status_code == 403
        assert client.get(f"{API}/certifications").status_code == 403
        response = client.post(f"{API}/licences/{licence.public_id}/verify")
        assert response.status_code == 403
        assert response.json()["code"] == "staff_only"
        reject = client.post(
            f"{API}/licences/{licence.public_id}/reject",
            {"reason": "x"},
            content_type="application/json",
        )
        assert reject.status_code == 403
        licence.refresh_from_db()
        assert licence.status == "pending"


def test_staff_deciding_an_unknown_licence_is_404(staff_user):
    with time_machine.travel(NOW, tick=False):
        assert _as(staff_user).post(f"{API}/licences/{ZERO}/verify").status_code == 404


# --- credentials of one therapist, evidence -----------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("therapist", 200),
        ("staff_user", 200),
        ("other_therapist", 404),
        ("client_user", 404),
        ("other_client", 404),
    ],
)
def test_therapist_credentials_matrix(request, persona, status, licence, profiles):
    with time_machine.travel(NOW, tick=False):
        response = _as(request.getfixturevalue(persona)).get(
            f"{API}/{profiles[0].public_id}/credentials"
        )
        assert response.status_code == status
        if status == 200:
            assert response.json()["licences"][0]["status"] == "pending"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("therapist", 200),
        ("staff_user", 200),
        ("other_therapist", 404),
        ("client_user", 404),
        ("other_client", 404),
    ],
)
def test_evidence_api_matrix_and_audit(request, persona, status, licence, therapist):
    user = request.getfixturevalue(persona)
    with time_machine.travel(NOW, tick=False):
        response = _as(user).get(f"{API}/licences/{licence.public_id}/evidence")
        assert response.status_code == status
        event = AuditEvent.objects.get(action="licence.evidence_read")
        assert (event.actor_public_id, event.subject_public_id, event.outcome) == (
            user.public_id,
            therapist.public_id,
            "allowed" if status == 200 else "denied",
        )
        if status == 200:
            assert b"".join(response.streaming_content) == PDF_BYTES  # type: ignore[attr-defined]
            assert response["Content-Disposition"].startswith("attachment;")
            assert response["X-Content-Type-Options"] == "nosniff"
            assert "no-store" in response["Cache-Control"]


def test_certification_evidence_api(therapist, other_therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        row = certification_submit(
            user=therapist, evidence=pdf(), now=NOW, **certification_fields()
        )
        url = f"{API}/certifications/{row.public_id}/evidence"
        assert _as(therapist).get(url).status_code == 200
        assert _as(other_therapist).get(url).status_code == 404


def test_anonymous_gets_401_everywhere(licence, profiles):
    with time_machine.travel(NOW, tick=False):
        client = Client()
        for url in (
            f"{API}/me/licences",
            f"{API}/licences",
            f"{API}/licences/{licence.public_id}/evidence",
            f"{API}/{profiles[0].public_id}/credentials",
        ):
            assert client.get(url).status_code == 401, url
        assert client.post(f"{API}/me/licences", _form()).status_code == 401
        assert client.post(f"{API}/licences/{licence.public_id}/verify").status_code == 401


def test_session_writes_need_the_csrf_token(therapist, profiles, private_root):
    with time_machine.travel(NOW, tick=False):
        client = login_verified(Client(enforce_csrf_checks=True), therapist)
        assert client.post(f"{API}/me/licences", _form()).status_code == 403
        assert Licence.objects.count() == 0
        assert stored_files(private_root) == []
        token = "k" * 32
        client.cookies[dj_settings.CSRF_COOKIE_NAME] = token
        response = client.post(f"{API}/me/licences", _form(), HTTP_X_CSRFTOKEN=token)
        assert response.status_code == 201


def test_staff_decisions_need_the_csrf_token(staff_user, licence):
    with time_machine.travel(NOW, tick=False):
        client = login_verified(Client(enforce_csrf_checks=True), staff_user)
        assert client.post(f"{API}/licences/{licence.public_id}/verify").status_code == 403
        licence.refresh_from_db()
        assert licence.status == "pending"


def test_ids_that_are_not_uuids_are_422_not_500(staff_user):
    with time_machine.travel(NOW, tick=False):
        response = _as(staff_user).post(f"{API}/licences/{uuid.uuid4().hex[:8]}/verify")
        assert response.status_code in (404, 422)
