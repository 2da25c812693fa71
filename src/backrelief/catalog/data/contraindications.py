"""The contraindication rule set: every cell of the DOMAIN §3.3 technique x condition table,
the DOMAIN §3.4 neck precautions, in the DOMAIN §3.5 data model (`rule_model.py`).

The rows live in `contraindications_whole_body.py` and `contraindications_local.py` (split
to keep modules small). Bump `RULES_VERSION` with ANY change to those files, to
`conditions.py` or to `rule_model.py` semantics: the version is stored beside every decision
made from the rules (DOMAIN §3.5, STYLE.md "Rules as data").

Not here: the table's first row, "Any red flag from section 2", belongs to red-flag triage
(DOMAIN §2.3), which decides from the triage level rather than from a condition code.
"""

from __future__ import annotations

from backrelief.catalog.data.contraindications_local import LOCAL_RULES
from backrelief.catalog.data.contraindications_whole_body import WHOLE_BODY_RULES
from backrelief.catalog.data.rule_model import Precaution, Rule

RULES_VERSION = "2026.1"

RULES: tuple[Rule, ...] = WHOLE_BODY_RULES + LOCAL_RULES
RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}


def _by_condition(rules: tuple[Rule, ...]) -> dict[str, tuple[Rule, ...]]:
    grouped: dict[str, list[Rule]] = {}
    for rule in rules:
        grouped.setdefault(rule.condition, []).append(rule)
    return {code: tuple(group) for code, group in grouped.items()}


RULES_BY_CONDITION: dict[str, tuple[Rule, ...]] = _by_condition(RULES)

# DOMAIN §3.4, for every technique whenever the work reaches the neck. They are standard
# practice, so they never change an action (the §3.3 legend: OK means "no special restriction
# beyond standard practice"); evaluation lists them beside the verdict instead.
NECK_PRECAUTIONS: tuple[Precaution, ...] = (
    Precaution(
        "neck.front_and_sides",
        "No strong or sustained pressure on the front or sides of the neck; work only on the "
        "muscles at the back of the neck.",
        "DOMAIN §3.4 bullet 1 [R/P]",
    ),
    Precaution(
        "neck.no_manipulation",
        "No cracking of the neck, and no forcing the head to turn or tip back as far as it goes.",
        "DOMAIN §3.4 bullet 2 [V] (Yin 2014)",
    ),
    Precaution(
        "neck.stop_signs",
        "Stop at once and get urgent medical help if dizziness, changes in vision or speech, a "
        "numb face, nausea or a sudden severe headache come on during or after neck work.",
        "DOMAIN §3.4 bullet 3; §2.2 E6",
    ),
)
