"""Booking, cancelling and moving a session (issue 6 items 4 and 6; docs/rules.md "Booking").

- `booking_create`: a client books a service of a listed therapist at `start`. The server
  recomputes everything: end = start + the service's duration, blocked_until = end + its
  buffer (a client never sends an end), and the slot must be free by the same rule the slot
  pages use (`selectors_slots.slot_is_free`). Safety first: a latest assessment whose triage
  blocks booking, or that marks the service's technique AVOID, refuses the booking (the same
  advice the directory applies, `therapists.matching.advice_from_result`). Consent is not
  needed: a booking is not health data entry. No assessment at all: booking is allowed, as the
  directory offers every service to someone without one.
- Two clients racing for one slot: the database refuses the second overlapping active booking
  (migration 0004); the write runs in the IMMEDIATE transaction (SQLite, settings) and the
  IntegrityError becomes `SlotTaken` (409 `slot_taken`, "Just taken") with the next free
  slots — never a 500. On PostgreSQL every booking write of a therapist first locks the
  therapist's row (`_lock_therapist`), so racing writers queue instead of checking the
  exclusion constraint against each other's uncommitted rows — which can deadlock (the
  benchmark's 32-client race found one 500) — and the loser's slot check then sees the
  winner's row. A deadlock that still happens is answered as "just taken" too.
- What holds the write lock (issue 6 `booking_p95_ms`, `sqlite_bookings_per_s`): the checks
  that only read (service, listing, assessment, zone, notice, horizon: `booking_check`) run
  before the write transaction; inside it (`booking_insert`) only the therapist lock, the
  slot check, the expired holds in the way, the insert, the free-time invalidation and the
  outbox rows (one insert). A loser's alternatives are looked up after the rollback
  (`SlotLost.taken()`), outside the lock. The foreign keys' existence and the uniqueness of
  the new row are left to the database's constraints (no SELECT each in `full_clean`).
- `booking_cancel`: the client or the therapist of an upcoming booking. A client may always
  cancel; inside the therapist's cancellation cut-off (SchedulingPolicy, default 24 h) they
  must confirm first (409 `late_cancellation_confirm` carries the warning) and the booking is
  marked late_cancellation (no fee in this version). Each side hears of the other's
  cancellation (outbox): a therapist's tells the client, a client's tells the therapist.
- `booking_reschedule`: one transaction cancels the old booking and creates the new one
  (`rescheduled_from`); if the new slot is taken nothing changes.

Notifications (outbox rows in the same transaction, one per booking, kind and recipient): a new
booking → `booking_confirmed` to the client and to the therapist; a cancellation →
`booking_cancelled` to the other side; a move → `booking_rescheduled` to the client always (it
is their confirmation of the new time) and to the therapist when the client moved it. Nobody is
told about their own cancellation, and a therapist not about their own move: they just did it on
the page.

Not audited: bookings are not security events; the row itself records who cancelled, when
and why.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils.translation import gettext as _

from backrelief.accounts.models import Role, User
from backrelief.assessment.selectors import assessment_latest_for_owner
from backrelief.core import time as core_time
from backrelief.core.errors import Conflict, DomainError, Invalid, NotFound, PermissionDenied
from backrelief.scheduling import completion, selectors_slots
from backrelief.scheduling.access import booking_get_for_party
from backrelief.scheduling.free_time import free_time_invalidate
from backrelief.scheduling.models import (
    ACTIVE_STATUSES,
    Booking,
    BookingStatus,
    NotificationKind,
)
from backrelief.scheduling.notifications import notification_enqueue, notifications_enqueue_new
from backrelief.therapists.matching import advice_from_result
from backrelief.therapists.models import Service, TherapistProfile
from backrelief.therapists.selectors import therapist_is_listed

ALTERNATIVES = 5  # free slots offered with a "just taken" answer
ALTERNATIVES_DAYS = 14  # how far ahead they are looked for
CANCEL_REASON_MAX = 500
RESCHEDULED_REASON = "Rescheduled"


class SlotTaken(Conflict):
    """The slot was free when the page was drawn but is not any more (409 `slot_taken`).
    `alternatives`: the next free starts of the same service (aware UTC)."""

    code = "slot_taken"

    def __init__(self, *, alternatives: list[dt.datetime]) -> None:
        super().__init__(_("Just taken — choose another time."))
        self.alternatives = alternatives


class SlotLost(Exception):
    """Raised inside the write transaction when the slot is not free any more; the caller lets
    the transaction roll back, then calls `taken()` for the SlotTaken answer, whose
    alternatives are computed outside the write lock (`booking_create`, the API)."""

    def __init__(self, *, service: Service, now: dt.datetime) -> None:
        super().__init__("slot lost")
        self.service = service
        self.now = now

    def taken(self) -> SlotTaken:
        return SlotTaken(alternatives=booking_alternatives(service=self.service, now=self.now))


@dataclass(frozen=True)
class BookingRequest:
    """A booking that passed the checks made before the write transaction
    (`booking_check`): `start` in UTC, `zone` the client's zone name."""

    client: User
    service: Service
    start: dt.datetime
    zone: str


def booking_alternatives(
    *,
    service: Service,
    now: dt.datetime,
    limit: int = ALTERNATIVES,
    exclude: dt.datetime | None = None,
) -> list[dt.datetime]:
    """The next `limit` free starts of `service` from `now` (for a "just taken" answer),
    without `exclude` (a session being moved: its own start is no new time)."""
    slots = selectors_slots.slot_list(
        service=service, start=now, end=now + dt.timedelta(days=ALTERNATIVES_DAYS), now=now
    )
    starts = (slot.start for slot in slots if slot.start != exclude)
    return list(itertools.islice(starts, limit))


def _service_for_booking(service_id: uuid.UUID | str) -> Service:
    try:
        key = uuid.UUID(str(service_id))
    except ValueError:
        key = None
    service = (
        Service.objects.select_related(
            "therapist", "therapist__user", "therapist__scheduling_policy"
        )
        .filter(public_id=key)
        .first()
        if key is not None
        else None
    )
    if service is None:
        raise NotFound(
            _("Service not found. Choose a service on the therapist's profile."),
            code="service_not_found",
        )
    return service


def _check_client_may_book(
    *, client: User, service: Service, now: dt.datetime, assessment: bool = True
) -> None:
    """Who may book what: a client account, a listed therapist, an active service, and (with
    `assessment`) the client's latest assessment neither blocking booking nor marking the
    technique AVOID. Without `assessment` the client's health data is not read at all: a
    refusal quoting it must never reach the therapist (the intake is shared only with
    consent)."""
    if client.role != Role.CLIENT:
        raise PermissionDenied(
            _("Only client accounts can book sessions. Sign in with your client account."),
            code="clients_only",
        )
    if not therapist_is_listed(therapist=service.therapist, now=now):
        raise NotFound(
            _("This therapist is not taking bookings now. Choose another in the directory."),
            code="therapist_not_listed",
        )
    if not service.active:
        raise Invalid(
            _("This service is no longer offered. Choose another service of this therapist."),
            fields={"service_id": [_("This service is no longer offered.")]},
            code="service_retired",
        )
    if not assessment:
        return
    latest = assessment_latest_for_owner(owner=client)
    if latest is None:
        return
    triage = (latest.result or {}).get("triage") or {}
    if bool(triage.get("blocks_booking", True)):
        raise PermissionDenied(
            str(triage.get("message") or _("Your latest assessment advises against massage.")),
            code="triage_blocks_booking",
        )
    if not advice_from_result(latest.result or {}).allows(service.technique):
        raise PermissionDenied(
            _(
                "Your latest assessment advises against this technique. Choose a service "
                "with a technique your assessment recommends."
            ),
            code="technique_avoided",
        )


def _check_start(*, service: Service, start: dt.datetime, now: dt.datetime) -> None:
    """The start is aware, in the future beyond the minimum notice and within the horizon."""
    if start.tzinfo is None or start.utcoffset() is None:
        raise Invalid(
            _("Give the start with its time zone offset."),
            fields={"start": [_("The start needs a time zone offset, e.g. +01:00.")]},
            code="start_not_aware",
        )
    policy = selectors_slots.policy_or_defaults(therapist=service.therapist)
    if start <= now:
        message = _("This time has passed. Choose a time in the future.")
        raise Invalid(message, fields={"start": [message]}, code="start_in_past")
    if start < now + dt.timedelta(minutes=policy.min_notice_minutes):
        hours = policy.min_notice_minutes / 60
        message = _("This therapist needs %(hours)s hours' notice. Choose a later time.") % {
            "hours": f"{hours:g}"
        }
        raise Invalid(message, fields={"start": [message]}, code="inside_min_notice")
    if start >= now + dt.timedelta(days=policy.horizon_days):  # slots: start < horizon
        message = _(
            "This therapist takes bookings up to %(days)s days ahead. Choose an earlier time."
        ) % {"days": policy.horizon_days}
        raise Invalid(message, fields={"start": [message]}, code="beyond_horizon")


def _zone_name(client: User, client_time_zone: str | None) -> str:
    name = client_time_zone or client.time_zone or "UTC"
    try:
        core_time.zone_get(name)
    except Invalid as exc:
        raise Invalid(
            exc.message, fields={"client_time_zone": [exc.message]}, code="unknown_time_zone"
        ) from None
    return name


def _is_overlap(exc: IntegrityError) -> bool:
    return "booking_no_overlap" in str(exc)


def _is_deadlock(exc: OperationalError) -> bool:
    """PostgreSQL's deadlock_detected (SQLSTATE 40P01), as psycopg reports it."""
    return getattr(exc.__cause__, "sqlstate", None) == "40P01"


def _lock_therapist(therapist_id: int) -> None:
    """Serialize booking writes per therapist for the rest of the transaction: a row lock on
    the therapist (PostgreSQL). SQLite has no row locks (Django would leave FOR UPDATE out and
    send a useless SELECT): its IMMEDIATE transaction already admits one writer at a time."""
    if connection.vendor == "sqlite":
        return
    list(
        TherapistProfile.objects.select_for_update()
        .filter(pk=therapist_id)
        .values_list("pk", flat=True)
    )


def _insert(
    *,
    client: User,
    service: Service,
    start: dt.datetime,
    zone: str,
    now: dt.datetime,
    rescheduled_from: Booking | None = None,
) -> Booking:
    """Recompute the slot and write the booking, inside the caller's write transaction; a
    slot no longer free raises SlotLost (the caller rolls back, then answers SlotTaken), a
    time outside the therapist's hours Invalid `slot_unavailable`."""
    start = start.astimezone(dt.UTC)
    end = start + dt.timedelta(minutes=service.duration_min)
    blocked_until = end + dt.timedelta(minutes=service.buffer_min)
    # An expired hold no longer blocks the slot (selectors_slots) but the database guard still
    # counts it active: cancel the expired holds in the way first.
    Booking.objects.filter(
        therapist=service.therapist,
        status=BookingStatus.HELD,
        held_until__lt=now,
        start__lt=blocked_until,
        blocked_until__gt=start,
    ).update(status=BookingStatus.CANCELLED, cancelled_at=now, updated_at=now)
    if not selectors_slots.slot_is_free(service=service, start=start, now=now):
        taken = Booking.objects.filter(
            therapist=service.therapist,
            status__in=ACTIVE_STATUSES,
            start__lt=blocked_until,
            blocked_until__gt=start,
        ).exists()
        if taken:
            raise SlotLost(service=service, now=now)
        message = _("This time is not free in the therapist's hours. Choose one of the slots.")
        raise Invalid(message, fields={"start": [message]}, code="slot_unavailable")
    booking = Booking(
        client=client,
        therapist=service.therapist,
        service=service,
        start=start,
        end=end,
        blocked_until=blocked_until,
        status=BookingStatus.CONFIRMED,
        created_at=now,
        updated_at=now,
        client_time_zone=zone,
        rescheduled_from=rescheduled_from,
    )
    # Field values are validated; not the foreign keys' existence, uniqueness or the
    # constraints (a SELECT each): the database checks those on insert.
    booking.full_clean(exclude=_FOREIGN_KEYS, validate_unique=False, validate_constraints=False)
    try:
        if rescheduled_from is None:
            # No savepoint: on failure the whole write transaction rolls back (SlotLost).
            booking.save(force_insert=True)
        else:
            # A savepoint: a move reads its alternatives in its transaction (PostgreSQL's
            # stays usable after the error).
            with transaction.atomic():
                booking.save(force_insert=True)
    except (IntegrityError, OperationalError) as exc:
        lost_race = _is_overlap(exc) if isinstance(exc, IntegrityError) else _is_deadlock(exc)
        if not lost_race:
            raise
        raise SlotLost(service=service, now=now) from None
    free_time_invalidate(therapist_id=service.therapist_id)
    return booking


_FOREIGN_KEYS = [f.name for f in Booking._meta.concrete_fields if f.is_relation]


def booking_refusal(
    *, client: User, service_id: uuid.UUID | str, start: dt.datetime, now: dt.datetime
) -> DomainError | None:
    """Why `client` may not book `service_id` at `start` now — the checks `booking_create`
    makes before it looks at the slot (who may book, the assessment, notice, horizon) — or
    None. Reads only; the confirm page shows the refusal before the Book button is pressed.
    Booking still makes every check itself."""
    try:
        booking_check(client=client, service_id=service_id, start=start, now=now)
    except DomainError as exc:
        return exc
    return None


def booking_check(
    *,
    client: User,
    service_id: uuid.UUID | str,
    start: dt.datetime,
    now: dt.datetime,
    client_time_zone: str | None = None,
) -> BookingRequest:
    """The checks of `booking_create` that only read (who may book what, the assessment, the
    zone, notice and horizon), made before the write transaction so that SQLite's write lock
    is not held for them; the slot itself is checked again inside it (`booking_insert`)."""
    service = _service_for_booking(service_id)
    _check_client_may_book(client=client, service=service, now=now)
    zone = _zone_name(client, client_time_zone)
    _check_start(service=service, start=start, now=now)
    return BookingRequest(client=client, service=service, start=start.astimezone(dt.UTC), zone=zone)


@transaction.atomic
def booking_insert(*, request: BookingRequest, now: dt.datetime) -> Booking:
    """The write of `booking_create` for a checked `request`, in one transaction: lock the
    therapist (PostgreSQL), recheck the slot (`slot_is_free`), cancel expired holds in the
    way, insert, invalidate the free-time index, and the confirmations of the client and the
    therapist (outbox). A slot no longer free raises SlotLost: roll back, then `taken()`."""
    service = request.service
    _lock_therapist(service.therapist_id)
    booking = _insert(
        client=request.client,
        service=service,
        start=request.start,
        zone=request.zone,
        now=now,
    )
    notifications_enqueue_new(
        booking=booking,
        kind=NotificationKind.BOOKING_CONFIRMED,
        recipients=[request.client, service.therapist.user],
        now=now,
    )
    return booking


def booking_create(
    *,
    client: User,
    service_id: uuid.UUID | str,
    start: dt.datetime,
    now: dt.datetime,
    client_time_zone: str | None = None,
) -> Booking:
    """A client books `service_id` at `start` (issue 6 item 4). Rules in the module docstring;
    errors: 403 clients_only / triage_blocks_booking / technique_avoided, 404 service_not_found
    / therapist_not_listed, 422 service_retired / start_not_aware / start_in_past /
    inside_min_notice / beyond_horizon / slot_unavailable / unknown_time_zone, 409 slot_taken.
    Writes the booking and the confirmations of the client and the therapist (outbox), or
    nothing.

    The read-only checks run first (`booking_check`), then the write transaction
    (`booking_insert`: SQLite's IMMEDIATE lock is held only for it); a "just taken" answer's
    alternatives are looked up after that transaction rolled back."""
    request = booking_check(
        client=client,
        service_id=service_id,
        start=start,
        now=now,
        client_time_zone=client_time_zone,
    )
    try:
        return booking_insert(request=request, now=now)
    except SlotLost as lost:
        raise lost.taken() from None


def _check_changeable(booking: Booking, *, now: dt.datetime) -> None:
    if booking.status == BookingStatus.CANCELLED:
        raise Conflict(_("This session is already cancelled."), code="booking_cancelled")
    if booking.status not in completion.CHANGEABLE_STATUSES:
        raise Conflict(
            _("This session is already marked %(status)s; it can no longer be changed.")
            % {"status": booking.get_status_display().lower()},
            code="booking_not_changeable",
        )
    if not completion.change_allowed(status=booking.status, start=booking.start, now=now):
        raise Conflict(
            _("This session has started or is past; it can no longer be changed."),
            code="booking_past",
        )


def _cancel_row(
    booking: Booking, *, actor: User, reason: str, late: bool, now: dt.datetime
) -> None:
    """Conditional update: a concurrent change makes this fail instead of overwriting."""
    updated = Booking.objects.filter(pk=booking.pk, status=booking.status).update(
        status=BookingStatus.CANCELLED,
        cancelled_at=now,
        cancelled_by=actor,
        cancel_reason=reason,
        late_cancellation=late,
        held_until=None,
        updated_at=now,
    )
    if updated != 1:
        raise Conflict(_("This session was just changed; reload the page."), code="booking_changed")
    free_time_invalidate(therapist_id=booking.therapist_id)
    booking.refresh_from_db()


def late_cancellation_applies(*, booking: Booking, cutoff_hours: int, now: dt.datetime) -> bool:
    """Whether cancelling at `now` is inside the cut-off: less than `cutoff_hours` before the
    start (issue 6 item 6)."""
    return booking.start - now < dt.timedelta(hours=cutoff_hours)


@transaction.atomic
def booking_cancel(
    *,
    actor: User,
    booking_id: uuid.UUID | str,
    reason: str,
    now: dt.datetime,
    confirm_late: bool = False,
) -> Booking:
    """The client or the therapist of an upcoming booking cancels it (issue 6 item 6).

    Anyone else: NotFound. Cancelled / completed / no-show / started: 409. The therapist must
    give a reason (422 `reason_required`); the client need not. A client inside the
    therapist's cut-off must confirm (`confirm_late`), else 409 `late_cancellation_confirm`
    with the warning; the booking is then marked late_cancellation (no fee in this version).
    The other side gets a `booking_cancelled` notification: the client when the therapist
    cancelled, the therapist when the client did (never the reason: emails.py)."""
    booking = booking_get_for_party(user=actor, public_id=booking_id)
    reason = (reason or "").strip()
    if len(reason) > CANCEL_REASON_MAX:
        message = _("Keep the reason under %(n)s characters.") % {"n": CANCEL_REASON_MAX}
        raise Invalid(message, fields={"reason": [message]}, code="reason_too_long")
    _check_changeable(booking, now=now)
    by_client = booking.client_id == actor.pk
    if not by_client and not reason:
        # docs/rules.md: a therapist cancels on the client, so they say why (the page forms
        # ask for it; the API must not skip it).
        message = _("Give a short reason, e.g. 'I am ill'.")
        raise Invalid(message, fields={"reason": [message]}, code="reason_required")
    late = False
    if by_client:
        cutoff = selectors_slots.policy_or_defaults(
            therapist=booking.therapist
        ).cancellation_cutoff_hours
        late = late_cancellation_applies(booking=booking, cutoff_hours=cutoff, now=now)
        if late and not confirm_late:
            raise Conflict(
                _(
                    "This session starts in less than %(hours)s hours, the therapist's "
                    "cancellation cut-off. You can still cancel; it will be recorded as a late "
                    "cancellation (no fee). Confirm to cancel."
                )
                % {"hours": cutoff},
                code="late_cancellation_confirm",
            )
    _cancel_row(booking, actor=actor, reason=reason, late=late, now=now)
    notification_enqueue(
        booking=booking,
        kind=NotificationKind.BOOKING_CANCELLED,
        recipient=booking.therapist.user if by_client else booking.client,
        now=now,
    )
    return booking


@transaction.atomic
def booking_reschedule(
    *, actor: User, booking_id: uuid.UUID | str, new_start: dt.datetime, now: dt.datetime
) -> Booking:
    """Move an upcoming booking to `new_start` (issue 6 item 6): the old one is cancelled
    ("Rescheduled", by `actor`) and a new one created with `rescheduled_from`, in one
    transaction; if the new slot is not free, nothing changes (409 slot_taken / 422).

    The client or the therapist of the booking (anyone else NotFound); the new time obeys every
    rule of `booking_create` for the booking's client and service — except that a therapist's
    move does not consult the client's assessment: it only moves a session the client already
    has, and a refusal would show the therapist the client's triage message or technique advice
    (health data shared only with consent). A client's own move follows their current
    assessment. Not a late cancellation:
    the session still takes place (no fee in this version anyway). The client is told
    (`booking_rescheduled` on the new booking), and the therapist too when the client moved
    it."""
    old = booking_get_for_party(user=actor, public_id=booking_id)
    _check_changeable(old, now=now)
    service = Service.objects.select_related("therapist", "therapist__user").get(pk=old.service_id)
    if new_start == old.start:
        message = _("The session is already at this time. Choose another time.")
        raise Invalid(message, fields={"start": [message]}, code="reschedule_same_time")
    by_client = old.client_id == actor.pk
    _check_client_may_book(client=old.client, service=service, now=now, assessment=by_client)
    _check_start(service=service, start=new_start, now=now)
    _lock_therapist(service.therapist_id)  # before touching the old row: one lock order
    _cancel_row(old, actor=actor, reason=RESCHEDULED_REASON, late=False, now=now)
    try:
        new = _insert(
            client=old.client,
            service=service,
            start=new_start,
            zone=old.client_time_zone,
            now=now,
            rescheduled_from=old,
        )
    except SlotLost:
        # Still inside the move's transaction: the old booking is cancelled here, so its time
        # counts as free for the alternatives (as in the move picker) but not its own start.
        raise SlotTaken(
            alternatives=booking_alternatives(service=service, now=now, exclude=old.start)
        ) from None
    recipients = [old.client]
    if actor.pk != service.therapist.user_id:
        recipients.append(service.therapist.user)
    for recipient in recipients:
        notification_enqueue(
            booking=new, kind=NotificationKind.BOOKING_RESCHEDULED, recipient=recipient, now=now
        )
    return new
