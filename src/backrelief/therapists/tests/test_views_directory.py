import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from backrelief.accounts.tests.mfa_helpers import sign_in, sign_in_staff
from backrelief.therapists.tests.directory_helpers import (
    BERLIN,
    HAMBURG,
    NOW,
    listed,
    make_assessment,
)

pytestmark = pytest.mark.django_db
URL = reverse("therapists:directory")
HTMX = {"HX-Request": "true", "HX-Target": "directory-results"}


@pytest.fixture
def therapists(make_user):
    with time_machine.travel(NOW, tick=False):
        return {
            "swedish": listed(make_user, "Sven Swedish", techniques=("swedish",)),
            "trigger": listed(make_user, "Tia Trigger", techniques=("trigger_point",)),
            "hamburg": listed(make_user, "Hanna Hamburg", at=HAMBURG, techniques=("shiatsu",)),
            "pending": listed(make_user, "Pia Pending", licence="pending"),
        }


def _web(persona, user):
    web = Client()
    if persona == "staff":
        sign_in_staff(web, user)
    elif user is not None:
        sign_in(web, user)
    return web


@pytest.mark.parametrize(
    "persona", ["client", "other_client", "therapist", "other_therapist", "staff", "anonymous"]
)
def test_every_persona_sees_only_listed_therapists(request, persona, therapists):
    with time_machine.travel(NOW, tick=False):
        user = (
            None
            if persona == "anonymous"
            else request.getfixturevalue(
                "client_user"
                if persona == "client"
                else "staff_user"
                if persona == "staff"
                else persona
            )
        )
        response = _web(persona, user).get(URL)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Sven Swedish" in page
        assert "Hanna Hamburg" in page
        assert "Pia Pending" not in page
        assert "3 therapists found" in page
        assert 'aria-live="polite"' in page


def test_a_client_with_an_assessment_gets_their_order_and_no_avoid_techniques(
    client_user, therapists
):
    with time_machine.travel(NOW, tick=False):
        assessment = make_assessment(client_user)
        web = _web("client", client_user)
        page = web.get(URL).content.decode()
        assert "Ordered for you using your assessment of 17 November 2026" in page
        assert reverse("assessment:assessment_result", args=[assessment.public_id]) in page
        assert "Tia Trigger" not in page  # offers only an AVOID technique
        assert "Recommended for you: Swedish massage" in page
        assert (
            str(assessment.public_id)
            not in web.get(URL + "?technique=swedish").request["QUERY_STRING"]
        )


def test_a_client_without_an_assessment_is_invited_to_take_one(client_user, therapists):
    with time_machine.travel(NOW, tick=False):
        page = _web("client", client_user).get(URL).content.decode()
        assert reverse("assessment:draft_start") in page
        assert "Tia Trigger" in page


def test_a_blocking_triage_is_shown_first_and_nothing_is_offered(client_user, therapists):
    with time_machine.travel(NOW, tick=False):
        make_assessment(client_user, blocks_booking=True)
        page = _web("client", client_user).get(URL).content.decode()
        assert "Please speak to a doctor today." in page
        assert page.index("Please speak to a doctor today.") < page.index("Sven Swedish")
        assert "€70.00" not in page
        assert "No sessions are offered to you" in page


def test_without_javascript_a_place_is_resolved_and_the_page_says_which(therapists):
    with time_machine.travel(NOW, tick=False):
        response = Client().get(URL, {"place": "berlin", "radius_km": "30"})
        page = response.content.decode()
        assert response.status_code == 200
        assert "Showing therapists near Berlin, DE" in page
        assert "Sven Swedish" in page
        assert "Hanna Hamburg" not in page
        assert "<html" in page


def test_htmx_gets_only_the_results_region(therapists):
    with time_machine.travel(NOW, tick=False):
        response = Client().get(URL, {"technique": "shiatsu"}, headers=HTMX)
        page = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in page
        assert "Hanna Hamburg" in page
        assert "Sven Swedish" not in page
        assert 'hx-swap-oob="innerHTML"' in page
        assert "1 therapist found" in page
        assert "HX-Target" in response["Vary"]


def test_place_suggestions_come_from_the_offline_city_list():
    response = Client().get(
        URL, {"place": "munchen"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="place-suggestions"
    )
    assert response.status_code == 200
    assert '<option value="Munich, DE">' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"place": "qqqzzz"}, "Place not found — try a nearby city or enter coordinates"),
        ({"place": "95, 10"}, "Coordinates out of range"),
        ({"lat": "10", "lon": "200"}, "Coordinates out of range"),
        ({"technique": "reiki"}, "Unknown technique"),
        ({"radius_km": "500"}, "Radius out of range"),
        ({"price_min": "-5"}, "Enter a price of 0 or more."),
        ({"price_min": "80", "price_max": "50"}, "The maximum price must be at least the minimum"),
    ],
)
def test_invalid_input_gets_a_specific_error(query, message, therapists):
    with time_machine.travel(NOW, tick=False):
        full = Client().get(URL, query)
        assert full.status_code == 422
        assert message in full.content.decode()
        partial = Client().get(URL, query, headers=HTMX)
        assert partial.status_code == 200
        assert message in partial.content.decode()
        assert "Sven Swedish" not in partial.content.decode()


def test_an_empty_search_gives_guidance(therapists):
    with time_machine.travel(NOW, tick=False):
        page = Client().get(URL, {"place": "52.52, 13.405", "radius_km": "1", "mode": "mobile"})
        assert "No therapist matches this search" in page.content.decode()
        assert "Widen the distance" in page.content.decode()


def test_result_cards_link_to_the_public_profile_and_show_services(therapists):
    with time_machine.travel(NOW, tick=False):
        page = Client().get(URL, {"lat": str(BERLIN[0]), "lon": str(BERLIN[1])}).content.decode()
        profile = reverse("therapists:profile_public", args=[therapists["swedish"].public_id])
        assert f'href="{profile}"' in page
        assert "Swedish massage · 60 min · €70.00" in page
        assert "0.0 km" in page or "10 m" in page
