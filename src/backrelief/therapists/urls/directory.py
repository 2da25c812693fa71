"""Therapist pages: the public directory (issue 5 items 4-5)."""

from __future__ import annotations

from django.urls import URLPattern, path

from backrelief.therapists.views import directory

urlpatterns: list[URLPattern] = [
    path("", directory.directory, name="directory"),
]
