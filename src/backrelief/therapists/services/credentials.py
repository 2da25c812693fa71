"""Licences and certifications: submit, edit, verify, reject (issue 5 item 2).

Rules (docs/rules.md "Therapists: credentials"; field rules in `therapists/credentials.py`):

- A therapist submits and edits their own credentials only; staff verify or reject them.
- A licence needs an evidence file (PDF, PNG or JPEG, ≤ 10 MB); a certification may have one.
  Files go to private storage (`therapists/evidence.py`) after every rule passed.
- The same licence (country, region, registry, number; case and spacing ignored) may be held
  by one not-rejected row only — the database enforces it too (`licence_number_once`).
- A decision is pending → verified or pending → rejected (with a reason), by a named staff
  member at a time; deciding again is a Conflict. Any change to a verified or rejected row
  sends it back to pending and clears the decision (audited `*.reset_to_pending`); an edit
  that changes nothing changes nothing.
- The therapist gets a plain-text mail after a licence decision commits (no health data).
- Bad input stores nothing: no row, no file, no audit row.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from backrelief.accounts.models import User
from backrelief.core.audit import audit_record
from backrelief.core.errors import Conflict, Invalid, NotFound
from backrelief.therapists import credentials as rules
from backrelief.therapists.access import own_profile, require_staff
from backrelief.therapists.evidence import (
    Kind,
    Readable,
    Upload,
    evidence_remove,
    evidence_write,
    upload_read,
)
from backrelief.therapists.models import Certification, Licence, VerificationStatus
from backrelief.therapists.selectors import listing_date

logger = logging.getLogger(__name__)

LICENCE_FIELDS = ("country", "region", "registry", "number", "issued_on", "expires_on")
CERTIFICATION_FIELDS = ("technique", "provider", "hours", "completed_on")


# --- mail ----------------------------------------------------------------------------------------


def credential_mail_send(*, user: User, kind: str, subject: str, context: dict[str, Any]) -> None:
    """Plain-text mail to a therapist about their credentials, sent after the commit.

    Only to a verified address (as for all account mail, issue 2 §6); no health data. The
    template is `templates/therapists/email/<kind>.txt`, rendered in the person's language. A
    failed delivery is logged with the public id only and does not undo the change.
    """
    if not user.email_verified or not user.is_active:
        return
    language = user.locale if user.locale in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        body = render_to_string(
            f"therapists/email/{kind}.txt",
            {
                "display_name": user.display_name,
                "base_url": str(settings.BASE_URL).rstrip("/"),
                **context,
            },
        )
        message = EmailMessage(
            subject=str(subject),
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
    public_id = user.public_id
    transaction.on_commit(lambda: _deliver(message, kind=kind, public_id=public_id))


def _deliver(message: EmailMessage, *, kind: str, public_id: uuid.UUID) -> None:
    try:
        message.send()
    except Exception as exc:  # the decision is committed; the page shows it anyway
        logger.error("Could not send %s mail to user %s: %s", kind, public_id, type(exc).__name__)


# --- shared helpers -------------------------------------------------------------------------------


def _evidence_check(
    evidence: Readable | None, *, required: bool
) -> tuple[Upload | None, list[str]]:
    if evidence is None:
        if required:
            return None, [
                _("Upload a scan or photo of the licence (%(types)s, at most 10 MB).")
                % {"types": rules.EVIDENCE_TYPES_LABEL}
            ]
        return None, []
    upload = upload_read(evidence)
    return upload, rules.evidence_errors(size=upload.size, head=upload.head)


@contextmanager
def _evidence_written(
    kind: Kind, row: Licence | Certification, upload: Upload | None
) -> Iterator[None]:
    """Write the new evidence file (if any) and point the row at it; if anything in the block
    fails — the row's save, the audit — the new file is removed again, so no orphan stays.
    The replaced file is removed only after the commit: a rollback keeps the file the row
    still names. (A rollback by an outer caller is left to `evidence_orphans_remove`.)"""
    if upload is None:
        yield
        return
    old_name = row.evidence_name
    new_name = evidence_write(kind, upload.data)
    row.evidence_name = new_name
    row.evidence_content_type = upload.content_type or ""
    try:
        yield
    except BaseException:
        evidence_remove(kind, new_name)
        raise
    if old_name:
        transaction.on_commit(lambda: evidence_remove(kind, old_name))


def _save(row: Licence | Certification, *, on_integrity_error: Invalid) -> None:
    """Save in a savepoint; a database refusal (a race past the duplicate check) becomes the
    specific domain error."""
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise on_integrity_error from None


def _reset_decision(row: Licence | Certification) -> None:
    row.status = VerificationStatus.PENDING
    row.decided_by = None
    row.decided_at = None
    row.rejection_reason = ""


# --- licences -------------------------------------------------------------------------------------


def _licence_values(
    *,
    country: str,
    region: str,
    registry: str,
    number: str,
    issued_on: dt.date,
    expires_on: dt.date,
) -> dict[str, Any]:
    return {
        "country": country.strip().upper(),
        "region": rules.clean_text(region),
        "registry": rules.clean_text(registry),
        "number": rules.clean_licence_number(number),
        "issued_on": issued_on,
        "expires_on": expires_on,
    }


def _duplicate_error(*, mine: bool) -> Invalid:
    if mine:
        message = _("You have already submitted this licence; edit it instead of adding it again.")
    else:
        message = _(
            "This licence number is already registered with BackRelief. If it is yours, "
            "contact support."
        )
    return Invalid(message, fields={"number": [message]}, code="licence_duplicate")


def _licence_duplicate(
    *, values: dict[str, Any], therapist_id: int, exclude_pk: int | None
) -> Invalid | None:
    """Another not-rejected licence with the same country, region, registry and number.
    Numbers are stored upper-cased; registry and region are compared case-folded in Python
    (SQLite's LIKE folds ASCII only, so "FÜR" and "für" would differ in SQL)."""
    candidates = Licence.objects.filter(country=values["country"], number=values["number"]).exclude(
        status=VerificationStatus.REJECTED
    )
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    registry = values["registry"].casefold()
    region = values["region"].casefold()
    for holder, other_registry, other_region in candidates.values_list(
        "therapist_id", "registry", "region"
    ):
        if other_registry.casefold() == registry and other_region.casefold() == region:
            return _duplicate_error(mine=holder == therapist_id)
    return None


def _licence_check(
    *,
    values: dict[str, Any],
    evidence: Readable | None,
    evidence_required: bool,
    therapist_id: int,
    exclude_pk: int | None,
    now: dt.datetime,
) -> Upload | None:
    errors = rules.licence_field_errors(**values, today=listing_date(now))
    upload, evidence_errors = _evidence_check(evidence, required=evidence_required)
    if evidence_errors:
        errors["evidence"] = evidence_errors
    duplicate = None
    if not errors.keys() & {"country", "registry", "number", "region"}:
        duplicate = _licence_duplicate(
            values=values, therapist_id=therapist_id, exclude_pk=exclude_pk
        )
        if duplicate is not None:
            errors.update(duplicate.fields)
    if errors:
        if len(errors) == 1:
            raise Invalid(
                next(iter(errors.values()))[0],
                fields=errors,
                code="licence_duplicate" if duplicate is not None else None,
            )
        raise Invalid(_("Check the marked fields."), fields=errors)
    return upload


@transaction.atomic
def licence_submit(
    *,
    user: User,
    country: str,
    region: str = "",
    registry: str,
    number: str,
    issued_on: dt.date,
    expires_on: dt.date,
    evidence: Readable | None,
    now: dt.datetime,
) -> Licence:
    """A therapist submits a licence for verification (issue 5 item 2). Starts pending.

    Own profile only (therapist role, profile created). Field rules in
    `therapists/credentials.py`; the evidence file is required; a licence someone already
    holds (not rejected) is `licence_duplicate`. Bad input stores nothing. Audited
    `licence.submitted`.
    """
    profile = own_profile(user=user)
    values = _licence_values(
        country=country,
        region=region,
        registry=registry,
        number=number,
        issued_on=issued_on,
        expires_on=expires_on,
    )
    upload = _licence_check(
        values=values,
        evidence=evidence,
        evidence_required=True,
        therapist_id=profile.pk,
        exclude_pk=None,
        now=now,
    )
    licence = Licence(
        therapist=profile,
        status=VerificationStatus.PENDING,
        submitted_at=now,
        updated_at=now,
        **values,
    )
    with _evidence_written("licence", licence, upload):
        _save(licence, on_integrity_error=_duplicate_error(mine=False))
        audit_record(
            action="licence.submitted",
            actor=user,
            subject=user,
            object_type="licence",
            object_id=str(licence.public_id),
            at=now,
        )
    return licence


def _own_licence_locked(*, user: User, public_id: uuid.UUID | str) -> Licence:
    profile = own_profile(user=user)
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        key = None
    licence = (
        None
        if key is None
        else Licence.objects.select_for_update().filter(public_id=key, therapist=profile).first()
    )
    if licence is None:
        raise NotFound(_("Licence not found. Open it from your credentials page."))
    return licence


@transaction.atomic
def licence_update(
    *,
    user: User,
    public_id: uuid.UUID | str,
    country: str,
    region: str = "",
    registry: str,
    number: str,
    issued_on: dt.date,
    expires_on: dt.date,
    evidence: Readable | None = None,
    now: dt.datetime,
) -> Licence:
    """The owner edits a licence (issue 5 item 2: "edits to a verified licence send it back to
    pending"). Any change to a verified or rejected licence — a field or a new evidence file —
    makes it pending again with the decision cleared (audited `licence.reset_to_pending`);
    a new expiry date also re-arms the expiry notices. No change, no write. Same field rules
    as `licence_submit`; the evidence file is optional here (the old one is kept)."""
    licence = _own_licence_locked(user=user, public_id=public_id)
    values = _licence_values(
        country=country,
        region=region,
        registry=registry,
        number=number,
        issued_on=issued_on,
        expires_on=expires_on,
    )
    upload = _licence_check(
        values=values,
        evidence=evidence,
        evidence_required=False,
        therapist_id=licence.therapist_id,
        exclude_pk=licence.pk,
        now=now,
    )
    before = {name: getattr(licence, name) for name in LICENCE_FIELDS}
    changed = rules.changed_fields(before, values)
    if not changed and upload is None:
        return licence
    was = licence.status
    for name, value in values.items():
        setattr(licence, name, value)
    if "expires_on" in changed:
        licence.expiry_warning_sent_at = None
        licence.expired_notice_sent_at = None
    if was != VerificationStatus.PENDING:
        _reset_decision(licence)
    licence.updated_at = now
    with _evidence_written("licence", licence, upload):
        _save(licence, on_integrity_error=_duplicate_error(mine=False))
        if was != VerificationStatus.PENDING:
            audit_record(
                action="licence.reset_to_pending",
                actor=user,
                subject=user,
                object_type="licence",
                object_id=str(licence.public_id),
                at=now,
            )
    return licence


def _licence_for_decision(*, actor: User, public_id: uuid.UUID | str) -> Licence:
    require_staff(user=actor)
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        key = None
    licence = (
        None
        if key is None
        else Licence.objects.select_for_update()
        .select_related("therapist__user")
        .filter(public_id=key)
        .first()
    )
    if licence is None:
        raise NotFound(_("Licence not found. Open it from the staff queue."))
    if licence.status != VerificationStatus.PENDING:
        raise Conflict(
            _("This licence was already %(status)s. Reload the queue to see what is pending.")
            % {"status": licence.get_status_display().lower()},
            code="already_decided",
        )
    return licence


@transaction.atomic
def licence_verify(*, actor: User, public_id: uuid.UUID | str, now: dt.datetime) -> Licence:
    """Staff verify a pending licence (issue 5 item 2): records who and when, audits
    `licence.verified`, mails the therapist after the commit. Staff only (PermissionDenied);
    a licence already decided is a Conflict; an expired one cannot be verified (Conflict:
    reject it and ask for a current one)."""
    licence = _licence_for_decision(actor=actor, public_id=public_id)
    if licence.expires_on < listing_date(now):
        raise Conflict(
            _("This licence expired on %(date)s; reject it and ask for a current one.")
            % {"date": licence.expires_on.isoformat()},
            code="licence_expired",
        )
    licence.status = VerificationStatus.VERIFIED
    licence.decided_by = actor
    licence.decided_at = now
    licence.rejection_reason = ""
    licence.updated_at = now
    licence.save()
    therapist_user = licence.therapist.user
    audit_record(
        action="licence.verified",
        actor=actor,
        subject=therapist_user,
        object_type="licence",
        object_id=str(licence.public_id),
        at=now,
    )
    credential_mail_send(
        user=therapist_user,
        kind="licence_verified",
        subject=_("Your licence was verified"),
        context={"licence": licence},
    )
    return licence


@transaction.atomic
def licence_reject(
    *, actor: User, public_id: uuid.UUID | str, reason: str, now: dt.datetime
) -> Licence:
    """Staff reject a pending licence with a reason the therapist sees (issue 5 item 2).
    Staff only; reason required (≤ 500 characters); already decided is a Conflict. Audited
    `licence.rejected`; the therapist is mailed the reason after the commit."""
    reason = reason.strip()
    reason_errors = rules.rejection_reason_errors(reason)
    licence = _licence_for_decision(actor=actor, public_id=public_id)
    if reason_errors:
        raise Invalid(reason_errors[0], fields={"reason": reason_errors}, code="reason_required")
    licence.status = VerificationStatus.REJECTED
    licence.decided_by = actor
    licence.decided_at = now
    licence.rejection_reason = reason
    licence.updated_at = now
    licence.save()
    therapist_user = licence.therapist.user
    audit_record(
        action="licence.rejected",
        actor=actor,
        subject=therapist_user,
        object_type="licence",
        object_id=str(licence.public_id),
        at=now,
    )
    credential_mail_send(
        user=therapist_user,
        kind="licence_rejected",
        subject=_("Your licence could not be verified"),
        context={"licence": licence},
    )
    return licence


# --- certifications -------------------------------------------------------------------------------


def _certification_values(
    *, technique: str, provider: str, hours: int, completed_on: dt.date
) -> dict[str, Any]:
    return {
        "technique": technique.strip(),
        "provider": rules.clean_text(provider),
        "hours": hours,
        "completed_on": completed_on,
    }


def _certification_check(
    *, values: dict[str, Any], evidence: Readable | None, now: dt.datetime
) -> Upload | None:
    errors = rules.certification_field_errors(**values, today=listing_date(now))
    upload, evidence_errors = _evidence_check(evidence, required=False)
    if evidence_errors:
        errors["evidence"] = evidence_errors
    if errors:
        first = next(iter(errors.values()))[0]
        raise Invalid(first if len(errors) == 1 else _("Check the marked fields."), fields=errors)
    return upload


@transaction.atomic
def certification_submit(
    *,
    user: User,
    technique: str,
    provider: str,
    hours: int,
    completed_on: dt.date,
    evidence: Readable | None = None,
    now: dt.datetime,
) -> Certification:
    """A therapist submits training in one catalogue technique (issue 5 item 2): provider,
    1..10,000 hours, completed today or earlier, optional evidence file. Starts pending;
    a verified certification makes the stated years of experience in that technique count as
    verified. Bad input stores nothing. Audited `certification.submitted`."""
    profile = own_profile(user=user)
    values = _certification_values(
        technique=technique, provider=provider, hours=hours, completed_on=completed_on
    )
    upload = _certification_check(values=values, evidence=evidence, now=now)
    certification = Certification(
        therapist=profile,
        status=VerificationStatus.PENDING,
        submitted_at=now,
        updated_at=now,
        **values,
    )
    with _evidence_written("certification", certification, upload):
        _save(certification, on_integrity_error=Invalid(_("Check the marked fields.")))
        audit_record(
            action="certification.submitted",
            actor=user,
            subject=user,
            object_type="certification",
            object_id=str(certification.public_id),
            at=now,
        )
    return certification


def _own_certification_locked(*, user: User, public_id: uuid.UUID | str) -> Certification:
    profile = own_profile(user=user)
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        key = None
    row = (
        None
        if key is None
        else Certification.objects.select_for_update()
        .filter(public_id=key, therapist=profile)
        .first()
    )
    if row is None:
        raise NotFound(_("Certification not found. Open it from your credentials page."))
    return row


@transaction.atomic
def certification_update(
    *,
    user: User,
    public_id: uuid.UUID | str,
    technique: str,
    provider: str,
    hours: int,
    completed_on: dt.date,
    evidence: Readable | None = None,
    now: dt.datetime,
) -> Certification:
    """The owner edits a certification; like licences, any change to a verified or rejected
    one sends it back to pending (audited `certification.reset_to_pending`)."""
    row = _own_certification_locked(user=user, public_id=public_id)
    values = _certification_values(
        technique=technique, provider=provider, hours=hours, completed_on=completed_on
    )
    upload = _certification_check(values=values, evidence=evidence, now=now)
    before = {name: getattr(row, name) for name in CERTIFICATION_FIELDS}
    if not rules.changed_fields(before, values) and upload is None:
        return row
    was = row.status
    for name, value in values.items():
        setattr(row, name, value)
    if was != VerificationStatus.PENDING:
        _reset_decision(row)
    row.updated_at = now
    with _evidence_written("certification", row, upload):
        _save(row, on_integrity_error=Invalid(_("Check the marked fields.")))
        if was != VerificationStatus.PENDING:
            audit_record(
                action="certification.reset_to_pending",
                actor=user,
                subject=user,
                object_type="certification",
                object_id=str(row.public_id),
                at=now,
            )
    return row


def _certification_for_decision(*, actor: User, public_id: uuid.UUID | str) -> Certification:
    require_staff(user=actor)
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        key = None
    row = (
        None
        if key is None
        else Certification.objects.select_for_update()
        .select_related("therapist__user")
        .filter(public_id=key)
        .first()
    )
    if row is None:
        raise NotFound(_("Certification not found. Open it from the staff queue."))
    if row.status != VerificationStatus.PENDING:
        raise Conflict(
            _("This certification was already %(status)s. Reload the queue to see what is pending.")
            % {"status": row.get_status_display().lower()},
            code="already_decided",
        )
    return row


@transaction.atomic
def certification_verify(
    *, actor: User, public_id: uuid.UUID | str, now: dt.datetime
) -> Certification:
    """Staff verify a pending certification: who and when recorded, audited
    `certification.verified`. Staff only; already decided is a Conflict."""
    row = _certification_for_decision(actor=actor, public_id=public_id)
    row.status = VerificationStatus.VERIFIED
    row.decided_by = actor
    row.decided_at = now
    row.rejection_reason = ""
    row.updated_at = now
    row.save()
    audit_record(
        action="certification.verified",
        actor=actor,
        subject=row.therapist.user,
        object_type="certification",
        object_id=str(row.public_id),
        at=now,
    )
    return row


@transaction.atomic
def certification_reject(
    *, actor: User, public_id: uuid.UUID | str, reason: str, now: dt.datetime
) -> Certification:
    """Staff reject a pending certification with a reason (≤ 500 characters). Staff only;
    already decided is a Conflict. Audited `certification.rejected`."""
    reason = reason.strip()
    reason_errors = rules.rejection_reason_errors(reason)
    row = _certification_for_decision(actor=actor, public_id=public_id)
    if reason_errors:
        raise Invalid(reason_errors[0], fields={"reason": reason_errors}, code="reason_required")
    row.status = VerificationStatus.REJECTED
    row.decided_by = actor
    row.decided_at = now
    row.rejection_reason = reason
    row.updated_at = now
    row.save()
    audit_record(
        action="certification.rejected",
        actor=actor,
        subject=row.therapist.user,
        object_type="certification",
        object_id=str(row.public_id),
        at=now,
    )
    return row
