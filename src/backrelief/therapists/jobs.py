"""Daily batch work for therapists (issue 5 item 2): licence expiry notices and the sweep of
evidence files no row refers to. Run by `backrelief licence_notices` once a day.

The job only *notifies*: whether a therapist is listed is decided at query time by
`selectors.listed_q` (a verified licence whose expiry date is not past), so a missed or late
run never leaves anyone listed with an expired licence.

Each notice is claimed with a conditional UPDATE (`... WHERE <sent_at> IS NULL`, one row) in
its own transaction, and the mail goes out after that commit: two workers running at once
never send the same notice twice (healthchecks' claim pattern, STYLE.md). Delivery is
therefore at most once — a failed delivery is logged and not retried.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from backrelief.therapists import credentials as rules
from backrelief.therapists.evidence import KINDS, evidence_orphans_remove
from backrelief.therapists.models import Certification, Licence, VerificationStatus
from backrelief.therapists.selectors import listing_date
from backrelief.therapists.services.credentials import credential_mail_send


@dataclass(frozen=True)
class NoticeResult:
    warnings_sent: int
    expired_sent: int


def _claim_and_mail(
    *,
    pk: int,
    claim_field: str,
    window: tuple[dt.date, dt.date],
    kind: str,
    subject: str,
    now: dt.datetime,
) -> bool:
    with transaction.atomic():
        claimed = (
            Licence.objects.filter(
                pk=pk,
                status=VerificationStatus.VERIFIED,
                expires_on__range=window,
                **{f"{claim_field}__isnull": True},
            ).update(**{claim_field: now})
            == 1
        )
        if not claimed:
            return False
        licence = Licence.objects.select_related("therapist__user").get(pk=pk)
        credential_mail_send(
            user=licence.therapist.user, kind=kind, subject=subject, context={"licence": licence}
        )
    return True


def licence_notices_send(*, now: dt.datetime) -> NoticeResult:
    """Send the 30-day warning and the expired notice, each once per licence (issue 5 item 2;
    which licences: `credentials.expiry_warning_due` / `expired_notice_due`, dates in UTC).
    A licence whose expiry date is changed gets its notices again (`licence_update`)."""
    today = listing_date(now)
    warning = rules.warning_window(today)
    expired = rules.expired_window(today)
    warning_ids = list(
        Licence.objects.filter(
            status=VerificationStatus.VERIFIED,
            expiry_warning_sent_at__isnull=True,
            expires_on__range=warning,
        )
        .order_by("expires_on", "pk")
        .values_list("pk", flat=True)
    )
    expired_ids = list(
        Licence.objects.filter(
            status=VerificationStatus.VERIFIED,
            expired_notice_sent_at__isnull=True,
            expires_on__range=expired,
        )
        .order_by("expires_on", "pk")
        .values_list("pk", flat=True)
    )
    warnings_sent = sum(
        _claim_and_mail(
            pk=pk,
            claim_field="expiry_warning_sent_at",
            window=warning,
            kind="licence_expiry_warning",
            subject=_("Your licence expires soon"),
            now=now,
        )
        for pk in warning_ids
    )
    expired_sent = sum(
        _claim_and_mail(
            pk=pk,
            claim_field="expired_notice_sent_at",
            window=expired,
            kind="licence_expired",
            subject=_("Your licence has expired"),
            now=now,
        )
        for pk in expired_ids
    )
    return NoticeResult(warnings_sent=warnings_sent, expired_sent=expired_sent)


def evidence_orphans_sweep(*, now: dt.datetime) -> int:
    """Remove evidence files that no licence or certification names (older than an hour):
    left only when a caller rolled back a transaction after the file was written."""
    referenced = {
        "licence": set(
            Licence.objects.exclude(evidence_name="").values_list("evidence_name", flat=True)
        ),
        "certification": set(
            Certification.objects.exclude(evidence_name="").values_list("evidence_name", flat=True)
        ),
    }
    return sum(
        evidence_orphans_remove(kind=kind, referenced=referenced[kind], now=now) for kind in KINDS
    )
