"""Role-aware navigation for the base template."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items: list[tuple[str, Any]] = []
    if user is not None and user.is_authenticated:
        items.append((reverse("core:home"), _("Home")))
        if user.role == "client":
            items.append((reverse("assessment:assessment_list"), _("My assessments")))
            items.append((reverse("scheduling:my_sessions"), _("My sessions")))
        if user.role == "therapist":
            items.append((reverse("therapists:dashboard"), _("My practice")))
            items.append((reverse("scheduling:calendar"), _("Calendar")))
        if user.role == "staff":
            items.append((reverse("therapists:staff_licences"), _("Licences")))
            items.append((reverse("therapists:staff_reviews"), _("Reviews")))
            items.append((reverse("core:audit_search"), _("Audit")))
            items.append((reverse("admin:index"), _("Admin")))
        items.append((reverse("accounts:profile"), _("Account")))
    items.append((reverse("therapists:directory"), _("Find a therapist")))
    items.append((reverse("catalog:technique_list"), _("Techniques")))
    return {"nav_items": items}
