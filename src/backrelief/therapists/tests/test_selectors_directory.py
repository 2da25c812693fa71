import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backrelief.core.errors import Invalid
from backrelief.therapists.matching import advice_from_result
from backrelief.therapists.selectors_directory import (
    PAGE_SIZE,
    DirectoryFilters,
    directory_search,
    directory_viewer_assessment,
)
from backrelief.therapists.tests.directory_helpers import (
    ADVICE_ROWS,
    BERLIN,
    HAMBURG,
    NOW,
    POTSDAM,
    listed,
    make_assessment,
)
from backrelief.therapists.tests.factories import (
    make_certification,
    make_experience,
    make_service,
)

pytestmark = pytest.mark.django_db
ADVICE = advice_from_result({"triage": {"blocks_booking": False}, "techniques": ADVICE_ROWS})


def names(page):
    return [r.display_name for r in page.results]


def search(advice=None, **filters):
    return directory_search(filters=DirectoryFilters(**filters), viewer_advice=advice, now=NOW)


def test_only_listed_therapists_appear(make_user):
    listed(make_user, "Verified")
    listed(make_user, "Pending", licence="pending")
    listed(make_user, "Rejected", licence="rejected")
    listed(make_user, "Expired", expires_on=dt.date(2026, 11, 19))
    listed(make_user, "Expires today", expires_on=dt.date(2026, 11, 20))
    inactive = listed(make_user, "Inactive")
    inactive.user.is_active = False
    inactive.user.save()
    assert sorted(names(search())) == ["Expires today", "Verified"]


def test_avoid_techniques_are_never_offered_and_avoid_only_therapists_are_excluded(make_user):
    listed(make_user, "Mixed", techniques=("swedish", "trigger_point"))
    listed(make_user, "Trigger only", techniques=("trigger_point",))
    page = search(ADVICE)
    assert names(page) == ["Mixed"]
    assert [s.technique for s in page.results[0].services] == ["swedish"]
    # Anonymous viewers see every service.
    assert sorted(names(search())) == ["Mixed", "Trigger only"]
    assert search(ADVICE, technique="trigger_point").count == 0


def test_recommended_technique_first_then_verified_experience(make_user):
    listed(
        make_user,
        "Shiatsu expert",
        techniques=("shiatsu",),
        years={"shiatsu": 20},
        reviews=(40, 200),
    )
    listed(make_user, "Swedish novice", techniques=("swedish",), years={"swedish": 1})
    listed(make_user, "Swedish veteran", techniques=("swedish",), years={"swedish": 12})
    page = search(ADVICE, latitude=BERLIN[0], longitude=BERLIN[1])
    assert names(page) == ["Swedish veteran", "Swedish novice", "Shiatsu expert"]
    assert page.personalised
    assert page.results[0].why.startswith(
        "Recommended for you: Swedish massage · 12 years of Swedish massage experience (verified)"
    )


def test_experience_without_a_verified_certification_does_not_count(make_user):
    profile = listed(make_user, "Claims", techniques=("swedish",))
    make_experience(profile, technique="swedish", years=15)
    make_certification(profile, technique="swedish", status="pending", now=NOW)
    [result] = search(ADVICE).results
    assert "experience" not in result.why


def test_without_an_assessment_the_order_is_rating_then_distance(make_user):
    listed(make_user, "Near", at=BERLIN, reviews=(10, 45))
    listed(make_user, "Farther", at=(52.45, 13.3), reviews=(10, 45))
    listed(make_user, "Best rated", at=(52.45, 13.3), reviews=(40, 195))
    page = search(latitude=BERLIN[0], longitude=BERLIN[1])
    assert names(page) == ["Best rated", "Near", "Farther"]
    assert not page.personalised
    assert "Recommended" not in page.results[0].why


def test_each_filter_narrows_the_results(make_user):
    listed(make_user, "Swedish 50", techniques=("swedish",), price_minor=5000, languages=("en",))
    listed(make_user, "Shiatsu 90", techniques=("shiatsu",), price_minor=9000, languages=("fr",))
    listed(make_user, "Woman", techniques=("swedish",), price_minor=7000, gender="woman")
    assert sorted(names(search(technique="shiatsu"))) == ["Shiatsu 90"]
    assert sorted(names(search(language="fr"))) == ["Shiatsu 90"]
    assert sorted(names(search(gender="woman"))) == ["Woman"]
    assert sorted(names(search(price_max=Decimal("70")))) == ["Swedish 50", "Woman"]
    assert sorted(names(search(price_min=Decimal("60"), price_max=Decimal("80")))) == ["Woman"]
    # technique and price must hold for the same service
    assert names(search(technique="shiatsu", price_max=Decimal("60"))) == []


def test_distance_keeps_in_clinic_therapists_within_the_radius(make_user):
    listed(make_user, "Berlin")
    listed(make_user, "Potsdam", at=POTSDAM)
    listed(make_user, "Hamburg", at=HAMBURG)
    assert names(search(latitude=BERLIN[0], longitude=BERLIN[1], radius_km=10)) == ["Berlin"]
    page = search(latitude=BERLIN[0], longitude=BERLIN[1], radius_km=50, sort="distance")
    assert names(page) == ["Berlin", "Potsdam"]
    assert page.results[1].distance_km == pytest.approx(27, abs=2)


def test_mobile_therapists_match_when_the_place_is_within_their_travel_radius(make_user):
    listed(make_user, "Travels far", at=POTSDAM, in_clinic=False, mobile=True, travel_radius_km=40)
    listed(make_user, "Travels near", at=POTSDAM, in_clinic=False, mobile=True, travel_radius_km=10)
    listed(make_user, "Clinic", at=POTSDAM)
    place = {"latitude": BERLIN[0], "longitude": BERLIN[1], "radius_km": 5}
    assert names(search(mode="mobile", **place)) == ["Travels far"]
    assert names(search(mode="in_clinic", **place)) == []
    assert names(search(mode="any", **place)) == ["Travels far"]
    assert sorted(names(search(mode="in_clinic"))) == ["Clinic"]


def test_a_search_across_the_antimeridian_finds_both_sides(make_user):
    listed(make_user, "East", at=(-17.75, 179.9))
    listed(make_user, "West", at=(-17.75, -179.9))
    listed(make_user, "Far", at=(-17.75, 170.0))
    page = search(latitude=-17.75, longitude=179.99, radius_km=50, sort="distance")
    assert names(page) == ["East", "West"]


def test_a_search_with_distance_and_technique_takes_at_most_three_queries(make_user):
    for i in range(5):
        listed(make_user, f"T{i}", techniques=("swedish", "shiatsu"), years={"swedish": i})
    with CaptureQueriesContext(connection) as queries:
        page = search(ADVICE, technique="swedish", latitude=BERLIN[0], longitude=BERLIN[1])
    assert page.count == 5
    assert len(queries) <= 3
    assert all(r.languages == ("de", "en") for r in page.results)


def test_results_come_in_pages_of_twenty_and_a_page_past_the_end_gives_the_last(make_user):
    for i in range(PAGE_SIZE + 3):
        listed(make_user, f"T{i:02d}")
    first = search()
    assert (first.count, first.num_pages, len(first.results)) == (23, 2, 20)
    last = search(page=9)
    assert (last.page, len(last.results)) == (2, 3)


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"technique": "reiki"}, "technique"),
        ({"latitude": 91.0, "longitude": 0.0}, "lat"),
        ({"latitude": 9.0, "longitude": -180.5}, "lon"),
        ({"latitude": float("nan"), "longitude": 0.0}, "lat"),
        ({"latitude": 10.0}, "lon"),
        ({"radius_km": 0}, "radius_km"),
        ({"radius_km": 201}, "radius_km"),
        ({"price_min": Decimal("-1")}, "price_min"),
        ({"price_min": Decimal("80"), "price_max": Decimal("50")}, "price_max"),
        ({"language": "English"}, "language"),
        ({"gender": "other"}, "gender"),
        ({"mode": "online"}, "mode"),
        ({"sort": "random"}, "sort"),
        ({"page": 0}, "page"),
    ],
)
def test_bad_filters_are_refused_naming_the_field(filters, field):
    with pytest.raises(Invalid) as caught:
        search(**filters)
    assert field in caught.value.fields


def test_viewer_assessment_is_the_clients_latest_and_none_for_others(
    make_user, client_user, therapist
):
    with time_machine.travel(NOW, tick=False):
        assert directory_viewer_assessment(user=client_user) is None
        assert directory_viewer_assessment(user=therapist) is None
        assert directory_viewer_assessment(user=None) is None
        make_assessment(client_user, created_at=NOW - dt.timedelta(days=9))
        latest = make_assessment(client_user, blocks_booking=True)
        viewer = directory_viewer_assessment(user=client_user)
        assert viewer is not None
        assert viewer.public_id == str(latest.public_id)
        assert viewer.blocks_booking
        assert viewer.triage_message == "Please speak to a doctor today."


def test_when_booking_is_blocked_the_directory_stays_browsable_without_services(make_user):
    listed(make_user, "Anyone", techniques=("swedish", "shiatsu"))
    blocked = advice_from_result({"triage": {"blocks_booking": True}, "techniques": ADVICE_ROWS})
    page = search(blocked)
    assert names(page) == ["Anyone"]
    assert page.results[0].services == ()
    assert not page.personalised


def test_with_a_technique_asked_the_page_still_shows_every_offered_service_and_experience(
    make_user,
):
    listed(
        make_user,
        "Both",
        techniques=("swedish", "shiatsu", "trigger_point"),
        years={"swedish": 6},
    )
    [anonymous] = search(technique="swedish").results
    assert [s.technique for s in anonymous.services] == ["swedish", "trigger_point", "shiatsu"]
    assert "6 years of Swedish massage experience (verified)" in anonymous.why
    [personal] = search(ADVICE, technique="swedish").results
    assert [s.technique for s in personal.services] == ["swedish", "shiatsu"]
    assert personal.why.startswith("Recommended for you: Swedish massage · 6 years")


def test_price_order_with_a_technique_uses_that_techniques_lowest_price(make_user):
    cheap_other = listed(make_user, "Cheap shiatsu", techniques=("shiatsu",), price_minor=3000)
    listed(make_user, "Mid", techniques=("swedish",), price_minor=6000)
    listed(make_user, "Dear", techniques=("swedish",), price_minor=9000)
    make_service(cheap_other, technique="swedish", price_minor=9500, now=NOW)
    page = search(ADVICE, technique="swedish", sort="price")
    assert names(page) == ["Mid", "Dear", "Cheap shiatsu"]
    assert names(search(sort="price")) == ["Cheap shiatsu", "Mid", "Dear"]
