"""The therapist's day/week calendar under /schedule/calendar/ (issue 6 item 9)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
