"""Therapist pages: reviews and sessions to mark (issue 5 items 3 and 5)."""

from __future__ import annotations

from django.urls import URLPattern, path

from backrelief.therapists.views import reviews as views

urlpatterns: list[URLPattern] = [
    path("reviews/", views.reviewable_sessions, name="reviewable_sessions"),
    path("reviews/new/<uuid:booking_id>/", views.review_new, name="review_new"),
    path("reviews/<uuid:public_id>/report/", views.report_review, name="review_report"),
    path("me/reviews/", views.my_reviews, name="my_reviews"),
    path("me/reviews/<uuid:public_id>/reply/", views.reply_review, name="review_reply"),
    path("me/sessions/", views.my_sessions, name="my_sessions"),
    path(
        "me/sessions/<uuid:booking_id>/complete/",
        views.complete_session,
        name="session_complete",
    ),
    path("me/sessions/<uuid:booking_id>/no-show/", views.no_show_session, name="session_no_show"),
    path("staff/reviews/", views.staff_reviews, name="staff_reviews"),
    path("staff/reviews/<uuid:public_id>/hide/", views.hide_review, name="review_hide"),
    path("staff/reviews/<uuid:public_id>/unhide/", views.unhide_review, name="review_unhide"),
    path(
        "staff/reviews/<uuid:public_id>/dismiss/",
        views.dismiss_review_reports,
        name="review_dismiss_reports",
    ),
]
