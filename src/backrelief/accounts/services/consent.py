"""Giving and withdrawing consent, and the guards every later capability calls.

Rules (issue 2 §7; docs/adr/0006-consent-model.md):

- Consent is rows of (purpose, grantee or none, object or none, notice version, given_at,
  withdrawn_at); at most one live row per scope (DB constraint `consent_one_live_per_scope`).
- Processing one's own health data (`health_data`) is required before any health data can be
  entered: `consent_require_health_processing`.
- Sharing (`share_intake`, `share_progress`) names an active therapist as grantee and needs a
  live `health_data` consent: `consent_sharing_allowed`.
- Withdrawal is one click and effective at once. Withdrawing `health_data` also withdraws
  every live sharing consent in the same transaction: new health entries and all sharing stop.
  The person keeps read access — the guards are only for *new* entries and for sharing.
- Rows are never deleted while the account exists (history), and every change is audited
  with public ids only (`consent.given`, `consent.withdrawn`; object type `consent`).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from backrelief.accounts.consent_notice import NOTICE_VERSION
from backrelief.accounts.models import SHARING_PURPOSES, Consent, ConsentPurpose, Role, User
from backrelief.core.audit import audit_record
from backrelief.core.errors import Conflict, Invalid, NotFound, PermissionDenied

_SCOPE_MAX = 64  # Consent.object_type / object_id


def _live(
    *, user: User, purpose: str, grantee: User | None, object_type: str, object_id: str
) -> Consent | None:
    """The live row for exactly this scope, locked until the end of the transaction."""
    return (
        Consent.objects.select_for_update()
        .filter(
            user=user,
            purpose=purpose,
            grantee=grantee,
            object_type=object_type,
            object_id=object_id,
            withdrawn_at__isnull=True,
        )
        .first()
    )


def _validate_give(
    *, user: User, purpose: str, grantee: User | None, object_type: str, object_id: str
) -> None:
    errors: dict[str, list[str]] = {}
    if purpose not in ConsentPurpose.values:
        errors["purpose"] = [_("Choose one of the purposes listed on the consent page.")]
    elif purpose in SHARING_PURPOSES:
        if grantee is None:
            errors["grantee"] = [_("Name the therapist you want to share with.")]
        elif grantee.pk == user.pk:
            errors["grantee"] = [_("You cannot share with yourself; name a therapist.")]
        elif grantee.role != Role.THERAPIST or not grantee.is_active:
            errors["grantee"] = [_("You can only share with an active therapist.")]
    else:  # health_data: about one's own data, for the whole account
        if grantee is not None:
            errors["grantee"] = [_("This consent is about your own data; leave the grantee out.")]
        if object_type or object_id:
            errors["object_type"] = [_("This consent covers all your health data; no object.")]
    if bool(object_type) != bool(object_id):
        errors["object_id"] = [_("Give both an object type and an object id, or neither.")]
    if len(object_type) > _SCOPE_MAX or len(object_id) > _SCOPE_MAX:
        errors["object_id"] = [_("Use at most 64 characters.")]
    if errors:
        raise Invalid(_("The consent could not be recorded."), fields=errors)


@transaction.atomic
def consent_give(
    *,
    user: User,
    purpose: str,
    grantee: User | None = None,
    object_type: str = "",
    object_id: str = "",
    now: dt.datetime,
) -> Consent:
    """Record consent under the current notice version; returns the live row.

    Idempotent: if a live row for the same scope exists it is returned unchanged (no second
    audit row). Sharing needs a live `health_data` consent first (PermissionDenied
    `consent_required`). A concurrent duplicate that slips past the check is stopped by the
    database constraint and reported as Conflict. Issue 2 §7, ADR 0006.
    """
    _validate_give(
        user=user, purpose=purpose, grantee=grantee, object_type=object_type, object_id=object_id
    )
    if purpose in SHARING_PURPOSES:
        # Locking the health-data row orders us after a concurrent withdrawal (which locks it
        # too), so sharing can never start after health-data consent was withdrawn.
        health = _live(
            user=user,
            purpose=ConsentPurpose.HEALTH_DATA,
            grantee=None,
            object_type="",
            object_id="",
        )
        if health is None:
            raise PermissionDenied(
                _(
                    "Sharing needs your consent to processing your health data first. "
                    "Give it on your consent page (%(url)s), then try again."
                )
                % {"url": reverse("accounts:consent")},
                code="consent_required",
            )
    existing = _live(
        user=user, purpose=purpose, grantee=grantee, object_type=object_type, object_id=object_id
    )
    if existing is not None:
        return existing
    row = Consent(
        user=user,
        purpose=purpose,
        grantee=grantee,
        object_type=object_type,
        object_id=object_id,
        notice_version=NOTICE_VERSION,
        given_at=now,
    )
    try:
        # The live-scope constraint is checked below by the database itself (race-safe).
        row.full_clean(validate_constraints=False)
    except ValidationError as exc:
        raise Invalid(
            _("The consent could not be recorded."),
            fields={k: [str(m) for m in v] for k, v in exc.message_dict.items()},
        ) from None
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise Conflict(
            _("This consent was just recorded by another request; reload the page to see it.")
        ) from None
    audit_record(
        action="consent.given",
        actor=user,
        subject=user,
        object_type="consent",
        object_id=str(row.public_id),
        at=now,
    )
    return row


def _withdraw_row(row: Consent, *, actor: User, now: dt.datetime) -> None:
    # A clock a little behind `given_at` must not make withdrawal fail (CHECK constraint).
    row.withdrawn_at = max(now, row.given_at)
    row.save(update_fields=["withdrawn_at"])
    audit_record(
        action="consent.withdrawn",
        actor=actor,
        subject=row.user,
        object_type="consent",
        object_id=str(row.public_id),
        at=now,
    )


@transaction.atomic
def consent_withdraw(
    *, user: User, consent_public_id: uuid.UUID | str, now: dt.datetime
) -> Consent:
    """Withdraw one of the person's own consents, effective at once (issue 2 §7).

    Withdrawing `health_data` also withdraws every live sharing consent of the person in the
    same transaction. Withdrawing an already withdrawn consent changes nothing. Another
    person's consent (or an unknown id) does not exist: NotFound.
    """
    try:
        public_id = uuid.UUID(str(consent_public_id))
    except ValueError:
        public_id = None
    row = (
        Consent.objects.select_for_update().filter(user=user, public_id=public_id).first()
        if public_id is not None
        else None
    )
    if row is None:
        raise NotFound(_("That consent does not exist. Your consent page lists all of yours."))
    if row.withdrawn_at is not None:
        return row
    _withdraw_row(row, actor=user, now=now)
    if row.purpose == ConsentPurpose.HEALTH_DATA:
        sharing = Consent.objects.select_for_update().filter(
            user=user, purpose__in=SHARING_PURPOSES, withdrawn_at__isnull=True
        )
        for shared in sharing.order_by("id"):
            _withdraw_row(shared, actor=user, now=now)
    return row


# --- Guards: every later capability checks consent only through these (ADR 0006) -----------


def consent_has_health_processing(*, user: User) -> bool:
    """True while the person has a live consent to processing their own health data."""
    return Consent.objects.filter(
        user=user, purpose=ConsentPurpose.HEALTH_DATA, withdrawn_at__isnull=True
    ).exists()


def consent_require_health_processing(*, user: User) -> None:
    """Raise PermissionDenied (`consent_required`) unless new health data may be entered.

    Call before *creating* health entries only: after withdrawal the person keeps read access
    to what is stored (issue 2 §7).
    """
    if not consent_has_health_processing(user=user):
        raise PermissionDenied(
            _(
                "Before you enter health data, give your consent to BackRelief processing it "
                "on your consent page (%(url)s)."
            )
            % {"url": reverse("accounts:consent")},
            code="consent_required",
        )


def consent_sharing_allowed(
    *,
    owner: User,
    grantee: User,
    purpose: str,
    object_type: str = "",
    object_id: str = "",
) -> bool:
    """May `grantee` see `owner`'s data for this sharing purpose right now?

    Needs a live `health_data` consent of the owner and a live sharing consent naming the
    grantee — either for everything (no object) or for exactly this object. Issue 2 §7.
    """
    if purpose not in SHARING_PURPOSES or owner.pk == grantee.pk:
        return False
    if not consent_has_health_processing(user=owner):
        return False
    scope = Consent.objects.filter(
        user=owner, purpose=purpose, grantee=grantee, withdrawn_at__isnull=True
    )
    covers = Q(object_type="", object_id="")
    if object_type:
        covers |= Q(object_type=object_type, object_id=object_id)
    return scope.filter(covers).exists()
