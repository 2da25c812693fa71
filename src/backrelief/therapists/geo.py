"""Distances on the Earth for the directory (issue 5 item 4: "distance by haversine with a
bounding-box prefilter in SQL"). Pure: plain floats in, plain values out.

- `haversine_km`: great-circle distance on a sphere of the mean Earth radius (IUGG mean radius
  R1 = 6371.0088 km). The sphere is off the ellipsoid by at most ~0.5 %, far below what matters
  for "how far is the therapist" (a few metres per km).
- `bounding_box`: a latitude/longitude box that contains *every* point within `radius_km` of
  the centre, so SQL can discard far rows on the indexed latitude/longitude columns before
  the exact haversine runs in Python on the few left. The box may be larger than needed
  (never smaller): near a pole it spans every longitude, and across the antimeridian (±180°)
  it is two longitude ranges, which the SQL prefilter joins with OR.
- `check_coordinates`: the one validation of a latitude/longitude pair ("coordinates out of
  range"), used by forms, schemas and the place parser.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088
# One degree of latitude (and of longitude at the equator) on that sphere.
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180.0
COORDINATES_OUT_OF_RANGE = (
    "Coordinates out of range: latitude must lie between -90 and 90 and longitude between "
    "-180 and 180."
)


def check_coordinates(lat: float, lon: float) -> tuple[float, float]:
    """`(lat, lon)` as floats, or ValueError(COORDINATES_OUT_OF_RANGE) for anything not a
    finite WGS84 pair (latitude -90..90, longitude -180..180, both inclusive)."""
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError):
        raise ValueError(COORDINATES_OUT_OF_RANGE) from None
    if not (math.isfinite(lat_f) and math.isfinite(lon_f)):
        raise ValueError(COORDINATES_OUT_OF_RANGE)
    if not (-90.0 <= lat_f <= 90.0 and -180.0 <= lon_f <= 180.0):
        raise ValueError(COORDINATES_OUT_OF_RANGE)
    return lat_f, lon_f


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two WGS84 points (haversine formula, mean Earth
    radius; see module docstring). Symmetric, zero for the same point, at most half the
    circumference."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    a = min(1.0, max(0.0, a))  # rounding can push a hair outside [0, 1]
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class BoundingBox:
    """Latitude range plus one or two longitude ranges (two when the box crosses ±180°).
    A point is inside when its latitude is in [min_lat, max_lat] and its longitude lies in
    any of `lon_ranges` (each inclusive)."""

    min_lat: float
    max_lat: float
    lon_ranges: tuple[tuple[float, float], ...]

    @property
    def wraps(self) -> bool:
        """True when the box crosses the antimeridian (two longitude ranges, SQL uses OR)."""
        return len(self.lon_ranges) > 1

    def contains(self, lat: float, lon: float) -> bool:
        """Whether (lat, lon) passes the prefilter (what the SQL does, in Python)."""
        if not self.min_lat <= lat <= self.max_lat:
            return False
        return any(lo <= lon <= hi for lo, hi in self.lon_ranges)


# A small safety margin so floating-point rounding never drops a point on the edge.
_MARGIN = 1e-9


def bounding_box(lat: float, lon: float, radius_km: float) -> BoundingBox:
    """A box containing every point within `radius_km` (great-circle) of (lat, lon).

    Latitude: ± radius / km-per-degree, clamped to the poles. Longitude: the widest angular
    half-width on the circle is asin(sin(d) / cos(lat)) with d the angular radius (the
    tangent-point bound of the spherical cap); when the cap reaches a pole, or that bound is
    undefined, every longitude is inside. A range running past ±180° is split in two.
    """
    lat, lon = check_coordinates(lat, lon)
    if radius_km < 0 or not math.isfinite(radius_km):
        raise ValueError("radius_km must be a finite number >= 0")
    d = radius_km / EARTH_RADIUS_KM  # angular radius in radians
    dlat = math.degrees(d) + _MARGIN
    min_lat = max(-90.0, lat - dlat)
    max_lat = min(90.0, lat + dlat)
    if d >= math.pi / 2 or max_lat >= 90.0 or min_lat <= -90.0:
        return BoundingBox(min_lat, max_lat, ((-180.0, 180.0),))
    ratio = math.sin(d) / math.cos(math.radians(lat))
    if ratio >= 1.0:
        return BoundingBox(min_lat, max_lat, ((-180.0, 180.0),))
    dlon = math.degrees(math.asin(ratio)) + _MARGIN
    lo, hi = lon - dlon, lon + dlon
    if lo < -180.0:
        return BoundingBox(min_lat, max_lat, ((lo + 360.0, 180.0), (-180.0, hi)))
    if hi > 180.0:
        return BoundingBox(min_lat, max_lat, ((lo, 180.0), (-180.0, hi - 360.0)))
    return BoundingBox(min_lat, max_lat, ((lo, hi),))
