"""The therapist's own pages (issue 5 items 1 and 5): dashboard, onboarding wizard, profile,
photo, services and experience. Persona matrix, plain POST-redirect-GET, errors beside fields,
bad input stores nothing."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.urls import reverse
from PIL import Image

from backrelief.accounts.tests.mfa_helpers import sign_in_staff
from backrelief.therapists.models import Service, TherapistProfile
from backrelief.therapists.tests.factories import (
    make_experience,
    make_licence,
    make_profile,
    make_service,
)

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)
OWN_PAGES = ["dashboard", "profile_edit", "photo_edit", "service_list", "experience_edit"]


@pytest.fixture(autouse=True)
def _frozen(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(NOW, tick=False):
        yield


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- who may open the pages ----------------------------------------------------------------


@pytest.mark.parametrize("name", OWN_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(f"therapists:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", OWN_PAGES)
@pytest.mark.parametrize("persona", ["client_user", "other_client"])
def test_clients_get_a_403_page_that_says_why(client, request, name, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse(f"therapists:{name}"))
    assert response.status_code == 403
    assert "for therapist accounts" in _text(response)


def test_staff_have_no_practice_pages(client, staff_user):
    sign_in_staff(client, staff_user)
    assert client.get(reverse("therapists:dashboard")).status_code == 403


@pytest.mark.parametrize("name", OWN_PAGES)
def test_a_new_therapist_is_sent_to_onboarding(client, therapist, name):
    client.force_login(therapist)
    response = client.get(reverse(f"therapists:{name}"))
    assert response.status_code == 302
    assert response["Location"] == reverse("therapists:onboarding", args=["about"])


@pytest.mark.parametrize("name", OWN_PAGES)
def test_a_therapist_with_a_profile_sees_their_pages(client, therapist, name):
    make_profile(therapist)
    client.force_login(therapist)
    assert client.get(reverse(f"therapists:{name}")).status_code == 200


# --- dashboard -----------------------------------------------------------------------------


def test_dashboard_shows_completeness_missing_steps_and_why_not_listed(client, therapist):
    profile = make_profile(therapist, bio="")
    client.force_login(therapist)
    body = _text(client.get(reverse("therapists:dashboard")))
    assert "Not listed yet" in body
    assert "no verified licence yet" in body
    assert "% complete" in body
    services_step = reverse("therapists:onboarding", args=["services"])
    assert f'<a href="{services_step}">Add at least one service with its price.</a>' in body
    assert reverse("therapists:photo_edit") in body
    assert reverse("therapists:profile_public", args=[profile.public_id]) in body
    licence_form = reverse("therapists:licence_new")
    assert f'<a href="{licence_form}">Submit your licence so staff can verify it.</a>' in body
    for name in ("credentials", "my_reviews", "my_sessions"):
        assert reverse(f"therapists:{name}") in body


def test_dashboard_of_a_listed_therapist_says_listed(client, therapist):
    profile = make_profile(therapist)
    make_licence(profile, status="verified")
    make_service(profile)
    client.force_login(therapist)
    body = _text(client.get(reverse("therapists:dashboard")))
    assert "<strong>Listed</strong>" in body
    assert "Continue setting up" not in body


@pytest.mark.parametrize(
    ("status", "expires", "fragment"),
    [
        ("pending", dt.date(2030, 1, 1), "waiting for a staff check"),
        ("rejected", dt.date(2030, 1, 1), "was not accepted"),
        ("verified", dt.date(2026, 11, 1), "has expired"),
    ],
)
def test_dashboard_says_which_licence_problem_keeps_the_therapist_unlisted(
    client, therapist, status, expires, fragment
):
    profile = make_profile(therapist)
    make_licence(profile, status=status, expires_on=expires)
    client.force_login(therapist)
    assert fragment in _text(client.get(reverse("therapists:dashboard")))


# --- onboarding ----------------------------------------------------------------------------


def test_onboarding_end_to_end_without_javascript(client, therapist):
    client.force_login(therapist)
    url = lambda step: reverse("therapists:onboarding", args=[step])  # noqa: E731
    page = _text(client.get(url("about")))
    assert "Step 1 of 4" in page
    response = client.post(
        url("about"), {"display_name": "Anna Müller", "bio": "Calm.", "languages": ["de", "en"]}
    )
    assert response.status_code == 302
    assert response["Location"] == url("practice")
    assert "Step 2 of 4" in _text(client.get(url("practice")))
    response = client.post(
        url("practice"),
        {
            "address": "Torstraße 1, Berlin",
            "latitude": "52.52",
            "longitude": "13.405",
            "in_clinic": "on",
            "time_zone": "Europe/Berlin",
            "step_free_access": "on",
        },
    )
    assert response["Location"] == url("services")
    response = client.post(
        url("services"),
        {
            "technique": "swedish",
            "duration_min": "60",
            "price": "70",
            "currency": "EUR",
            "action": "add_another",
        },
    )
    assert response["Location"] == url("services")
    response = client.post(
        url("services"),
        {
            "technique": "shiatsu",
            "duration_min": "45",
            "price": "55.50",
            "currency": "EUR",
            "action": "next",
        },
    )
    assert response["Location"] == url("credentials-hint")
    page = _text(client.get(url("credentials-hint")))
    assert "Step 4 of 4" in page
    assert "checked your licence" in page
    response = client.post(url("credentials-hint"))
    assert response["Location"] == url("done")
    assert "Your profile is set up" in _text(client.get(url("done")))
    profile = TherapistProfile.objects.get(user=therapist)
    assert profile.onboarding_completed_at == NOW
    assert profile.step_free_access
    assert sorted(profile.services.values_list("price_minor", flat=True)) == [5550, 7000]
    assert client.get(reverse("therapists:dashboard")).status_code == 200


def test_later_steps_need_the_profile_first(client, therapist):
    client.force_login(therapist)
    response = client.get(reverse("therapists:onboarding", args=["services"]))
    assert response["Location"] == reverse("therapists:onboarding", args=["about"])


def test_an_unknown_step_is_404(client, therapist):
    client.force_login(therapist)
    assert client.get(reverse("therapists:onboarding", args=["nope"])).status_code == 404


def test_finishing_too_early_lists_the_missing_required_steps(client, therapist):
    make_profile(therapist)
    client.force_login(therapist)
    response = client.post(reverse("therapists:onboarding", args=["credentials-hint"]))
    assert response.status_code == 422
    body = _text(response)
    assert "Some required steps are not done yet" in body
    assert "Add at least one service with its price." in body


def test_practice_step_shows_coordinates_out_of_range_beside_the_field(client, therapist):
    profile = make_profile(therapist)
    client.force_login(therapist)
    response = client.post(
        reverse("therapists:onboarding", args=["practice"]),
        {
            "address": "x",
            "latitude": "95",
            "longitude": "13",
            "in_clinic": "on",
            "time_zone": "Europe/Berlin",
        },
    )
    assert response.status_code == 422
    body = _text(response)
    assert 'href="#id_latitude"' in body
    assert "coordinates out of range" in body
    profile.refresh_from_db()
    assert profile.latitude == 52.52
    assert profile.address == "Torstraße 1, 10119 Berlin"


def test_a_client_cannot_start_onboarding(client, client_user):
    client.force_login(client_user)
    response = client.post(
        reverse("therapists:onboarding", args=["about"]),
        {"display_name": "X", "languages": ["en"]},
    )
    assert response.status_code == 403
    assert not TherapistProfile.objects.exists()


# --- profile, photo, services, experience --------------------------------------------------


def test_profile_edit_saves_and_redirects(client, therapist):
    profile = make_profile(therapist)
    client.force_login(therapist)
    response = client.post(
        reverse("therapists:profile_edit"),
        {
            "display_name": "Anna M.",
            "languages": ["en"],
            "address": "Somewhere 2",
            "latitude": "48.1",
            "longitude": "11.6",
            "mobile": "on",
            "travel_radius_km": "12",
            "time_zone": "Europe/Berlin",
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.display_name, profile.mobile, profile.in_clinic) == ("Anna M.", True, False)
    assert profile.travel_radius_km == 12


def test_profile_edit_mobile_without_radius_stores_nothing(client, therapist):
    profile = make_profile(therapist)
    client.force_login(therapist)
    response = client.post(
        reverse("therapists:profile_edit"),
        {"display_name": "New", "languages": ["en"], "mobile": "on", "time_zone": "UTC"},
    )
    assert response.status_code == 422
    assert "how far you travel" in _text(response)
    profile.refresh_from_db()
    assert profile.display_name == "Theo Therapist"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (50, 40), (1, 2, 3)).save(out, format="PNG")
    return out.getvalue()


def test_photo_upload_and_remove(client, therapist):
    from django.core.files.uploadedfile import SimpleUploadedFile

    profile = make_profile(therapist)
    client.force_login(therapist)
    upload = SimpleUploadedFile("me.png", _png(), content_type="image/png")
    response = client.post(reverse("therapists:photo_edit"), {"photo": upload})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.photo_name.endswith(".jpg")
    response = client.post(reverse("therapists:photo_edit"), {"action": "remove"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.photo_name == ""


def test_a_pdf_named_jpg_is_refused_beside_the_field(client, therapist):
    from django.core.files.uploadedfile import SimpleUploadedFile

    profile = make_profile(therapist)
    client.force_login(therapist)
    upload = SimpleUploadedFile("me.jpg", b"%PDF-1.7 not a photo", content_type="image/jpeg")
    response = client.post(reverse("therapists:photo_edit"), {"photo": upload})
    assert response.status_code == 422
    assert "not an image" in _text(response)
    profile.refresh_from_db()
    assert profile.photo_name == ""


def test_service_list_adds_and_reports_a_negative_price(client, therapist):
    profile = make_profile(therapist)
    client.force_login(therapist)
    url = reverse("therapists:service_list")
    data = {"technique": "deep_tissue", "duration_min": "60", "price": "80", "currency": "GBP"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "duration_min": "90", "price": "-3"})
    assert response.status_code == 422
    assert "cannot be negative" in _text(response)
    assert list(profile.services.values_list("duration_min", "price_minor")) == [(60, 8000)]
    body = _text(client.get(url))
    assert "Deep tissue" in body
    assert "£80.00" in body


def test_service_list_reports_an_unknown_technique(client, therapist):
    make_profile(therapist)
    client.force_login(therapist)
    response = client.post(
        reverse("therapists:service_list"),
        {"technique": "reiki", "duration_min": "60", "price": "80", "currency": "EUR"},
    )
    assert response.status_code == 422
    assert "Unknown technique" in _text(response)
    assert not Service.objects.exists()


def test_service_edit_and_retire(client, therapist):
    service = make_service(make_profile(therapist))
    client.force_login(therapist)
    url = reverse("therapists:service_edit", args=[service.public_id])
    response = client.post(url, {"duration_min": "75", "price": "90.5", "currency": "EUR"})
    assert response.status_code == 302
    service.refresh_from_db()
    assert (service.duration_min, service.price_minor) == (75, 9050)
    assert client.post(url, {"action": "retire"}).status_code == 302
    service.refresh_from_db()
    assert not service.active


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_therapists_service_is_404(client, therapist, other_therapist, method):
    make_profile(therapist)
    theirs = make_service(make_profile(other_therapist))
    client.force_login(therapist)
    url = reverse("therapists:service_edit", args=[theirs.public_id])
    response = getattr(client, method)(url, {"action": "retire"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.active


def test_experience_edit_saves_filled_boxes_only(client, therapist):
    profile = make_profile(therapist)
    make_experience(profile, technique="hot_stone", years=2)
    client.force_login(therapist)
    response = client.post(
        reverse("therapists:experience_edit"),
        {"years.swedish": "8", "years.shiatsu": "", "years.hot_stone": ""},
    )
    assert response.status_code == 302
    assert dict(profile.experience.values_list("technique", "years")) == {"swedish": 8}
    response = client.post(reverse("therapists:experience_edit"), {"years.swedish": "70"})
    assert response.status_code == 422
    assert "0 to 60" in _text(response)
    assert dict(profile.experience.values_list("technique", "years")) == {"swedish": 8}
