"""Therapist pages: credentials (issue 5 item 2) — the therapist's own licences and training,
evidence downloads (owner and staff, audited) and the staff verification queue."""

from __future__ import annotations

from django.urls import URLPattern, path

from backrelief.therapists.views import credentials, staff

urlpatterns: list[URLPattern] = [
    path("me/credentials/", credentials.credentials, name="credentials"),
    path("me/credentials/licences/new/", credentials.licence_new, name="licence_new"),
    path(
        "me/credentials/licences/<uuid:public_id>/edit/",
        credentials.licence_edit,
        name="licence_edit",
    ),
    path(
        "me/credentials/certifications/new/",
        credentials.certification_new,
        name="certification_new",
    ),
    path(
        "me/credentials/certifications/<uuid:public_id>/edit/",
        credentials.certification_edit,
        name="certification_edit",
    ),
    path(
        "licences/<uuid:public_id>/evidence/",
        credentials.licence_evidence,
        name="licence_evidence",
    ),
    path(
        "certifications/<uuid:public_id>/evidence/",
        credentials.certification_evidence,
        name="certification_evidence",
    ),
    path("staff/licences/", staff.staff_licences, name="staff_licences"),
    path(
        "staff/licences/<uuid:public_id>/",
        staff.staff_licence_detail,
        name="staff_licence_detail",
    ),
    path(
        "staff/certifications/<uuid:public_id>/",
        staff.staff_certification_detail,
        name="staff_certification_detail",
    ),
]
