"""Credential services (issue 5 item 2): every rule and error, and bad input stores nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from backrelief.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from backrelief.core.models import AuditEvent
from backrelief.therapists.evidence import evidence_dir, evidence_path
from backrelief.therapists.models import Certification, Licence
from backrelief.therapists.services import credentials as svc
from backrelief.therapists.tests.credentials_helpers import (
    NOW,
    PDF_BYTES,
    PNG_BYTES,
    certification_fields,
    gif,
    licence_fields,
    oversized,
    pdf,
    stored_files,
)
from backrelief.therapists.tests.factories import make_certification, make_licence, make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_root(settings: Any, tmp_path: Path) -> Path:
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.PRIVATE_FILES_ROOT


@pytest.fixture
def profile(therapist: Any) -> Any:
    return make_profile(therapist, now=NOW)


def _submit(user: Any, **overrides: Any) -> Licence:
    evidence = overrides.pop("evidence", pdf())
    return svc.licence_submit(user=user, evidence=evidence, now=NOW, **licence_fields(**overrides))


def _nothing_stored(root: Path) -> None:
    assert Licence.objects.count() == 0
    assert Certification.objects.count() == 0
    assert stored_files(root) == []
    assert not AuditEvent.objects.filter(action__startswith="licence.").exists()
    assert not AuditEvent.objects.filter(action__startswith="certification.").exists()


# --- submit -------------------------------------------------------------------------------------


def test_therapist_submits_a_pending_licence_with_private_evidence(
    therapist, profile, private_root, settings
):
    with time_machine.travel(NOW, tick=False):
        licence = _submit(therapist, number=" hp  12345 ", country="de")
        assert licence.status == "pending"
        assert (licence.country, licence.number) == ("DE", "HP 12345")
        assert licence.evidence_content_type == "application/pdf"
        path = evidence_path("licence", licence.evidence_name)
        assert path.read_bytes() == PDF_BYTES
        assert path.parent == Path(settings.PRIVATE_FILES_ROOT) / "licence-evidence"
        assert not Path(settings.MEDIA_ROOT).exists()
        assert "licence" not in licence.evidence_name  # random hex, not the upload's name
        event = AuditEvent.objects.get(action="licence.submitted")
        assert (event.actor_public_id, event.subject_public_id) == (
            therapist.public_id,
            therapist.public_id,
        )
        assert event.object_id == str(licence.public_id)


def test_content_type_is_sniffed_not_declared(therapist, profile):
    with time_machine.travel(NOW, tick=False):
        png = pdf(name="scan.pdf", data=PNG_BYTES)  # declared PDF, really PNG
        licence = _submit(therapist, evidence=png)
        assert licence.evidence_content_type == "image/png"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"issued_on": dt.date(2025, 1, 1), "expires_on": dt.date(2024, 1, 1)},
            "expires_on",
            "The expiry date must be after the issue date.",
        ),
        (
            {"expires_on": dt.date(2026, 3, 2)},
            "expires_on",
            "This licence expired on 2 March 2026; submit a current one.",
        ),
        (
            {"issued_on": dt.date(2026, 3, 4)},
            "issued_on",
            "The issue date cannot be in the future; enter the date printed on the licence.",
        ),
        ({"country": "XX"}, "country", "Choose the country"),
        ({"registry": "  "}, "registry", "This field is required."),
        ({"number": ""}, "number", "This field is required."),
        ({"evidence": None}, "evidence", "Upload a scan or photo of the licence"),
        ({"evidence": gif()}, "evidence", "PDF, PNG or JPEG"),
        ({"evidence": oversized()}, "evidence", "larger than 10 MB"),
    ],
)
def test_bad_licence_input_gets_a_specific_error_and_stores_nothing(
    therapist, profile, private_root, overrides, field, message
):
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(Invalid) as caught:
            _submit(therapist, **overrides)
        assert message in caught.value.fields[field][0]
        _nothing_stored(private_root)


def test_several_errors_are_reported_together(therapist, profile, private_root):
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(Invalid) as caught:
            _submit(therapist, country="XX", evidence=gif())
        assert set(caught.value.fields) == {"country", "evidence"}
        _nothing_stored(private_root)


def test_a_duplicate_licence_number_is_refused(therapist, other_therapist, profile, private_root):
    with time_machine.travel(NOW, tick=False):
        make_profile(other_therapist, now=NOW)
        _submit(other_therapist, number="HP-1")
        with pytest.raises(Invalid) as caught:
            _submit(therapist, number="hp-1", registry="landesamt FÜR gesundheit")
        assert caught.value.code == "licence_duplicate"
        assert "already registered" in caught.value.fields["number"][0]
        assert Licence.objects.count() == 1
        assert len(stored_files(private_root)) == 1


def test_resubmitting_ones_own_licence_says_edit_it(therapist, profile):
    with time_machine.travel(NOW, tick=False):
        _submit(therapist)
        with pytest.raises(Invalid) as caught:
            _submit(therapist)
        assert "edit it instead" in caught.value.fields["number"][0]


def test_a_rejected_licence_number_may_be_submitted_again(therapist, profile):
    with time_machine.travel(NOW, tick=False):
        make_licence(
            profile,
            status="rejected",
            number="HP-12345",
            region="Berlin",
            registry="Landesamt für Gesundheit",
            now=NOW,
        )
        assert _submit(therapist).status == "pending"


def test_a_database_refusal_leaves_no_orphan_file(therapist, profile, private_root, monkeypatch):
    """The row fails after the file was written (a race past the duplicate check)."""
    with time_machine.travel(NOW, tick=False):
        monkeypatch.setattr(svc, "_licence_duplicate", lambda **kw: None)
        make_licence(
            profile,
            status="pending",
            number="HP-12345",
            region="Berlin",
            registry="Landesamt für Gesundheit",
            now=NOW,
        )
        with pytest.raises(Invalid) as caught:
            _submit(therapist)
        assert caught.value.code == "licence_duplicate"
        assert stored_files(private_root) == []
        assert Licence.objects.count() == 1


def test_a_failure_after_saving_removes_the_new_file(therapist, profile, private_root, monkeypatch):
    def boom(**kwargs: Any) -> None:
        raise RuntimeError("audit down")

    with time_machine.travel(NOW, tick=False):
        monkeypatch.setattr(svc, "audit_record", boom)
        with pytest.raises(RuntimeError):
            _submit(therapist)
        assert Licence.objects.count() == 0
        assert stored_files(private_root) == []


def test_a_failed_edit_keeps_the_old_file_and_removes_the_new_one(
    therapist, staff_user, profile, private_root, monkeypatch
):
    with time_machine.travel(NOW, tick=False):
        licence = _submit(therapist)
        svc.licence_verify(actor=staff_user, public_id=licence.public_id, now=NOW)

        def boom(**kwargs: Any) -> None:
            raise RuntimeError("audit down")

        monkeypatch.setattr(svc, "audit_record", boom)
        with pytest.raises(RuntimeError):
            svc.licence_update(
                user=therapist,
                public_id=licence.public_id,
                evidence=pdf(data=PNG_BYTES),
                now=NOW,
                **licence_fields(),
            )
        assert [p.name for p in stored_files(private_root)] == [licence.evidence_name]


def test_orphan_sweep_removes_only_old_unreferenced_files(therapist, profile, private_root):
    import os

    from backrelief.therapists.evidence import evidence_orphans_remove, evidence_write

    with time_machine.travel(NOW, tick=False):
        kept = _submit(therapist).evidence_name
        orphan = evidence_write("licence", PDF_BYTES)
        young = evidence_write("licence", PDF_BYTES)
        for name in (kept, orphan):
            os.utime(evidence_path("licence", name), (NOW.timestamp(), NOW.timestamp()))
        os.utime(evidence_path("licence", young), (NOW.timestamp() + 7000,) * 2)
        removed = evidence_orphans_remove(
            kind="licence", referenced=[kept], now=NOW + dt.timedelta(hours=2)
        )
        assert removed == 1
        assert {p.name for p in stored_files(private_root)} == {kept, young}


@pytest.mark.parametrize("persona", ["client_user", "staff_user"])
def test_only_therapists_submit_licences(request, persona, private_root):
    user = request.getfixturevalue(persona)
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(PermissionDenied):
            _submit(user)
        _nothing_stored(private_root)


def test_a_therapist_without_profile_is_told_to_onboard(therapist, private_root):
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(NotFound) as caught:
            _submit(therapist)
        assert "onboarding" in caught.value.message
        _nothing_stored(private_root)


# --- update ---------------------------------------------------------------------------------------


def test_editing_a_verified_licence_sends_it_back_to_pending(therapist, staff_user, profile):
    with time_machine.travel(NOW, tick=False):
        licence = _submit(therapist)
        svc.licence_verify(actor=staff_user, public_id=licence.public_id, now=NOW)
        later = NOW + dt.timedelta(days=1)
        updated = svc.licence_update(
            user=therapist,
            public_id=licence.public_id,
            now=later,
            **licence_fields(registry="Senatsverwaltung"),
        )
        assert (updated.status, updated.decided_by, updated.decided_at) == ("pending", None, None)
        assert AuditEvent.objects.filter(action="licence.reset_to_pending").count() == 1


def test_editing_a_rejected_licence_sends_it_back_to_pending(therapist, staff_user, profile):
    with time_machine.travel(NOW, tick=False):
        licence = _submit(therapist)
        svc.licence_reject(actor=staff_user, public_id=licence.public_id, reason="Blurry", now=NOW)
        updated = svc.licence_update(
            user=therapist, public_id=licence.public_id, evidence=pdf(), now=NOW, **licence_fields()
        )
        assert (updated.status, updated.rejection_reason) == ("pending", "")


def test_an_edit_that_changes_nothing_keeps_the_verification(therapist, staff_user, profile):
    with time_machine.travel(NOW, tick=False):
        licence = _submit(therapist)
        svc.licence_verify(actor=staff_user, public_id=licence.public_id, now=NOW)
        same = svc.licence_update(
            user=therapist,
            public_id=licence.public_id,
            now=NOW,
            **licence_fields(number="hp-12345 "),
        )
        assert same.status == "verified"
        assert not AuditEvent.objects.filter(action="licence.reset_to_pending").exists()


def test_new_evidence_replaces_the_old_file_after_commit(
    therapist, profile, private_root, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False):
        licence = _submit(therapist)
        old = licence.evidence_name
        with django_capture_on_commit_callbacks(execute=True):
            updated = svc.licence_update(
                user=therapist,
                public_id=licence.public_id,
                evidence=pdf(data=PNG_BYTES),
                now=NOW,
                **licence_fields(),
            )
        assert updated.evidence_name != old
        assert [p.name for p in stored_files(private_root)] == [updated.evidence_name]
        assert updated.evidence_content_type == "image/png"


def test_a_new_expiry_date_rearms_the_notices(therapist, profile):
    with time_machine.travel(NOW, tick=False):
        licence = _submit(therapist)
        Licence.objects.filter(pk=licence.pk).update(
            expiry_warning_sent_at=NOW, expired_notice_sent_at=NOW
        )
        updated = svc.licence_update(
            user=therapist,
            public_id=licence.public_id,
            now=NOW,
            **licence_fields(expires_on=dt.date(2031, 1, 1)),
        )
        updated.refresh_from_db()
        assert (updated.expiry_warning_sent_at, updated.expired_notice_sent_at) == (None, None)


def test_a_bad_edit_changes_nothing(therapist, staff_user, profile, private_root):
    with time_machine.travel(NOW, tick=False):
        licence = _submit(therapist)
        svc.licence_verify(actor=staff_user, public_id=licence.public_id, now=NOW)
        with pytest.raises(Invalid):
            svc.licence_update(
                user=therapist,
                public_id=licence.public_id,
                evidence=gif(),
                now=NOW,
                **licence_fields(expires_on=dt.date(2019, 1, 1)),
            )
        licence.refresh_from_db()
        assert licence.status == "verified"
        assert licence.expires_on == dt.date(2028, 12, 31)
        assert len(stored_files(private_root)) == 1


def test_another_therapists_licence_cannot_be_edited(therapist, other_therapist, profile):
    with time_machine.travel(NOW, tick=False):
        licence = _submit(therapist)
        make_profile(other_therapist, now=NOW)
        with pytest.raises(NotFound):
            svc.licence_update(
                user=other_therapist, public_id=licence.public_id, now=NOW, **licence_fields()
            )


# --- decisions ---------------------------------------------------------------------------------


def test_staff_verify_records_who_and_when_audits_and_mails(
    therapist, staff_user, profile, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False):
        licence = _submit(therapist)
        with django_capture_on_commit_callbacks(execute=True):
            done = svc.licence_verify(actor=staff_user, public_id=licence.public_id, now=NOW)
        assert (done.status, done.decided_by, done.decided_at) == ("verified", staff_user, NOW)
        event = AuditEvent.objects.get(action="licence.verified")
        assert (event.actor_public_id, event.subject_public_id, event.object_type) == (
            staff_user.public_id,
            therapist.public_id,
            "licence",
        )
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == [therapist.email]
        assert "HP-12345" in mail.outbox[0].body
        assert "31 December 2028" in mail.outbox[0].body


def test_no_mail_before_the_transaction_commits(therapist, staff_user, profile):
    with time_machine.travel(NOW, tick=False):
        licence = _submit(therapist)
        try:
            with transaction.atomic():
                svc.licence_verify(actor=staff_user, public_id=licence.public_id, now=NOW)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        assert mail.outbox == []
        licence.refresh_from_db()
        assert licence.status == "pending"


def test_staff_reject_needs_a_reason(therapist, staff_user, profile):
    with time_machine.travel(NOW, tick=False):
        licence = _submit(therapist)
        with pytest.raises(Invalid) as caught:
            svc.licence_reject(actor=staff_user, public_id=licence.public_id, reason="  ", now=NOW)
        assert "reason" in caught.value.fields
        licence.refresh_from_db()
        assert licence.status == "pending"
        assert not AuditEvent.objects.filter(action="licence.rejected").exists()


def test_staff_reject_records_the_reason_and_mails_it(
    therapist, staff_user, profile, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False):
        licence = _submit(therapist)
        with django_capture_on_commit_callbacks(execute=True):
            done = svc.licence_reject(
                actor=staff_user, public_id=licence.public_id, reason="Not in register", now=NOW
            )
        assert (done.status, done.rejection_reason, done.decided_by) == (
            "rejected",
            "Not in register",
            staff_user,
        )
        assert AuditEvent.objects.filter(action="licence.rejected").count() == 1
        assert "Not in register" in mail.outbox[0].body


@pytest.mark.parametrize("decide", ["verify", "reject"])
def test_deciding_twice_is_a_conflict(therapist, staff_user, profile, decide):
    with time_machine.travel(NOW, tick=False):
        licence = _submit(therapist)
        svc.licence_verify(actor=staff_user, public_id=licence.public_id, now=NOW)

        def again() -> None:
            if decide == "verify":
                svc.licence_verify(actor=staff_user, public_id=licence.public_id, now=NOW)
            else:
                svc.licence_reject(
                    actor=staff_user, public_id=licence.public_id, reason="x", now=NOW
                )

        with pytest.raises(Conflict) as caught:
            again()
        assert "already verified" in caught.value.message
        assert (
            AuditEvent.objects.filter(action__in=["licence.verified", "licence.rejected"]).count()
            == 1
        )


@pytest.mark.parametrize("persona", ["therapist", "other_therapist", "client_user"])
def test_only_staff_decide(request, persona, therapist, profile):
    user = request.getfixturevalue(persona)
    with time_machine.travel(NOW, tick=False):
        licence = _submit(therapist)
        with pytest.raises(PermissionDenied):
            svc.licence_verify(actor=user, public_id=licence.public_id, now=NOW)
        with pytest.raises(PermissionDenied):
            svc.licence_reject(actor=user, public_id=licence.public_id, reason="x", now=NOW)
        licence.refresh_from_db()
        assert licence.status == "pending"


def test_an_expired_pending_licence_cannot_be_verified(therapist, staff_user, profile):
    with time_machine.travel(NOW, tick=False):
        licence = make_licence(profile, status="pending", expires_on=dt.date(2026, 3, 2), now=NOW)
        with pytest.raises(Conflict) as caught:
            svc.licence_verify(actor=staff_user, public_id=licence.public_id, now=NOW)
        assert caught.value.code == "licence_expired"


def test_deciding_an_unknown_licence_is_not_found(staff_user):
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(NotFound):
            svc.licence_verify(
                actor=staff_user, public_id="00000000-0000-0000-0000-000000000000", now=NOW
            )
        with pytest.raises(NotFound):
            svc.licence_verify(actor=staff_user, public_id="not-a-uuid", now=NOW)


def test_no_mail_to_an_unverified_address(
    make_user, staff_user, private_root, django_capture_on_commit_callbacks
):
    user = make_user("therapist", verified=False)
    with time_machine.travel(NOW, tick=False):
        make_profile(user, now=NOW)
        licence = _submit(user)
        with django_capture_on_commit_callbacks(execute=True):
            svc.licence_verify(actor=staff_user, public_id=licence.public_id, now=NOW)
        assert mail.outbox == []


# --- certifications ------------------------------------------------------------------------------


def test_certification_submit_with_and_without_evidence(therapist, profile, private_root):
    with time_machine.travel(NOW, tick=False):
        plain = svc.certification_submit(user=therapist, now=NOW, **certification_fields())
        assert (plain.status, plain.evidence_name) == ("pending", "")
        with_file = svc.certification_submit(
            user=therapist, evidence=pdf(), now=NOW, **certification_fields(technique="shiatsu")
        )
        assert evidence_path("certification", with_file.evidence_name).exists()
        assert evidence_dir("certification").parent == private_root
        assert AuditEvent.objects.filter(action="certification.submitted").count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"technique": "unknown"}, "technique"),
        ({"hours": 0}, "hours"),
        ({"hours": 10_001}, "hours"),
        ({"completed_on": dt.date(2026, 3, 4)}, "completed_on"),
        ({"provider": ""}, "provider"),
        ({"evidence": gif()}, "evidence"),
        ({"evidence": oversized()}, "evidence"),
    ],
)
def test_bad_certification_input_stores_nothing(therapist, profile, private_root, overrides, field):
    with time_machine.travel(NOW, tick=False):
        evidence = overrides.pop("evidence", None)
        with pytest.raises(Invalid) as caught:
            svc.certification_submit(
                user=therapist, evidence=evidence, now=NOW, **certification_fields(**overrides)
            )
        assert field in caught.value.fields
        _nothing_stored(private_root)


def test_certification_decisions_and_reset(therapist, staff_user, profile):
    with time_machine.travel(NOW, tick=False):
        row = svc.certification_submit(user=therapist, now=NOW, **certification_fields())
        with pytest.raises(PermissionDenied):
            svc.certification_verify(actor=therapist, public_id=row.public_id, now=NOW)
        done = svc.certification_verify(actor=staff_user, public_id=row.public_id, now=NOW)
        assert (done.status, done.decided_by) == ("verified", staff_user)
        with pytest.raises(Conflict):
            svc.certification_reject(actor=staff_user, public_id=row.public_id, reason="x", now=NOW)
        edited = svc.certification_update(
            user=therapist, public_id=row.public_id, now=NOW, **certification_fields(hours=250)
        )
        assert (edited.status, edited.decided_by) == ("pending", None)
        with pytest.raises(Invalid):
            svc.certification_reject(actor=staff_user, public_id=row.public_id, reason="", now=NOW)
        rejected = svc.certification_reject(
            actor=staff_user, public_id=row.public_id, reason="Unreadable", now=NOW
        )
        assert rejected.rejection_reason == "Unreadable"
        actions = list(
            AuditEvent.objects.filter(action__startswith="certification.")
            .order_by("id")
            .values_list("action", flat=True)
        )
        assert actions == [
            "certification.submitted",
            "certification.verified",
            "certification.reset_to_pending",
            "certification.rejected",
        ]


def test_certification_of_another_therapist_cannot_be_edited(therapist, other_therapist, profile):
    with time_machine.travel(NOW, tick=False):
        make_profile(other_therapist, now=NOW)
        row = make_certification(profile, status="pending", now=NOW)
        with pytest.raises(NotFound):
            svc.certification_update(
                user=other_therapist, public_id=row.public_id, now=NOW, **certification_fields()
            )
