"""The therapist's day/week calendar under /schedule/calendar/ (issue 6 item 9)."""

from __future__ import annotations

from django.urls import URLPattern, path

from backrelief.scheduling.views import calendar

urlpatterns: list[URLPattern] = [
    path("calendar/", calendar.calendar, name="calendar"),
    path(
        "calendar/sessions/<uuid:booking_id>/cancel/",
        calendar.calendar_cancel,
        name="calendar_cancel",
    ),
    path(
        "calendar/sessions/<uuid:booking_id>/complete/",
        calendar.calendar_complete,
        name="calendar_complete",
    ),
    path(
        "calendar/sessions/<uuid:booking_id>/no-show/",
        calendar.calendar_no_show,
        name="calendar_no_show",
    ),
]
