"""The scoring table that orders the techniques a person may have (issue 3 item 6), as data.

How a recommendation is ranked (`assessment/recommendation.py`, docs/rules.md "Recommendation
and ranking"):

1. AVOID techniques get no rank at all (the rules decide, never the points).
2. OK before MODIFY: a technique that needs a change always ranks below one that does not.
3. Within each group, more points first. Each entry below gives (or costs) a technique points
   for one input: the duration class, a marked region, the pressure / clothing / heat
   preference, a goal, a trigger or a symptom. The entry's `reason` names that input in plain
   words; the recommendation prints it with the points, e.g. "You said you prefer light
   pressure; Swedish massage is light to moderate (+2)".
4. Ties: the fixed order `TIE_ORDER` (gentlest first, the catalogue order of DOMAIN §3.2).

An entry whose reason states a benefit names its DOMAIN §5 row in `evidence`; the grade is
printed beside it. The points are a project choice [P], not evidence: they express "what suits
what you told us", and a clinician may re-weigh them. Bump `RANKING_VERSION` with any change;
the version is stored beside every recommendation (STYLE.md "Rules as data").
"""

from __future__ import annotations

from dataclasses import dataclass

from backrelief.catalog.data.ranking_inputs import (
    CLOTHING_VALUES,
    GOAL_VALUES,
    HEAT_VALUES,
    PRESSURE_VALUES,
    REGION_GROUPS,
    SELF_MASSAGE_REGIONS,
    SYMPTOM_VALUES,
    TRIGGER_VALUES,
)
from backrelief.catalog.data.techniques import TECHNIQUE_CODES

__all__ = [
    "CLOTHING_VALUES",
    "GOAL_VALUES",
    "HEAT_VALUES",
    "PRESSURE_VALUES",
    "RANKING_VERSION",
    "REGION_GROUPS",
    "SELF_MASSAGE_REGIONS",
    "SYMPTOM_VALUES",
    "TABLE",
    "TIE_ORDER",
    "TRIGGER_VALUES",
    "Points",
]

RANKING_VERSION = "2026.1"

# Ties are broken in this fixed order: the catalogue order, gentlest and most adjustable first.
TIE_ORDER: tuple[str, ...] = TECHNIQUE_CODES


@dataclass(frozen=True)
class Points:
    """Points for one technique from one input value; `reason` names the input."""

    technique: str
    points: int
    reason: str
    evidence: str | None = None  # a DOMAIN §5 row id (catalog/data/evidence.py) if a benefit


P = Points

# Input fields the table reads, in the order their reasons are listed. Each maps an input
# value to its entries. For `regions` the value is a region group (REGION_GROUPS).
DURATION = "duration_class"
REGIONS = "regions"
PRESSURE = "pressure"
CLOTHING = "clothing"
HEAT = "heat"
GOALS = "goals"
TRIGGERS = "triggers"
SYMPTOMS = "symptoms"
FIELDS: tuple[str, ...] = (DURATION, REGIONS, PRESSURE, CLOTHING, HEAT, GOALS, TRIGGERS, SYMPTOMS)

_LIGHT = "You said you prefer light pressure"
_MODERATE = "You said you prefer moderate pressure"
_FIRM = "You said you prefer firm pressure"
_CLOTHED = "You said you prefer to stay clothed"
_UNDRESSED = "You said you are happy to undress for massage with oil"
_LOW_BACK = "You marked your lower back, and massage can ease low back pain for a short time"

TABLE: dict[str, dict[str, tuple[Points, ...]]] = {
    DURATION: {
        "acute": (
            P("swedish", 2, "Your pain began recently (acute), when gentle work suits best"),
            P("self_massage", 1, "Your pain began recently (acute); gentle self-care can help"),
            P(
                "deep_tissue",
                -2,
                "Your pain began recently (acute); firm, deep pressure can make new pain worse",
            ),
            P(
                "trigger_point",
                -2,
                "Your pain began recently (acute); strong pressure on one "
                "spot can make new pain worse",
            ),
        ),
        "subacute": (
            P("swedish", 1, "Your pain has lasted some weeks (subacute)"),
            P("trigger_point", 1, "Your pain has lasted some weeks (subacute)"),
            P(
                "self_massage",
                1,
                "Your pain has lasted some weeks (subacute); regular "
                "self-care between sessions suits it",
            ),
        ),
        "chronic": (
            P(
                "self_massage",
                2,
                "Your pain has lasted 12 weeks or more (persistent); regular "
                "self-care between sessions suits it",
            ),
            P("deep_tissue", 1, "Your pain has lasted 12 weeks or more (persistent)"),
            P("trigger_point", 1, "Your pain has lasted 12 weeks or more (persistent)"),
            P(
                "shiatsu",
                1,
                "Your pain has lasted 12 weeks or more (persistent); shiatsu "
                "includes gentle stretches",
            ),
        ),
    },
    REGIONS: {
        "neck": (
            P("swedish", 1, "You marked your neck, where light, adjustable pressure suits best"),
            P("deep_tissue", -1, "You marked your neck, where strong pressure needs extra care"),
            P("trigger_point", -1, "You marked your neck, where strong pressure needs extra care"),
        ),
        "shoulders_upper_back": (
            P(
                "trigger_point",
                1,
                "You marked your shoulders or upper back, where tender "
                "knots in the muscles are common",
            ),
            P(
                "self_massage",
                1,
                "You marked your shoulders or upper back, which you can "
                "reach yourself with a ball against a wall",
            ),
        ),
        "mid_back": (
            P(
                "self_massage",
                1,
                "You marked your middle back, which you can reach yourself "
                "with a ball or foam roller",
            ),
        ),
        "lower_back": (
            P("swedish", 1, _LOW_BACK, "low_back_pain"),
            P("deep_tissue", 1, _LOW_BACK, "low_back_pain"),
            P("trigger_point", 1, _LOW_BACK, "low_back_pain"),
            P("hot_stone", 1, _LOW_BACK, "low_back_pain"),
            P("self_massage", 1, "You marked your lower back, which you can reach yourself"),
        ),
        "arm_or_leg": (
            P(
                "deep_tissue",
                -2,
                "You marked pain spreading into an arm or leg; deep pressure "
                "is best kept off that limb",
            ),
            P(
                "trigger_point",
                -2,
                "You marked pain spreading into an arm or leg; strong "
                "pressure is best kept off that limb",
            ),
        ),
    },
    PRESSURE: {
        "light": (
            P("swedish", 2, f"{_LIGHT}; Swedish massage is light to moderate"),
            P("hot_stone", 2, f"{_LIGHT}; hot stone massage is light to moderate"),
            P("self_massage", 1, f"{_LIGHT}; with self-massage you choose the pressure"),
            P("deep_tissue", -2, f"{_LIGHT}; deep tissue massage is firm to strong"),
            P("trigger_point", -2, f"{_LIGHT}; trigger point therapy is strong"),
            P("shiatsu", -1, f"{_LIGHT}; shiatsu is moderate to strong"),
        ),
        "moderate": (
            P("swedish", 1, f"{_MODERATE}; Swedish massage is light to moderate"),
            P("hot_stone", 1, f"{_MODERATE}; hot stone massage is light to moderate"),
            P("shiatsu", 1, f"{_MODERATE}; shiatsu is moderate to strong"),
            P("self_massage", 1, f"{_MODERATE}; with self-massage you choose the pressure"),
            P("deep_tissue", -1, f"{_MODERATE}; deep tissue massage is firm to strong"),
            P("trigger_point", -1, f"{_MODERATE}; trigger point therapy is strong"),
        ),
        "firm": (
            P("deep_tissue", 2, f"{_FIRM}; deep tissue massage is firm to strong"),
            P("trigger_point", 2, f"{_FIRM}; trigger point therapy is strong"),
            P("shiatsu", 1, f"{_FIRM}; shiatsu is moderate to strong"),
            P("self_massage", 1, f"{_FIRM}; with self-massage you choose the pressure"),
            P("swedish", -1, f"{_FIRM}; Swedish massage is light to moderate"),
            P("hot_stone", -1, f"{_FIRM}; hot stone massage is light to moderate"),
        ),
    },
    CLOTHING: {
        "clothed": (
            P("shiatsu", 2, f"{_CLOTHED}; shiatsu is usually done fully clothed"),
            P("self_massage", 1, f"{_CLOTHED}; you can do self-massage in your clothes"),
            P(
                "trigger_point",
                1,
                f"{_CLOTHED}; trigger point therapy can be done through clothing",
            ),
            P("swedish", -1, f"{_CLOTHED}; Swedish massage is usually given with oil on bare skin"),
            P("deep_tissue", -1, f"{_CLOTHED}; deep tissue massage is usually given on bare skin"),
            P("hot_stone", -2, f"{_CLOTHED}; hot stones are glided over bare, oiled skin"),
        ),
        "undressed": (
            P("swedish", 1, f"{_UNDRESSED}; Swedish massage is usually given that way"),
            P("hot_stone", 1, f"{_UNDRESSED}; hot stone massage is given that way"),
        ),
        "either": (),
    },
    HEAT: {
        "likes": (P("hot_stone", 2, "You said you like warmth; hot stone massage uses heat"),),
        "dislikes": (
            P("hot_stone", -3, "You said you do not like heat; hot stone massage uses heat"),
        ),
        "either": (),
    },
    GOALS: {
        "relaxation": (
            P(
                "swedish",
                2,
                "Your goal is relaxation; many people feel calmer after a session",
                "stress_short_term",
            ),
            P(
                "hot_stone",
                2,
                "Your goal is relaxation; many people feel calmer after a session",
                "stress_short_term",
            ),
            P(
                "shiatsu",
                1,
                "Your goal is relaxation; some people find shiatsu relaxing",
                "shiatsu_outcomes",
            ),
        ),
        "stress": (
            P(
                "swedish",
                2,
                "Your goal is less stress; many people feel calmer after a session",
                "stress_short_term",
            ),
            P(
                "hot_stone",
                1,
                "Your goal is less stress; many people feel calmer after a session",
                "stress_short_term",
            ),
            P(
                "shiatsu",
                1,
                "Your goal is less stress; some people find shiatsu relaxing",
                "shiatsu_outcomes",
            ),
        ),
        "pain_relief": (
            P("deep_tissue", 1, "Your goal is pain relief; deep tissue work targets tight muscles"),
            P(
                "trigger_point",
                1,
                "Your goal is pain relief; trigger point therapy targets tender spots",
            ),
            P("swedish", 1, "Your goal is pain relief"),
            P(
                "self_massage",
                1,
                "Your goal is pain relief; self-massage lets you ease it between sessions",
            ),
        ),
        "sleep": (
            P(
                "swedish",
                1,
                "Your goal is better sleep; some small studies report better sleep after massage",
                "sleep",
            ),
            P(
                "hot_stone",
                1,
                "Your goal is better sleep; some small studies report better sleep after massage",
                "sleep",
            ),
        ),
        "mobility": (
            P(
                "self_massage",
                2,
                "Your goal is moving more easily; self-massage may loosen "
                "stiffness for a short while",
                "self_massage_short_term",
            ),
            P("shiatsu", 1, "Your goal is moving more easily; shiatsu includes gentle stretches"),
        ),
        "tender_spots": (
            P(
                "trigger_point",
                2,
                "Your goal is easing tender spots; trigger point therapy "
                "works on one spot at a time",
            ),
            P(
                "self_massage",
                1,
                "Your goal is easing tender spots; a ball lets you hold a tender spot yourself",
            ),
        ),
        "self_care": (
            P("self_massage", 3, "Your goal is looking after yourself between sessions"),
        ),
    },
    TRIGGERS: {
        "STRESS": (P("swedish", 1, "You said stress seems to bring your pain on"),),
        "DESK_SCREEN_WORK": (
            P(
                "self_massage",
                1,
                "You said desk or screen work seems to bring your pain on; "
                "short self-massage breaks fit into a working day",
            ),
        ),
        "SUSTAINED_POSTURE": (
            P(
                "self_massage",
                1,
                "You said staying in one position seems to bring your pain "
                "on; short self-massage breaks help you change position",
            ),
        ),
        "ACCIDENT_OR_FALL": (
            P("deep_tissue", -1, "You said your pain started with an accident or fall"),
            P("trigger_point", -1, "You said your pain started with an accident or fall"),
        ),
        "POOR_SLEEP": (P("swedish", 1, "You said poor sleep seems to bring your pain on"),),
    },
    SYMPTOMS: {
        "stiffness": (
            P("shiatsu", 1, "You said you feel stiff; shiatsu includes gentle stretches"),
            P(
                "self_massage",
                1,
                "You said you feel stiff; self-massage may loosen stiffness for a short while",
                "self_massage_short_term",
            ),
        ),
        "muscle_tension": (
            P("swedish", 1, "You said your muscles feel tight"),
            P("deep_tissue", 1, "You said your muscles feel tight"),
        ),
        "tender_spots": (P("trigger_point", 1, "You said you have tender spots in a muscle"),),
        "numbness_tingling": (
            P(
                "deep_tissue",
                -2,
                "You said you have numbness or pins and needles; strong pressure is best avoided",
            ),
            P(
                "trigger_point",
                -2,
                "You said you have numbness or pins and needles; strong pressure is best avoided",
            ),
            P(
                "self_massage",
                -1,
                "You said you have numbness or pins and needles; stop self-massage if it comes on",
            ),
        ),
        "headache": (),
    },
}
del P
