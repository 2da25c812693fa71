"""/api/v1/slots (issue 6 items 3 and 9): the free slots of a service, public like the
directory (`api_auth_optional`, listed in `backrelief.api.PUBLIC_API_OPERATIONS`).

The dates are read in the client's zone (`tz`, default the signed-in caller's profile zone,
else UTC); every slot comes as a UTC instant and in both zones, and the answer names both.
Bad input is a 422 naming the field (`from`, `to`, `tz`); a retired service or one whose
therapist is not listed is a 404. Three queries for an anonymous caller.

/api/v1/slots/earliest (issue 6 item 8): therapists near a place with a service of a
technique, by their earliest free start (the free-time index, `selectors_free_time`).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router

from backrelief.accounts.auth import api_auth_optional, api_optional_user
from backrelief.core.schemas import ErrorOut
from backrelief.scheduling.schemas_slots import EarliestOut, EarliestQuery, SlotsOut, SlotsQuery
from backrelief.scheduling.selectors_free_time import earliest_search
from backrelief.scheduling.selectors_slots import slot_list_public

router = Router(tags=["slots"])


@router.get(
    "",
    auth=api_auth_optional,
    response={200: SlotsOut, 404: ErrorOut, 422: ErrorOut},
    summary="Free slots of a service",
    description=(
        "Anyone may ask. `from`..`to` (both included, at most 62 days) are dates in `tz`. "
        "Slots respect the therapist's hours in their own zone, date overrides, time off, "
        "bookings with their buffers, the minimum notice and the booking horizon. 422 names "
        "the field (`from`, `to`, `tz`); 404 `service_not_found` for a retired service or a "
        "therapist who is not listed."
    ),
    by_alias=True,
)
def list_slots(request: HttpRequest, query: Query[SlotsQuery]) -> HttpResponse:
    user = api_optional_user(request)
    zone = query.tz if query.tz is not None else (user.time_zone if user else "UTC") or "UTC"
    found = slot_list_public(
        service_id=query.service,
        start=query.from_,
        end=query.to,
        zone=zone,
        now=timezone.now(),
    )
    # The body is built directly (`SlotsOut.body`: the JSON Ninja would send after validating
    # `SlotsOut.data`, which took most of a month's request time); SlotsOut stays the
    # documented schema.
    return HttpResponse(SlotsOut.body(found), content_type="application/json; charset=utf-8")


@router.get(
    "/earliest",
    auth=api_auth_optional,
    response={200: EarliestOut, 422: ErrorOut},
    summary="Earliest availability near a place",
    description=(
        "Anyone may ask. Listed therapists whose place lies within `radius_km` of `lat`,`lon` "
        "and who offer an active service of `technique`, ordered by their earliest free start "
        "within `days` (from now; the booking horizon and minimum notice apply), then "
        "distance. Each item names the service to book (the earliest of that technique). "
        "Therapists with nothing free in the window come after, with `status` `none`; if "
        "some could not be computed in this request they come before those with `status` "
        "`unknown` and `complete` is false (ask again shortly). 422 names the field "
        "(`technique`, `lat`, `lon`, `radius_km`, `days`, `limit`)."
    ),
)
def earliest_slots(request: HttpRequest, query: Query[EarliestQuery]) -> dict[str, Any]:
    found = earliest_search(
        technique=query.technique,
        latitude=query.lat,
        longitude=query.lon,
        radius_km=query.radius_km,
        days=query.days,
        limit=query.limit,
        now=timezone.now(),
    )
    return EarliestOut.data(found)
