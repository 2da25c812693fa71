"""Client booking pages and "My sessions" under /schedule/ (issue 6 item 9)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
