"""The public therapist profile and its photo (issue 5 items 1, 2, 4, 5): a therapist without a
verified, unexpired licence has no public profile (404 for everyone but the owner and staff,
who see a preview banner); services of a technique the client's assessment marks AVOID are
never shown."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.urls import reverse
from PIL import Image

from backrelief.accounts.tests.mfa_helpers import sign_in_staff
from backrelief.assessment.models import Assessment
from backrelief.therapists.services.profile import profile_photo_set
from backrelief.therapists.tests.factories import (
    make_certification,
    make_experience,
    make_licence,
    make_profile,
    make_service,
)

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)
PERSONAS = ["anonymous", "client_user", "other_client", "other_therapist", "therapist", "staff"]


@pytest.fixture(autouse=True)
def _frozen(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(NOW, tick=False):
        yield


def _login(client, request, persona):
    if persona == "anonymous":
        return None
    if persona == "staff":
        user = request.getfixturevalue("staff_user")
        sign_in_staff(client, user)
        return user
    user = request.getfixturevalue(persona)
    client.force_login(user)
    return user


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _with_photo(user):
    out = io.BytesIO()
    Image.new("RGB", (60, 60), (9, 9, 9)).save(out, format="PNG")
    profile_photo_set(user=user, upload=io.BytesIO(out.getvalue()), now=NOW)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("licence", [None, "pending", "rejected", "expired"])
def test_an_unlisted_therapist_has_no_public_profile_except_for_owner_and_staff(
    client, request, therapist, persona, licence
):
    profile = make_profile(therapist)
    make_service(profile)
    _with_photo(therapist)
    if licence == "expired":
        make_licence(profile, status="verified", expires_on=dt.date(2026, 11, 1))
    elif licence:
        make_licence(profile, status=licence)
    _login(client, request, persona)
    page = client.get(reverse("therapists:profile_public", args=[profile.public_id]))
    photo = client.get(reverse("therapists:photo", args=[profile.public_id]))
    if persona in ("therapist", "staff"):
        assert page.status_code == 200
        assert "Not visible to the public yet" in _text(page)
        assert photo.status_code == 200
        assert "public" not in photo["Cache-Control"]
    else:
        assert page.status_code == 404
        assert photo.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_listed_therapist_is_public_to_everyone(client, request, therapist, persona):
    profile = make_profile(therapist, mobile=True, travel_radius_km=15)
    make_licence(profile, status="verified")
    make_service(profile, technique="shiatsu", duration_min=45, price_minor=5550)
    _login(client, request, persona)
    response = client.get(reverse("therapists:profile_public", args=[profile.public_id]))
    assert response.status_code == 200
    body = _text(response)
    assert "Not visible to the public yet" not in body
    assert "Theo Therapist" in body
    assert "Shiatsu · 45 min · <strong>€55.50</strong>" in body
    assert "Comes to you within 15 km" in body
    assert "English, German" in body
    assert "Torstraße 1, 10119 Berlin" in body


def test_the_profile_shows_photo_alt_accessibility_and_verified_experience(client, therapist):
    profile = make_profile(therapist, step_free_access=True, accessibility_notes="Lift at the back")
    make_licence(profile, status="verified")
    make_experience(profile, technique="swedish", years=8)
    make_experience(profile, technique="shiatsu", years=3)
    make_certification(profile, technique="swedish", status="verified")
    _with_photo(therapist)
    profile.refresh_from_db()
    body = _text(client.get(reverse("therapists:profile_public", args=[profile.public_id])))
    assert 'alt="Photo of Theo Therapist"' in body
    assert f"?v={profile.photo_name[:-4]}" in body
    assert "Step-free access" in body
    assert "Lift at the back" in body
    assert re.search(r"Swedish massage: 8 years .{0,200}verified", body)
    assert re.search(r"Shiatsu: 3 years .{0,80}stated by the therapist", body)


def test_a_listed_photo_is_a_public_cacheable_jpeg(client, therapist):
    profile = make_profile(therapist)
    make_licence(profile, status="verified")
    _with_photo(therapist)
    response = client.get(reverse("therapists:photo", args=[profile.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, max-age=3600"
    data = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(data)).format == "JPEG"


def test_no_photo_or_unknown_id_is_404(client, therapist):
    profile = make_profile(therapist)
    make_licence(profile, status="verified")
    assert client.get(reverse("therapists:photo", args=[profile.public_id])).status_code == 404
    unknown = "00000000-0000-0000-0000-000000000000"
    assert client.get(reverse("therapists:photo", args=[unknown])).status_code == 404
    assert client.get(reverse("therapists:profile_public", args=[unknown])).status_code == 404


def _assessment_avoiding(user, *codes):
    techniques = [
        {"technique": c, "action": "AVOID" if c in codes else "OK", "rank": None}
        for c in ("swedish", "deep_tissue", "trigger_point", "shiatsu", "hot_stone")
    ]
    return Assessment.objects.create(
        owner=user,
        created_at=NOW - dt.timedelta(days=1),
        assessed_on=NOW.date(),
        inputs={},
        result={"techniques": techniques},
        versions={},
        triage_level="NONE_REPORTED",
    )


def test_services_of_an_avoid_technique_are_hidden_from_that_client_with_a_reason(
    client, therapist, client_user, other_client
):
    profile = make_profile(therapist)
    make_licence(profile, status="verified")
    make_service(profile, technique="deep_tissue", price_minor=9100)
    make_service(profile, technique="swedish", price_minor=7000)
    _assessment_avoiding(client_user, "deep_tissue")
    url = reverse("therapists:profile_public", args=[profile.public_id])
    client.force_login(client_user)
    body = _text(client.get(url))
    assert (
        "Hidden: deep tissue massage is not suitable for you according to your assessment." in body
    )
    assert "€91.00" not in body
    assert "€70.00" in body
    client.force_login(other_client)
    body = _text(client.get(url))
    assert "€91.00" in body
    assert "Hidden:" not in body


def test_the_public_page_works_without_a_signed_in_user_or_services(client, therapist):
    profile = make_profile(therapist)
    make_licence(profile, status="verified")
    body = _text(client.get(reverse("therapists:profile_public", args=[profile.public_id])))
    assert "No services listed yet." in body
    assert "No reviews yet" in body


def test_the_public_page_reads_a_fixed_number_of_queries(client, therapist):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    profile = make_profile(therapist)
    make_licence(profile, status="verified")
    make_service(profile, technique="swedish")
    url = reverse("therapists:profile_public", args=[profile.public_id])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for technique in ("shiatsu", "hot_stone", "deep_tissue"):
        make_service(profile, technique=technique)
        make_experience(profile, technique=technique, years=2)
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more.captured_queries) == len(few.captured_queries) <= 10
