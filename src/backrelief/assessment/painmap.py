"""Pain map input, pure: regions with a 0 to 10 intensity and the region that bothers most.

Rules (DOMAIN §1.2, issue 3 items 8 and "Done when"): several regions may be marked, each
with a whole-number intensity from 0 to 10 (the NPRS scale, DOMAIN §4.1); codes are the
DOMAIN §1.2 codes in `catalog/data/regions.py`; the primary region ("which region bothers
you most") must be one of the marked regions, because instrument selection follows it
(DOMAIN §4.8). Errors name the field (`regions.XYZ`, `primary_region`) and are raised
together in one `core.errors.Invalid`.
"""

from __future__ import annotations

from collections.abc import Mapping

from backrelief.catalog.data.regions import REGION_CODES, sorted_regions
from backrelief.core.errors import Invalid

REGIONS_FIELD = "regions"
PRIMARY_FIELD = "primary_region"
INTENSITY_MIN = 0
INTENSITY_MAX = 10


def parse_regions(raw: object) -> dict[str, int]:
    """`{"LOWER_BACK": 6, "LEG_L": 3}` checked, in the canonical region order.

    None (not sent) and `{}` mean no region marked. Intensities are integers 0 to 10; booleans
    and decimals are refused rather than rounded.
    """
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise Invalid(
            "Send the pain map as an object of region codes.",
            fields={REGIONS_FIELD: ['Use an object such as {"LOWER_BACK": 6}.']},
        )
    fields: dict[str, list[str]] = {}
    for code, value in raw.items():
        name = f"{REGIONS_FIELD}.{code}"
        if code not in REGION_CODES:
            fields[name] = [
                f"Unknown region. Use one of {', '.join(sorted_regions(REGION_CODES))}."
            ]
        elif not _is_intensity(value):
            fields[name] = ["Give the pain as a whole number from 0 to 10."]
    if fields:
        raise Invalid("Some pain-map regions could not be read.", fields=fields)
    return {code: raw[code] for code in sorted_regions(set(raw))}


def _is_intensity(value: object) -> bool:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and INTENSITY_MIN <= value <= INTENSITY_MAX
    )


def validate_primary_region(primary: object, regions: Mapping[str, int]) -> str | None:
    """The region that bothers the person most, checked against the marked `regions`.

    It must be one of `regions`. When it is not given: with no region marked the answer is
    None; with exactly one marked region that region is the primary one (there is no other
    choice); with several, the person has to choose (an error, not a guess, because the
    questionnaire shown depends on it, DOMAIN §4.8).
    """
    if primary is None or primary == "":
        if not regions:
            return None
        if len(regions) == 1:
            return next(iter(regions))
        raise Invalid(
            "Choose the region that bothers you most.",
            fields={PRIMARY_FIELD: ["Pick one of the regions you marked."]},
        )
    if not isinstance(primary, str) or primary not in REGION_CODES:
        raise Invalid(
            "The main region could not be read.",
            fields={PRIMARY_FIELD: ["Use a region code such as LOWER_BACK."]},
        )
    if primary not in regions:
        raise Invalid(
            "The main region is not one of the regions you marked.",
            fields={PRIMARY_FIELD: ["Pick one of the regions you marked, or mark this one too."]},
        )
    return primary
