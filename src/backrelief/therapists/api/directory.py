"""/api/v1/therapists: directory search and place lookup (issue 5 items 4-5). Public
(`api_auth_optional`, listed in `backrelief.api.PUBLIC_API_OPERATIONS`): anyone may search;
a signed-in client's latest assessment orders the results and removes AVOID techniques,
exactly as on the page (same selector, STYLE rule 1).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from backrelief.accounts.auth import api_auth_optional, api_optional_user
from backrelief.core.errors import Invalid
from backrelief.core.schemas import ErrorOut
from backrelief.therapists.geo import COORDINATES_OUT_OF_RANGE
from backrelief.therapists.places import Place, place_resolve, place_search
from backrelief.therapists.schemas_directory import (
    DirectoryOut,
    DirectoryQuery,
    PlaceOut,
    PlacesQuery,
)
from backrelief.therapists.selectors_directory import (
    DirectoryFilters,
    directory_search,
    directory_viewer_assessment,
)

router = Router(tags=["therapists"])

PLACE_NOT_FOUND = "Place not found — try a nearby city or enter coordinates (e.g. 52.52, 13.40)."


def _place(query: DirectoryQuery) -> Place | None:
    """lat/lon when given (checked by the selector), else the `place` text resolved offline."""
    if query.lat is not None or query.lon is not None:
        return None
    text = (query.place or "").strip()
    if not text:
        return None
    try:
        place = place_resolve(text)
    except ValueError:
        raise Invalid(
            COORDINATES_OUT_OF_RANGE, fields={"place": [COORDINATES_OUT_OF_RANGE]}
        ) from None
    if place is None:
        raise Invalid(PLACE_NOT_FOUND, fields={"place": [PLACE_NOT_FOUND]})
    return place


@router.get(
    "",
    auth=api_auth_optional,
    response={200: DirectoryOut, 422: ErrorOut},
    summary="Search the therapist directory",
    description=(
        "Listed therapists only (verified, unexpired licence). Filters as query parameters; "
        "20 per page. A signed-in client's latest assessment orders the results (technique "
        "fit, verified experience, Bayesian rating, distance) and AVOID techniques are never "
        "offered. Every item says why it is listed."
    ),
)
def search_therapists(request: HttpRequest, query: Query[DirectoryQuery]) -> DirectoryOut:
    place = _place(query)
    lat = query.lat if place is None else place.latitude
    lon = query.lon if place is None else place.longitude
    if place is None and lat is not None and lon is not None:
        place = Place("", "", lat, lon, 0, is_coordinates=True)
    filters = DirectoryFilters(
        technique=query.technique or None,
        latitude=lat,
        longitude=lon,
        radius_km=query.radius_km,
        language=query.language or None,
        price_min=query.price_min,
        price_max=query.price_max,
        gender=query.gender or None,
        mode=query.mode,
        sort=query.sort,
        page=query.page,
    )
    viewer = directory_viewer_assessment(user=api_optional_user(request))
    page = directory_search(
        filters=filters,
        viewer_advice=None if viewer is None else viewer.advice,
        now=timezone.now(),
    )
    blocked = viewer is not None and viewer.blocks_booking
    return DirectoryOut.from_page(
        page,
        place=place,
        booking_blocked=blocked,
        triage_message=viewer.triage_message if viewer is not None and blocked else None,
    )


@router.get(
    "/places",
    auth=api_auth_optional,
    response={200: list[PlaceOut], 422: ErrorOut},
    summary="Look up a place (offline city list)",
    description=(
        "Cities whose name or another name starts with `q` (accents and case ignored), most "
        'inhabitants first, at most 8; "lat, lon" gives that point. Bundled data, no network.'
    ),
)
def search_places(request: HttpRequest, query: Query[PlacesQuery]) -> list[PlaceOut]:
    try:
        found = place_search(query.q)
    except ValueError:
        raise Invalid(COORDINATES_OUT_OF_RANGE, fields={"q": [COORDINATES_OUT_OF_RANGE]}) from None
    return [PlaceOut.from_place(p) for p in found]
