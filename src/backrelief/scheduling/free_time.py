"""The free-time index (issue 6 item 8): the earliest free slot of every active service.

Writers. `free_time_invalidate` is called by every service that can move a therapist's
earliest free slot, inside its own transaction: booking create / cancel / reschedule
(`services_booking`), weekly hours, date overrides, time off and the policy
(`services_availability`), services and the practice's zone (`therapists.services.profile`).
It bumps `FreeTime.generation` of the therapist's rows — and creates the rows of services
that have none, in the same statement (an upsert) — so a concurrent recomputation that read
the old data can never store its result as current.

Readers. A recomputation (`free_time_refresh`) reads `generation` first (the row exists
before it is read: insert-if-absent), then the slots with the existing machinery
(`selectors_slots.free_between`, the same computation as `slot_list`), then writes with a
conditional UPDATE `WHERE generation = <read>`. On PostgreSQL a writer's upsert either came
first (the recomputation reads the new generation and the new data) or holds the row lock
until it commits (the conditional UPDATE then finds another generation and writes nothing);
on SQLite writers are serialised.

When a row may be used (`row_is_fresh`) at `now` for a search of `days`:
- `computed_generation == generation` (nothing changed since) and `computed_at <= now`;
- a found `earliest_start` is still `>= now + min_notice` (else that slot may have passed:
  recompute; an earlier slot cannot have appeared, every change bumps the generation);
- with nothing found, `searched_until >= min(now + days, now + horizon)`: the window asked
  for was searched.
A pending hold (status held, not expired) that could expire before the slot found would free
time without any change being recorded, so such a result is stored not fresh (recomputed on
the next read).

The search window: starts in [now + notice, min(now + days, now + horizon)); searched in
growing chunks (7, 14, 28, 56 days, then the rest) so a therapist with free time this week
costs two queries. Recomputations always search SEARCH_DAYS_MAX days (the window moves with
the clock: a row that found nothing in exactly the 14 days asked for would be out of date a
second later), and a search of fewer days reads a start beyond its window as "nothing free".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F, Q

from backrelief.scheduling.models import Booking, BookingStatus, FreeTime, SchedulingPolicy
from backrelief.therapists.models import Service

# The window a search may ask for, in days of 24 hours from now (GET /api/v1/slots/earliest).
SEARCH_DAYS_DEFAULT = 14
SEARCH_DAYS_MAX = 60
# Growing chunk ends, in days from now: cheap when a slot is free soon.
_CHUNK_DAYS = (7, 14, 28, 56)
# The largest minimum notice a policy allows (SchedulingPolicy: 0-20,160 minutes).
_MAX_NOTICE_MINUTES = 20_160


@dataclass(frozen=True)
class Earliest:
    """The result of one computation: the first free start (None: none) among starts before
    `searched_until`; `holds_pending`: a hold could expire and free time earlier."""

    start: dt.datetime | None
    searched_until: dt.datetime
    holds_pending: bool


def free_time_invalidate(*, therapist_id: int) -> None:
    """Mark the therapist's indexed earliest slots out of date (one upsert, no commit): every
    service of the therapist gets a row whose generation is bumped, so a computation that
    started before this change cannot store its result as current (module docstring).

    Rows are locked in ascending service id, as `free_time_refresh` writes them: on
    PostgreSQL a booking's transaction and a recomputation's that locked two rows of one
    therapist in opposite orders deadlocked, and the booking failed with a server error."""
    table = FreeTime._meta.db_table
    service_table = Service._meta.db_table
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(table)} (service_id, therapist_id, generation) "  # noqa: S608
            f"SELECT id, therapist_id, 1 FROM {qn(service_table)} WHERE therapist_id = %s "
            f"ORDER BY id "
            f"ON CONFLICT (service_id) DO UPDATE SET generation = {qn(table)}.generation + 1",
            [therapist_id],
        )


def window_end(*, policy: SchedulingPolicy, now: dt.datetime, days: int) -> dt.datetime:
    """The end (excluded) of the starts a search of `days` may report: the booking horizon
    caps it."""
    return now + dt.timedelta(days=min(days, policy.horizon_days))


def earliest_compute(
    *, service: Service, policy: SchedulingPolicy, now: dt.datetime, days: int
) -> Earliest:
    """The first free start of `service` in [now + notice, window_end) — the same slots as
    `slot_list` (selectors_slots.free_between) — plus whether a pending hold could change it.
    `service.therapist` must be loaded. Two queries per chunk searched, one for holds."""
    from backrelief.scheduling.selectors_slots import free_between

    end = window_end(policy=policy, now=now, days=days)
    lo = now
    found: dt.datetime | None = None
    for chunk in (*_CHUNK_DAYS, None):
        hi = end if chunk is None else min(end, now + dt.timedelta(days=chunk))
        if hi <= lo:
            continue
        slots, _, _ = free_between(service=service, policy=policy, lo=lo, hi=hi, now=now)
        if slots:
            found = slots[0].start
            break
        lo = hi
        if lo >= end:
            break
    holds = (
        Booking.objects.filter(
            therapist_id=service.therapist_id,
            status=BookingStatus.HELD,
            held_until__gte=now,
            start__lt=found or end,
        )
        .filter(Q(blocked_until__gt=now))
        .exists()
    )
    return Earliest(start=found, searched_until=end, holds_pending=holds)


def row_is_fresh(
    *,
    generation: int | None,
    computed_generation: int | None,
    computed_at: dt.datetime | None,
    earliest_start: dt.datetime | None,
    searched_until: dt.datetime | None,
    min_notice_minutes: int,
    horizon_days: int,
    now: dt.datetime,
    days: int,
) -> bool:
    """Whether an index row answers a search of `days` at `now` (module docstring)."""
    if generation is None or computed_generation != generation or computed_at is None:
        return False
    if computed_at > now:
        return False
    if earliest_start is not None:
        return earliest_start >= now + dt.timedelta(minutes=min_notice_minutes)
    if searched_until is None:
        return False
    return searched_until >= now + dt.timedelta(days=min(days, horizon_days))


def free_time_rows_ensure(*, services: Iterable[tuple[int, int]]) -> None:
    """Insert-if-absent the rows of (service id, therapist id) pairs (not fresh: no computed
    generation). A row must exist before its generation is read (module docstring)."""
    rows = [FreeTime(service_id=s, therapist_id=t) for s, t in sorted(services)]  # lock order
    if rows:
        FreeTime.objects.bulk_create(rows, ignore_conflicts=True)


def free_time_store(
    *, service_id: int, generation: int, result: Earliest, now: dt.datetime
) -> bool:
    """Write a computed result when the generation read before computing is still current
    (conditional UPDATE). Stored not fresh when a pending hold could change it. Returns
    whether the row was written."""
    return bool(
        FreeTime.objects.filter(service_id=service_id, generation=generation).update(
            earliest_start=result.start,
            searched_until=result.searched_until,
            computed_at=now,
            computed_generation=None if result.holds_pending else generation,
        )
    )


def _policy(service: Service) -> SchedulingPolicy:
    from backrelief.scheduling.selectors_slots import policy_or_defaults

    return policy_or_defaults(therapist=service.therapist)


def free_time_refresh(
    *, services: Iterable[Service], now: dt.datetime, days: int
) -> dict[int, Earliest]:
    """Recompute the earliest free start of each service (therapist and policy loaded, e.g.
    `select_related("therapist", "therapist__scheduling_policy")`) and store each result
    that is still current. The rows must exist; the generation is read before the slots.
    Returns the fresh results by service id (correct for `now` even when not stored)."""
    services = list(services)
    if not services:
        return {}
    generations = dict(
        FreeTime.objects.filter(service_id__in=[s.pk for s in services]).values_list(
            "service_id", "generation"
        )
    )
    results: dict[int, Earliest] = {}
    for service in services:
        results[service.pk] = earliest_compute(
            service=service, policy=_policy(service), now=now, days=days
        )
    # Every result written in one short transaction (one commit on SQLite), after computing:
    # the write lock is never held while slots are computed. In ascending service id, the
    # order `free_time_invalidate` locks rows in (PostgreSQL: no deadlock with a booking).
    with transaction.atomic():
        for service_id, result in sorted(results.items()):
            generation = generations.get(service_id)
            if generation is not None:
                free_time_store(
                    service_id=service_id, generation=generation, result=result, now=now
                )
    return results


# How often the worker recomputes a nothing-free row that only time made short of the window.
AGED_RECOMPUTE_GAP = dt.timedelta(minutes=1)


def free_time_refresh_stale(*, now: dt.datetime, limit: int = 200) -> int:
    """One worker batch keeping the index warm (issue 6 item 8): creates the missing rows of
    the active services of listed therapists, then recomputes up to `limit` rows that are not
    fresh for a search of SEARCH_DAYS_DEFAULT days (the directory's and the API's default) —
    changed since computed (or never computed) first, then those aged out by time (their slot
    reached the notice, or the window searched without finding one no longer covers those
    days), earliest first. Returns how many were recomputed. Rows the batch does not reach,
    and a longer search's rows, are still recomputed by the search that needs them.

    Not SEARCH_DAYS_MAX: a row that found nothing in the 60 days it searched is short of a
    60-day window a second later, so the worker recomputed every such row on every pass (and
    with `limit` of them never slept), though it answers every 14-day search for 46 days."""
    from backrelief.therapists.selectors import therapist_list_listed

    listed = therapist_list_listed(now=now).values("pk")
    missing = Service.objects.filter(
        active=True, free_time__isnull=True, therapist__in=listed
    ).values_list("pk", "therapist_id")[: limit * 5]
    free_time_rows_ensure(services=list(missing))
    rows = FreeTime.objects.filter(service__active=True, therapist__in=listed).values_list(
        "service_id",
        "generation",
        "computed_generation",
        "computed_at",
        "earliest_start",
        "searched_until",
        "therapist__scheduling_policy__min_notice_minutes",
        "therapist__scheduling_policy__horizon_days",
    )
    changed = rows.filter(
        Q(computed_generation__isnull=True) | ~Q(computed_generation=F("generation"))
    ).order_by("service_id")[:limit]
    max_notice = dt.timedelta(minutes=_MAX_NOTICE_MINUTES)
    aged_found = rows.filter(
        earliest_start__isnull=False, earliest_start__lt=now + max_notice
    ).order_by("earliest_start")[: limit * 4]
    # A horizon shorter than the window leaves a nothing-free row short of it at any later
    # moment: recompute such rows at most every AGED_RECOMPUTE_GAP (searches still do at once).
    aged_none = rows.filter(
        earliest_start__isnull=True,
        computed_generation__isnull=False,
        searched_until__lt=now + dt.timedelta(days=SEARCH_DAYS_DEFAULT),
        computed_at__lt=now - AGED_RECOMPUTE_GAP,
    ).order_by("searched_until")[: limit * 4]
    defaults = SchedulingPolicy()
    stale: dict[int, None] = {}
    for query in (changed, aged_found, aged_none):
        for service_id, gen, cgen, at, start, until, notice, horizon in query:
            if len(stale) >= limit:
                break
            fresh = row_is_fresh(
                generation=gen,
                computed_generation=cgen,
                computed_at=at,
                earliest_start=start,
                searched_until=until,
                min_notice_minutes=defaults.min_notice_minutes if notice is None else notice,
                horizon_days=defaults.horizon_days if horizon is None else horizon,
                now=now,
                days=SEARCH_DAYS_DEFAULT,
            )
            if not fresh:
                stale[service_id] = None
    if not stale:
        return 0
    services = Service.objects.select_related("therapist", "therapist__scheduling_policy").filter(
        pk__in=list(stale)
    )
    free_time_refresh(services=services, now=now, days=SEARCH_DAYS_MAX)
    return len(stale)
