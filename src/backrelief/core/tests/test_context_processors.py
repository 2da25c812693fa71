"""The role-aware navigation and each role's home page point at the therapist pages (issue 5)
and the booking pages (issue 6)."""

import pytest
from django.urls import reverse

from backrelief.accounts.tests.mfa_helpers import enable_mfa, sign_in

pytestmark = pytest.mark.django_db


def _nav(response) -> list[str]:
    return [href for href, _label in response.context["nav_items"]]


def test_anonymous_navigation_offers_the_directory(client):
    response = client.get(reverse("core:home"))
    assert reverse("therapists:directory") in _nav(response)
    assert reverse("therapists:dashboard") not in _nav(response)


def test_a_client_sees_their_sessions_and_the_directory_on_home(client, client_user):
    client.force_login(client_user)
    response = client.get(reverse("core:home"))
    assert reverse("scheduling:my_sessions") in _nav(response)
    assert reverse("scheduling:calendar") not in _nav(response)
    body = response.content.decode()
    assert reverse("therapists:directory") in body
    assert "coming next" not in body


def test_a_therapist_sees_their_practice_on_home(client, therapist):
    client.force_login(therapist)
    response = client.get(reverse("core:home"))
    assert reverse("therapists:dashboard") in _nav(response)
    assert reverse("scheduling:calendar") in _nav(response)
    assert reverse("scheduling:my_sessions") not in _nav(response)
    assert reverse("therapists:dashboard") in response.content.decode()
    assert reverse("therapists:staff_licences") not in _nav(response)


def test_staff_see_the_licence_and_review_queues(client, staff_user):
    enable_mfa(staff_user)
    sign_in(client, staff_user, mfa_verified=True)
    response = client.get(reverse("core:home"))
    assert {reverse("therapists:staff_licences"), reverse("therapists:staff_reviews")} <= set(
        _nav(response)
    )
