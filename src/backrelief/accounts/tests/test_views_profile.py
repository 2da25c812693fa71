"""The profile page: persona matrix, saving, field errors, links to the security pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from backrelief.accounts.models import User
from backrelief.accounts.tests.mfa_helpers import enable_mfa, sign_in
from backrelief.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is the production hasher (settings); these tests are about flows, not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


PROFILE = reverse("accounts:profile")
PERSONAS = ["client_user", "other_client", "therapist", "other_therapist", "staff_user"]


def signed_in_as(request, persona: str) -> tuple[Client, User]:
    user = request.getfixturevalue(persona)
    client = Client()
    if user.role == "staff":  # staff pages need two-factor (MFARequiredMiddleware)
        enable_mfa(user)
        sign_in(client, user, mfa_verified=True)
    else:
        sign_in(client, user)
    return client, user


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_sees_their_own_profile_only(request, persona, client_user, therapist):
    client, user = signed_in_as(request, persona)
    response = client.get(PROFILE)
    assert response.status_code == 200
    html = response.content.decode()
    assert user.email in html
    for other in (client_user, therapist):
        if other != user:
            assert other.email not in html
    assert response["Cache-Control"].count("no-store") == 1


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert client.post(PROFILE, {"display_name": "x"}).status_code == 302


def test_staff_without_two_factor_are_sent_to_set_it_up(staff_user):
    client = Client()
    sign_in(client, staff_user)
    response = client.get(PROFILE)
    assert response["Location"] == reverse("accounts:mfa_setup")


def test_the_page_links_every_security_page_and_is_accessible(client, client_user):
    sign_in(client, client_user)
    response = client.get(PROFILE)
    html = response.content.decode()
    assert html.count("<h1") == 1
    for name in ("sessions", "mfa_setup", "tokens", "consent", "password_change"):
        assert f'href="{reverse(f"accounts:{name}")}"' in html
    assert re.search(r'<select name="time_zone"[^>]*data-browser-timezone', html)
    assert 'autocomplete="country"' in html
    assert 'autocomplete="name"' in html
    assert '<label for="id_country">' in html
    assert '<option value="DE">Germany</option>' in html


def test_saving_the_profile_changes_it_and_says_so(client, client_user):
    sign_in(client, client_user)
    response = client.post(
        PROFILE,
        {
            "display_name": "Cleo C.",
            "country": "AU",
            "time_zone": "Australia/Perth",
            "locale": "en",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Your profile was saved" in response.content.decode()
    client_user.refresh_from_db()
    assert (client_user.display_name, client_user.country, client_user.time_zone) == (
        "Cleo C.",
        "AU",
        "Australia/Perth",
    )
    assert AuditEvent.objects.filter(action="profile.changed").count() == 1


def test_choosing_german_switches_the_pages_to_german(client, client_user):
    sign_in(client, client_user)
    data = {"display_name": "Cleo", "country": "", "time_zone": "UTC", "locale": "de"}
    client.post(PROFILE, data)
    response = client.get(PROFILE)
    assert '<html lang="de">' in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"display_name": "n" * 81}, "display_name", id="oversized-name"),
        pytest.param({"country": "ZZ"}, "country", id="unknown-country"),
        pytest.param({"time_zone": "Europe/Nowhere"}, "time_zone", id="unknown-zone"),
        pytest.param({"locale": "xx"}, "locale", id="unknown-language"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(
    client, client_user, changes, field
):
    sign_in(client, client_user)
    data = {"display_name": "Changed", "country": "SE", "time_zone": "UTC", "locale": "en"}
    response = client.post(PROFILE, data | changes)
    assert response.status_code == 422
    assert re.search(rf'id="id_{field}_errors?"', response.content.decode())
    stored = User.objects.get(pk=client_user.pk)
    assert (stored.display_name, stored.country) == ("Cleo Client", "")
    assert not AuditEvent.objects.filter(action="profile.changed").exists()


def test_a_chosen_time_zone_is_not_replaced_by_the_browsers(client, make_user):
    user = make_user(time_zone="Asia/Tokyo")
    sign_in(client, user)
    html = client.get(PROFILE).content.decode()
    assert re.search(r'<select name="time_zone"[^>]*data-user-set="1"', html)
    assert '<option value="Asia/Tokyo" selected>' in html


def test_the_untouched_default_zone_may_be_prefilled_from_the_browser(client, client_user):
    sign_in(client, client_user)
    html = client.get(PROFILE).content.decode()
    assert "data-user-set" not in html
