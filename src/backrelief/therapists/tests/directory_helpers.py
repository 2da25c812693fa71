"""Builders shared by the directory tests: stored assessments with a chosen technique advice,
and listed therapists at chosen places."""

from __future__ import annotations

import datetime as dt
from typing import Any

from backrelief.accounts.models import User
from backrelief.assessment.models import Assessment
from backrelief.therapists.tests.factories import (
    make_certification,
    make_experience,
    make_licence,
    make_profile,
    make_service,
)

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
BERLIN = (52.52, 13.405)
POTSDAM = (52.3906, 13.0645)  # ~27 km from Berlin centre
HAMBURG = (53.5511, 9.9937)  # ~255 km

# Swedish recommended first, shiatsu second, deep tissue third (MODIFY), trigger point AVOID.
ADVICE_ROWS: list[dict[str, Any]] = [
    {"technique": "swedish", "action": "OK", "rank": 1},
    {"technique": "shiatsu", "action": "OK", "rank": 2},
    {"technique": "deep_tissue", "action": "MODIFY", "rank": 3},
    {"technique": "hot_stone", "action": "MODIFY", "rank": 4},
    {"technique": "self_massage", "action": "OK", "rank": 5},
    {"technique": "trigger_point", "action": "AVOID", "rank": None},
]


def make_assessment(
    owner: User,
    *,
    techniques: list[dict[str, Any]] | None = None,
    blocks_booking: bool = False,
    level: str = "NONE_REPORTED",
    created_at: dt.datetime = NOW - dt.timedelta(days=3),
) -> Assessment:
    message = (
        "Please speak to a doctor today." if blocks_booking else "No warning signs reported today."
    )
    if blocks_booking:
        techniques = [
            {"technique": r["technique"], "action": "AVOID", "rank": None} for r in ADVICE_ROWS
        ]
        level = "URGENT"
    return Assessment.objects.create(
        owner=owner,
        created_at=created_at,
        assessed_on=created_at.date(),
        inputs={},
        result={
            "triage": {"level": level, "message": message, "blocks_booking": blocks_booking},
            "techniques": techniques if techniques is not None else ADVICE_ROWS,
        },
        versions={},
        triage_level=level,
        duration_class="",
    )


def listed(
    make_user: Any,
    name: str,
    *,
    at: tuple[float, float] = BERLIN,
    techniques: tuple[str, ...] = ("swedish",),
    price_minor: int = 7000,
    years: dict[str, int] | None = None,
    languages: tuple[str, ...] = ("en", "de"),
    licence: str = "verified",
    expires_on: dt.date = dt.date(2030, 12, 31),
    reviews: tuple[int, int] = (0, 0),
    **extra: Any,
) -> Any:
    user = make_user("therapist", display_name=name)
    profile = make_profile(
        user,
        display_name=name,
        latitude=at[0],
        longitude=at[1],
        languages=languages,
        review_count=reviews[0],
        review_sum=reviews[1],
        now=NOW,
        **extra,
    )
    make_licence(profile, status=licence, expires_on=expires_on, now=NOW)
    for technique in techniques:
        make_service(profile, technique=technique, price_minor=price_minor, now=NOW)
    for technique, n in (years or {}).items():
        make_experience(profile, technique=technique, years=n)
        make_certification(profile, technique=technique, now=NOW)
    return profile
