"""Top-level routes. Every route is either in `PUBLIC_URL_NAMES` or requires login
(checked by `core/tests/test_architecture.py`)."""

from django.contrib import admin
from django.urls import include, path

from backrelief.api import api

urlpatterns = [
    path("", include("backrelief.core.urls")),
    path("accounts/", include("backrelief.accounts.urls")),
    path("techniques/", include("backrelief.catalog.urls")),
    path("assessments/", include("backrelief.assessment.urls")),
    path("therapists/", include("backrelief.therapists.urls")),
    path("schedule/", include("backrelief.scheduling.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

# URL names reachable without signing in. Everything else must redirect anonymous users to
# the login page (pages) or answer 401 (API).
PUBLIC_URL_NAMES = frozenset(
    {
        "core:home",
        "core:healthz",
        "core:set_language",
        "accounts:signup",
        "accounts:signup_done",
        "accounts:verify_email",
        "accounts:login",
        "accounts:login_mfa",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
        "catalog:technique_list",
        "catalog:technique_detail",
        # The therapist directory and public profiles (issue 5): only listed therapists.
        "therapists:directory",
        "therapists:profile_public",
        "therapists:photo",
        # Free times of a listed therapist's service (issue 6); booking itself needs sign-in.
        "scheduling:book_service",
    }
)
