"""The explained recommendation (issue 3 item 6), pure: one checked assessment in, triage, all
six techniques with action, rank and reasons, self-massage regions, questionnaires and next
steps out. No ORM, no clock, no files: the same input always gives the same output.

Composition (docs/rules.md "Recommendation and ranking"):

1. Red-flag triage (DOMAIN §2.3, `triage.py`) gives each technique an action (its policy).
2. The contraindication rules (DOMAIN §3.3-3.5, `catalog.contraindications.evaluate`) give
   each technique a verdict for the person's conditions and painful regions.
3. Per technique the most restrictive of the two wins (AVOID > MODIFY > OK); MODIFY carries
   the changes of both.
4. Ranking (`catalog/data/ranking.py`, RANKING_VERSION): AVOID has no rank; OK before MODIFY;
   then points; ties in a fixed order. Every reason names the input that earned or cost it.
5. Self-massage regions (DOMAIN §6.1): none unless triage allows it and self-massage is not
   AVOID; only painful regions that DOMAIN §6.2 has exercises for, never a region where a
   LOCAL rule says AVOID.

Screening is triage, not diagnosis (DOMAIN §0.2): no text here says a person is "cleared" or
"safe for massage". Benefit claims carry their DOMAIN §5 evidence grade. The wording in this
module is versioned with RANKING_VERSION.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from backrelief.assessment.data.emergency_numbers import (
    EMERGENCY_NUMBERS_VERSION,
    EmergencyContacts,
    emergency_contacts,
)
from backrelief.assessment.duration import DEFAULT_PROFILE, duration_class
from backrelief.assessment.instruments import INSTRUMENT_CODES, INSTRUMENTS
from backrelief.assessment.intake import AssessmentInput, Preferences, parse_assessment
from backrelief.assessment.scoring import ScoreResult, score, select_instruments
from backrelief.assessment.triage import RED_FLAGS_VERSION, TriageLevel, TriageResult, triage
from backrelief.catalog.contraindications import (
    RULES_VERSION,
    Action,
    TechniqueVerdict,
    affected_regions,
    evaluate,
    select_branch,
)
from backrelief.catalog.data import ranking
from backrelief.catalog.data.conditions import CONDITIONS_BY_CODE
from backrelief.catalog.data.contraindications import RULES_BY_CONDITION
from backrelief.catalog.data.evidence import EVIDENCE_BY_ID
from backrelief.catalog.data.regions import REGIONS_BY_CODE, regions_phrase, sorted_regions
from backrelief.catalog.data.rule_model import Scope
from backrelief.catalog.data.techniques import CATALOG_VERSION, TECHNIQUE_CODES, TECHNIQUES_BY_CODE

__all__ = [
    "AssessmentInput",
    "Preferences",
    "Recommendation",
    "TechniqueAdvice",
    "parse_assessment",
    "recommend",
]

SELF_MASSAGE = "self_massage"
_NAMES = {
    "swedish": "Swedish massage",
    "deep_tissue": "deep tissue massage",
    "trigger_point": "trigger point therapy",
    "shiatsu": "shiatsu",
    "hot_stone": "hot stone massage",
    "self_massage": "self-massage",
}

# Why triage restricts a technique, naming the input (the warning-sign answers) and the level.
TRIAGE_REASONS: dict[TriageLevel, str] = {
    TriageLevel.EMERGENCY: (
        "Your answers to the warning-sign questions need emergency care first, so no massage "
        "or self-massage (triage: EMERGENCY)"
    ),
    TriageLevel.URGENT: (
        "Your answers to the warning-sign questions mean a doctor should see you today, "
        "before any massage or self-massage (triage: URGENT)"
    ),
    TriageLevel.NOT_SCREENED: (
        "Some warning-sign questions are not answered yet, so we cannot suggest massage "
        "(triage: NOT_SCREENED)"
    ),
    TriageLevel.SOON: (
        "Your answers to the warning-sign questions mean a doctor should see you in the next "
        "1-2 weeks; until then only light Swedish massage (triage: SOON)"
    ),
}


def _grade(evidence: str) -> str:
    return str(EVIDENCE_BY_ID[evidence].grade).replace("_", " ")


@dataclass(frozen=True)
class TechniqueAdvice:
    """One technique in the result; `rank` is None exactly when the action is AVOID."""

    technique: str
    action: Action
    rank: int | None
    points: int
    why: tuple[str, ...]
    why_not: tuple[str, ...]
    modifications: tuple[str, ...]
    precautions: tuple[str, ...]
    ask_doctor_first: bool

    def as_dict(self) -> dict[str, Any]:
        technique = TECHNIQUES_BY_CODE[self.technique]
        benefits = (
            []
            if self.action is Action.AVOID
            else [
                {"claim": c.text, "evidence_grade": str(c.grade), "evidence": c.evidence}
                for c in technique.claims
            ]
        )
        return {
            "technique": self.technique,
            "name": technique.name,
            "action": str(self.action),
            "rank": self.rank,
            "points": self.points,
            "why": list(self.why),
            "why_not": list(self.why_not),
            "modifications": list(self.modifications),
            "precautions": list(self.precautions),
            "ask_doctor_first": self.ask_doctor_first,
            "benefits": benefits,
        }


@dataclass(frozen=True)
class Recommendation:
    triage: TriageResult
    emergency_contacts: EmergencyContacts | None
    duration_class: str | None
    scores: Mapping[str, ScoreResult]
    techniques: tuple[TechniqueAdvice, ...]  # all six, in catalogue order
    self_massage_regions: tuple[str, ...]
    questionnaires_to_track: tuple[str, ...]
    next_steps: tuple[str, ...]
    versions: Mapping[str, Any]

    def as_dict(self) -> dict[str, Any]:
        """The `backrelief assess --json` contract (issue 3 item 8); JSON-ready."""
        tri = self.triage
        contacts = self.emergency_contacts
        return {
            "triage": {
                "level": str(tri.level),
                "message": tri.message,
                "positive": list(tri.positive),
                "unanswered": list(tri.unanswered),
                "blocks_booking": tri.blocks_booking,
                "emergency_contacts": None
                if contacts is None
                else {
                    "country": contacts.country,
                    "emergency_numbers": list(contacts.emergency_numbers),
                    "emergency": contacts.emergency,
                    "crisis_name": contacts.crisis_name,
                    "crisis_number": contacts.crisis_number,
                },
            },
            "duration_class": self.duration_class,
            "scores": {code: result.as_dict() for code, result in self.scores.items()},
            "techniques": [t.as_dict() for t in self.techniques],
            "self_massage": {
                "regions": [
                    {"region": code, "label": REGIONS_BY_CODE[code].label}
                    for code in self.self_massage_regions
                ]
            },
            "questionnaires_to_track": list(self.questionnaires_to_track),
            "next_steps": list(self.next_steps),
            "versions": dict(self.versions),
        }


def recommend(inp: AssessmentInput) -> Recommendation:
    """Compose triage, contraindications, ranking and scores for one assessment (see module
    docstring). Deterministic; raises nothing for input from `parse_assessment`."""
    tri = triage(answers=inp.red_flags)
    painful = inp.painful_regions
    verdicts = evaluate(conditions=inp.conditions, painful_regions=painful)
    dclass = (
        None
        if inp.pain_onset_date is None
        else str(duration_class(onset=inp.pain_onset_date, today=inp.today))
    )
    earned = _points(inp, dclass)
    drafts = [_advise(code, tri, verdicts[code], earned[code]) for code in TECHNIQUE_CODES]
    ranked = sorted(
        (d for d in drafts if d.action is not Action.AVOID),
        key=lambda d: (
            d.action.restrictiveness,
            -d.points,
            ranking.TIE_ORDER.index(d.technique),
        ),
    )
    ranks = {d.technique: i for i, d in enumerate(ranked, start=1)}
    techniques = tuple(_with_rank(d, ranks.get(d.technique)) for d in drafts)
    self_massage = next(t for t in techniques if t.technique == SELF_MASSAGE)
    regions = _self_massage_regions(inp, tri, self_massage.action)
    track = _to_track(inp.primary_region)
    contacts = emergency_contacts(inp.country) if tri.shows_emergency_contacts else None
    return Recommendation(
        triage=tri,
        emergency_contacts=contacts,
        duration_class=dclass,
        scores={code: score(code, answers) for code, answers in inp.questionnaires.items()},
        techniques=techniques,
        self_massage_regions=regions,
        questionnaires_to_track=track,
        next_steps=_next_steps(inp, tri, contacts, ranked, regions, track),
        versions=VERSIONS,
    )


VERSIONS: Mapping[str, Any] = {
    "catalog": CATALOG_VERSION,
    "rules": RULES_VERSION,
    "red_flags": RED_FLAGS_VERSION,
    "emergency_numbers": EMERGENCY_NUMBERS_VERSION,
    "ranking": ranking.RANKING_VERSION,
    "duration_profile": DEFAULT_PROFILE,
    "instruments": {
        code: f"{INSTRUMENTS[code].edition} v{INSTRUMENTS[code].version}"
        for code in INSTRUMENT_CODES
    },
}


def _points(inp: AssessmentInput, dclass: str | None) -> dict[str, list[ranking.Points]]:
    """The table entries each technique earned, in the table's field order."""
    painful = inp.painful_regions
    prefs = inp.preferences
    chosen: dict[str, tuple[str, ...]] = {
        ranking.DURATION: (dclass,) if dclass else (),
        ranking.REGIONS: tuple(g for g, codes in ranking.REGION_GROUPS.items() if codes & painful),
        ranking.PRESSURE: (prefs.pressure,) if prefs.pressure else (),
        ranking.CLOTHING: (prefs.clothing,) if prefs.clothing else (),
        ranking.HEAT: (prefs.heat,) if prefs.heat else (),
        ranking.GOALS: inp.goals,
        ranking.TRIGGERS: inp.triggers,
        ranking.SYMPTOMS: inp.symptoms,
    }
    earned: dict[str, list[ranking.Points]] = {code: [] for code in TECHNIQUE_CODES}
    for name in ranking.FIELDS:
        table = ranking.TABLE[name]
        for value in chosen[name]:
            for entry in table.get(value, ()):
                earned[entry.technique].append(entry)
    return earned


def _reason(entry: ranking.Points) -> str:
    grade = f" (evidence: {_grade(entry.evidence)})" if entry.evidence else ""
    return f"{entry.reason}{grade} ({entry.points:+d})"


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _advise(
    code: str, tri: TriageResult, verdict: TechniqueVerdict, earned: list[ranking.Points]
) -> TechniqueAdvice:
    policy = tri.techniques[code]
    policy_action = Action(policy.action)
    action = Action.most_restrictive((policy_action, verdict.action))
    why_not: list[str] = []
    if policy_action is not Action.OK:
        reason = TRIAGE_REASONS.get(tri.level, "Your answers to the warning-sign questions")
        if policy_action is Action.MODIFY:
            reason = f"Your answers to the warning-sign questions (triage: {tri.level}) mean: "
            reason += policy.modification
        why_not.append(_sentence(reason))
    for hit in verdict.reasons:
        # An AVOID is explained by the AVOID rules; a MODIFY by the changes asked for.
        if hit.action is not Action.OK and (hit.action is action or action is Action.MODIFY):
            label = CONDITIONS_BY_CODE[hit.condition].label
            why_not.append(_sentence(f"You listed “{label}”: {hit.text}"))
    modifications: list[str] = []
    if action is Action.MODIFY:
        if policy_action is Action.MODIFY and policy.modification:
            modifications.append(_sentence(policy.modification))
        if verdict.action is Action.MODIFY:
            modifications.extend(verdict.modifications)
    # Points only order what may be offered; an AVOID has none (and no rank).
    points = sum(e.points for e in earned) if action is not Action.AVOID else 0
    why: tuple[str, ...] = ()
    if action is not Action.AVOID:
        why = tuple(_reason(e) for e in earned if e.points > 0)
        why_not.extend(_reason(e) for e in earned if e.points < 0)
    return TechniqueAdvice(
        technique=code,
        action=action,
        rank=None,
        points=points,
        why=why,
        why_not=tuple(dict.fromkeys(why_not)),
        modifications=tuple(dict.fromkeys(modifications)),
        precautions=verdict.precautions if action is not Action.AVOID else (),
        ask_doctor_first=verdict.clearance_needed and action is not Action.AVOID,
    )


def _with_rank(draft: TechniqueAdvice, rank: int | None) -> TechniqueAdvice:
    return TechniqueAdvice(**{**draft.__dict__, "rank": rank})


def _self_massage_regions(
    inp: AssessmentInput, tri: TriageResult, action: Action
) -> tuple[str, ...]:
    """DOMAIN §6.1: only when triage offers self-massage and the rules do not AVOID it; the
    painful regions that DOMAIN §6.2 has exercises for, minus any LOCAL AVOID region."""
    if tri.blocks_booking or not tri.offers_self_massage or action is Action.AVOID:
        return ()
    excluded: set[str] = set()
    for condition in inp.conditions:
        for rule in RULES_BY_CONDITION[condition.code]:
            if rule.technique != SELF_MASSAGE:
                continue
            outcome = select_branch(rule, condition.qualifiers)
            if outcome.scope is Scope.LOCAL and outcome.action is Action.AVOID:
                where = outcome.regions if outcome.regions is not None else None
                where = where if where is not None else affected_regions(condition)
                if where is None:  # unknown place: evaluate() already made it AVOID
                    return ()
                excluded |= where
    offered = set(ranking.SELF_MASSAGE_REGIONS) & inp.painful_regions
    return sorted_regions(offered - excluded)


def _to_track(primary: str | None) -> tuple[str, ...]:
    """DOMAIN §4.8; with no primary region, only the questionnaires for everyone."""
    if primary is None:
        return tuple(code for code in INSTRUMENT_CODES if INSTRUMENTS[code].for_everyone)
    return select_instruments(primary)


def _next_steps(
    inp: AssessmentInput,
    tri: TriageResult,
    contacts: EmergencyContacts | None,
    ranked: list[TechniqueAdvice],
    regions: tuple[str, ...],
    track: tuple[str, ...],
) -> tuple[str, ...]:
    steps: list[str] = [tri.message]
    if contacts is not None:
        steps.append(f"Emergency number: {contacts.emergency}.")
        if contacts.crisis_name and contacts.crisis_number:
            steps.append(f"{contacts.crisis_name}: {contacts.crisis_number}.")
    if tri.level in (TriageLevel.URGENT, TriageLevel.EMERGENCY):
        steps.append(
            "When a clinician has assessed you, record that in BackRelief; then you can "
            "answer the warning-sign questions again."
        )
        return tuple(steps)
    if tri.level is TriageLevel.NOT_SCREENED:
        steps.append(f"Answer these warning-sign questions: {', '.join(tri.unanswered)}.")
        return tuple(steps)
    if ranked:
        best = ranked[0]
        text = f"What fits best with what you told us: {_NAMES[best.technique]}"
        if best.action is Action.MODIFY:
            text += ", with the changes listed"
        steps.append(text + ".")
        if best.ask_doctor_first:
            steps.append(f"Before {_NAMES[best.technique]}, ask your doctor whether it suits you.")
    else:
        steps.append(
            "None of the six techniques suits you right now; please talk to your doctor "
            "about what could help."
        )
    if regions:
        steps.append(f"Self-massage you could try: {regions_phrase(set(regions))}.")
    if not inp.regions:
        steps.append("Mark where it hurts on the pain map.")
    if inp.pain_onset_date is None:
        steps.append("Tell us when this pain started, so we know how long it has lasted.")
    names = ", ".join(INSTRUMENTS[code].name for code in track)
    steps.append(f"To follow how you are doing, fill in: {names}.")
    return tuple(steps)
