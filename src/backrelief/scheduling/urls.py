"""Scheduling pages under /schedule/ (issue 6)."""

from __future__ import annotations

from django.urls import URLPattern, path

from backrelief.scheduling import urls_booking, urls_calendar
from backrelief.scheduling.views import availability

app_name = "scheduling"

urlpatterns: list[URLPattern] = [
    path("availability/", availability.availability, name="availability"),
    path(
        "availability/dates/<str:day>/",
        availability.override_edit,
        name="override_edit",
    ),
    path("availability/time-off/new/", availability.time_off_new, name="time_off_new"),
    *urls_booking.urlpatterns,
    *urls_calendar.urlpatterns,
]
