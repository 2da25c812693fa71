"""Body regions of the pain map (DOMAIN §1.2), the one list every app reuses.

Codes are the DOMAIN §1.2 enum; `label` is the user label, `phrase` is how the region reads
inside a sentence ("not on the left leg"). `side` is set for lateral regions so a condition
given a side (left / right / both) can be checked against, or expanded into, regions.
`optional` marks the regions DOMAIN lists as optional (HEAD, BUTTOCK_*): the pain map may
hide them, but every rule accepts them.

The tuple order is the canonical order: anything that lists regions (texts such as
"not on the neck or the lower back", sorted outputs) follows it, so results are deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass

LEFT = "left"
RIGHT = "right"
BOTH = "both"
SIDES: tuple[str, ...] = (LEFT, RIGHT, BOTH)


@dataclass(frozen=True)
class Region:
    code: str
    label: str
    phrase: str
    side: str | None = None
    optional: bool = False


REGIONS: tuple[Region, ...] = (
    Region("NECK", "Neck", "the neck"),
    Region("SHOULDER_L", "Left shoulder", "the left shoulder", LEFT),
    Region("SHOULDER_R", "Right shoulder", "the right shoulder", RIGHT),
    Region("UPPER_BACK", "Upper back", "the upper back"),
    Region("MID_BACK", "Middle back", "the middle back"),
    Region("LOWER_BACK", "Lower back", "the lower back"),
    Region("ARM_L", "Pain spreading into the left arm", "the left arm", LEFT),
    Region("ARM_R", "Pain spreading into the right arm", "the right arm", RIGHT),
    Region("LEG_L", "Pain spreading into the left leg", "the left leg", LEFT),
    Region("LEG_R", "Pain spreading into the right leg", "the right leg", RIGHT),
    Region("HEAD", "Headache starting from the neck", "the head", optional=True),
    Region("BUTTOCK_L", "Left buttock", "the left buttock", LEFT, optional=True),
    Region("BUTTOCK_R", "Right buttock", "the right buttock", RIGHT, optional=True),
)

REGIONS_BY_CODE: dict[str, Region] = {r.code: r for r in REGIONS}
REGION_CODES: frozenset[str] = frozenset(REGIONS_BY_CODE)
REGION_ORDER: dict[str, int] = {r.code: i for i, r in enumerate(REGIONS)}

LEGS: frozenset[str] = frozenset({"LEG_L", "LEG_R"})
# Regions where work reaches the neck or sits right beside it (DOMAIN §1.2: "shoulder" means
# the neck-shoulder muscle area; HEAD is headache starting from the neck). Used for the
# DOMAIN §3.4 neck precautions.
NECK_ADJACENT: frozenset[str] = frozenset({"NECK", "HEAD", "SHOULDER_L", "SHOULDER_R"})


def sorted_regions(codes: frozenset[str] | set[str]) -> tuple[str, ...]:
    """Region codes in the canonical DOMAIN §1.2 order (unknown codes last, alphabetically)."""
    return tuple(sorted(codes, key=lambda c: (REGION_ORDER.get(c, len(REGIONS)), c)))


_BOTH_SIDES_PHRASE = {
    "SHOULDER": "the shoulders",
    "ARM": "the arms",
    "LEG": "the legs",
    "BUTTOCK": "the buttocks",
}


def regions_phrase(codes: frozenset[str] | set[str]) -> str:
    """ "the neck", "the neck or the lower back", "the neck, the legs or the lower back".

    A left/right pair reads as one plural ("the legs"), placed where its left half sorts.
    """
    present = set(codes)
    phrases = []
    for code in sorted_regions(present):
        base, _, suffix = code.rpartition("_")
        if suffix in ("L", "R") and {f"{base}_L", f"{base}_R"} <= present:
            if suffix == "L":
                phrases.append(_BOTH_SIDES_PHRASE[base])
            continue
        phrases.append(REGIONS_BY_CODE[code].phrase)
    if len(phrases) <= 1:
        return "".join(phrases)
    return ", ".join(phrases[:-1]) + " or " + phrases[-1]


def lateral(base: str, side: str) -> frozenset[str]:
    """`lateral("LEG", "left")` → {LEG_L}; "both" gives both sides (DOMAIN §1.2 codes)."""
    suffixes = {LEFT: ("_L",), RIGHT: ("_R",), BOTH: ("_L", "_R")}[side]
    return frozenset(base + s for s in suffixes)
