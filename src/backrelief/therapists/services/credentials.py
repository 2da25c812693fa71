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

Submitting and editing live here, the staff decisions and the mails in
`services/credential_decisions.py` (re-exported below, so callers import every credential
service from this module). What both kinds share is written once and driven by the kind
(`LICENCE`, `CERTIFICATION`); what differs stays per kind: the field rules, the licence
duplicate check, the expiry check before a licence is verified.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backrelief.accounts.models import User
from backrelief.core.audit import audit_record
from backrelief.core.errors import Invalid
from backrelief.therapists import credentials as rules
from backrelief.therapists.access import own_profile
from backrelief.therapists.evidence import Readable, Upload, evidence_replaced, upload_check
from backrelief.therapists.models import Certification, Licence, VerificationStatus
from backrelief.therapists.selectors import listing_date
from backrelief.therapists.services.credential_decisions import (
    CERTIFICATION,
    LICENCE,
    CredentialKind,
    Row,
    certification_reject,
    certification_verify,
    credential_mail_send,
    credential_own_locked,
    licence_reject,
    licence_verify,
)

# Every credential service callers use; decisions and mail are defined in `credential_decisions`.
__all__ = [
    "certification_reject",
    "certification_submit",
    "certification_update",
    "certification_verify",
    "credential_mail_send",
    "licence_reject",
    "licence_submit",
    "licence_update",
    "licence_verify",
]

# --- shared: save with the evidence file, audit, back to pending ---------------------------------


def _save(row: Licence | Certification, *, on_integrity_error: Invalid) -> None:
    """Save in a savepoint; a database refusal (a race past the duplicate check) becomes the
    specific domain error."""
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise on_integrity_error from None


def _write(
    kind: CredentialKind[Row],
    row: Row,
    *,
    user: User,
    upload: Upload | None,
    action: str | None,
    on_integrity_error: Invalid,
    now: dt.datetime,
) -> None:
    """Save the owner's row with its new evidence file (if any) and audit `<kind>.<action>`
    (no audit row when `action` is None); a failure anywhere leaves no new file behind."""
    with evidence_replaced(kind.name, row, upload):
        _save(row, on_integrity_error=on_integrity_error)
        if action is not None:
            audit_record(
                action=f"{kind.name}.{action}",
                actor=user,
                subject=user,
                object_type=kind.name,
                object_id=str(row.public_id),
                at=now,
            )


def _edit(
    kind: CredentialKind[Row],
    row: Row,
    *,
    user: User,
    values: dict[str, Any],
    upload: Upload | None,
    on_integrity_error: Invalid,
    now: dt.datetime,
) -> Row:
    """An owner's checked edit (issue 5 item 2: "edits to a verified licence send it back to
    pending"). No change and no new file: nothing is written. Otherwise the new values, the
    columns the kind clears when a field changes, and — for a verified or rejected row —
    pending again with the decision cleared, audited `<kind>.reset_to_pending`."""
    before = {name: getattr(row, name) for name in values}
    changed = rules.changed_fields(before, values)
    if not changed and upload is None:
        return row
    reset = row.status != VerificationStatus.PENDING
    for name, value in values.items():
        setattr(row, name, value)
    for field, columns in (kind.reset_on_change or {}).items():
        if field in changed:
            for column in columns:
                setattr(row, column, None)
    if reset:
        row.status = VerificationStatus.PENDING
        row.decided_by = None
        row.decided_at = None
        row.rejection_reason = ""
    row.updated_at = now
    _write(
        kind,
        row,
        user=user,
        upload=upload,
        action="reset_to_pending" if reset else None,
        on_integrity_error=on_integrity_error,
        now=now,
    )
    return row


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
    upload, evidence_errors = upload_check(evidence, required=evidence_required)
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
    _write(
        LICENCE,
        licence,
        user=user,
        upload=upload,
        action="submitted",
        on_integrity_error=_duplicate_error(mine=False),
        now=now,
    )
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
    licence = credential_own_locked(LICENCE, user=user, public_id=public_id)
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
    return _edit(
        LICENCE,
        licence,
        user=user,
        values=values,
        upload=upload,
        on_integrity_error=_duplicate_error(mine=False),
        now=now,
    )


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
    upload, evidence_errors = upload_check(evidence, required=False)
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
    _write(
        CERTIFICATION,
        certification,
        user=user,
        upload=upload,
        action="submitted",
        on_integrity_error=Invalid(_("Check the marked fields.")),
        now=now,
    )
    return certification


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
    row = credential_own_locked(CERTIFICATION, user=user, public_id=public_id)
    values = _certification_values(
        technique=technique, provider=provider, hours=hours, completed_on=completed_on
    )
    upload = _certification_check(values=values, evidence=evidence, now=now)
    return _edit(
        CERTIFICATION,
        row,
        user=user,
        values=values,
        upload=upload,
        on_integrity_error=Invalid(_("Check the marked fields.")),
        now=now,
    )
