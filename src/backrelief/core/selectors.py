"""Reads of the audit log: staff search and export, and "who accessed my data" (issue 2 §8).

Audit rows hold public ids only; the access log adds the accessor's *role* (looked up by
public id) but never their email or name.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from backrelief.core.errors import Invalid
from backrelief.core.models import AuditEvent

AUDIT_PAGE_SIZE = 50
_EXPORT_CHUNK = 2000


@dataclass(frozen=True)
class Page:
    """One page of results; `number` is clamped into 1..`num_pages`."""

    rows: list[Any]
    number: int
    num_pages: int
    count: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages


def _paginate(queryset: QuerySet[AuditEvent], *, page: int | str | None, per_page: int) -> Page:
    paginator = Paginator(queryset, per_page)
    current = paginator.get_page(page)  # bad or out-of-range numbers: first / last page
    return Page(
        rows=list(current.object_list),
        number=current.number,
        num_pages=paginator.num_pages,
        count=paginator.count,
    )


def audit_query(
    *,
    subject: uuid.UUID | None = None,
    actor: uuid.UUID | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    action: str | None = None,
) -> QuerySet[AuditEvent]:
    """Audit rows matching every given filter, newest first.

    Dates are whole UTC days, both inclusive (audit times are UTC). A start after the end is
    an input error on `date_to`.
    """
    if date_from is not None and date_to is not None and date_from > date_to:
        raise Invalid(
            _("The date range is empty."),
            fields={"date_to": [_("Choose an end date on or after the start date.")]},
        )
    rows = AuditEvent.objects.all()
    if subject is not None:
        rows = rows.filter(subject_public_id=subject)
    if actor is not None:
        rows = rows.filter(actor_public_id=actor)
    if date_from is not None:
        rows = rows.filter(at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=dt.UTC))
    if date_to is not None:
        rows = rows.filter(at__lte=dt.datetime.combine(date_to, dt.time.max, tzinfo=dt.UTC))
    if action:
        rows = rows.filter(action=action)
    return rows.order_by("-at", "-id")


def audit_search(
    *,
    subject: uuid.UUID | None = None,
    actor: uuid.UUID | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    action: str | None = None,
    page: int | str | None = 1,
    per_page: int = AUDIT_PAGE_SIZE,
) -> Page:
    """One page of the staff audit search (who may call it: `core.access`)."""
    rows = audit_query(
        subject=subject, actor=actor, date_from=date_from, date_to=date_to, action=action
    )
    return _paginate(rows, page=page, per_page=per_page)


def audit_export_rows(
    *,
    subject: uuid.UUID | None = None,
    actor: uuid.UUID | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    action: str | None = None,
) -> Iterator[AuditEvent]:
    """Every matching row, streamed from the database in chunks (for the CSV export)."""
    rows = audit_query(
        subject=subject, actor=actor, date_from=date_from, date_to=date_to, action=action
    )
    return rows.iterator(chunk_size=_EXPORT_CHUNK)


def audit_count_older_than(*, cutoff: dt.datetime) -> int:
    """How many rows a purge with this cut-off would delete (for `audit purge --dry-run`)."""
    return AuditEvent.objects.filter(at__lt=cutoff).count()


@dataclass(frozen=True)
class AccessLogEntry:
    """One access to a person's data or account by someone else, as shown to that person."""

    at: dt.datetime
    actor_public_id: uuid.UUID
    actor_role: str  # "client" / "therapist" / "staff", or "" when the account is gone
    action: str
    object_type: str
    outcome: str


def access_log_for(
    *, user: Any, page: int | str | None = 1, per_page: int = AUDIT_PAGE_SIZE
) -> Page:
    """Events whose subject is `user` and whose actor is someone else, newest first (§8).

    Rows without an actor (e.g. a failed sign-in by an unknown person) are not accesses by
    someone and are left out. The accessor's IP and request id are theirs, not the person's,
    and are not shown. Rows are `AccessLogEntry`.
    """
    rows = (
        AuditEvent.objects.filter(subject_public_id=user.public_id, actor_public_id__isnull=False)
        .exclude(actor_public_id=user.public_id)
        .order_by("-at", "-id")
    )
    result = _paginate(rows, page=page, per_page=per_page)
    actor_ids = {row.actor_public_id for row in result.rows}
    roles = dict(
        get_user_model().objects.filter(public_id__in=actor_ids).values_list("public_id", "role")
    )
    entries = [
        AccessLogEntry(
            at=row.at,
            actor_public_id=row.actor_public_id,
            actor_role=roles.get(row.actor_public_id, ""),
            action=row.action,
            object_type=row.object_type,
            outcome=row.outcome,
        )
        for row in result.rows
    ]
    return Page(rows=entries, number=result.number, num_pages=result.num_pages, count=result.count)
