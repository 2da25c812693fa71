"""Therapist pages: the therapist's own dashboard, onboarding, profile, photo, services and
experience, and the public profile (issue 5 items 1 and 5). The public profile's
`<uuid:public_id>/` is the last pattern of all therapist URLs (see `urls/__init__.py`)."""

from __future__ import annotations

from django.urls import URLPattern, path

from backrelief.therapists.views import onboarding, profile, profile_public

urlpatterns: list[URLPattern] = [
    path("me/", profile.dashboard, name="dashboard"),
    path("me/onboarding/<slug:step>/", onboarding.onboarding, name="onboarding"),
    path("me/profile/", profile.profile_edit, name="profile_edit"),
    path("me/photo/", profile.photo_edit, name="photo_edit"),
    path("me/services/", profile.service_list, name="service_list"),
    path("me/services/<uuid:public_id>/", profile.service_edit, name="service_edit"),
    path("me/experience/", profile.experience_edit, name="experience_edit"),
    path("<uuid:public_id>/photo/", profile_public.photo, name="photo"),
    path("<uuid:public_id>/", profile_public.profile_public, name="profile_public"),
]
