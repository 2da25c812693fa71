"""The input values the ranking table reads (issue 3 item 6), versioned with RANKING_VERSION
in `ranking.py`: allowed preference, goal, trigger and symptom codes, the region groups that
earn points, and the regions self-massage is suggested for."""

from __future__ import annotations

# Allowed preference values; None (not given) is neutral: no points.
PRESSURE_VALUES: tuple[str, ...] = ("light", "moderate", "firm")
CLOTHING_VALUES: tuple[str, ...] = ("clothed", "undressed", "either")
HEAT_VALUES: tuple[str, ...] = ("likes", "dislikes", "either")
GOAL_VALUES: tuple[str, ...] = (
    "relaxation",
    "pain_relief",
    "stress",
    "sleep",
    "mobility",
    "tender_spots",
    "self_care",
)
# DOMAIN §1.4 suggested enum; recorded as the person's own view, never as a cause.
TRIGGER_VALUES: tuple[str, ...] = (
    "SUSTAINED_POSTURE",
    "DESK_SCREEN_WORK",
    "LIFTING_OR_STRAIN",
    "SPORT_EXERCISE",
    "ACCIDENT_OR_FALL",
    "STRESS",
    "POOR_SLEEP",
    "SLEEP_POSITION",
    "NO_CLEAR_CAUSE",
    "OTHER",
)
SYMPTOM_VALUES: tuple[str, ...] = (
    "stiffness",
    "muscle_tension",
    "tender_spots",
    "numbness_tingling",
    "headache",
)

# Pain-map regions (DOMAIN §1.2) grouped the way the table gives points: a group earns its
# points once, however many of its regions are marked. Only regions with pain above 0 count.
REGION_GROUPS: dict[str, frozenset[str]] = {
    "neck": frozenset({"NECK", "HEAD"}),
    "shoulders_upper_back": frozenset({"SHOULDER_L", "SHOULDER_R", "UPPER_BACK"}),
    "mid_back": frozenset({"MID_BACK"}),
    "lower_back": frozenset({"LOWER_BACK", "BUTTOCK_L", "BUTTOCK_R"}),
    "arm_or_leg": frozenset({"ARM_L", "ARM_R", "LEG_L", "LEG_R"}),
}

# Regions DOMAIN §6.2 has self-massage exercises for; only these are ever suggested.
SELF_MASSAGE_REGIONS: tuple[str, ...] = (
    "NECK",
    "SHOULDER_L",
    "SHOULDER_R",
    "UPPER_BACK",
    "MID_BACK",
    "LOWER_BACK",
    "BUTTOCK_L",
    "BUTTOCK_R",
)
