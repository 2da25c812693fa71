"""Client booking pages and "My sessions" under /schedule/ (issue 6 item 9)."""

from __future__ import annotations

from django.urls import URLPattern, path

from backrelief.scheduling.views import booking, sessions

urlpatterns: list[URLPattern] = [
    path("book/<uuid:service_id>/", booking.book_service, name="book_service"),
    path("book/<uuid:service_id>/confirm/", booking.book_confirm, name="book_confirm"),
    path("sessions/", sessions.my_sessions, name="my_sessions"),
    path("sessions/<uuid:booking_id>/", sessions.booking_detail, name="booking_detail"),
    path(
        "sessions/<uuid:booking_id>/cancel/",
        sessions.booking_cancel_page,
        name="booking_cancel",
    ),
    path(
        "sessions/<uuid:booking_id>/reschedule/",
        sessions.booking_reschedule_page,
        name="booking_reschedule",
    ),
]
