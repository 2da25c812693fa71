import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from backrelief.therapists.geo import (
    COORDINATES_OUT_OF_RANGE,
    EARTH_RADIUS_KM,
    bounding_box,
    check_coordinates,
    haversine_km,
)

BERLIN = (52.52, 13.405)
PARIS = (48.8566, 2.3522)

lats = st.floats(min_value=-90, max_value=90, allow_nan=False)
lons = st.floats(min_value=-180, max_value=180, allow_nan=False)
radii = st.floats(min_value=0, max_value=2000, allow_nan=False)


@pytest.mark.parametrize(
    ("a", "b", "km"),
    [
        (BERLIN, PARIS, 877.5),
        ((0.0, 0.0), (0.0, 1.0), 111.195),
        ((0.0, 179.5), (0.0, -179.5), 111.195),  # across the antimeridian
        ((90.0, 0.0), (-90.0, 0.0), math.pi * EARTH_RADIUS_KM),
    ],
)
def test_haversine_matches_known_distances(a, b, km):
    assert haversine_km(*a, *b) == pytest.approx(km, rel=2e-3)


def test_the_distance_from_a_point_to_itself_is_zero():
    assert haversine_km(*BERLIN, *BERLIN) == 0


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(90.01, 0), (-91, 0), (0, 180.5), (0, -181), (float("nan"), 0), ("x", 0), (None, 1)],
)
def test_coordinates_out_of_range_are_refused_with_a_specific_message(lat, lon):
    with pytest.raises(ValueError, match="Coordinates out of range"):
        check_coordinates(lat, lon)
    assert "latitude" in COORDINATES_OUT_OF_RANGE


@pytest.mark.parametrize(("lat", "lon"), [(90, 180), (-90, -180), (0, 0), ("52.5", "13.4")])
def test_coordinates_on_the_edges_are_accepted(lat, lon):
    assert check_coordinates(lat, lon) == (float(lat), float(lon))


def test_a_box_near_the_antimeridian_has_two_longitude_ranges():
    box = bounding_box(-17.7, 179.9, 50)  # Fiji
    assert box.wraps
    assert box.contains(-17.7, -179.9)
    assert box.contains(-17.7, 179.5)
    assert not box.contains(-17.7, 0)


def test_a_box_reaching_a_pole_spans_every_longitude():
    box = bounding_box(89.9, 10, 50)
    assert box.lon_ranges == ((-180.0, 180.0),)
    assert box.max_lat == 90.0


def test_a_box_away_from_poles_and_the_antimeridian_is_one_narrow_range():
    box = bounding_box(*BERLIN, 25)
    assert not box.wraps
    ((lo, hi),) = box.lon_ranges
    assert 0.3 < hi - lo < 0.8
    assert box.max_lat - box.min_lat == pytest.approx(50 / 111.195, rel=1e-3)


def test_negative_radius_is_refused():
    with pytest.raises(ValueError, match="radius_km"):
        bounding_box(0, 0, -1)


@given(lat=lats, lon=lons, radius=radii, bearing=st.floats(0, 360), frac=st.floats(0, 1))
def test_the_box_contains_every_point_within_the_radius(lat, lon, radius, bearing, frac):
    # A point at distance frac * radius along `bearing` (direct geodesic on the sphere).
    d = frac * radius / EARTH_RADIUS_KM
    phi1, lmb1, theta = math.radians(lat), math.radians(lon), math.radians(bearing)
    phi2 = math.asin(math.sin(phi1) * math.cos(d) + math.cos(phi1) * math.sin(d) * math.cos(theta))
    lmb2 = lmb1 + math.atan2(
        math.sin(theta) * math.sin(d) * math.cos(phi1),
        math.cos(d) - math.sin(phi1) * math.sin(phi2),
    )
    lat2 = math.degrees(phi2)
    lon2 = (math.degrees(lmb2) + 540) % 360 - 180
    assume(haversine_km(lat, lon, lat2, lon2) <= radius)
    assert bounding_box(lat, lon, radius).contains(lat2, lon2)


@given(lat=lats, lon=lons, lat2=lats, lon2=lons)
def test_any_point_within_the_radius_passes_the_prefilter(lat, lon, lat2, lon2):
    distance = haversine_km(lat, lon, lat2, lon2)
    assert bounding_box(lat, lon, distance).contains(lat2, lon2)


@given(a_lat=lats, a_lon=lons, b_lat=lats, b_lon=lons)
def test_haversine_is_symmetric_and_bounded(a_lat, a_lon, b_lat, b_lon):
    ab = haversine_km(a_lat, a_lon, b_lat, b_lon)
    assert ab == pytest.approx(haversine_km(b_lat, b_lon, a_lat, a_lon), abs=1e-6)
    assert 0 <= ab <= math.pi * EARTH_RADIUS_KM + 1e-6
