"""JSON input and output for the directory API (issue 5 item 5): `GET /api/v1/therapists` and
`GET /api/v1/therapists/places`.

The query parameters are the page's filters; shapes are checked here (numbers, lengths) and
the rules once by `selectors_directory.directory_filters_check` (unknown technique, radius
1-200, prices, coordinates), whose field errors become a 422 naming the field.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from ninja import Field, Schema

from backrelief.catalog.data.techniques import TECHNIQUES_BY_CODE
from backrelief.therapists.data import ranking
from backrelief.therapists.places import Place
from backrelief.therapists.selectors_directory import (
    MODE_ANY,
    RADIUS_DEFAULT_KM,
    SORT_EARLIEST,
    DirectoryPage,
    DirectoryResult,
)


class DirectoryQuery(Schema):
    technique: str | None = Field(None, description="A catalogue technique code, e.g. `swedish`.")
    place: str | None = Field(
        None, max_length=120, description='A city ("munchen") or "lat, lon"; resolved offline.'
    )
    lat: float | None = Field(None, description="Latitude -90..90 (wins over `place`).")
    lon: float | None = Field(None, description="Longitude -180..180 (with `lat`).")
    radius_km: int = Field(RADIUS_DEFAULT_KM, description="Search radius in km, 1-200.")
    language: str | None = Field(None, max_length=8, description="ISO 639-1 code, e.g. `de`.")
    price_min: Decimal | None = Field(None, description="Lowest price in the major unit, >= 0.")
    price_max: Decimal | None = Field(None, description="Highest price, >= price_min.")
    gender: str | None = Field(None, description="`woman`, `man` or `non_binary`.")
    mode: str = Field(MODE_ANY, description="`any`, `in_clinic` or `mobile`.")
    sort: str = Field(
        ranking.SORT_BEST,
        description="`best`, `distance`, `rating`, `price` or `earliest` (earliest free start "
        "within 14 days of a service matching the technique and price filters).",
    )
    page: int = Field(1, description="Page number, 20 therapists per page.")


class PlacesQuery(Schema):
    q: str = Field("", max_length=120, description='City name start or "lat, lon".')


class PlaceOut(Schema):
    label: str
    name: str
    country_code: str
    latitude: float
    longitude: float
    population: int
    is_coordinates: bool

    @classmethod
    def from_place(cls, place: Place) -> PlaceOut:
        return cls(
            label=place.label,
            name=place.name,
            country_code=place.country_code,
            latitude=place.latitude,
            longitude=place.longitude,
            population=place.population,
            is_coordinates=place.is_coordinates,
        )


class RatingOut(Schema):
    count: int
    mean: float | None = Field(description="Raw mean of visible reviews; null without any.")
    bayesian: float = Field(description="The Bayesian average the directory orders by.")


class ServiceOut(Schema):
    technique: str
    technique_name: str
    duration_min: int
    price: str = Field(description='Decimal string in the major unit, e.g. "70.00".')
    price_minor: int
    currency: str


class ModeOut(Schema):
    in_clinic: bool
    mobile: bool
    travel_radius_km: int | None


class TherapistCardOut(Schema):
    public_id: uuid.UUID
    display_name: str
    why: str = Field(description="Why it is listed, e.g. '8 years of … · 4.7 from 31 reviews'.")
    why_parts: list[str]
    distance_km: float | None
    rating: RatingOut
    services: list[ServiceOut] = Field(description="Offered to the caller (never AVOID).")
    languages: list[str]
    mode: ModeOut
    photo_url: str | None
    next_free: dt.datetime | None = Field(
        None,
        description="Sort `earliest` only: the first free start (UTC) within 14 days of a "
        "matching service; null when nothing is free then, or not known yet "
        "(`next_free_status`).",
    )
    next_free_service_id: uuid.UUID | None = Field(None, description="The service to book.")
    next_free_status: str | None = Field(
        None, description="Sort `earliest` only: `free`, `none` or `unknown`."
    )

    @classmethod
    def from_result(
        cls, r: DirectoryResult, *, sorted_by_earliest: bool = False
    ) -> TherapistCardOut:
        return cls(
            public_id=uuid.UUID(r.public_id),
            display_name=r.display_name,
            why=r.why,
            why_parts=list(r.why_parts),
            distance_km=None if r.distance_km is None else round(r.distance_km, 2),
            rating=RatingOut(
                count=r.rating.count,
                mean=None if r.rating.mean is None else round(r.rating.mean, 2),
                bayesian=round(r.rating.bayesian, 3),
            ),
            services=[
                ServiceOut(
                    technique=s.technique,
                    technique_name=TECHNIQUES_BY_CODE[s.technique].name,
                    duration_min=s.duration_min,
                    price=f"{s.price_minor // 100}.{s.price_minor % 100:02d}",
                    price_minor=s.price_minor,
                    currency=s.currency,
                )
                for s in r.services
            ],
            languages=list(r.languages),
            mode=ModeOut(
                in_clinic=r.in_clinic, mobile=r.mobile, travel_radius_km=r.travel_radius_km
            ),
            photo_url=r.photo_url,
            next_free=r.next_free,
            next_free_service_id=None
            if r.next_free_service_id is None
            else uuid.UUID(r.next_free_service_id),
            next_free_status=next_free_status(r, sorted_by_earliest=sorted_by_earliest),
        )


def next_free_status(r: DirectoryResult, *, sorted_by_earliest: bool) -> str | None:
    """`free`, `none` (nothing free in the window) or `unknown`; None for the other sorts."""
    if not sorted_by_earliest:
        return None
    if r.next_free is not None:
        return "free"
    return "none" if r.next_free_known else "unknown"


class PageInfoOut(Schema):
    page: int
    num_pages: int
    page_size: int
    count: int


class DirectoryOut(Schema):
    items: list[TherapistCardOut]
    page_info: PageInfoOut
    personalised: bool = Field(description="Ordered with the caller's latest assessment.")
    booking_blocked: bool = Field(description="The caller's latest assessment blocks booking.")
    triage_message: str | None = Field(None, description="Shown first when booking is blocked.")
    ranking_version: str
    place: PlaceOut | None

    @classmethod
    def from_page(
        cls,
        page: DirectoryPage,
        *,
        place: Place | None,
        booking_blocked: bool,
        triage_message: str | None,
    ) -> DirectoryOut:
        return cls(
            items=[
                TherapistCardOut.from_result(
                    r, sorted_by_earliest=page.filters.sort == SORT_EARLIEST
                )
                for r in page.results
            ],
            page_info=PageInfoOut(
                page=page.page, num_pages=page.num_pages, page_size=page.page_size, count=page.count
            ),
            personalised=page.personalised,
            booking_blocked=booking_blocked,
            triage_message=triage_message,
            ranking_version=page.ranking_version,
            place=None if place is None else PlaceOut.from_place(place),
        )
