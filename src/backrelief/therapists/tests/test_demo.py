"""`therapists/demo.py`: demo therapists are reproducible, realistic and cover every state."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

import pytest

from backrelief.therapists import profile_rules as rules
from backrelief.therapists.demo import (
    CITIES,
    CITIES_BY_NAME,
    EXPIRING_WITHIN_DAYS,
    REVIEWER_POOL,
    SPREAD_KM,
    THERAPIST_TECHNIQUES,
    LicenceState,
    demo_persona_client_sessions,
    demo_persona_therapist,
    demo_reviewer,
    demo_therapist,
    demo_therapists,
    licence_state,
    therapist_email,
)

NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
REVIEW_WINDOW = dt.timedelta(days=90)


@pytest.fixture(scope="module")
def therapists():
    return demo_therapists(count=200, seed=42, now=NOW)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def test_the_same_seed_index_and_instant_give_the_same_therapist():
    assert demo_therapist(seed=7, index=12, now=NOW) == demo_therapist(seed=7, index=12, now=NOW)


def test_another_seed_gives_other_people_at_the_same_addresses():
    a = demo_therapists(count=10, seed=1, now=NOW)
    b = demo_therapists(count=10, seed=2, now=NOW)
    assert [t.email for t in a] == [t.email for t in b]
    assert [(t.display_name, t.latitude) for t in a] != [(t.display_name, t.latitude) for t in b]


def test_a_larger_count_extends_a_smaller_one():
    assert demo_therapists(count=30, seed=3, now=NOW)[:12] == demo_therapists(
        count=12, seed=3, now=NOW
    )


def test_emails_are_numbered_under_the_reserved_test_domain():
    assert therapist_email(0) == "therapist-00001@demo.backrelief.test"
    assert demo_reviewer(seed=1, index=0).email == "reviewer-0001@demo.backrelief.test"


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="index"):
        demo_therapist(seed=1, index=-1, now=NOW)
    with pytest.raises(ValueError, match="aware"):
        demo_therapist(seed=1, index=0, now=NOW.replace(tzinfo=None))
    with pytest.raises(ValueError, match="count"):
        demo_therapists(count=-1, seed=1, now=NOW)
    with pytest.raises(ValueError, match="index"):
        demo_reviewer(seed=1, index=REVIEWER_POOL)


def test_every_licence_state_occurs_in_any_twenty_therapists():
    assert {licence_state(i) for i in range(20)} == set(LicenceState)
    assert {licence_state(i) for i in range(37, 57)} == set(LicenceState)


def test_licence_dates_match_their_state(therapists):
    for t in therapists:
        lic = t.licence
        assert lic.issued_on < lic.expires_on
        assert lic.submitted_at <= NOW
        if lic.state is LicenceState.PENDING:
            assert lic.status == "pending"
            assert lic.decided_at is None
        else:
            assert lic.decided_at is not None
            assert lic.submitted_at < lic.decided_at <= NOW
        if lic.state is LicenceState.REJECTED:
            assert lic.status == "rejected"
            assert lic.rejection_reason
        else:
            assert not lic.rejection_reason
        if lic.state is LicenceState.VALID:
            assert lic.expires_on > TODAY + dt.timedelta(days=EXPIRING_WITHIN_DAYS)
        if lic.state is LicenceState.EXPIRING:
            assert lic.status == "verified"
            assert TODAY < lic.expires_on <= TODAY + dt.timedelta(days=EXPIRING_WITHIN_DAYS)
        if lic.state is LicenceState.EXPIRED:
            assert lic.status == "verified"
            assert lic.expires_on < TODAY


def test_licence_numbers_are_unique(therapists):
    numbers = [t.licence.number for t in therapists]
    assert len(set(numbers)) == len(numbers)


def test_certifications_occur_in_every_state_and_rejections_say_why(therapists):
    certs = [c for t in therapists for c in t.certifications]
    assert Counter(c.status for c in certs).keys() == {"verified", "pending", "rejected"}
    for c in certs:
        assert bool(c.rejection_reason) == (c.status == "rejected")
        assert (c.decided_at is None) == (c.status == "pending")
        assert c.completed_on < TODAY
        assert 1 <= c.hours <= 10_000


def test_services_are_one_to_four_catalogue_techniques_but_never_self_massage(therapists):
    assert "self_massage" not in THERAPIST_TECHNIQUES
    for t in therapists:
        techniques = [s.technique for s in t.services]
        assert 1 <= len(techniques) <= 4
        assert len(set(techniques)) == len(techniques)
        assert set(techniques) <= set(THERAPIST_TECHNIQUES)
        assert {tech for tech, _ in t.experience} == set(techniques)
        assert all(0 <= years <= 60 for _, years in t.experience)


def test_prices_are_realistic_and_in_the_city_currency(therapists):
    for t in therapists:
        city = CITIES_BY_NAME[t.city]
        for s in t.services:
            assert s.currency == city.currency
            assert 15 <= s.duration_min <= 240
            per_hour = s.price_minor / 100 * 60 / s.duration_min
            assert 0.5 * city.hourly_price <= per_hour <= 2 * city.hourly_price
            assert s.price_minor % 500 == 0


def test_practices_lie_around_their_city_in_its_time_zone(therapists):
    assert {t.city for t in therapists} == {c.name for c in CITIES}
    for t in therapists:
        city = CITIES_BY_NAME[t.city]
        assert _km(t.latitude, t.longitude, city.latitude, city.longitude) <= SPREAD_KM + 0.1
        assert t.time_zone == city.time_zone
        assert t.country == city.country
        assert t.city in t.address
        assert t.languages[0] == city.languages[0]
        assert len(set(t.languages)) == len(t.languages)


def test_modes_genders_and_accessibility_vary(therapists):
    assert {(t.in_clinic, t.mobile) for t in therapists} == {
        (True, False),
        (True, True),
        (False, True),
    }
    assert {t.gender for t in therapists} == {"woman", "man", "non_binary", ""}
    for t in therapists:
        assert (t.travel_radius_km is not None) == t.mobile
        if not t.in_clinic:
            assert not t.step_free_access
            assert not t.accessible_toilet
            assert not t.accessibility_notes
    assert any(t.step_free_access for t in therapists)


def test_only_therapists_who_practised_have_reviews(therapists):
    with_reviews = [t for t in therapists if t.reviews]
    assert 0 < len(with_reviews) < len(therapists)
    assert all(
        t.licence.state not in {LicenceState.PENDING, LicenceState.REJECTED} for t in with_reviews
    )


def test_reviews_follow_a_completed_session_inside_the_review_window(therapists):
    for t in therapists:
        reviewers = [r.reviewer for r in t.reviews]
        assert len(set(reviewers)) == len(reviewers)
        for r in t.reviews:
            assert t.licence.decided_at is not None
            assert t.licence.decided_at < r.start < r.end
            assert r.end + dt.timedelta(hours=12) < r.created_at <= r.end + REVIEW_WINDOW
            assert r.created_at < NOW
            assert (r.end - r.start).total_seconds() / 60 == t.services[r.service].duration_min
            assert 1 <= r.rating <= 5
            assert r.report_by != r.reviewer
            if t.licence.state is LicenceState.EXPIRED:
                assert r.start.date() < t.licence.expires_on


def test_hidden_reviews_are_reported_and_count_in_no_figure(therapists):
    reviews = [r for t in therapists for r in t.reviews]
    assert any(r.hidden_reason for r in reviews)
    assert any(r.reply for r in reviews)
    assert all(r.report_by is not None for r in reviews if r.hidden_reason)
    for t in therapists:
        visible = [r for r in t.reviews if not r.hidden_reason]
        assert t.review_count == len(visible)
        assert t.review_sum == sum(r.rating for r in visible)


def test_ratings_spread_over_the_scale(therapists):
    ratings = Counter(r.rating for t in therapists for r in t.reviews)
    assert set(ratings) == {1, 2, 3, 4, 5}
    assert ratings[5] + ratings[4] > ratings[1] + ratings[2] + ratings[3]


def test_the_persona_has_a_complete_listed_profile():
    t = demo_persona_therapist(email="therapist@x.test", display_name="Theo", now=NOW)
    assert t.licence.status == "verified"
    assert t.licence.expires_on > TODAY + dt.timedelta(days=365)
    assert len(t.services) == 3
    assert all(c.status == "verified" for c in t.certifications)
    assert t.bio
    assert t.address
    assert t.languages
    assert t.review_count == 8
    assert all(r.created_at < NOW for r in t.reviews)


def test_the_demo_clients_second_session_waits_for_a_review_inside_the_window():
    reviewed, waiting = demo_persona_client_sessions(now=NOW)
    assert reviewed.created_at < NOW
    assert waiting.end + dt.timedelta(hours=12) < NOW < waiting.end + REVIEW_WINDOW
    assert reviewed.end < waiting.start


def test_generated_profiles_pass_the_profile_value_rules(therapists):
    for t in therapists:
        assert rules.display_name_errors(t.display_name) == []
        assert rules.text_errors(t.bio, limit=rules.BIO_MAX, multiline=True) == []
        assert rules.text_errors(t.address, limit=rules.ADDRESS_MAX) == []
        assert rules.text_errors(t.accessibility_notes, limit=rules.ACCESSIBILITY_NOTES_MAX) == []
        assert rules.languages_errors(t.languages) == []
        assert rules.coordinates_errors(t.latitude, t.longitude) == {}
        assert rules.mode_errors(in_clinic=t.in_clinic, mobile=t.mobile) == []
        assert rules.radius_errors(mobile=t.mobile, radius_km=t.travel_radius_km) == []
        assert rules.time_zone_errors(t.time_zone) == []
        for s in t.services:
            assert rules.technique_errors(s.technique) == []
            assert rules.duration_errors(s.duration_min) == []
            assert 0 <= s.price_minor <= rules.PRICE_MAX_MINOR
        for technique, years in t.experience:
            assert rules.years_errors(technique, years) == []
