"""Directory search (issue 5 item 4): listed therapists filtered, matched to the viewer's
assessment, ordered and paginated. The page and `GET /api/v1/therapists` both call
`directory_search` (STYLE rule 1).

How one search runs, in at most three queries whatever the number of therapists:

1. Candidates: listed therapists only (`selectors.listed_q`), filtered in SQL — technique and
   price via Exists on active services (the same service must match both), language via
   Exists on TherapistLanguage, gender, mode, and for distance a bounding-box prefilter on the
   indexed latitude/longitude columns (`geo.bounding_box`; across the antimeridian two
   longitude ranges joined with OR). Only the columns needed, as `.values()`.
2. The candidates' active services, each with the therapist's *verified* years of experience
   in that technique (a subquery: experience counts only while a verified certification in
   the technique exists, docs/rules.md "Therapists").
   Then in Python: exact haversine distance against the search radius (in-clinic) or the
   therapist's travel radius (mobile), `matching.rank_matches` (AVOID techniques never
   offered), and the page of 20.
3. The page's languages.

"Earliest available" (issue 6 item 8; sort `earliest`): the default order first, then a stable
sort by the earliest free start within `EARLIEST_DAYS` of a service matching the technique
and price filters and offered to this viewer (never AVOID), from the free-time index
(`scheduling.selectors_free_time`); those with nothing free in that window, or not known yet,
come after in the default order. Four queries when the index is warm (candidates, their
services or the shown page's, the index rows, the languages); stale rows are recomputed on
the spot, a bounded number per request.

Mode (project decision): `in_clinic` = practises in a clinic within the search radius;
`mobile` = travels to you, i.e. the place lies within the therapist's own travel radius (the
search radius does not apply: they come to you); `any` = either.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from backrelief.catalog.data.techniques import TECHNIQUE_CODES
from backrelief.core.errors import Invalid
from backrelief.therapists import geo
from backrelief.therapists.data import ranking
from backrelief.therapists.matching import (
    Candidate,
    Match,
    ServiceOffer,
    ViewerAdvice,
    match,
    rank_matches,
)
from backrelief.therapists.models import (
    Certification,
    Gender,
    Service,
    TechniqueExperience,
    TherapistLanguage,
    TherapistProfile,
    VerificationStatus,
)
from backrelief.therapists.rating import Rating
from backrelief.therapists.selectors import listed_q

if TYPE_CHECKING:
    from backrelief.scheduling.selectors_free_time import ServiceEarliest

PAGE_SIZE = 20
RADIUS_MIN_KM, RADIUS_MAX_KM, RADIUS_DEFAULT_KM = 1, 200, 25
MAX_TRAVEL_RADIUS_KM = 200  # the model's upper bound for travel_radius_km
PRICE_MAX = Decimal("10000")  # the model's upper bound (10,000.00 in minor units)
MODE_ANY, MODE_IN_CLINIC, MODE_MOBILE = "any", "in_clinic", "mobile"
MODES: dict[str, str] = {
    MODE_ANY: "In a clinic or at your place",
    MODE_IN_CLINIC: "In a clinic",
    MODE_MOBILE: "At your place (mobile)",
}
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
# Above this many candidates the services query takes the candidate filter as a subquery
# rather than a list of ids (keeps the statement small).
_ID_LIST_LIMIT = 2000
# "Earliest available" (issue 6 item 8): an order of the directory beside those of
# data/ranking.py, and the window it looks in (days of 24 hours from now).
SORT_EARLIEST = "earliest"
SORTS: dict[str, str] = {**ranking.SORTS, SORT_EARLIEST: "Earliest available"}
EARLIEST_DAYS = 14


@dataclass(frozen=True)
class DirectoryFilters:
    """What a search asks for (already parsed by a form or schema; checked again here).
    Prices are in the currency's major unit (euros, pounds...) and compared with each
    service's price in its own currency."""

    technique: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    radius_km: int = RADIUS_DEFAULT_KM
    language: str | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    gender: str | None = None
    mode: str = MODE_ANY
    sort: str = ranking.SORT_BEST
    page: int = 1

    @property
    def has_place(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def directory_filters_check(filters: DirectoryFilters) -> None:
    """Invalid naming every bad field at once (issue 5 "bad input gets specific errors"):
    unknown technique, coordinates out of range (named `lat` or `lon`) or only one of them,
    radius outside 1-200, unknown language code, negative price or min above max, unknown
    gender, mode or sort, page below 1."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if filters.technique is not None and filters.technique not in TECHNIQUE_CODES:
        add("technique", "Unknown technique. Choose one from the list.")
    if (filters.latitude is None) != (filters.longitude is None):
        add("lat" if filters.latitude is None else "lon", "Give both latitude and longitude.")
    elif filters.has_place:
        try:
            geo.check_coordinates(filters.latitude, filters.longitude)  # type: ignore[arg-type]
        except ValueError as exc:
            lat_ok = -90 <= filters.latitude <= 90  # type: ignore[operator]
            add("lon" if lat_ok else "lat", str(exc))
    if not RADIUS_MIN_KM <= filters.radius_km <= RADIUS_MAX_KM:
        add("radius_km", f"Radius out of range: choose {RADIUS_MIN_KM} to {RADIUS_MAX_KM} km.")
    if filters.language is not None and not _LANGUAGE_CODE.match(filters.language):
        add("language", "Unknown language. Choose one from the list.")
    for name in ("price_min", "price_max"):
        value = getattr(filters, name)
        if value is not None and (not value.is_finite() or value < 0):
            add(name, "Enter a price of 0 or more.")
        elif value is not None and value > PRICE_MAX:
            add(name, f"Enter a price of at most {PRICE_MAX}.")
    if (
        filters.price_min is not None
        and filters.price_max is not None
        and "price_min" not in errors
        and "price_max" not in errors
        and filters.price_min > filters.price_max
    ):
        add("price_max", "The maximum price must be at least the minimum price.")
    if filters.gender is not None and filters.gender not in {g for g in Gender.values if g}:
        add("gender", "Unknown gender. Choose one from the list.")
    if filters.mode not in MODES:
        add("mode", "Choose in a clinic, at your place, or either.")
    if filters.sort not in SORTS:
        add("sort", "Unknown sort order. Choose one from the list.")
    if filters.page < 1:
        add("page", "Pages start at 1.")
    if errors:
        raise Invalid("Some search fields are not valid.", fields=errors)


@dataclass(frozen=True)
class DirectoryResult:
    """One result card (the page and the API render the same figures)."""

    public_id: str
    display_name: str
    photo_url: str | None
    why: str
    why_parts: tuple[str, ...]
    distance_km: float | None
    rating: Rating
    services: tuple[ServiceOffer, ...]  # offered to this viewer only (never AVOID)
    languages: tuple[str, ...]
    in_clinic: bool
    mobile: bool
    travel_radius_km: int | None
    fit_rank: int | None
    # Sort "earliest available" only: the first free start within EARLIEST_DAYS (None:
    # nothing free, or not known yet when `next_free_known` is False) and its service.
    next_free: dt.datetime | None = None
    next_free_service_id: str | None = None
    next_free_known: bool = True
    therapist_time_zone: str = "UTC"


@dataclass(frozen=True)
class DirectoryPage:
    results: tuple[DirectoryResult, ...]
    count: int
    page: int
    num_pages: int
    page_size: int
    personalised: bool
    ranking_version: str = ranking.DIRECTORY_RANKING_VERSION
    filters: DirectoryFilters = field(default_factory=DirectoryFilters)

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def number(self) -> int:  # the shared pagination partial's name for it
        return self.page


def _minor(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def _service_q(filters: DirectoryFilters) -> Q | None:
    """Technique and price on the *same* active service."""
    q = Q()
    if filters.technique is not None:
        q &= Q(technique=filters.technique)
    if filters.price_min is not None:
        q &= Q(price_minor__gte=_minor(filters.price_min))
    if filters.price_max is not None:
        q &= Q(price_minor__lte=_minor(filters.price_max))
    return q if q.children else None


def _box_q(box: geo.BoundingBox) -> Q:
    lon = Q()
    for lo, hi in box.lon_ranges:
        lon |= Q(longitude__gte=lo, longitude__lte=hi)
    return Q(latitude__gte=box.min_lat, latitude__lte=box.max_lat) & lon


def directory_box_q(*, latitude: float, longitude: float, radius_km: float) -> Q:
    """The bounding-box prefilter of the points within `radius_km` (the exact haversine check
    follows in Python); shared with the earliest-availability search (scheduling)."""
    return _box_q(geo.bounding_box(latitude, longitude, radius_km))


def _distance_q(filters: DirectoryFilters) -> Q:
    """Bounding-box prefilter for the mode: in-clinic within the search radius, mobile within
    the widest possible travel radius (the exact check per therapist happens in Python).

    For "any" the outer (mobile) box is one top-level range on the latitude/longitude index and
    the in-clinic box narrows inside it, so the database scans the index once instead of twice
    (an OR of two boxes at the top level scans it per box)."""
    lat, lon = filters.latitude, filters.longitude
    if lat is None or lon is None:
        raise ValueError("a distance filter needs a place")
    clinic_box = _box_q(geo.bounding_box(lat, lon, filters.radius_km))
    if filters.mode == MODE_IN_CLINIC:
        return Q(in_clinic=True) & clinic_box
    travel_box = _box_q(geo.bounding_box(lat, lon, max(MAX_TRAVEL_RADIUS_KM, filters.radius_km)))
    if filters.mode == MODE_MOBILE:
        return Q(mobile=True) & travel_box
    return travel_box & ((Q(in_clinic=True) & clinic_box) | Q(mobile=True))


def _candidate_filter(filters: DirectoryFilters, *, now: dt.datetime) -> Q:
    # The distance box first: it is the one term an index narrows.
    q = _distance_q(filters) & listed_q(now=now) if filters.has_place else listed_q(now=now)
    service_q = _service_q(filters)
    services = Service.objects.filter(therapist=OuterRef("pk"), active=True)
    q &= Q(Exists(services.filter(service_q) if service_q is not None else services))
    if filters.language is not None:
        q &= Q(
            Exists(
                TherapistLanguage.objects.filter(therapist=OuterRef("pk"), code=filters.language)
            )
        )
    if filters.gender is not None:
        q &= Q(gender=filters.gender)
    if not filters.has_place and filters.mode == MODE_IN_CLINIC:
        q &= Q(in_clinic=True)
    elif not filters.has_place and filters.mode == MODE_MOBILE:
        q &= Q(mobile=True)
    return q


_COLUMNS = (
    "id",
    "public_id",
    "display_name",
    "time_zone",
    "photo_name",
    "latitude",
    "longitude",
    "in_clinic",
    "mobile",
    "travel_radius_km",
    "review_count",
    "review_sum",
)


def _fetch(queryset: QuerySet[Any], columns: tuple[str, ...]) -> list[dict[str, Any]]:
    """Rows of `queryset.values_list(*columns)` as dicts, read with the database cursor.

    The SQL is the ORM's; only Django's per-value converters are skipped (they cost more than
    the query for the few thousand rows of a city search). Booleans may come back as 0/1 and
    UUIDs as hex text on SQLite: callers read them with bool() and `uuid.UUID(str(...))`."""
    sql, params = queryset.values_list(*columns).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _within(row: dict[str, Any], distance: float, filters: DirectoryFilters) -> bool:
    """The exact distance rule for the mode (module docstring)."""
    clinic = bool(row["in_clinic"]) and distance <= filters.radius_km
    travel = row["travel_radius_km"] or 0
    mobile = bool(row["mobile"]) and distance <= travel
    if filters.mode == MODE_IN_CLINIC:
        return clinic
    if filters.mode == MODE_MOBILE:
        return mobile
    return clinic or mobile


def _verified_years(*, therapist: str, technique: str | OuterRef) -> Subquery:
    """Years of experience of the outer row's therapist in `technique`, counted only while a
    verified certification in that technique exists (else NULL)."""
    certified = Certification.objects.filter(
        therapist=OuterRef("therapist_id"),
        technique=OuterRef("technique"),
        status=VerificationStatus.VERIFIED,
    )
    return Subquery(
        TechniqueExperience.objects.filter(therapist=OuterRef(therapist), technique=technique)
        .filter(Exists(certified))
        .values("years")[:1]
    )


def _services_by_therapist(
    ids: list[int], candidate_q: Q, *, with_years: bool
) -> tuple[dict[int, list[ServiceOffer]], dict[int, dict[str, int]]]:
    """The active services of the candidates, and (`with_years`) the verified years per
    technique they offer."""
    rows = Service.objects.filter(active=True)
    if len(ids) <= _ID_LIST_LIMIT:
        rows = rows.filter(therapist_id__in=ids)
    else:
        rows = rows.filter(
            therapist_id__in=TherapistProfile.objects.filter(candidate_q).values("id")
        )
    columns: tuple[str, ...] = ("therapist_id", "technique", "duration_min", "price_minor")
    columns += ("currency",)
    if with_years:
        rows = rows.annotate(
            verified_years=_verified_years(
                therapist="therapist_id", technique=OuterRef("technique")
            )
        )
        columns += ("verified_years",)
    services: dict[int, list[ServiceOffer]] = defaultdict(list)
    years: dict[int, dict[str, int]] = defaultdict(dict)
    for row in _fetch(rows.order_by(), columns):
        services[row["therapist_id"]].append(
            ServiceOffer(row["technique"], row["duration_min"], row["price_minor"], row["currency"])
        )
        if row.get("verified_years"):
            years[row["therapist_id"]][row["technique"]] = int(row["verified_years"])
    return services, years


def _uuid_text(value: Any) -> str:
    """A public id as canonical text whether the driver gave a UUID or SQLite's hex text."""
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))


def _photo_url(row: dict[str, Any]) -> str | None:
    if not row["photo_name"]:
        return None
    try:
        from backrelief.therapists.photos import photo_url
    except ImportError:  # the profile area adds photos; until then, no photo
        return None
    profile = TherapistProfile(public_id=uuid.UUID(_uuid_text(row["public_id"])))
    profile.photo_name = row["photo_name"]
    return photo_url(profile)


def directory_search(
    *,
    filters: DirectoryFilters,
    viewer_advice: ViewerAdvice | None,
    now: dt.datetime,
) -> DirectoryPage:
    """Listed therapists matching `filters`, ordered for this viewer (`matching`): module
    docstring for the steps and the three-query budget. A page past the end gives the last
    page. Invalid for bad filters (`directory_filters_check`)."""
    directory_filters_check(filters)
    candidate_q = _candidate_filter(filters, now=now)
    technique = filters.technique
    candidates_qs = TherapistProfile.objects.filter(candidate_q)
    columns: tuple[str, ...] = _COLUMNS
    if technique is not None:
        # With a technique asked for, ranking needs nothing else from the services: the fit is
        # that technique (matching.match); its verified experience (only the personal order
        # uses it) and its lowest price (only the price order) come with the candidate row.
        # All services, and the experience the why-line names, are read for the shown page.
        personal = viewer_advice is not None and viewer_advice.personalises
        if personal and filters.sort == ranking.SORT_BEST:
            candidates_qs = candidates_qs.annotate(
                technique_years=_verified_years(therapist="pk", technique=technique)
            )
            columns += ("technique_years",)
        if filters.sort == ranking.SORT_PRICE:
            candidates_qs = candidates_qs.annotate(
                technique_price=Subquery(
                    Service.objects.filter(
                        _service_q(filters) or Q(), therapist=OuterRef("pk"), active=True
                    )
                    .order_by("price_minor")
                    .values("price_minor")[:1]
                )
            )
            columns += ("technique_price",)
    rows: dict[int, dict[str, Any]] = {}
    distances: dict[int, float | None] = {}
    for row in _fetch(candidates_qs, columns):
        distance: float | None = None
        if filters.has_place:
            distance = geo.haversine_km(
                filters.latitude,  # type: ignore[arg-type]
                filters.longitude,  # type: ignore[arg-type]
                row["latitude"],
                row["longitude"],
            )
            if not _within(row, distance, filters):
                continue
        rows[row["id"]] = row
        distances[row["id"]] = distance
    if technique is None:
        services, years = (
            _services_by_therapist(list(rows), candidate_q, with_years=True) if rows else ({}, {})
        )
    else:
        # The asked technique's cheapest service stands for the therapist while ranking.
        stand_in = [ServiceOffer(technique, 0, 0, "")]
        services = {
            pk: [ServiceOffer(technique, 0, row["technique_price"] or 0, "")]
            if "technique_price" in row
            else stand_in
            for pk, row in rows.items()
        }
        years = {
            pk: {technique: int(row["technique_years"])}
            for pk, row in rows.items()
            if row.get("technique_years")
        }
    # Candidates carry the public id as the driver gave it (hex text on SQLite); it only breaks
    # ties, and both spellings sort alike. The page's ids are made canonical in `_result`.
    by_public_id = {str(row["public_id"]): pk for pk, row in rows.items()}
    candidates = (
        Candidate(
            public_id=str(row["public_id"]),
            display_name=row["display_name"],
            services=tuple(services.get(pk, ())),
            verified_years=years.get(pk, {}),
            review_count=row["review_count"],
            review_sum=row["review_sum"],
            distance_km=distances[pk],
        )
        for pk, row in rows.items()
    )
    earliest_sort = filters.sort == SORT_EARLIEST
    matches = rank_matches(
        candidates,
        advice=viewer_advice,
        sort=ranking.SORT_BEST if earliest_sort else filters.sort,
        technique=technique,
    )
    next_free: dict[int, ServiceEarliest | None] = {}
    if earliest_sort:
        matches, next_free = _order_by_earliest(
            matches, by_public_id, filters=filters, candidate_q=candidate_q, now=now
        )
    count = len(matches)
    num_pages = max(1, math.ceil(count / PAGE_SIZE))
    page = min(filters.page, num_pages)
    shown = matches[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    page_ids = [by_public_id[m.candidate.public_id] for m in shown]
    if technique is not None and page_ids:
        # The page again with every service and the verified experience: the same order, the
        # full why-line and the services offered.
        services, years = _services_by_therapist(page_ids, candidate_q, with_years=True)
        shown = [
            match(
                replace(
                    m.candidate,
                    services=tuple(services.get(pk, ())),
                    verified_years=years.get(pk, {}),
                ),
                advice=viewer_advice,
                technique=technique,
            )
            or m
            for m, pk in zip(shown, page_ids, strict=True)
        ]
    languages = _languages(page_ids)
    results = tuple(
        _result(m, rows[pk], languages.get(pk, ()), next_free.get(pk))
        for m, pk in zip(shown, page_ids, strict=True)
    )
    return DirectoryPage(
        results=results,
        count=count,
        page=page,
        num_pages=num_pages,
        page_size=PAGE_SIZE,
        personalised=viewer_advice is not None and viewer_advice.personalises,
        filters=filters,
    )


def _languages(ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    ids = list(ids)
    if not ids:
        return {}
    found: dict[int, list[str]] = defaultdict(list)
    for therapist_id, code in (
        TherapistLanguage.objects.filter(therapist_id__in=ids)
        .order_by("code")
        .values_list("therapist_id", "code")
    ):
        found[therapist_id].append(code)
    return {k: tuple(v) for k, v in found.items()}


def _order_by_earliest(
    matches: list[Match],
    by_public_id: dict[str, int],
    *,
    filters: DirectoryFilters,
    candidate_q: Q,
    now: dt.datetime,
) -> tuple[list[Match], dict[int, ServiceEarliest | None]]:
    """`matches` (in the default order) stably re-ordered by the earliest free start of a
    service that matches the filters and is offered to the viewer; with that start by
    therapist id (module docstring). One query when the index is warm."""
    from backrelief.scheduling.selectors_free_time import (
        best_of,
        earliest_order_key,
        therapist_earliest_map,
    )

    ids = [by_public_id[m.candidate.public_id] for m in matches]
    # Stale rows are recomputed in the default order: the likeliest first page first.
    priority = {pk: float(rank) for rank, pk in enumerate(ids)}
    therapists: list[int] | QuerySet[Any] = ids
    if len(ids) > _ID_LIST_LIMIT:
        therapists = TherapistProfile.objects.filter(candidate_q).values("id")
    found = therapist_earliest_map(
        therapists=therapists,
        service_q=_service_q(filters),
        now=now,
        days=EARLIEST_DAYS,
        priority=priority,
    )
    best: dict[int, ServiceEarliest | None] = {}
    for m, pk in zip(matches, ids, strict=True):
        offered = {s.technique for s in m.offered}
        best[pk] = best_of([i for i in found.get(pk, []) if i.technique in offered])
    order = sorted(range(len(matches)), key=lambda n: earliest_order_key(best[ids[n]]))
    return [matches[n] for n in order], best


def _result(
    m: Match,
    row: dict[str, Any],
    languages: tuple[str, ...],
    next_free: ServiceEarliest | None = None,
) -> DirectoryResult:
    return DirectoryResult(
        public_id=_uuid_text(row["public_id"]),
        display_name=row["display_name"],
        photo_url=_photo_url(row),
        why=m.why,
        why_parts=m.why_parts,
        distance_km=m.candidate.distance_km,
        rating=m.rating,
        services=m.offered,
        languages=languages,
        in_clinic=bool(row["in_clinic"]),
        mobile=bool(row["mobile"]),
        travel_radius_km=row["travel_radius_km"],
        fit_rank=m.fit_rank,
        next_free=None if next_free is None else next_free.start,
        next_free_service_id=None if next_free is None else str(next_free.service_public_id),
        next_free_known=next_free is None or next_free.known,
        therapist_time_zone=row["time_zone"],
    )


@dataclass(frozen=True)
class ViewerAssessment:
    """What the directory shows about the viewer's own latest assessment (never in a URL)."""

    public_id: str
    assessed_on: dt.date
    advice: ViewerAdvice
    blocks_booking: bool
    triage_message: str


def directory_viewer_assessment(*, user: Any) -> ViewerAssessment | None:
    """The signed-in client's latest assessment as the directory uses it, or None (anonymous,
    not a client, or no assessment yet). The owner reading their own data is not audited."""
    from backrelief.accounts.models import Role
    from backrelief.assessment.selectors import assessment_latest_for_owner
    from backrelief.therapists.matching import advice_from_result

    if user is None or not getattr(user, "is_authenticated", False) or user.role != Role.CLIENT:
        return None
    latest = assessment_latest_for_owner(owner=user)
    if latest is None:
        return None
    advice = advice_from_result(latest.result)
    triage = latest.result.get("triage") or {}
    return ViewerAssessment(
        public_id=str(latest.public_id),
        assessed_on=latest.assessed_on,
        advice=advice,
        blocks_booking=advice.blocks_booking,
        triage_message=str(triage.get("message") or ""),
    )
