"""The directory's result cards are translatable (found in review of issue 6): the line that
says where sessions take place follows the language, like the rest of the card."""

from __future__ import annotations

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from backrelief.core.tests.test_i18n import german_catalog  # noqa: F401 (fixture)
from backrelief.therapists.tests.directory_helpers import NOW, listed

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
