"""The booking emails of the notification outbox (issue 6 item 7), rendered at send time.

What an email may carry: the time (in the recipient's zone, zone named), the place, the
technique, the duration, the other person's name, practical notes and a link. Never health
details: no assessment, no pain areas, no triage, no cancellation reason (a client may have
written about their health there). Subjects are generic, so a lock screen shows nothing.
Both sides get these messages (services_booking): the client in the zone they booked from, the
therapist in their practice's zone, each with the zone named; the wording follows `for_client`.
Templates: templates/scheduling/email/<kind>.txt and .html (text + HTML alternatives).
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from backrelief.accounts.models import User
from backrelief.core.time import format_local, utc_to_local, zone_names
from backrelief.scheduling.models import Booking, Notification, NotificationKind
from backrelief.therapists.selectors_credentials import technique_name


def _subjects(*, for_client: bool) -> dict[str, str]:
    """Generic subjects: no name, no technique, nothing a lock screen should not show."""
    if for_client:
        return {
            NotificationKind.BOOKING_CONFIRMED: _("Your BackRelief session is confirmed"),
            NotificationKind.BOOKING_RESCHEDULED: _("Your BackRelief session was moved"),
            NotificationKind.BOOKING_CANCELLED: _("Your BackRelief session was cancelled"),
        }
    return {
        NotificationKind.BOOKING_CONFIRMED: _("A new BackRelief booking"),
        NotificationKind.BOOKING_RESCHEDULED: _("A BackRelief booking changed"),
        NotificationKind.BOOKING_CANCELLED: _("A BackRelief booking was cancelled"),
    }


def _zone(name: str) -> ZoneInfo:
    """The zone called `name`; UTC for a name this machine does not know (a message with
    the zone named in UTC beats no message)."""
    return ZoneInfo(name if name in zone_names() else "UTC")


def recipient_zone(booking: Booking, recipient: User) -> str:
    """The client reads times in the zone they booked from (`Booking.client_time_zone`), the
    therapist in their practice's zone; anyone else in their account's zone."""
    if recipient.pk == booking.client_id:
        return booking.client_time_zone
    if recipient.pk == booking.therapist.user_id:
        return booking.therapist.time_zone
    return recipient.time_zone


def _place(booking: Booking, *, for_client: bool) -> str:
    therapist = booking.therapist
    if therapist.in_clinic and therapist.address:
        return therapist.address
    if therapist.mobile:
        return _("At your place") if for_client else _("At the client's place")
    return _("The address is on the therapist's profile")


def _link(booking: Booking) -> str:
    """The session's own page (for its client and its therapist alike)."""
    base = str(settings.BASE_URL).rstrip("/")
    return base + reverse("scheduling:booking_detail", args=[booking.public_id])


def _end_text(booking: Booking, zone: ZoneInfo) -> str:
    """The end's wall time; with its abbreviation when a clock change falls inside the session
    (e.g. "02:00 CET" after a start at 02:30 CEST), so it never reads as a negative length."""
    start, end = utc_to_local(booking.start, zone), utc_to_local(booking.end, zone)
    if start.tzname() != end.tzname():
        return f"{end:%H:%M} {end.tzname()}"
    return f"{end:%H:%M}"


def _context(notification: Notification) -> dict[str, Any]:
    booking = notification.booking
    recipient = notification.recipient
    for_client = recipient.pk == booking.client_id
    zone = recipient_zone(booking, recipient)
    previous = booking.rescheduled_from
    cancelled_by_other = (
        booking.cancelled_by_id is not None and booking.cancelled_by_id != recipient.pk
    )
    therapist_zone = booking.therapist.time_zone
    show_therapist_time = for_client and _zone(therapist_zone).key != _zone(zone).key
    return {
        "subject": _subjects(for_client=for_client)[notification.kind],
        "kind": notification.kind,
        "for_client": for_client,
        "display_name": recipient.display_name,
        "other_name": booking.therapist.display_name if for_client else booking.client.label,
        "when": format_local(booking.start, _zone(zone)),
        "ends": _end_text(booking, _zone(zone)),
        # A client booking from another zone also sees the time where the therapist is.
        "therapist_when": format_local(booking.start, _zone(therapist_zone))
        if show_therapist_time
        else "",
        "previous_when": format_local(previous.start, _zone(zone)) if previous is not None else "",
        "place": _place(booking, for_client=for_client),
        "technique": technique_name(booking.service.technique),
        "duration_min": booking.service.duration_min,
        "cancelled_by_other": cancelled_by_other,
        # The therapist learns that a client's cancellation was inside their cut-off (no fee in
        # this version); never the reason the client gave.
        "late_cancellation": (not for_client) and booking.late_cancellation,
        "link": _link(booking),
        "base_url": str(settings.BASE_URL).rstrip("/"),
    }


def booking_email_build(notification: Notification) -> EmailMultiAlternatives:
    """The message for one outbox row, from the booking as it is now, in the recipient's
    language: generic subject, text body, HTML alternative. Reads only the objects passed
    (`notification.booking` with its therapist, client, service and `rescheduled_from`, and
    `notification.recipient`); select them together to avoid extra queries."""
    recipient = notification.recipient
    language = (
        recipient.locale if recipient.locale in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    )
    with translation.override(language):
        context = _context(notification)
        kind = str(notification.kind)
        message = EmailMultiAlternatives(
            subject=str(context["subject"]),
            body=render_to_string(f"scheduling/email/{kind}.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient.email],
            headers={
                "Auto-Submitted": "auto-generated",
                "X-BackRelief-Notification": str(notification.public_id),
            },
        )
        message.attach_alternative(
            render_to_string(f"scheduling/email/{kind}.html", context), "text/html"
        )
    return message
