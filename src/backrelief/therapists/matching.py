"""Directory matching (issue 5 item 4), pure: which services a client may be offered, how
therapists are ordered, and the line that says why each one is there.

The order and its weights are data (`therapists/data/ranking.py`, DIRECTORY_RANKING_VERSION);
this module applies them. Inputs are plain values the selector reads: the therapist's active
services, their verified years of experience per technique, their review count and sum, and
the distance from the searched place; plus the client's technique advice from their latest
assessment (`advice_from_result`).

Safety rule (issue 5 item 4, docs/rules.md "Therapists: directory"): a technique the
assessment marks AVOID is never offered to that client; a therapist who offers only AVOID
techniques is not listed for them. When the latest assessment blocks booking (triage
EMERGENCY, URGENT or NOT_SCREENED, where every technique is AVOID) the directory stays
browsable but offers no services at all and orders as for someone without an assessment.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from backrelief.catalog.data.techniques import TECHNIQUE_CODES, TECHNIQUES_BY_CODE
from backrelief.therapists.data import ranking
from backrelief.therapists.rating import Rating, rating_of

OK, MODIFY, AVOID = "OK", "MODIFY", "AVOID"
_CATALOGUE_ORDER = {code: i for i, code in enumerate(TECHNIQUE_CODES)}


@dataclass(frozen=True)
class Advice:
    """One technique's advice from the assessment: action OK/MODIFY/AVOID and its rank (None
    exactly for AVOID)."""

    action: str
    rank: int | None


@dataclass(frozen=True)
class ViewerAdvice:
    """What the directory needs from the client's latest assessment."""

    techniques: Mapping[str, Advice]
    blocks_booking: bool = False

    @property
    def personalises(self) -> bool:
        """Whether the order and the why-line use the assessment (not when booking is blocked)."""
        return not self.blocks_booking

    def allows(self, technique: str) -> bool:
        """Whether `technique` may be offered: never AVOID, nothing while booking is blocked;
        a technique the assessment does not mention is treated as AVOID (fail closed)."""
        return technique in self.allowed_techniques

    @cached_property
    def allowed_techniques(self) -> frozenset[str]:
        """The techniques that may be offered (see `allows`)."""
        if self.blocks_booking:
            return frozenset()
        return frozenset(
            code
            for code, advice in self.techniques.items()
            if advice.action != AVOID and advice.rank is not None
        )


def advice_from_result(result: Mapping[str, Any]) -> ViewerAdvice:
    """The directory's view of a stored assessment result (the `assess` contract): per
    technique its action and rank, and whether triage blocks booking. Missing or malformed
    entries count as AVOID (fail closed)."""
    techniques: dict[str, Advice] = {}
    for row in result.get("techniques") or []:
        code = row.get("technique")
        action = str(row.get("action") or AVOID).upper()
        rank = row.get("rank")
        if code in TECHNIQUES_BY_CODE and action in (OK, MODIFY) and isinstance(rank, int):
            techniques[code] = Advice(action=action, rank=rank)
        elif code in TECHNIQUES_BY_CODE:
            techniques[code] = Advice(action=AVOID, rank=None)
    blocks = bool((result.get("triage") or {}).get("blocks_booking", True))
    return ViewerAdvice(techniques=techniques, blocks_booking=blocks)


@dataclass(frozen=True)
class ServiceOffer:
    """An active service as the directory shows it (price in minor units)."""

    technique: str
    duration_min: int
    price_minor: int
    currency: str


@dataclass(frozen=True)
class Candidate:
    """A listed therapist that passed the SQL filters, as plain values."""

    public_id: str
    display_name: str
    services: tuple[ServiceOffer, ...]
    verified_years: Mapping[str, int]  # technique -> years, verified experience only
    review_count: int
    review_sum: int
    distance_km: float | None


@dataclass(frozen=True)
class Match:
    """A candidate the client may see: the services offered to them and why it is listed."""

    candidate: Candidate
    offered: tuple[ServiceOffer, ...]
    fit_technique: str | None  # best-ranked offered technique (with personal advice)
    fit_rank: int | None
    experience_technique: str | None
    experience_years: int
    rating: Rating
    points: float

    @property
    def min_price_minor(self) -> int | None:
        return min((s.price_minor for s in self.offered), default=None)

    @cached_property
    def why_parts(self) -> tuple[str, ...]:
        """The parts of "why it is there" (`why_line`); built when shown, not for every
        candidate ranked."""
        return why_line(
            fit_technique=self.fit_technique,
            fit_rank=self.fit_rank,
            experience_technique=self.experience_technique,
            experience_years=self.experience_years,
            rating=self.rating,
            distance_km=self.candidate.distance_km,
        )

    @property
    def why(self) -> str:
        """The why-line as shown: "Recommended for you: … · 4.7 from 31 reviews · 3.2 km"."""
        return " · ".join(self.why_parts)


def offered_services(
    services: Iterable[ServiceOffer], advice: ViewerAdvice | None
) -> tuple[ServiceOffer, ...]:
    """The services shown to this viewer: all of them without advice; with advice never an
    AVOID technique (and none while booking is blocked). Catalogue order, then duration."""
    keep = [s for s in services if advice is None or advice.allows(s.technique)]
    if len(keep) > 1:
        keep.sort(key=lambda s: (_CATALOGUE_ORDER.get(s.technique, 99), s.duration_min))
    return tuple(keep)


def points(*, experience_years: int, bayesian: float, distance_km: float | None) -> float:
    """Points 0-100 within one technique fit (weights in `data/ranking.py`): verified
    experience (capped), Bayesian rating, closeness. Non-decreasing in experience and rating,
    strictly decreasing in distance."""
    w = ranking.POINTS
    exp = min(max(experience_years, 0), ranking.EXPERIENCE_CAP_YEARS) / ranking.EXPERIENCE_CAP_YEARS
    rate = (min(max(bayesian, 1.0), 5.0) - 1.0) / 4.0
    near = (
        0.0 if distance_km is None else 1.0 / (1.0 + distance_km / ranking.DISTANCE_HALF_POINTS_KM)
    )
    return w["experience"] * exp + w["rating"] * rate + w["distance"] * near


def _technique_name(code: str) -> str:
    return TECHNIQUES_BY_CODE[code].name


def format_distance(km: float) -> str:
    """ "850 m" under 1 km, "3.2 km" under 100 km, "120 km" beyond."""
    if km < 1:
        return f"{max(round(km * 1000, -1), 10):.0f} m"
    if km < 100:
        return f"{km:.1f} km"
    return f"{km:.0f} km"


def why_line(
    *,
    fit_technique: str | None,
    fit_rank: int | None,
    experience_technique: str | None,
    experience_years: int,
    rating: Rating,
    distance_km: float | None,
) -> tuple[str, ...]:
    """The parts of "why it is there", joined with " · " by callers: the fit (only with
    personal advice), verified experience (when any), the rating in raw figures, distance."""
    parts: list[str] = []
    if fit_technique is not None and fit_rank is not None:
        name = _technique_name(fit_technique)
        if fit_rank == 1:
            parts.append(f"Recommended for you: {name}")
        else:
            parts.append(f"Suits your assessment: {name} (your no. {fit_rank})")
    if experience_technique is not None and experience_years > 0:
        noun = ranking.EXPERIENCE_NOUNS.get(experience_technique, experience_technique)
        years = "1 year" if experience_years == 1 else f"{experience_years} years"
        parts.append(f"{years} of {noun} experience (verified)")
    parts.append(rating.summary())
    if distance_km is not None:
        parts.append(format_distance(distance_km))
    return tuple(parts)


def match(
    candidate: Candidate, *, advice: ViewerAdvice | None, technique: str | None = None
) -> Match | None:
    """The candidate as this viewer sees it, or None when nothing may be offered to them
    (every service AVOID for their assessment, or the technique filter is AVOID for them).

    The fit technique (personal advice only) is the best-ranked offered technique, or the
    filtered technique when the search names one. Experience is counted for the fit
    technique; without personal advice for the filtered technique, else the offered technique
    with the most verified years."""
    offered = offered_services(candidate.services, advice)
    blocked = advice is not None and advice.blocks_booking
    if advice is not None and not blocked:
        if not offered:
            return None
        if technique is not None and not advice.allows(technique):
            return None
    if technique is not None and not blocked and not any(s.technique == technique for s in offered):
        return None
    rating = rating_of(count=candidate.review_count, total=candidate.review_sum)
    fit_technique: str | None = None
    fit_rank: int | None = None
    if advice is not None and advice.personalises:
        codes = {s.technique for s in offered} if technique is None else {technique}
        ranked = [(advice.techniques[c].rank or math.inf, c) for c in codes]
        best_rank, fit_technique = min(ranked)
        fit_rank = int(best_rank)
    if fit_technique is not None:
        exp_technique: str | None = fit_technique
    elif technique is not None:
        exp_technique = technique
    else:
        shown = {s.technique for s in offered} if not blocked else set(candidate.verified_years)
        exp_technique = max(
            sorted(shown), key=lambda c: candidate.verified_years.get(c, 0), default=None
        )
    years = candidate.verified_years.get(exp_technique, 0) if exp_technique else 0
    return Match(
        candidate=candidate,
        offered=offered,
        fit_technique=fit_technique,
        fit_rank=fit_rank,
        experience_technique=exp_technique,
        experience_years=years,
        rating=rating,
        points=points(
            experience_years=years, bayesian=rating.bayesian, distance_km=candidate.distance_km
        ),
    )


def _tie(m: Match) -> tuple[str, str]:
    return (m.candidate.display_name.casefold(), m.candidate.public_id)


def _default_key(m: Match) -> tuple[Any, ...]:
    distance = m.candidate.distance_km
    return (-m.rating.bayesian, math.inf if distance is None else distance, *_tie(m))


def sort_key(m: Match, *, sort: str) -> tuple[Any, ...]:
    """The order of results for `sort` (data/ranking.py): best match (technique fit, then
    points, with personal advice; else Bayesian rating then distance), distance, rating or
    price, each falling back to the default order."""
    distance = m.candidate.distance_km
    if sort == ranking.SORT_DISTANCE:
        return (math.inf if distance is None else distance, *_default_key(m))
    if sort == ranking.SORT_RATING:
        return _default_key(m)
    if sort == ranking.SORT_PRICE:
        price = m.min_price_minor
        return (math.inf if price is None else price, *_default_key(m))
    if m.fit_rank is not None:
        return (m.fit_rank, -m.points, *_tie(m))
    return _default_key(m)


def rank_matches(
    candidates: Iterable[Candidate],
    *,
    advice: ViewerAdvice | None,
    sort: str = ranking.SORT_BEST,
    technique: str | None = None,
) -> list[Match]:
    """Every candidate this viewer may see, in the order of `sort`."""
    if sort not in ranking.SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    found = [m for c in candidates if (m := match(c, advice=advice, technique=technique))]
    found.sort(key=lambda m: sort_key(m, sort=sort))
    return found
