"""/api/v1/bookings (issue 5 item 3; issue 6 items 4-6).

- A client books (`POST /bookings`, an `Idempotency-Key` header required:
  `scheduling.idempotency`), lists and reads their bookings, cancels and moves them; the
  therapist of a booking reads, cancels and moves it too, and marks how a session went, with
  the same services as the pages. Anyone else gets 404: the booking does not exist for them.
- A slot taken in the meantime is a 409 `slot_taken` with the next free starts
  (`alternatives`), never a 500.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from functools import partial
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from ninja import Header, Query, Router

from backrelief.accounts.auth import api_user
from backrelief.core.errors import DomainError
from backrelief.core.schemas import ErrorOut
from backrelief.scheduling.access import booking_get_for_party
from backrelief.scheduling.idempotency import AnswerAfterRollback, idempotent_run
from backrelief.scheduling.schemas import (
    BookingErrorOut,
    BookingIn,
    BookingListQuery,
    BookingOut,
    CancelIn,
    RescheduleIn,
    error_body,
)
from backrelief.scheduling.selectors import booking_list_for_user
from backrelief.scheduling.services import booking_mark_completed, booking_mark_no_show
from backrelief.scheduling.services_booking import (
    BookingRequest,
    SlotLost,
    SlotTaken,
    booking_cancel,
    booking_check,
    booking_insert,
    booking_reschedule,
)

router = Router(tags=["bookings"])

_WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
_BOOK = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: BookingErrorOut,
    422: ErrorOut,
}


def _json(status: int, body: dict[str, Any], *, replayed: bool = False) -> JsonResponse:
    response = JsonResponse(body, status=status, encoder=DjangoJSONEncoder)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def _booking_body(booking: Any) -> dict[str, Any]:
    return BookingOut.of(booking).model_dump(mode="json")


def _taken_answer(lost: SlotLost) -> tuple[int, dict[str, Any]]:
    """The 409 "just taken" answer with its alternatives (after the write rolled back)."""
    taken = lost.taken()
    return taken.status, error_body(taken)


@router.post(
    "",
    response={201: BookingOut, **_BOOK},
    summary="Book a session (a client)",
    description=(
        "Books `service_id` at `start` (with its offset); the server computes the end and "
        "checks the slot is free. Requires an `Idempotency-Key` header: missing → 400 "
        "`idempotency_key_required`; the same key and body replay the first answer (header "
        "`Idempotent-Replayed: true`); the same key with another body → 422 "
        "`idempotency_key_reused`. 409 `slot_taken` lists `alternatives`. 403 `clients_only`, "
        "`triage_blocks_booking`, `technique_avoided`; 404 `service_not_found`, "
        "`therapist_not_listed`; 422 `service_retired`, `start_in_past`, `inside_min_notice`, "
        "`beyond_horizon`, `slot_unavailable`, `unknown_time_zone`."
    ),
)
def create_booking(
    request: HttpRequest,
    payload: BookingIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> JsonResponse:
    user = api_user(request)
    now = timezone.now()
    checked: list[BookingRequest] = []

    # booking_create in its two steps, so that only the write holds SQLite's write lock and a
    # lost slot's alternatives are looked up after the rollback; the answers are the same.
    def before() -> tuple[int, dict[str, Any]] | None:
        try:
            checked.append(
                booking_check(
                    client=user,
                    service_id=payload.service_id,
                    start=payload.start,
                    now=now,
                    client_time_zone=payload.client_time_zone,
                )
            )
        except DomainError as exc:
            return exc.status, error_body(exc)
        return None

    def run() -> tuple[int, dict[str, Any]]:
        try:
            booking = booking_insert(request=checked[0], now=now)
        except SlotLost as lost:
            raise AnswerAfterRollback(partial(_taken_answer, lost)) from None
        except DomainError as exc:
            return exc.status, error_body(exc)
        return 201, _booking_body(booking)

    # The same instant written with another offset is the same request.
    hashed = payload.model_dump(mode="json")
    if payload.start.tzinfo is not None and payload.start.utcoffset() is not None:
        # Outside datetime's range in UTC (OverflowError): left as sent; the checks refuse it.
        with contextlib.suppress(OverflowError):
            hashed["start"] = payload.start.astimezone(dt.UTC).isoformat()
    outcome = idempotent_run(
        user=user,
        key=idempotency_key,
        payload=hashed,
        now=now,
        run=run,
        before=before,
    )
    return _json(outcome.status, outcome.body, replayed=outcome.replayed)


@router.get(
    "",
    response={200: list[BookingOut], 401: ErrorOut},
    summary="My bookings (as client or therapist)",
    description="`when`: upcoming, past or cancelled; at most 200.",
)
def list_bookings(request: HttpRequest, filters: Query[BookingListQuery]) -> list[BookingOut]:
    rows = booking_list_for_user(user=api_user(request), now=timezone.now(), when=filters.when)
    return [BookingOut.of(booking) for booking in rows]


@router.get(
    "/{booking_id}",
    response={200: BookingOut, 401: ErrorOut, 404: ErrorOut},
    summary="One of my bookings",
)
def get_booking(request: HttpRequest, booking_id: uuid.UUID) -> BookingOut:
    return BookingOut.of(booking_get_for_party(user=api_user(request), public_id=booking_id))


@router.post(
    "/{booking_id}/cancel",
    response={200: BookingOut, **_WRITE, 422: ErrorOut},
    summary="Cancel a booking (its client or therapist)",
    description=(
        "Inside the therapist's cancellation cut-off a client first gets 409 "
        "`late_cancellation_confirm` with the warning; sending `confirm_late: true` cancels "
        "and marks it a late cancellation (no fee). 409 `booking_past`, `booking_cancelled`, "
        "`booking_not_changeable`. A therapist must give a `reason` (422 `reason_required`); "
        "their cancellation notifies the client."
    ),
)
def cancel_booking(request: HttpRequest, booking_id: uuid.UUID, payload: CancelIn) -> BookingOut:
    booking = booking_cancel(
        actor=api_user(request),
        booking_id=booking_id,
        reason=payload.reason,
        now=timezone.now(),
        confirm_late=payload.confirm_late,
    )
    return BookingOut.of(booking)


@router.post(
    "/{booking_id}/reschedule",
    response={
        201: BookingOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: BookingErrorOut,
        422: ErrorOut,
    },
    summary="Move a booking to another start (its client or therapist)",
    description=(
        "Atomic: the new booking (201, `rescheduled_from` = the old) replaces the old one, "
        "which is cancelled; when the new time is not free nothing changes (409 `slot_taken` "
        "with `alternatives`, 422 `slot_unavailable`, ...)."
    ),
)
def reschedule_booking(
    request: HttpRequest, booking_id: uuid.UUID, payload: RescheduleIn
) -> JsonResponse:
    try:
        booking = booking_reschedule(
            actor=api_user(request),
            booking_id=booking_id,
            new_start=payload.start,
            now=timezone.now(),
        )
    except SlotTaken as exc:
        return _json(exc.status, error_body(exc))
    return _json(201, _booking_body(booking))


@router.post(
    "/{booking_id}/complete",
    response={200: BookingOut, **_WRITE},
    summary="Mark a session completed (its therapist)",
    description=(
        "Confirmed → completed once the session has started. 409 `booking_not_started`, "
        "`booking_not_confirmed`. The client can then review it."
    ),
)
def complete_booking(request: HttpRequest, booking_id: uuid.UUID) -> BookingOut:
    booking = booking_mark_completed(
        user=api_user(request), booking_id=booking_id, now=timezone.now()
    )
    return BookingOut.of(booking)


@router.post(
    "/{booking_id}/no-show",
    response={200: BookingOut, **_WRITE},
    summary="Mark a session no-show (its therapist)",
    description=(
        "Confirmed → no_show after the end and within 12 hours of it (later it counts as "
        "completed: 409 `booking_auto_completed`); 409 `booking_not_ended`, "
        "`booking_not_confirmed`."
    ),
)
def no_show_booking(request: HttpRequest, booking_id: uuid.UUID) -> BookingOut:
    booking = booking_mark_no_show(
        user=api_user(request), booking_id=booking_id, now=timezone.now()
    )
    return BookingOut.of(booking)
