"""Directory result cards, found in review of issue 6: the line that says where sessions take
place follows the language like the rest of the card; a client whose assessment blocks
booking is not told "Nothing free" when sorting by earliest availability."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from backrelief.accounts.tests.mfa_helpers import sign_in
from backrelief.core.tests.test_i18n import german_catalog  # noqa: F401 (fixture)
from backrelief.scheduling.models import WeeklyHours
from backrelief.therapists.tests.directory_helpers import NOW, listed, make_assessment

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("german_catalog")
def test_where_sessions_take_place_follows_the_language(make_user):
    with time_machine.travel(NOW, tick=False):
        listed(make_user, "Clara Clinic", in_clinic=True, mobile=False)
        listed(make_user, "Mo Mobile", in_clinic=False, mobile=True, travel_radius_km=12)
        listed(make_user, "Bo Both", in_clinic=True, mobile=True, travel_radius_km=8)
        web = Client()
        web.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
        page = web.get(reverse("therapists:directory")).content.decode()
        assert "In einer Praxis" in page
        assert "Bei Ihnen zu Hause im Umkreis von 12 km (mobil)" in page
        assert "In einer Praxis oder bei Ihnen zu Hause im Umkreis von 8 km" in page
        assert "At your place within" not in page
        english = Client().get(reverse("therapists:directory")).content.decode()
        assert "At your place within 12 km (mobile)" in english
        assert "In a clinic, or at your place within 8 km" in english


def test_a_client_whose_assessment_blocks_booking_is_not_told_nothing_is_free(
    make_user, client_user
):
    """Sorted by earliest availability, a client whose warning signs block booking sees that
    no sessions are offered to them, not "Nothing free in the next 14 days" (which would be
    about the therapist, and untrue)."""
    with time_machine.travel(NOW, tick=False):
        ada = listed(make_user, "Ada")
        WeeklyHours.objects.bulk_create(
            WeeklyHours(therapist=ada, weekday=d, start_time=dt.time(9), end_time=dt.time(17))
            for d in range(7)
        )
        make_assessment(client_user, blocks_booking=True)
        web = Client()
        sign_in(web, client_user)
        html = web.get(reverse("therapists:directory"), {"sort": "earliest"}).content.decode()
        assert "No sessions are offered to you until a doctor has checked you" in html
        assert "Nothing free" not in html
        assert "Next free" not in html
        anonymous = Client().get(reverse("therapists:directory"), {"sort": "earliest"})
        assert "Next free:" in anonymous.content.decode()
