"""Credentials pages and evidence downloads (issue 5 items 2 and 5): persona matrix, forms,
bad input, evidence headers and audit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
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
from backrelief.therapists.tests.factories import make_licence, make_profile

pytestmark = pytest.mark.django_db

CREDENTIALS = "/therapists/me/credentials/"
LICENCE_NEW = "/therapists/me/credentials/licences/new/"
CERT_NEW = "/therapists/me/credentials/certifications/new/"


@pytest.fixture(autouse=True)
def private_root(settings: Any, tmp_path: Path) -> Path:
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    return settings.PRIVATE_FILES_ROOT


@pytest.fixture
def profiles(therapist: Any, other_therapist: Any) -> tuple[Any, Any]:
    return make_profile(therapist, now=NOW), make_profile(other_therapist, now=NOW)


def _as(user: Any | None) -> Client:
    client = Client()
    return login_verified(client, user) if user is not None else client


def _form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in licence_fields().items()
    }
    data["evidence"] = pdf()
    data.update(overrides)
    return data


# --- credentials list -----------------------------------------------------------------------------


def test_therapist_sees_licences_with_status_and_rejection_reason(therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        profile = profiles[0]
        make_licence(profile, status="verified", number="V-1", now=NOW)
        make_licence(profile, status="rejected", number="R-1", now=NOW)
        make_licence(profile, status="pending", number="P-1", now=NOW)
        make_licence(
            profile, status="verified", number="E-1", expires_on=dt.date(2026, 1, 1), now=NOW
        )
        response = _as(therapist).get(CREDENTIALS)
        html = response.content.decode()
        assert response.status_code == 200
        for text in (
            "V-1",
            "R-1",
            "P-1",
            "E-1",
            "Verified",
            "Rejected",
            "Waiting for staff",
            "Expired",
            "The number is not in the register.",
        ):
            assert text in html
        assert "/therapists/me/credentials/licences/new/" in html


def test_therapist_without_valid_licence_is_told_they_are_not_listed(therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        make_licence(profiles[0], status="pending", now=NOW)
        html = _as(therapist).get(CREDENTIALS).content.decode()
        assert "not listed" in html
        assert "your licence is waiting for a staff check" in html


def test_the_banner_names_an_expired_licence_and_goes_once_listed(therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        make_licence(profiles[0], status="verified", number="OLD", expires_on=dt.date(2026, 1, 1))
        html = _as(therapist).get(CREDENTIALS).content.decode()
        assert "your verified licence has expired" in html
        make_licence(profiles[0], status="verified", number="NEW", now=NOW)
        assert "not listed" not in _as(therapist).get(CREDENTIALS).content.decode()


@pytest.mark.parametrize(
    ("persona", "status"), [("client_user", 403), ("other_client", 403), ("staff_user", 403)]
)
def test_credentials_pages_are_for_therapists(request, persona, status, profiles):
    user = request.getfixturevalue(persona)
    with time_machine.travel(NOW, tick=False):
        client = _as(user)
        for url in (CREDENTIALS, LICENCE_NEW, CERT_NEW):
            assert client.get(url).status_code == status


def test_another_therapist_sees_only_their_own_credentials(other_therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        make_licence(profiles[0], status="verified", number="MINE-1", now=NOW)
        html = _as(other_therapist).get(CREDENTIALS).content.decode()
        assert "MINE-1" not in html
        assert "No licence yet." in html


def test_anonymous_is_sent_to_sign_in():
    with time_machine.travel(NOW, tick=False):
        response = Client().get(CREDENTIALS)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_therapist_without_profile_is_sent_to_onboarding(therapist):
    with time_machine.travel(NOW, tick=False):
        response = _as(therapist).get(CREDENTIALS)
        assert response.status_code == 302
        assert "/onboarding/" in response["Location"]


# --- licence forms -------------------------------------------------------------------------------


def test_licence_form_is_multipart_and_labelled(therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        html = _as(therapist).get(LICENCE_NEW).content.decode()
        assert 'enctype="multipart/form-data"' in html
        assert '<label for="id_evidence">' in html
        assert "<legend>" in html


def test_therapist_submits_a_licence_without_javascript(therapist, profiles, private_root):
    with time_machine.travel(NOW, tick=False):
        response = _as(therapist).post(LICENCE_NEW, _form_data())
        assert response.status_code == 302
        assert response["Location"] == CREDENTIALS
        licence = Licence.objects.get()
        assert (licence.status, licence.therapist) == ("pending", profiles[0])
        assert len(stored_files(private_root)) == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"expires_on": "2019-01-01"}, "The expiry date must be after the issue date."),
        ({"evidence": None}, "Choose the file"),
        ({"country": "XX"}, "from the list"),
        ({"issued_on": "01/02/2020"}, "YYYY-MM-DD"),
    ],
)
def test_bad_licence_input_is_shown_beside_the_field_and_stores_nothing(
    therapist, profiles, private_root, overrides, message
):
    with time_machine.travel(NOW, tick=False):
        data = _form_data(**overrides)
        data = {k: v for k, v in data.items() if v is not None}
        response = _as(therapist).post(LICENCE_NEW, data)
        assert response.status_code == 422
        html = response.content.decode()
        assert message in html
        assert 'id="form-errors"' in html
        assert Licence.objects.count() == 0
        assert stored_files(private_root) == []


def test_wrong_file_type_is_refused_on_the_page(therapist, profiles, private_root):
    with time_machine.travel(NOW, tick=False):
        response = _as(therapist).post(LICENCE_NEW, _form_data(evidence=gif()))
        assert response.status_code == 422
        assert "PDF, PNG or JPEG" in response.content.decode()
        assert stored_files(private_root) == []


def test_edit_page_warns_that_a_verified_licence_goes_back_to_pending(therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        licence = make_licence(profiles[0], status="verified", now=NOW)
        url = f"/therapists/me/credentials/licences/{licence.public_id}/edit/"
        client = _as(therapist)
        html = client.get(url).content.decode()
        assert "goes back to staff for verification" in html
        data = _form_data(number=licence.number, registry="New Board", evidence=None)
        data = {k: v for k, v in data.items() if v is not None}
        response = client.post(url, data)
        assert response.status_code == 302
        licence.refresh_from_db()
        assert (licence.status, licence.registry) == ("pending", "New Board")


@pytest.mark.parametrize("persona", ["other_therapist"])
def test_another_therapists_licence_edit_page_does_not_exist(request, persona, profiles):
    with time_machine.travel(NOW, tick=False):
        licence = make_licence(profiles[0], status="verified", now=NOW)
        url = f"/therapists/me/credentials/licences/{licence.public_id}/edit/"
        client = _as(request.getfixturevalue(persona))
        assert client.get(url).status_code == 404
        assert client.post(url, _form_data()).status_code == 404
        licence.refresh_from_db()
        assert licence.status == "verified"


def test_certification_add_and_edit(therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        client = _as(therapist)
        data = {
            k: (v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in certification_fields().items()
        }
        assert client.post(CERT_NEW, data).status_code == 302
        row = profiles[0].certifications.get()
        url = f"/therapists/me/credentials/certifications/{row.public_id}/edit/"
        assert client.get(url).status_code == 200
        bad = client.post(url, {**data, "hours": "0"})
        assert bad.status_code == 422
        assert "1 to 10000" in bad.content.decode()
        assert client.post(url, {**data, "hours": "300"}).status_code == 302
        row.refresh_from_db()
        assert row.hours == 300
        assert _as(profiles[1].user).get(url).status_code == 404


# --- evidence downloads --------------------------------------------------------------------------


@pytest.fixture
def submitted(therapist, profiles) -> Any:
    return licence_submit(user=therapist, evidence=pdf(), now=NOW, **licence_fields())


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
def test_evidence_access_matrix_and_audit(request, persona, status, submitted, therapist):
    user = request.getfixturevalue(persona)
    with time_machine.travel(NOW, tick=False):
        response = _as(user).get(f"/therapists/licences/{submitted.public_id}/evidence/")
        assert response.status_code == status
        event = AuditEvent.objects.get(action="licence.evidence_read")
        assert (event.actor_public_id, event.subject_public_id) == (
            user.public_id,
            therapist.public_id,
        )
        assert event.outcome == ("allowed" if status == 200 else "denied")
        if status == 200:
            body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
            assert body == PDF_BYTES
            assert response["Content-Type"] == "application/pdf"
            assert response["Content-Disposition"].startswith("attachment;")
            assert response["X-Content-Type-Options"] == "nosniff"
            assert "no-store" in response["Cache-Control"]


def test_evidence_for_anonymous_redirects_to_sign_in(submitted):
    with time_machine.travel(NOW, tick=False):
        response = Client().get(f"/therapists/licences/{submitted.public_id}/evidence/")
        assert response.status_code == 302
        assert not AuditEvent.objects.filter(action="licence.evidence_read").exists()


def test_unknown_evidence_is_404(therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        url = "/therapists/licences/00000000-0000-0000-0000-000000000000/evidence/"
        assert _as(therapist).get(url).status_code == 404


def test_certification_evidence_owner_and_staff_only(
    therapist, other_therapist, staff_user, profiles
):
    with time_machine.travel(NOW, tick=False):
        row = certification_submit(
            user=therapist, evidence=pdf(), now=NOW, **certification_fields()
        )
        url = f"/therapists/certifications/{row.public_id}/evidence/"
        assert _as(therapist).get(url).status_code == 200
        assert _as(staff_user).get(url).status_code == 200
        assert _as(other_therapist).get(url).status_code == 404
        assert AuditEvent.objects.filter(action="certification.evidence_read").count() == 3


def test_certification_without_evidence_has_no_download(therapist, profiles):
    with time_machine.travel(NOW, tick=False):
        row = certification_submit(user=therapist, now=NOW, **certification_fields())
        url = f"/therapists/certifications/{row.public_id}/evidence/"
        assert _as(therapist).get(url).status_code == 404
