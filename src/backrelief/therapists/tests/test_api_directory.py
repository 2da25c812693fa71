import pytest
import time_machine
from django.test import Client

from backrelief.accounts.tests.mfa_helpers import sign_in, sign_in_staff
from backrelief.therapists.tests.directory_helpers import (
    BERLIN,
    HAMBURG,
    NOW,
    listed,
    make_assessment,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/therapists"


@pytest.fixture
def therapists(make_user):
    with time_machine.travel(NOW, tick=False):
        return {
            "swedish": listed(
                make_user,
                "Sven Swedish",
                techniques=("swedish",),
                years={"swedish": 8},
                reviews=(31, 146),
            ),
            "trigger": listed(make_user, "Tia Trigger", techniques=("trigger_point",)),
            "hamburg": listed(make_user, "Hanna Hamburg", at=HAMBURG, techniques=("shiatsu",)),
            "expired": listed(make_user, "Ed Expired", expires_on=NOW.date().replace(year=2025)),
        }


def _web(persona, request):
    web = Client()
    if persona == "anonymous":
        return web
    user = request.getfixturevalue(
        {"client": "client_user", "staff": "staff_user"}.get(persona, persona)
    )
    if persona == "staff":
        sign_in_staff(web, user)
    else:
        sign_in(web, user)
    return web


@pytest.mark.parametrize(
    "persona", ["client", "other_client", "therapist", "other_therapist", "staff", "anonymous"]
)
def test_every_persona_may_search_and_sees_only_listed_therapists(request, persona, therapists):
    with time_machine.travel(NOW, tick=False):
        response = _web(persona, request).get(URL)
        assert response.status_code == 200
        body = response.json()
        names = sorted(item["display_name"] for item in body["items"])
        assert names == ["Hanna Hamburg", "Sven Swedish", "Tia Trigger"]
        assert body["page_info"] == {"page": 1, "num_pages": 1, "page_size": 20, "count": 3}
        assert body["personalised"] is False


def test_a_search_by_place_and_technique_says_why_and_gives_the_figures(therapists):
    with time_machine.travel(NOW, tick=False):
        body = Client().get(URL, {"place": "berlin", "technique": "swedish"}).json()
        [item] = body["items"]
        assert item["public_id"] == str(therapists["swedish"].public_id)
        assert item["why"].startswith(
            "8 years of Swedish massage experience (verified) · 4.7 from 31 reviews"
        )
        assert item["rating"]["count"] == 31
        assert item["rating"]["bayesian"] == pytest.approx((40 + 146) / 41, abs=1e-3)
        assert item["services"] == [
            {
                "technique": "swedish",
                "technique_name": "Swedish massage",
                "duration_min": 60,
                "price": "70.00",
                "price_minor": 7000,
                "currency": "EUR",
            }
        ]
        assert item["languages"] == ["de", "en"]
        assert item["mode"] == {"in_clinic": True, "mobile": False, "travel_radius_km": None}
        assert item["distance_km"] < 1
        assert body["place"]["label"] == "Berlin, DE"


def test_coordinates_work_instead_of_a_place(therapists):
    with time_machine.travel(NOW, tick=False):
        body = (
            Client()
            .get(URL, {"lat": str(HAMBURG[0]), "lon": str(HAMBURG[1]), "radius_km": "10"})
            .json()
        )
        assert [i["display_name"] for i in body["items"]] == ["Hanna Hamburg"]
        assert body["place"]["is_coordinates"] is True


def test_a_client_with_an_assessment_never_gets_avoid_techniques(request, client_user, therapists):
    with time_machine.travel(NOW, tick=False):
        make_assessment(client_user)
        web = _web("client", request)
        body = web.get(URL).json()
        names = [i["display_name"] for i in body["items"]]
        assert "Tia Trigger" not in names
        assert names[0] == "Sven Swedish"
        assert body["items"][0]["why"].startswith("Recommended for you: Swedish massage")
        assert body["personalised"] is True
        assert web.get(URL, {"technique": "trigger_point"}).json()["items"] == []


def test_a_blocking_assessment_returns_the_triage_message_and_no_services(
    request, client_user, therapists
):
    with time_machine.travel(NOW, tick=False):
        make_assessment(client_user, blocks_booking=True)
        body = _web("client", request).get(URL).json()
        assert body["booking_blocked"] is True
        assert body["triage_message"] == "Please speak to a doctor today."
        assert all(item["services"] == [] for item in body["items"])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"lat": 95, "lon": 10}, "lat"),
        ({"lat": 10, "lon": -190}, "lon"),
        ({"lat": 10}, "lon"),
        ({"place": "91, 0"}, "place"),
        ({"place": "qqqzzz"}, "place"),
        ({"technique": "reiki"}, "technique"),
        ({"price_min": 80, "price_max": 50}, "price_max"),
        ({"price_min": -1}, "price_min"),
        ({"radius_km": 0}, "radius_km"),
        ({"radius_km": 201}, "radius_km"),
        ({"radius_km": "far"}, "radius_km"),
        ({"mode": "online"}, "mode"),
        ({"sort": "cheapest"}, "sort"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(query, field):
    response = Client().get(URL, query)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["fields"]


def test_places_are_looked_up_offline_by_anyone():
    response = Client().get(f"{URL}/places", {"q": "munchen"})
    assert response.status_code == 200
    [munich] = response.json()[:1]
    assert (munich["name"], munich["country_code"]) == ("Munich", "DE")
    assert Client().get(f"{URL}/places", {"q": ""}).json() == []
    bad = Client().get(f"{URL}/places", {"q": "-95, 0"})
    assert bad.status_code == 422
    assert "q" in bad.json()["fields"]


def test_pages_beyond_the_first(make_user):
    with time_machine.travel(NOW, tick=False):
        for i in range(21):
            listed(make_user, f"T{i:02d}", at=BERLIN)
        body = Client().get(URL, {"page": 2}).json()
        assert body["page_info"] == {"page": 2, "num_pages": 2, "page_size": 20, "count": 21}
        assert len(body["items"]) == 1
