"""Plain, translatable labels for the wizard's choice codes (issue 4 item 2). The codes are the
`assess` contract's (`catalog/data/ranking_inputs.py`); only the words people read are here."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TRIGGER_LABELS = {
    "SUSTAINED_POSTURE": _("Staying in one position for a long time"),
    "DESK_SCREEN_WORK": _("Desk or screen work"),
    "LIFTING_OR_STRAIN": _("Lifting or straining"),
    "SPORT_EXERCISE": _("Sport or exercise"),
    "ACCIDENT_OR_FALL": _("An accident or a fall"),
    "STRESS": _("Stress"),
    "POOR_SLEEP": _("Poor sleep"),
    "SLEEP_POSITION": _("The way I slept"),
    "NO_CLEAR_CAUSE": _("No clear cause"),
    "OTHER": _("Something else"),
}
SYMPTOM_LABELS = {
    "stiffness": _("Stiffness"),
    "muscle_tension": _("Tight or tense muscles"),
    "tender_spots": _("Tender spots or knots"),
    "numbness_tingling": _("Numbness or pins and needles"),
    "headache": _("Headache"),
}
GOAL_LABELS = {
    "relaxation": _("Relax"),
    "pain_relief": _("Less pain"),
    "stress": _("Less stress"),
    "sleep": _("Better sleep"),
    "mobility": _("Move more easily"),
    "tender_spots": _("Work on tender spots"),
    "self_care": _("Things I can do myself"),
}
PRESSURE_CHOICES = {
    "light": _("Light"),
    "moderate": _("Moderate"),
    "firm": _("Firm"),
}
CLOTHING_CHOICES = {
    "clothed": _("Stay fully clothed"),
    "undressed": _("Undressed, with oil, covered by towels"),
    "either": _("Either is fine"),
}
HEAT_CHOICES = {
    "likes": _("I like warmth"),
    "dislikes": _("I prefer no heat"),
    "either": _("Either is fine"),
}
SIDE_LABELS = {"left": _("Left"), "right": _("Right"), "both": _("Both sides")}
STEP_LABELS = {
    "pain": _("Your pain"),
    "warning_signs": _("Warning signs"),
    "conditions": _("Health conditions"),
    "questionnaires": _("Questionnaires"),
    "preferences": _("Preferences and goals"),
    "review": _("Check and submit"),
}
TRIAGE_LABELS = {
    "EMERGENCY": _("Emergency care needed"),
    "URGENT": _("See a doctor today"),
    "SOON": _("See a doctor within 1–2 weeks"),
    "NONE_REPORTED": _("No warning signs reported"),
    "NOT_SCREENED": _("Warning-sign questions not all answered"),
}
TRIAGE_DIRECTION_LABELS = {
    "less_restrictive": _("fewer warning signs than before"),
    "more_restrictive": _("more serious warning signs than before"),
    "same": _("the same as before"),
}
SCORE_DIRECTION_LABELS = {
    "improved": _("better"),
    "worsened": _("worse"),
    "unchanged": _("no change"),
}
MOVEMENT_LABELS = {
    "up": _("moved up"),
    "down": _("moved down"),
    "same": _("same place"),
    "new": _("now suggested"),
    "dropped": _("no longer suggested"),
    "not_offered": _("not suggested either time"),
}
