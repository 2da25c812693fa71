"""Staff decisions on licences and certifications (issue 5 item 2), and what both kinds share:
the workflow is written once and driven by the kind (`LICENCE`, `CERTIFICATION`: the model,
the audit prefix, the not-found and already-decided messages, whether the therapist is
mailed). Callers import the services from `services/credentials.py`, which also holds
submitting and editing.

Rules (docs/rules.md "Therapists: credentials"):

- Only the owner edits a row; only staff decide one. A row that does not exist for the caller
  (unknown id, someone else's) is NotFound.
- A decision is pending → verified or pending → rejected (with a reason), by a named staff
  member at a time, with the row locked for update; deciding again is a Conflict
  (`already_decided`). Audited `<kind>.verified` / `<kind>.rejected`.
- A licence decision mails the therapist after the commit (plain text, no health data).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from backrelief.accounts.models import User
from backrelief.core.audit import audit_record
from backrelief.core.errors import Conflict, Invalid, NotFound
from backrelief.therapists import credentials as rules
from backrelief.therapists.access import own_profile, require_staff
from backrelief.therapists.evidence import Kind
from backrelief.therapists.models import Certification, Licence, VerificationStatus
from backrelief.therapists.selectors import listing_date

logger = logging.getLogger(__name__)

Row = TypeVar("Row", Licence, Certification)


@dataclass(frozen=True)
class CredentialKind(Generic[Row]):
    """What differs between licences and certifications in the shared workflow. Messages are
    stored untranslated (`gettext_noop`) and translated when raised."""

    name: Kind  # audit prefix and object type, evidence folder, mail template prefix
    model: type[Row]
    not_found_own: str
    not_found_staff: str
    already_decided: str  # with %(status)s
    mail_subjects: dict[str, str] | None = None  # decision status → subject; None: no mail
    reset_on_change: dict[str, tuple[str, ...]] | None = None  # field → columns cleared


LICENCE: CredentialKind[Licence] = CredentialKind(
    name="licence",
    model=Licence,
    not_found_own=gettext_noop("Licence not found. Open it from your credentials page."),
    not_found_staff=gettext_noop("Licence not found. Open it from the staff queue."),
    already_decided=gettext_noop(
        "This licence was already %(status)s. Reload the queue to see what is pending."
    ),
    mail_subjects={
        VerificationStatus.VERIFIED: gettext_noop("Your licence was verified"),
        VerificationStatus.REJECTED: gettext_noop("Your licence could not be verified"),
    },
    # a new expiry date re-arms the expiry notices (`therapists/jobs.py`)
    reset_on_change={"expires_on": ("expiry_warning_sent_at", "expired_notice_sent_at")},
)

CERTIFICATION: CredentialKind[Certification] = CredentialKind(
    name="certification",
    model=Certification,
    not_found_own=gettext_noop("Certification not found. Open it from your credentials page."),
    not_found_staff=gettext_noop("Certification not found. Open it from the staff queue."),
    already_decided=gettext_noop(
        "This certification was already %(status)s. Reload the queue to see what is pending."
    ),
)


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


# --- lookups -------------------------------------------------------------------------------------


def _key(public_id: uuid.UUID | str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(public_id))
    except ValueError:
        return None


def credential_own_locked(
    kind: CredentialKind[Row], *, user: User, public_id: uuid.UUID | str
) -> Row:
    """The caller's own row, locked for update; anyone else's (or an unknown id) is NotFound."""
    profile = own_profile(user=user)
    key = _key(public_id)
    row = (
        None
        if key is None
        else kind.model.objects.select_for_update().filter(public_id=key, therapist=profile).first()
    )
    if row is None:
        raise NotFound(_(kind.not_found_own))
    return row


def _pending_for_decision(
    kind: CredentialKind[Row], *, actor: User, public_id: uuid.UUID | str
) -> Row:
    """Staff only; the row locked for update; one already decided is a Conflict."""
    require_staff(user=actor)
    key = _key(public_id)
    row = (
        None
        if key is None
        else kind.model.objects.select_for_update()
        .select_related("therapist__user")
        .filter(public_id=key)
        .first()
    )
    if row is None:
        raise NotFound(_(kind.not_found_staff))
    if row.status != VerificationStatus.PENDING:
        raise Conflict(
            _(kind.already_decided) % {"status": row.get_status_display().lower()},
            code="already_decided",
        )
    return row


# --- decisions -----------------------------------------------------------------------------------


def _decision_record(
    kind: CredentialKind[Row],
    row: Row,
    *,
    actor: User,
    status: VerificationStatus,
    reason: str,
    now: dt.datetime,
) -> Row:
    """Record who decided and when, audit `<kind>.<status>`, mail the therapist (if the kind
    mails) after the commit."""
    row.status = status
    row.decided_by = actor
    row.decided_at = now
    row.rejection_reason = reason
    row.updated_at = now
    row.save()
    therapist_user = row.therapist.user
    audit_record(
        action=f"{kind.name}.{status.value}",
        actor=actor,
        subject=therapist_user,
        object_type=kind.name,
        object_id=str(row.public_id),
        at=now,
    )
    if kind.mail_subjects is not None:
        credential_mail_send(
            user=therapist_user,
            kind=f"{kind.name}_{status.value}",
            subject=_(kind.mail_subjects[status]),
            context={kind.name: row},
        )
    return row


def _verify(
    kind: CredentialKind[Row],
    *,
    actor: User,
    public_id: uuid.UUID | str,
    now: dt.datetime,
    check: Callable[[Row, dt.datetime], None] | None = None,
) -> Row:
    """Staff verify a pending row (issue 5 item 2); `check` may refuse it (raises) after the
    lookup and before anything is written. Call inside the caller's transaction."""
    row = _pending_for_decision(kind, actor=actor, public_id=public_id)
    if check is not None:
        check(row, now)
    return _decision_record(
        kind, row, actor=actor, status=VerificationStatus.VERIFIED, reason="", now=now
    )


def _reject(
    kind: CredentialKind[Row],
    *,
    actor: User,
    public_id: uuid.UUID | str,
    reason: str,
    now: dt.datetime,
) -> Row:
    """Staff reject a pending row with a reason the therapist sees (issue 5 item 2; ≤ 500
    characters, `reason_required`). Who may decide and whether the row is still pending are
    checked before the reason. Call inside the caller's transaction."""
    reason = reason.strip()
    reason_errors = rules.rejection_reason_errors(reason)
    row = _pending_for_decision(kind, actor=actor, public_id=public_id)
    if reason_errors:
        raise Invalid(reason_errors[0], fields={"reason": reason_errors}, code="reason_required")
    return _decision_record(
        kind, row, actor=actor, status=VerificationStatus.REJECTED, reason=reason, now=now
    )


# --- the services ---------------------------------------------------------------------------------


def _licence_current(licence: Licence, now: dt.datetime) -> None:
    """An expired licence cannot be verified (issue 5 item 2): staff reject it instead."""
    if licence.expires_on < listing_date(now):
        raise Conflict(
            _("This licence expired on %(date)s; reject it and ask for a current one.")
            % {"date": licence.expires_on.isoformat()},
            code="licence_expired",
        )


@transaction.atomic
def licence_verify(*, actor: User, public_id: uuid.UUID | str, now: dt.datetime) -> Licence:
    """Staff verify a pending licence (issue 5 item 2): records who and when, audits
    `licence.verified`, mails the therapist after the commit. Staff only (PermissionDenied);
    a licence already decided is a Conflict; an expired one cannot be verified (Conflict:
    reject it and ask for a current one)."""
    return _verify(LICENCE, actor=actor, public_id=public_id, now=now, check=_licence_current)


@transaction.atomic
def licence_reject(
    *, actor: User, public_id: uuid.UUID | str, reason: str, now: dt.datetime
) -> Licence:
    """Staff reject a pending licence with a reason the therapist sees (issue 5 item 2).
    Staff only; reason required (≤ 500 characters); already decided is a Conflict. Audited
    `licence.rejected`; the therapist is mailed the reason after the commit."""
    return _reject(LICENCE, actor=actor, public_id=public_id, reason=reason, now=now)


@transaction.atomic
def certification_verify(
    *, actor: User, public_id: uuid.UUID | str, now: dt.datetime
) -> Certification:
    """Staff verify a pending certification: who and when recorded, audited
    `certification.verified`. Staff only; already decided is a Conflict."""
    return _verify(CERTIFICATION, actor=actor, public_id=public_id, now=now)


@transaction.atomic
def certification_reject(
    *, actor: User, public_id: uuid.UUID | str, reason: str, now: dt.datetime
) -> Certification:
    """Staff reject a pending certification with a reason (≤ 500 characters). Staff only;
    already decided is a Conflict. Audited `certification.rejected`."""
    return _reject(CERTIFICATION, actor=actor, public_id=public_id, reason=reason, now=now)
