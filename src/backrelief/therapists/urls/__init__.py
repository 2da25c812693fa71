"""Therapist pages under /therapists/ (issue 5 item 5), one URL module per area."""

from __future__ import annotations

from backrelief.therapists.urls import credentials, directory, profile, reviews

app_name = "therapists"

urlpatterns = [
    *directory.urlpatterns,
    *credentials.urlpatterns,
    *reviews.urlpatterns,
    *profile.urlpatterns,  # last: it holds the /therapists/<uuid>/ catch of public profiles
]
