"""The six techniques of the catalogue (DOMAIN §3.2) with evidence-graded claims (DOMAIN §5).

Descriptions are our own plain words. Every benefit claim points at a DOMAIN §5 row
(`catalog/data/evidence.py`) for its grade and sources; the claim text says no more than that
grade allows (DOMAIN §5 copy guidance) and, because nearly all trials studied massage in
general, it says so where the technique itself has not been studied.

Bump `CATALOG_VERSION` with any change to this module or to `evidence.py`; the version is
stored beside every recommendation made from it (STYLE.md "Rules as data").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from backrelief.catalog.data.evidence import EVIDENCE_BY_ID, EvidenceGrade, Source

CATALOG_VERSION = "2026.1"


class Pressure(StrEnum):
    """Pressure levels, lightest first (DOMAIN §3.2 "pressure profile")."""

    LIGHT = "light"
    MODERATE = "moderate"
    FIRM = "firm"
    STRONG = "strong"


PRESSURE_ORDER: tuple[Pressure, ...] = tuple(Pressure)


class Clothing(StrEnum):
    """How a session is usually received (DOMAIN §3.2: shiatsu clothed, hot stone with oil)."""

    CLOTHED = "clothed"
    UNDRESSED = "undressed"  # oil or lotion on skin, covered with towels except where worked
    EITHER = "either"


@dataclass(frozen=True)
class PressureProfile:
    lightest: Pressure
    firmest: Pressure
    adjustable: bool
    note: str

    def covers(self, pressure: Pressure) -> bool:
        """Whether `pressure` lies within this profile's range."""
        lo, hi = PRESSURE_ORDER.index(self.lightest), PRESSURE_ORDER.index(self.firmest)
        return lo <= PRESSURE_ORDER.index(pressure) <= hi


PURPOSES: dict[str, str] = {
    "relaxation": "Relaxing and feeling calmer",
    "muscle_tension": "Easing tight or tender muscles",
    "back_pain_short_term": "Easing back pain for a short time",
    "tender_spots": "Working on specific tender spots",
    "warmth": "Comfort from warmth",
    "self_care": "Looking after yourself between sessions",
}


@dataclass(frozen=True)
class BenefitClaim:
    """A user-facing claim. `evidence` is a DOMAIN §5 row id; grade and sources come from it."""

    text: str
    evidence: str

    @property
    def grade(self) -> EvidenceGrade:
        return EVIDENCE_BY_ID[self.evidence].grade

    @property
    def sources(self) -> tuple[Source, ...]:
        return EVIDENCE_BY_ID[self.evidence].sources


@dataclass(frozen=True)
class Technique:
    code: str
    name: str
    description: str
    pressure: PressureProfile
    purposes: tuple[str, ...]
    claims: tuple[BenefitClaim, ...]
    clothing: Clothing
    uses_heat: bool = False
    uses_tools: bool = False
    domain_ref: str = "DOMAIN §3.2"


_GENERAL = " (studies of massage in general, not of this technique on its own)"

_CALMER = BenefitClaim(
    "Many people feel calmer and less anxious straight after a session." + _GENERAL,
    "stress_short_term",
)
_LOW_BACK = BenefitClaim(
    "It can ease low back pain for a short time; the evidence is of low certainty." + _GENERAL,
    "low_back_pain",
)
_NECK = BenefitClaim(
    "Whether it helps neck pain is uncertain: the studies are few and of low quality." + _GENERAL,
    "neck_pain",
)
_SLEEP = BenefitClaim(
    "Some small studies report better sleep afterwards, mostly in particular groups of people."
    + _GENERAL,
    "sleep",
)

TECHNIQUES: tuple[Technique, ...] = (
    Technique(
        code="swedish",
        name="Swedish massage",
        description=(
            "Long gliding strokes, kneading and gentle rubbing of the muscles, sometimes with "
            "light tapping. Aimed mainly at relaxation."
        ),
        pressure=PressureProfile(
            Pressure.LIGHT, Pressure.MODERATE, True, "Light to moderate; easy to adjust."
        ),
        purposes=("relaxation", "muscle_tension", "back_pain_short_term"),
        claims=(_CALMER, _LOW_BACK, _NECK, _SLEEP),
        clothing=Clothing.UNDRESSED,
    ),
    Technique(
        code="deep_tissue",
        name="Deep tissue massage",
        description=(
            "Slow strokes and steady, firm pressure that reach the deeper layers of muscle."
        ),
        pressure=PressureProfile(
            Pressure.FIRM,
            Pressure.STRONG,
            False,
            "Firm to strong; soreness afterwards and bruising are more likely than with "
            "lighter massage.",
        ),
        purposes=("muscle_tension", "back_pain_short_term"),
        claims=(_LOW_BACK, _NECK),
        clothing=Clothing.UNDRESSED,
    ),
    Technique(
        code="trigger_point",
        name="Trigger point therapy",
        description=(
            "Steady pressure held on one tender knot in a muscle, usually for 30 to 90 "
            "seconds, then released."
        ),
        pressure=PressureProfile(
            Pressure.FIRM,
            Pressure.STRONG,
            False,
            "Strong and concentrated on one small spot at a time.",
        ),
        purposes=("tender_spots", "muscle_tension"),
        claims=(_LOW_BACK, _NECK),
        clothing=Clothing.EITHER,
    ),
    Technique(
        code="shiatsu",
        name="Shiatsu",
        description=(
            "A Japanese style of pressing with fingers, thumbs and palms along lines used in "
            "traditional practice, using body weight, with gentle stretches. Usually done "
            "fully clothed on a floor mat."
        ),
        pressure=PressureProfile(
            Pressure.MODERATE,
            Pressure.STRONG,
            True,
            "Moderate to strong pressure on points, with stretches and rotations you do not "
            "do yourself.",
        ),
        purposes=("relaxation", "muscle_tension"),
        claims=(
            BenefitClaim(
                "Some people find it relaxing, but studies of shiatsu itself are few and "
                "small, so we cannot say how well it works.",
                "shiatsu_outcomes",
            ),
        ),
        clothing=Clothing.CLOTHED,
    ),
    Technique(
        code="hot_stone",
        name="Hot stone massage",
        description=(
            "Smooth heated stones are rested on the body and glided over it with oil, "
            "together with gentle massage strokes."
        ),
        pressure=PressureProfile(
            Pressure.LIGHT,
            Pressure.MODERATE,
            True,
            "Light to moderate pressure, plus heat.",
        ),
        purposes=("relaxation", "warmth", "muscle_tension"),
        claims=(_CALMER, _LOW_BACK),
        clothing=Clothing.UNDRESSED,
        uses_heat=True,
    ),
    Technique(
        code="self_massage",
        name="Self-massage",
        description=(
            "Massaging yourself with your hands, or with a ball against a wall or the floor, "
            "a foam roller or a massage cane."
        ),
        pressure=PressureProfile(
            Pressure.LIGHT,
            Pressure.FIRM,
            True,
            "You control it. Tools press on a small area, so it is easy to press too hard: "
            "aim for comfortably strong, never above about 6 out of 10.",
        ),
        purposes=("self_care", "muscle_tension", "tender_spots"),
        claims=(
            BenefitClaim(
                "It may loosen stiffness and ease muscle soreness for a short while; there is "
                "little evidence about lasting pain relief.",
                "self_massage_short_term",
            ),
        ),
        clothing=Clothing.CLOTHED,
        uses_tools=True,
    ),
)

TECHNIQUES_BY_CODE: dict[str, Technique] = {t.code: t for t in TECHNIQUES}
TECHNIQUE_CODES: tuple[str, ...] = tuple(t.code for t in TECHNIQUES)
