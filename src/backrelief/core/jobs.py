"""The job-queue claim helper: background work as database rows (STYLE.md, after healthchecks).

A queue is any model with `status`, a due-time field, `claimed_at` and `claimed_by`. Workers
claim rows with a *conditional* UPDATE: each candidate id is updated only while it is still
pending, due and unclaimed (or its claim has expired), and the worker owns the row exactly
when its UPDATE changed one row. Two workers can never both see "1": on PostgreSQL the second
UPDATE waits for the first's row lock and then re-checks the WHERE clause against the new row
(READ COMMITTED), on SQLite writers are serialised. No SELECT ... FOR UPDATE, no advisory
locks, nothing vendor-specific.

A claim is a lease (`CLAIM_LEASE`): a worker that crashed mid-batch leaves rows with an old
`claimed_at`, and any worker may take them again after the lease. A worker must therefore
finish (or release) a claimed row well within the lease; `scheduling.jobs` stops a batch
early and releases the rest when half the lease has gone.

Call these functions outside `transaction.atomic` so every claim commits at once and other
workers see it (in autocommit each UPDATE is its own transaction).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import models
from django.db.models import Q

CLAIM_LEASE = dt.timedelta(minutes=5)


def _claimable(*, now: dt.datetime, lease: dt.timedelta, pending: str, due_field: str) -> Q:
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lte=now - lease)
    return Q(status=pending, **{f"{due_field}__lte": now}) & free


def jobs_claim(
    *,
    model: type[models.Model],
    worker_id: str,
    now: dt.datetime,
    batch: int,
    lease: dt.timedelta = CLAIM_LEASE,
    pending: str = "pending",
    due_field: str = "due_at",
) -> list[int]:
    """Claim up to `batch` due rows of `model` for `worker_id`; returns their primary keys,
    oldest due first.

    A row is claimable while `status == pending`, `<due_field> <= now`, and it is unclaimed or
    its claim is older than `lease` (a crashed worker's rows come back). Candidates are read
    first, then each is claimed by `UPDATE ... SET claimed_at=now, claimed_by=worker WHERE
    pk=id AND <claimable>`; only a row count of 1 makes it ours, so two workers never own the
    same row. Reads twice the batch as candidates so rows lost to another worker are made up.
    """
    if batch <= 0:
        return []
    claimable = _claimable(now=now, lease=lease, pending=pending, due_field=due_field)
    candidates = list(
        model._default_manager.filter(claimable)
        .order_by(due_field, "pk")
        .values_list("pk", flat=True)[: batch * 2]
    )
    claimed: list[int] = []
    for pk in candidates:
        if len(claimed) >= batch:
            break
        if jobs_claim_one(
            model=model,
            pk=pk,
            worker_id=worker_id,
            now=now,
            lease=lease,
            pending=pending,
            due_field=due_field,
        ):
            claimed.append(pk)
    return claimed


def jobs_claim_one(
    *,
    model: type[models.Model],
    pk: int,
    worker_id: str,
    now: dt.datetime,
    lease: dt.timedelta = CLAIM_LEASE,
    pending: str = "pending",
    due_field: str = "due_at",
) -> bool:
    """The conditional UPDATE for one row: True when this call claimed it, False when the row
    is not (or no longer) claimable — another worker won, or it is done or not yet due."""
    claimable = _claimable(now=now, lease=lease, pending=pending, due_field=due_field)
    won = model._default_manager.filter(claimable, pk=pk).update(
        claimed_at=now, claimed_by=worker_id
    )
    return bool(won == 1)


def jobs_release(*, model: type[models.Model], worker_id: str, pks: Iterable[int]) -> int:
    """Give back rows this worker claimed but did not process (a stop signal, a batch that ran
    out of time): they become claimable at once instead of after the lease. Only rows still
    claimed by `worker_id` are touched; returns how many."""
    ids = list(pks)
    if not ids:
        return 0
    return int(
        model._default_manager.filter(pk__in=ids, claimed_by=worker_id).update(
            claimed_at=None, claimed_by=""
        )
    )
