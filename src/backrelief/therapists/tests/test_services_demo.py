"""`therapist_demo_load`: demo therapists in the database, genuine reviews, idempotent."""

from __future__ import annotations

import datetime as dt
import io
from typing import Literal

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import Count, Q, Sum
from django.test import override_settings

from backrelief.accounts.models import User
from backrelief.core.demo import PERSONAS
from backrelief.core.errors import PermissionDenied
from backrelief.scheduling.models import Booking
from backrelief.scheduling.selectors import booking_list_reviewable
from backrelief.therapists.demo import LicenceState, demo_therapists
from backrelief.therapists.evidence import evidence_path
from backrelief.therapists.models import (
    Certification,
    Licence,
    Review,
    ReviewReply,
    ReviewReport,
    Service,
    TechniqueExperience,
    TherapistLanguage,
    TherapistProfile,
)
from backrelief.therapists.selectors import therapist_is_listed, therapist_list_listed
from backrelief.therapists.selectors_reviews import review_recount
from backrelief.therapists.services.demo import therapist_demo_load
from backrelief.therapists.services.reviews import review_create

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)
CLIENT_EMAIL, THERAPIST_EMAIL, STAFF_EMAIL = (p.email for p in PERSONAS)
TABLES = (
    User,
    TherapistProfile,
    TherapistLanguage,
    Service,
    TechniqueExperience,
    Licence,
    Certification,
    Booking,
    Review,
    ReviewReply,
    ReviewReport,
)


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    return settings.PRIVATE_FILES_ROOT


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


def test_loading_creates_each_therapist_with_everything_they_own():
    result = therapist_demo_load(count=40, seed=42, now=NOW)
    assert result.created == 40
    assert result.existing == 0
    assert result.persona_profile_created
    demo = TherapistProfile.objects.filter(user__email__startswith="therapist-")
    assert demo.count() == 40
    assert not demo.filter(licences__isnull=True).exists()
    assert not demo.filter(services__isnull=True).exists()
    assert not demo.filter(languages__isnull=True).exists()
    assert User.objects.filter(email__startswith="therapist-", role="therapist").count() == 40
    assert Review.objects.count() == result.reviews > 0


def test_the_database_holds_exactly_what_the_generator_gives_for_the_seed():
    therapist_demo_load(count=12, seed=5, now=NOW)
    for t in demo_therapists(count=12, seed=5, now=NOW):
        profile = TherapistProfile.objects.get(user__email=t.email)
        assert profile.display_name == t.display_name
        assert (profile.latitude, profile.longitude) == (t.latitude, t.longitude)
        assert profile.time_zone == t.time_zone
        assert sorted(profile.languages.values_list("code", flat=True)) == sorted(t.languages)
        assert sorted(
            profile.services.values_list("technique", "duration_min", "price_minor", "currency")
        ) == sorted((s.technique, s.duration_min, s.price_minor, s.currency) for s in t.services)
        licence = profile.licences.get()
        assert (licence.number, licence.status, licence.expires_on) == (
            t.licence.number,
            t.licence.status,
            t.licence.expires_on,
        )
        assert profile.reviews.count() == len(t.reviews)


def test_running_twice_adds_nothing():
    therapist_demo_load(count=25, seed=42, now=NOW)
    before = _counts()
    again = therapist_demo_load(count=25, seed=42, now=NOW + dt.timedelta(days=3))
    assert again.created == 0
    assert again.existing == 25
    assert again.reviews == 0
    assert again.reviewers_created == 0
    assert not again.persona_profile_created
    assert _counts() == before


def test_growing_adds_only_the_missing_therapists():
    therapist_demo_load(count=10, seed=42, now=NOW)
    result = therapist_demo_load(count=30, seed=42, now=NOW)
    assert result.created == 20
    assert result.existing == 10
    assert TherapistProfile.objects.filter(user__email__startswith="therapist-").count() == 30


def test_a_demo_therapist_changed_since_is_left_as_it_is():
    therapist_demo_load(count=3, seed=42, now=NOW)
    TherapistProfile.objects.filter(user__email__startswith="therapist-00001").update(bio="Mine.")
    therapist_demo_load(count=3, seed=42, now=NOW)
    assert TherapistProfile.objects.get(user__email__startswith="therapist-00001").bio == "Mine."


def test_licences_and_certifications_occur_in_every_state():
    therapist_demo_load(count=40, seed=42, now=NOW)
    today = NOW.date()
    licences = Licence.objects.filter(therapist__user__email__startswith="therapist-")
    assert set(licences.values_list("status", flat=True)) == {"verified", "pending", "rejected"}
    verified = licences.filter(status="verified")
    assert verified.filter(expires_on__lt=today).exists()
    assert verified.filter(expires_on__gte=today, expires_on__lte=today + dt.timedelta(30)).exists()
    assert verified.filter(expires_on__gt=today + dt.timedelta(30)).exists()
    assert not licences.filter(status="rejected", rejection_reason="").exists()
    statuses = set(Certification.objects.values_list("status", flat=True))
    assert statuses == {"verified", "pending", "rejected"}


def test_pending_credentials_come_with_a_demo_evidence_pdf_in_the_private_store(private_files):
    therapist_demo_load(count=20, seed=42, now=NOW)
    kinds: tuple[
        tuple[type[Licence] | type[Certification], Literal["licence", "certification"]], ...
    ] = (
        (Licence, "licence"),
        (Certification, "certification"),
    )
    for model, kind in kinds:
        pending = model.objects.filter(status="pending")
        assert pending.exists()
        for row in pending:
            assert row.evidence_content_type == "application/pdf"
            data = evidence_path(kind, row.evidence_name).read_bytes()
            assert data.startswith(b"%PDF-")
            assert b"DEMO DATA" in data
        decided = model.objects.exclude(status="pending").exclude(
            therapist__user__email=THERAPIST_EMAIL
        )
        assert set(decided.values_list("evidence_name", flat=True)) == {""}
    assert Licence.objects.get(therapist__user__email=THERAPIST_EMAIL).evidence_name
    assert str(private_files) in str(evidence_path("licence", "0" * 32))


def test_decisions_name_the_demo_staff_persona_created_when_missing():
    assert not User.objects.exists()
    therapist_demo_load(count=20, seed=42, now=NOW)
    staff = User.objects.get(email=STAFF_EMAIL)
    assert staff.is_staff
    decided = Licence.objects.exclude(status="pending")
    assert set(decided.values_list("decided_by", flat=True)) == {staff.pk}
    assert set(
        Review.objects.filter(hidden_at__isnull=False).values_list("hidden_by", flat=True)
    ) <= {staff.pk}


def test_only_verified_unexpired_demo_licences_list_their_therapist():
    therapist_demo_load(count=40, seed=42, now=NOW)
    listed = set(therapist_list_listed(now=NOW).values_list("user__email", flat=True))
    expected = {
        t.email
        for t in demo_therapists(count=40, seed=42, now=NOW)
        if t.licence.state in {LicenceState.VALID, LicenceState.EXPIRING}
    }
    assert listed == expected | {THERAPIST_EMAIL}


def test_every_review_belongs_to_a_completed_past_booking_of_its_author_with_that_therapist():
    therapist_demo_load(count=40, seed=42, now=NOW)
    window = dt.timedelta(days=90)
    assert Review.objects.exists()
    for review in Review.objects.select_related("booking"):
        booking = review.booking
        assert booking.status == "completed"
        assert booking.client_id == review.author_id
        assert booking.therapist_id == review.therapist_id
        assert booking.service.therapist_id == review.therapist_id
        assert booking.end + dt.timedelta(hours=12) < review.created_at <= booking.end + window
        assert review.created_at < NOW
    authors = User.objects.filter(reviews_written__isnull=False).distinct()
    assert set(authors.values_list("role", flat=True)) == {"client"}


def test_rating_counters_equal_the_visible_reviews():
    therapist_demo_load(count=60, seed=42, now=NOW)
    assert Review.objects.filter(hidden_at__isnull=False).exists()
    profiles = TherapistProfile.objects.annotate(
        visible=Count("reviews", filter=Q(reviews__hidden_at__isnull=True)),
        total=Sum("reviews__rating", filter=Q(reviews__hidden_at__isnull=True), default=0),
    )
    for profile in profiles:
        assert (profile.review_count, profile.review_sum) == (profile.visible, profile.total)


def test_stored_rows_pass_model_validation():
    therapist_demo_load(count=20, seed=42, now=NOW)
    for model in (TherapistProfile, Service, Licence, Certification, Booking, Review):
        for row in model.objects.all()[:60]:
            row.full_clean()


def test_the_therapist_persona_is_listed_with_services_and_a_verified_licence():
    therapist_demo_load(count=0, seed=42, now=NOW)
    profile = TherapistProfile.objects.get(user__email=THERAPIST_EMAIL)
    assert therapist_is_listed(therapist=profile, now=NOW)
    assert profile.onboarding_completed_at is not None
    assert profile.services.count() == 3
    assert profile.licences.get().status == "verified"
    assert profile.bio
    assert profile.address


def test_the_demo_client_has_one_reviewed_and_one_reviewable_session_with_the_persona():
    therapist_demo_load(count=0, seed=42, now=NOW)
    bookings = Booking.objects.filter(
        client__email=CLIENT_EMAIL, therapist__user__email=THERAPIST_EMAIL
    ).order_by("start")
    assert [b.status for b in bookings] == ["completed", "completed"]
    reviewed, waiting = bookings
    assert Review.objects.filter(booking=reviewed, author__email=CLIENT_EMAIL).exists()
    assert not Review.objects.filter(booking=waiting).exists()
    assert waiting.end + dt.timedelta(hours=12) < NOW < waiting.end + dt.timedelta(days=90)


def test_the_demo_client_can_write_the_waiting_review_through_the_review_service():
    therapist_demo_load(count=0, seed=42, now=NOW)
    client = User.objects.get(email=CLIENT_EMAIL)
    reviewable = list(booking_list_reviewable(client=client, now=NOW))
    assert len(reviewable) == 1
    review_create(
        author=client,
        booking_id=reviewable[0].public_id,
        rating=4,
        text="Good pressure and a calm room; my back felt easier.",
        now=NOW,
    )
    profile = TherapistProfile.objects.get(user__email=THERAPIST_EMAIL)
    assert review_recount(therapist=profile) == (profile.review_count, profile.review_sum)
    assert not booking_list_reviewable(client=client, now=NOW).exists()


def test_counters_agree_with_the_review_selectors_recount():
    therapist_demo_load(count=30, seed=42, now=NOW)
    for profile in TherapistProfile.objects.all():
        assert review_recount(therapist=profile) == (profile.review_count, profile.review_sum)


def test_a_persona_with_a_profile_already_is_left_alone():
    therapist_demo_load(count=0, seed=42, now=NOW)
    before = _counts()
    result = therapist_demo_load(count=0, seed=42, now=NOW)
    assert not result.persona_profile_created
    assert _counts() == before


@override_settings(PRODUCTION=True)
def test_demo_therapists_are_refused_in_production():
    with pytest.raises(PermissionDenied, match="local use only"):
        therapist_demo_load(count=5, seed=42, now=NOW)
    assert not User.objects.exists()
    assert not TherapistProfile.objects.exists()


def test_a_negative_count_is_refused_and_stores_nothing():
    with pytest.raises(ValueError, match="count"):
        therapist_demo_load(count=-1, seed=42, now=NOW)
    assert not User.objects.exists()


def test_the_command_loads_the_requested_therapists_and_reports_them():
    with time_machine.travel(NOW, tick=False):
        out = io.StringIO()
        call_command("demo", "--therapists", "6", "--seed", "3", stdout=out)
        assert "Demo therapists: 6 created, 0 already there" in out.getvalue()
        out = io.StringIO()
        call_command("demo", "--therapists", "6", "--seed", "3", stdout=out)
        assert "Demo therapists: 0 created, 6 already there, 0 reviews written." in out.getvalue()
        assert TherapistProfile.objects.filter(user__email__startswith="therapist-").count() == 6


def test_the_command_loads_forty_therapists_by_default_and_none_with_zero():
    with time_machine.travel(NOW, tick=False):
        call_command("demo", "--therapists", "0", stdout=io.StringIO())
        assert not TherapistProfile.objects.filter(user__email__startswith="therapist-").exists()
        call_command("demo", stdout=io.StringIO())
        assert TherapistProfile.objects.filter(user__email__startswith="therapist-").count() == 40


def test_the_command_refuses_a_negative_count():
    with pytest.raises(CommandError, match="0 or more"):
        call_command("demo", "--therapists", "-3", stdout=io.StringIO(), stderr=io.StringIO())
    assert not User.objects.exists()
