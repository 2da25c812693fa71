"""JSON input and output for the therapist's profile, services and experience, and the public
profile (issue 5 items 1 and 5), under /api/v1/therapists.

Input is strict (no unknown keys, bounded lengths); the rules themselves (ranges, catalogue
codes, languages, price) are checked once by `services/profile.py` and answer 422 with the
field named, like the schema's own errors. Prices: `price` as a decimal string ("69.50")
in input and output, plus `price_minor` (integer cents) in output; never a float.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, StringConstraints

from backrelief.therapists.data.languages import language_name
from backrelief.therapists.models import Service, TherapistProfile
from backrelief.therapists.photos import photo_url
from backrelief.therapists.profile_rules import minor_to_price
from backrelief.therapists.selectors_profile import ExperienceRow

ABSENT: Any = None  # default of an optional PATCH field: "not sent" (exclude_unset drops it)


def _price_text(value: Any) -> Any:
    """Money never travels as a float: a decimal string ("69.50") or a whole number."""
    if isinstance(value, bool | float):
        raise ValueError('send the price as a decimal string such as "69.50", not a float')
    if isinstance(value, int):
        return str(value)
    return value


PriceText = Annotated[str, BeforeValidator(_price_text), StringConstraints(max_length=20)]


class ServiceOut(Schema):
    public_id: uuid.UUID
    technique: str = Field(description="Catalogue technique code, e.g. `swedish`.")
    duration_min: int
    price: str = Field(description="Decimal string with two places, e.g. `69.50`.")
    price_minor: int = Field(description="The price in minor units (cents, pence).")
    currency: str = Field(description="ISO 4217 code, e.g. `EUR`.")
    active: bool

    @classmethod
    def from_row(cls, row: Service) -> ServiceOut:
        return cls(
            public_id=row.public_id,
            technique=row.technique,
            duration_min=row.duration_min,
            price=minor_to_price(row.price_minor),
            price_minor=row.price_minor,
            currency=row.currency,
            active=row.active,
        )


class ServiceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    technique: str = Field(max_length=32, description="Catalogue technique code.")
    duration_min: int = Field(description="15 to 240 minutes.")
    price: PriceText = Field(description='Decimal string such as "69.50" (0 to 10000).')
    currency: str = Field(max_length=3, description="EUR, GBP, USD, CHF, AUD or CAD.")


class ServicePatch(Schema):
    """Send only what changes; the technique is fixed (retire and add another instead)."""

    model_config = ConfigDict(extra="forbid")

    duration_min: int = Field(default=ABSENT)
    price: PriceText = Field(default=ABSENT, description='Decimal string such as "69.50".')
    currency: str = Field(default=ABSENT, max_length=3)


class ExperienceItem(Schema):
    technique: str
    years: int
    verified: bool = Field(description="A verified certification exists for this technique.")

    @classmethod
    def from_row(cls, row: ExperienceRow) -> ExperienceItem:
        return cls(technique=row.technique, years=row.years, verified=row.verified)


class ExperienceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    years: dict[str, int] = Field(
        description="Technique code → years (0 to 60); techniques left out are removed."
    )


class ProfileCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    display_name: str = Field(max_length=200)
    languages: list[str] = Field(max_length=60, description="ISO 639-1 codes, at least one.")
    bio: str = Field(default="", max_length=4000)
    gender: str = Field(default="", max_length=16)


class ProfilePatch(Schema):
    """Send only the fields to change. `latitude`/`longitude`/`travel_radius_km` may be null
    to clear them."""

    model_config = ConfigDict(extra="forbid")

    display_name: str = Field(default=ABSENT, max_length=200)
    bio: str = Field(default=ABSENT, max_length=4000)
    gender: str = Field(default=ABSENT, max_length=16)
    languages: list[str] = Field(default=ABSENT, max_length=60)
    address: str = Field(default=ABSENT, max_length=400)
    latitude: float | None = Field(default=ABSENT, allow_inf_nan=False)
    longitude: float | None = Field(default=ABSENT, allow_inf_nan=False)
    in_clinic: bool = Field(default=ABSENT)
    mobile: bool = Field(default=ABSENT)
    travel_radius_km: int | None = Field(default=ABSENT)
    time_zone: str = Field(default=ABSENT, max_length=64)
    step_free_access: bool = Field(default=ABSENT)
    accessible_toilet: bool = Field(default=ABSENT)
    accessibility_notes: str = Field(default=ABSENT, max_length=600)


class PublicProfileOut(Schema):
    public_id: uuid.UUID
    display_name: str
    bio: str
    gender: str = Field(description="Empty when the therapist chose not to state it.")
    photo_url: str | None
    languages: list[str]
    language_names: list[str]
    address: str
    latitude: float | None
    longitude: float | None
    in_clinic: bool
    mobile: bool
    travel_radius_km: int | None
    time_zone: str
    step_free_access: bool
    accessible_toilet: bool
    accessibility_notes: str
    review_count: int
    rating_mean: float | None
    rating_bayesian: float
    experience: list[ExperienceItem]

    @staticmethod
    def fields_of(
        row: TherapistProfile, *, languages: list[str], experience: list[ExperienceRow]
    ) -> dict[str, Any]:
        from backrelief.therapists.rating import rating_of

        rating = rating_of(count=row.review_count, total=row.review_sum)
        return {
            "public_id": row.public_id,
            "display_name": row.display_name,
            "bio": row.bio,
            "gender": row.gender,
            "photo_url": photo_url(row),
            "languages": languages,
            "language_names": [language_name(c) for c in languages],
            "address": row.address,
            "latitude": row.latitude,
            "longitude": row.longitude,
            "in_clinic": row.in_clinic,
            "mobile": row.mobile,
            "travel_radius_km": row.travel_radius_km,
            "time_zone": row.time_zone,
            "step_free_access": row.step_free_access,
            "accessible_toilet": row.accessible_toilet,
            "accessibility_notes": row.accessibility_notes,
            "review_count": rating.count,
            "rating_mean": rating.mean,
            "rating_bayesian": rating.bayesian,
            "experience": [ExperienceItem.from_row(e) for e in experience],
        }


class ProfileOut(PublicProfileOut):
    """The therapist's own view: the public fields plus set-up and listing status."""

    listed: bool
    listing_problem: str | None = Field(description="Why the profile is not public, if not.")
    completeness_percent: int
    missing: list[str] = Field(description="What is still missing, in plain words.")
    onboarding_completed_at: dt.datetime | None
