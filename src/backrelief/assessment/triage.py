"""Red-flag triage, pure: yes/no/unanswered per question in, level, message and policy out.

Rules (DOMAIN §2.2 and §2.3, issue 3 item 4), evaluated in this order:

1. any E question yes                                   → EMERGENCY
2. any U question yes, or S1 and S2 both yes, or three
   or more S questions yes (combination escalation [P]) → URGENT
3. any question unanswered                              → NOT_SCREENED
4. any S question yes                                   → SOON
5. otherwise                                            → NONE_REPORTED

A question missing from the answers is unanswered, never "no" (DOMAIN §2.3 [P]): an
incomplete screen can never let a booking through. Screening is triage, not diagnosis
(DOMAIN §0.2, §2.1): no result says a person is fine, only that no warning signs were
reported today. Questions, messages, thresholds and the technique policy are data in
`data/red_flags.py` (version `RED_FLAGS_VERSION`, stored with every result).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from backrelief.assessment.data import red_flags as data
from backrelief.assessment.data.red_flags import (
    RED_FLAGS_VERSION,
    TRIAGE_TECHNIQUE_POLICY,
    TriageTechniqueRule,
)
from backrelief.core.errors import Invalid

__all__ = [
    "LEVEL_ORDER",
    "RED_FLAGS_VERSION",
    "TRIAGE_TECHNIQUE_POLICY",
    "TriageLevel",
    "TriageResult",
    "TriageTechniqueRule",
    "Trigger",
    "may_rescreen",
    "parse_red_flags",
    "triage",
]

FIELD = "red_flags"


class TriageLevel(StrEnum):
    EMERGENCY = data.EMERGENCY
    URGENT = data.URGENT
    SOON = data.SOON
    NONE_REPORTED = data.NONE_REPORTED
    NOT_SCREENED = data.NOT_SCREENED


# From least to most restrictive. NOT_SCREENED sits above SOON: it allows nothing, SOON allows
# light Swedish massage. In this order a "no" turned into "yes" never lowers the level, and an
# unanswered question answered "no" never raises it (assessment/tests/test_triage_properties.py).
LEVEL_ORDER: tuple[TriageLevel, ...] = (
    TriageLevel.NONE_REPORTED,
    TriageLevel.SOON,
    TriageLevel.NOT_SCREENED,
    TriageLevel.URGENT,
    TriageLevel.EMERGENCY,
)


class Trigger(StrEnum):
    """Which rule decided the level; stored so a reviewer can see why."""

    EMERGENCY_ANSWER = "emergency_answer"
    URGENT_ANSWER = "urgent_answer"
    S1_AND_S2 = "s1_and_s2"
    SOON_COUNT = "soon_count"
    UNANSWERED = "unanswered"
    SOON_ANSWER = "soon_answer"
    NONE = "none"


@dataclass(frozen=True)
class TriageResult:
    """The outcome of one screening (DOMAIN §2.3), plain values only.

    `message` is the English text without emphasis marks; `message_marked` keeps DOMAIN's
    `**bold**` for pages. `techniques` maps every technique code to what triage allows; it is
    combined with the contraindication rules by "most restrictive wins".
    """

    level: TriageLevel
    trigger: Trigger
    positive: tuple[str, ...]  # ids answered yes, in question order
    unanswered: tuple[str, ...]  # ids missing or null, in question order
    message: str
    message_marked: str
    blocks_booking: bool
    shows_emergency_contacts: bool
    offers_self_massage: bool
    techniques: Mapping[str, TriageTechniqueRule]
    version: str = RED_FLAGS_VERSION

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, for storage beside the answers and for the CLI/API output."""
        return {
            "level": str(self.level),
            "trigger": str(self.trigger),
            "positive": list(self.positive),
            "unanswered": list(self.unanswered),
            "message": self.message,
            "blocks_booking": self.blocks_booking,
            "shows_emergency_contacts": self.shows_emergency_contacts,
            "offers_self_massage": self.offers_self_massage,
            "techniques": {
                code: {"action": rule.action, "modification": rule.modification}
                for code, rule in self.techniques.items()
            },
            "version": self.version,
        }


def parse_red_flags(raw: object) -> dict[str, bool | None]:
    """Answers from JSON-like input (`{"E1": false, "U3": null, …}`), checked.

    Keys must be DOMAIN §2.2 ids; values true, false or null (unanswered). A missing id is
    unanswered, never "no" (DOMAIN §2.3): the result has every id, missing ones as None.
    `raw` None (the field was not sent) means nothing was answered. Errors name each field
    (`red_flags.E11`) and are raised together in one `Invalid`.
    """
    if raw is None:
        return dict.fromkeys(data.QUESTION_IDS, None)
    if not isinstance(raw, Mapping):
        raise Invalid(
            "Send the warning-sign answers as an object of question ids.",
            fields={FIELD: ['Use an object such as {"E1": false, "U1": true}.']},
        )
    _check(raw)
    return {qid: raw.get(qid) for qid in data.QUESTION_IDS}


def _check(answers: Mapping[Any, object]) -> None:
    fields: dict[str, list[str]] = {}
    for key, value in answers.items():
        name = f"{FIELD}.{key}"
        if key not in data.QUESTIONS_BY_ID:
            fields[name] = [f"Unknown question. Use one of {', '.join(data.QUESTION_IDS)}."]
        elif value is not None and not isinstance(value, bool):
            fields[name] = ["Answer true (yes), false (no) or null (not answered)."]
    if fields:
        raise Invalid("Some warning-sign answers could not be read.", fields=fields)


def triage(*, answers: Mapping[str, bool | None]) -> TriageResult:
    """The triage level for one set of answers, in the order of DOMAIN §2.3 and issue 3.

    `answers` may omit ids (unanswered). Unknown ids or non-boolean values raise `Invalid`, as
    in `parse_red_flags`, so a result never rests on input the rules do not know.
    """
    _check(answers)
    positive = tuple(qid for qid in data.QUESTION_IDS if answers.get(qid) is True)
    unanswered = tuple(qid for qid in data.QUESTION_IDS if answers.get(qid) is None)
    yes = set(positive)
    soon_yes = sum(1 for qid in data.S_QUESTIONS if qid in yes)

    level: TriageLevel
    if yes.intersection(data.E_QUESTIONS):
        level, trigger = TriageLevel.EMERGENCY, Trigger.EMERGENCY_ANSWER
    elif yes.intersection(data.U_QUESTIONS):
        level, trigger = TriageLevel.URGENT, Trigger.URGENT_ANSWER
    elif yes.issuperset(data.URGENT_S_PAIR):
        level, trigger = TriageLevel.URGENT, Trigger.S1_AND_S2
    elif soon_yes >= data.URGENT_S_COUNT:
        level, trigger = TriageLevel.URGENT, Trigger.SOON_COUNT
    elif unanswered:
        level, trigger = TriageLevel.NOT_SCREENED, Trigger.UNANSWERED
    elif soon_yes:
        level, trigger = TriageLevel.SOON, Trigger.SOON_ANSWER
    else:
        level, trigger = TriageLevel.NONE_REPORTED, Trigger.NONE

    techniques = TRIAGE_TECHNIQUE_POLICY[level]
    marked = data.MESSAGES[level]
    return TriageResult(
        level=level,
        trigger=trigger,
        positive=positive,
        unanswered=unanswered,
        message=data.plain(marked),
        message_marked=marked,
        blocks_booking=level in data.BLOCKS_BOOKING,
        shows_emergency_contacts=level in data.SHOWS_EMERGENCY_CONTACTS,
        offers_self_massage=techniques["self_massage"].action != data.AVOID,
        techniques=MappingProxyType(techniques),  # read-only: it is the shared policy data
    )


def may_rescreen(
    *, previous_level: TriageLevel | str | None, attested_clinician_assessment: bool
) -> bool:
    """Whether a new screening may start after `previous_level` (issue 3 item 4).

    After URGENT a person may answer the questions again only once they attest that a
    clinician has assessed them; after EMERGENCY the same (project policy: never less strict
    than URGENT, and there is no "continue anyway", DOMAIN §2.3). After any other level, or
    with no earlier screening (None), re-screening is always allowed: DOMAIN §2.1 asks to
    re-ask before every session and whenever symptoms change.

    Contract with the service that stores screenings: `previous_level` is the level of the
    person's latest screening; `attested_clinician_assessment` is True only when the person
    recorded, after that screening, that a clinician has assessed them (the attestation is a
    stored row: who, when, which screening). A new screening is a new row; the blocked one
    is never edited, and its result stands until the new one is stored.
    """
    if previous_level is None:
        return True
    level = TriageLevel(previous_level)
    if level in data.RESCREEN_NEEDS_ATTESTATION:
        return attested_clinician_assessment
    return True
