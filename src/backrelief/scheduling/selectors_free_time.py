"""Reads of the free-time index (issue 6 item 8): "earliest available" for the public search
`GET /api/v1/slots/earliest` and the directory's sort.

One query reads the services asked for together with their index rows and their
therapist's policy (`service_earliest_list`); rows that are fresh (`free_time.row_is_fresh`)
answer directly. Stale rows are recomputed on the spot, at most `REFRESH_LIMIT` per request
(nearest therapists first) and stored when still current; any further stale ones are
reported as not known yet (`known=False`), never with a time that may be wrong. The worker
(`free_time.free_time_refresh_stale`) keeps the index warm so a search rarely recomputes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from backrelief.catalog.data.techniques import TECHNIQUE_CODES
from backrelief.core.errors import Invalid
from backrelief.scheduling.free_time import (
    SEARCH_DAYS_DEFAULT,
    SEARCH_DAYS_MAX,
    free_time_refresh,
    free_time_rows_ensure,
    row_is_fresh,
)
from backrelief.scheduling.models import SchedulingPolicy
from backrelief.therapists.models import Service

# Stale index rows one request may recompute; the rest are reported as not known yet.
REFRESH_LIMIT = 25
EARLIEST_RADIUS_MIN_KM, EARLIEST_RADIUS_MAX_KM = 1, 200  # as the directory
EARLIEST_LIMIT_DEFAULT, EARLIEST_LIMIT_MAX = 20, 100

_COLUMNS = (
    "pk",
    "public_id",
    "therapist_id",
    "technique",
    "duration_min",
    "free_time__generation",
    "free_time__computed_generation",
    "free_time__computed_at",
    "free_time__earliest_start",
    "free_time__searched_until",
    "therapist__scheduling_policy__min_notice_minutes",
    "therapist__scheduling_policy__horizon_days",
)


@dataclass(frozen=True)
class ServiceEarliest:
    """One service's earliest free start within the window: `start` None with `known` True
    means nothing free; `known` False means not computed in this request (see module)."""

    service_id: int
    service_public_id: uuid.UUID
    therapist_id: int
    technique: str
    duration_min: int
    start: dt.datetime | None
    known: bool
    extra: Mapping[str, Any]


def service_earliest_list(
    *,
    services: QuerySet[Service],
    now: dt.datetime,
    days: int,
    priority: Mapping[int, float] | None = None,
    extra: tuple[str, ...] = (),
    keep: Callable[[dict[str, Any]], bool] | None = None,
    refresh_limit: int = REFRESH_LIMIT,
) -> list[ServiceEarliest]:
    """The earliest free start within `days` of each service of `services`, from the index:
    one query when every row is fresh; stale rows are recomputed up to `refresh_limit`, in the
    order of `priority` (by therapist id, lowest first). `extra` columns of the services query
    come back in `ServiceEarliest.extra`; `keep` drops rows (by their columns) before anything
    is recomputed."""
    defaults = SchedulingPolicy()
    columns = _COLUMNS + extra
    rows = [dict(zip(columns, values, strict=True)) for values in services.values_list(*columns)]
    if keep is not None:
        rows = [row for row in rows if keep(row)]
    results: dict[int, ServiceEarliest] = {}
    stale: list[dict[str, Any]] = []
    for row in rows:
        notice = row["therapist__scheduling_policy__min_notice_minutes"]
        horizon = row["therapist__scheduling_policy__horizon_days"]
        start = row["free_time__earliest_start"]
        fresh = row_is_fresh(
            generation=row["free_time__generation"],
            computed_generation=row["free_time__computed_generation"],
            computed_at=row["free_time__computed_at"],
            earliest_start=start,
            searched_until=row["free_time__searched_until"],
            min_notice_minutes=defaults.min_notice_minutes if notice is None else notice,
            horizon_days=defaults.horizon_days if horizon is None else horizon,
            now=now,
            days=days,
        )
        if fresh:
            in_window = start is not None and start < now + dt.timedelta(days=days)
            results[row["pk"]] = _item(row, start if in_window else None, known=True)
        else:
            stale.append(row)
    if stale:
        rank = priority or {}
        stale.sort(key=lambda r: (rank.get(r["therapist_id"], float("inf")), r["pk"]))
        chosen = stale[:refresh_limit]
        free_time_rows_ensure(
            services=[
                (r["pk"], r["therapist_id"]) for r in chosen if r["free_time__generation"] is None
            ]
        )
        loaded = Service.objects.select_related("therapist", "therapist__scheduling_policy").filter(
            pk__in=[r["pk"] for r in chosen]
        )
        # Always the longest window: a row that found nothing in a short one would be out of
        # date a moment later (the window moves with the clock); cheap when a slot is near.
        computed = free_time_refresh(services=loaded, now=now, days=max(days, SEARCH_DAYS_MAX))
        window_end = now + dt.timedelta(days=days)
        for row in stale:
            result = computed.get(row["pk"])
            if result is None:
                results[row["pk"]] = _item(row, None, known=False)
            else:
                start = result.start if result.start and result.start < window_end else None
                results[row["pk"]] = _item(row, start, known=True)
    return [results[row["pk"]] for row in rows]


def _item(row: dict[str, Any], start: dt.datetime | None, *, known: bool) -> ServiceEarliest:
    public_id = row["public_id"]
    return ServiceEarliest(
        service_id=row["pk"],
        service_public_id=public_id
        if isinstance(public_id, uuid.UUID)
        else uuid.UUID(str(public_id)),
        therapist_id=row["therapist_id"],
        technique=row["technique"],
        duration_min=row["duration_min"],
        start=start,
        known=known,
        extra={k: v for k, v in row.items() if k not in _COLUMNS},
    )


def earliest_order_key(item: ServiceEarliest | None) -> tuple[int, dt.datetime]:
    """Free first (earliest first), then not known yet, then nothing free (or no service)."""
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    if item is None:
        return (2, far)
    if item.start is not None:
        return (0, item.start)
    return (1, far) if not item.known else (2, far)


def best_of(items: list[ServiceEarliest]) -> ServiceEarliest | None:
    """The service with the earliest start of a therapist (ties: shorter, then older id)."""
    if not items:
        return None
    return min(items, key=lambda i: (*earliest_order_key(i), i.duration_min, i.service_id))


# --- GET /api/v1/slots/earliest -------------------------------------------------------------


@dataclass(frozen=True)
class EarliestHit:
    therapist_public_id: uuid.UUID
    therapist_name: str
    therapist_time_zone: str
    service_public_id: uuid.UUID
    technique: str
    duration_min: int
    earliest_start: dt.datetime | None
    known: bool
    distance_km: float


@dataclass(frozen=True)
class EarliestSearch:
    items: list[EarliestHit]
    count: int  # therapists matching (all of them, not only the items returned)
    count_free: int  # of which with a known free start in the window
    complete: bool  # every therapist's earliest start is known
    days: int
    window_end: dt.datetime


def earliest_request_problems(
    *,
    technique: str,
    latitude: float,
    longitude: float,
    radius_km: int,
    days: int,
    limit: int,
) -> dict[str, list[str]]:
    """Every bad field of an earliest-availability search, named (nothing is queried before)."""
    from backrelief.therapists import geo

    problems: dict[str, list[str]] = {}
    if not technique:
        problems["technique"] = [_("Choose a technique.")]
    elif technique not in TECHNIQUE_CODES:
        problems["technique"] = [_("Unknown technique. Choose one from the list.")]
    for name, value, low, high in (("lat", latitude, -90, 90), ("lon", longitude, -180, 180)):
        try:
            geo.check_coordinates(value if name == "lat" else 0.0, value if name == "lon" else 0.0)
        except ValueError:
            problems[name] = [
                _("Coordinates out of range: %(name)s must lie between %(low)s and %(high)s.")
                % {"name": name, "low": low, "high": high}
            ]
    if not EARLIEST_RADIUS_MIN_KM <= radius_km <= EARLIEST_RADIUS_MAX_KM:
        problems["radius_km"] = [
            _("Radius out of range: choose %(low)s to %(high)s km.")
            % {"low": EARLIEST_RADIUS_MIN_KM, "high": EARLIEST_RADIUS_MAX_KM}
        ]
    if not 1 <= days <= SEARCH_DAYS_MAX:
        problems["days"] = [_("Choose 1 to %(n)s days.") % {"n": SEARCH_DAYS_MAX}]
    if not 1 <= limit <= EARLIEST_LIMIT_MAX:
        problems["limit"] = [_("Choose 1 to %(n)s results.") % {"n": EARLIEST_LIMIT_MAX}]
    return problems


def earliest_search(
    *,
    technique: str,
    latitude: float,
    longitude: float,
    radius_km: int,
    now: dt.datetime,
    days: int = SEARCH_DAYS_DEFAULT,
    limit: int = EARLIEST_LIMIT_DEFAULT,
) -> EarliestSearch:
    """Listed therapists with an active service of `technique` whose place (latitude,
    longitude of the profile, in a clinic or the base of a mobile therapist) lies within
    `radius_km` — the directory's bounding box in SQL, then the exact haversine distance —
    ordered by their earliest free start within `days`, then distance, name, id; those not
    known yet (more stale rows than one request recomputes; never a possibly wrong time) next,
    and those with nothing free in the window last. A therapist's start is their earliest
    service of that technique (ties: the shorter). The first `limit` are returned. Invalid
    names every bad field. One query when the index is fresh (module docstring)."""
    problems = earliest_request_problems(
        technique=technique,
        latitude=latitude,
        longitude=longitude,
        radius_km=radius_km,
        days=days,
        limit=limit,
    )
    if problems:
        raise Invalid(next(iter(problems.values()))[0], fields=problems)
    from backrelief.therapists import geo
    from backrelief.therapists.models import TherapistProfile
    from backrelief.therapists.selectors import listed_q
    from backrelief.therapists.selectors_directory import directory_box_q

    near = TherapistProfile.objects.filter(
        directory_box_q(latitude=latitude, longitude=longitude, radius_km=radius_km)
        & listed_q(now=now)
    )
    services = Service.objects.filter(
        active=True, technique=technique, therapist__in=near.values("pk")
    ).order_by()
    distances: dict[int, float] = {}

    def within(row: dict[str, Any]) -> bool:
        """The exact distance (haversine) against the radius, before anything is recomputed."""
        lat, lon = row["therapist__latitude"], row["therapist__longitude"]
        if lat is None or lon is None:
            return False
        distance = geo.haversine_km(latitude, longitude, lat, lon)
        if distance > radius_km:
            return False
        distances[row["therapist_id"]] = distance
        return True

    found = service_earliest_list(
        services=services,
        now=now,
        days=days,
        priority=distances,
        extra=(
            "therapist__public_id",
            "therapist__display_name",
            "therapist__time_zone",
            "therapist__latitude",
            "therapist__longitude",
        ),
        keep=within,
    )
    by_therapist: dict[int, list[ServiceEarliest]] = {}
    for item in found:
        by_therapist.setdefault(item.therapist_id, []).append(item)
    hits: list[tuple[tuple[Any, ...], EarliestHit]] = []
    for therapist_id, items in by_therapist.items():
        best = best_of(items)
        assert best is not None
        public_id = best.extra["therapist__public_id"]
        hit = EarliestHit(
            therapist_public_id=public_id
            if isinstance(public_id, uuid.UUID)
            else uuid.UUID(str(public_id)),
            therapist_name=best.extra["therapist__display_name"],
            therapist_time_zone=best.extra["therapist__time_zone"],
            service_public_id=best.service_public_id,
            technique=best.technique,
            duration_min=best.duration_min,
            earliest_start=best.start,
            known=best.known,
            distance_km=round(distances[therapist_id], 2),
        )
        key = (
            *earliest_order_key(best),
            hit.distance_km,
            hit.therapist_name,
            str(hit.therapist_public_id),
        )
        hits.append((key, hit))
    hits.sort(key=lambda pair: pair[0])
    ordered = [hit for _, hit in hits]
    return EarliestSearch(
        items=ordered[:limit],
        count=len(ordered),
        count_free=sum(1 for h in ordered if h.earliest_start is not None),
        complete=all(h.known for h in ordered),
        days=days,
        window_end=now + dt.timedelta(days=days),
    )


def therapist_earliest_map(
    *,
    therapists: list[int] | QuerySet[Any],
    service_q: Q | None,
    now: dt.datetime,
    days: int = SEARCH_DAYS_DEFAULT,
    priority: Mapping[int, float] | None = None,
) -> dict[int, list[ServiceEarliest]]:
    """For the directory's "earliest available" sort: the active services of the therapists
    (matching `service_q`: technique and price) with their earliest free start within `days`,
    by therapist id; `therapists` are ids or a query of ids. One query when the index is
    fresh."""
    if isinstance(therapists, list) and not therapists:
        return {}
    services = Service.objects.filter(active=True, therapist_id__in=therapists)
    if service_q is not None:
        services = services.filter(service_q)
    found = service_earliest_list(
        services=services.order_by(), now=now, days=days, priority=priority
    )
    by_therapist: dict[int, list[ServiceEarliest]] = {}
    for item in found:
        by_therapist.setdefault(item.therapist_id, []).append(item)
    return by_therapist
