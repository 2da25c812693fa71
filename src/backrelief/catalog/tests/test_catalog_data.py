"""Catalogue data: techniques (DOMAIN §3.2), evidence grades (DOMAIN §5), conditions, regions
(DOMAIN §1.2), and the copy rules every user-facing text follows (DOMAIN §0, §5)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from backrelief.catalog.contraindications import ConditionInput, evaluate
from backrelief.catalog.data import conditions, contraindications, regions, techniques
from backrelief.catalog.data.evidence import (
    EVIDENCE,
    EVIDENCE_BY_ID,
    FORBIDDEN_USER_WORDS,
    GRADE_DEFINITIONS,
    EvidenceGrade,
)
from backrelief.catalog.data.techniques import TECHNIQUES, TECHNIQUES_BY_CODE, Pressure

G = EvidenceGrade
# DOMAIN §5, transcribed: claim -> grade (split grades take the more cautious half).
DOMAIN_5 = {
    "stress_short_term": G.SUPPORTED,
    "cortisol": G.NOT_SUPPORTED,
    "low_back_pain": G.LIMITED,
    "neck_pain": G.INSUFFICIENT,  # "Limited / insufficient"
    "sleep": G.LIMITED,
    "anxiety_depression_course": G.LIMITED,
    "immune": G.INSUFFICIENT,
    "circulation": G.NOT_SUPPORTED,
    "detox": G.NOT_SUPPORTED,
    "energy_lines": G.NOT_SUPPORTED,
    "endorphins": G.NOT_SUPPORTED,  # "Insufficient / not supported"
    "posture": G.NOT_SUPPORTED,
}
# Words from the brief and DOMAIN that no user-facing catalogue text may contain.
MUST_NOT_SAY = ("cleared", "detox", "immunity", "cortisol", "toxins", "safe for massage")

# Fields that hold codes, citations or internal reference text, never shown to users.
INTERNAL_FIELDS = {
    "code",
    "id",
    "condition",
    "technique",
    "source",
    "domain_ref",
    "qualifiers",
    "exclusive",
    "side_bases",
}


def user_facing_texts() -> list[tuple[str, str]]:
    """Every user-facing string in the catalogue data, with where it was found."""
    found: list[tuple[str, str]] = []

    def walk(value: object, where: str) -> None:
        if isinstance(value, str):
            found.append((where, value))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for field in dataclasses.fields(value):
                if field.name not in INTERNAL_FIELDS:
                    walk(getattr(value, field.name), f"{where}.{field.name}")
            if isinstance(value, techniques.BenefitClaim):
                return  # grade and sources come from evidence.py (internal reference)
        elif isinstance(value, tuple | frozenset | list):
            for i, item in enumerate(value):
                walk(item, f"{where}[{i}]")

    walk(techniques.TECHNIQUES, "TECHNIQUES")
    walk(conditions.CONDITIONS, "CONDITIONS")
    walk(regions.REGIONS, "REGIONS")
    walk(contraindications.RULES, "RULES")
    walk(contraindications.NECK_PRECAUTIONS, "NECK_PRECAUTIONS")
    for name, mapping in (
        ("QUALIFIERS", conditions.QUALIFIERS),
        ("PURPOSES", techniques.PURPOSES),
        ("GRADE_DEFINITIONS", GRADE_DEFINITIONS),
    ):
        for key, text in mapping.items():
            found.append((f"{name}[{key}]", text))
    return found


def test_the_walk_finds_the_texts_it_should():
    texts = dict(user_facing_texts())
    assert len(texts) > 250
    assert texts["TECHNIQUES[3].name"] == "Shiatsu"
    assert any(w.startswith("RULES[") and w.endswith(".text") for w in texts)


@pytest.mark.parametrize("word", sorted({*MUST_NOT_SAY, *FORBIDDEN_USER_WORDS}))
def test_no_user_facing_text_uses_forbidden_words(word):
    offenders = [f"{w}: {t}" for w, t in user_facing_texts() if word in t.lower()]
    assert not offenders, "\n".join(offenders)


def test_generated_texts_use_no_forbidden_words_either():
    every_condition = [
        ConditionInput(c.code, regions=frozenset({"LEG_L"}) if c.local else None)
        for c in conditions.CONDITIONS
    ]
    for painful in (frozenset(), frozenset({"NECK"}), frozenset(regions.REGION_CODES)):
        for verdict in evaluate(conditions=every_condition, painful_regions=painful).values():
            reasons = tuple(h.text for h in verdict.reasons)
            for text in (*verdict.modifications, *verdict.precautions, *reasons):
                assert not any(w in text.lower() for w in MUST_NOT_SAY), text


def test_the_evidence_table_transcribes_domain_5():
    assert {e.id: e.grade for e in EVIDENCE if e.id in DOMAIN_5} == DOMAIN_5
    for claim in EVIDENCE:
        assert claim.sources, claim.id
        assert all(s.tag in ("V", "R") and s.citation for s in claim.sources), claim.id


@pytest.mark.parametrize("technique", TECHNIQUES, ids=lambda t: t.code)
def test_every_claim_has_an_evidence_grade_and_sources(technique):
    assert technique.claims, f"{technique.code} has no claims"
    for claim in technique.claims:
        assert claim.evidence in EVIDENCE_BY_ID
        assert isinstance(claim.grade, EvidenceGrade)
        assert claim.sources
        # We only make claims that have some support, or say plainly that evidence is thin.
        assert claim.grade is not G.NOT_SUPPORTED
        if claim.grade is G.INSUFFICIENT:
            assert re.search(r"uncertain|cannot say|few", claim.text), claim.text


def test_the_six_techniques_of_domain_3_2():
    assert techniques.TECHNIQUE_CODES == (
        "swedish",
        "deep_tissue",
        "trigger_point",
        "shiatsu",
        "hot_stone",
        "self_massage",
    )
    assert techniques.CATALOG_VERSION
    for t in TECHNIQUES:
        assert t.description
        assert t.pressure.note
        assert t.purposes
        assert set(t.purposes) <= set(techniques.PURPOSES)
        assert t.domain_ref.startswith("DOMAIN §3.2")


@pytest.mark.parametrize(
    ("code", "lightest", "firmest"),
    [
        ("swedish", Pressure.LIGHT, Pressure.MODERATE),
        ("deep_tissue", Pressure.FIRM, Pressure.STRONG),
        ("trigger_point", Pressure.FIRM, Pressure.STRONG),
        ("shiatsu", Pressure.MODERATE, Pressure.STRONG),
        ("hot_stone", Pressure.LIGHT, Pressure.MODERATE),
    ],
)
def test_pressure_profiles_follow_domain_3_2(code, lightest, firmest):
    profile = TECHNIQUES_BY_CODE[code].pressure
    assert (profile.lightest, profile.firmest) == (lightest, firmest)
    assert profile.covers(lightest)
    assert profile.covers(firmest)


def test_only_hot_stone_uses_heat_and_only_self_massage_uses_tools():
    assert [t.code for t in TECHNIQUES if t.uses_heat] == ["hot_stone"]
    assert [t.code for t in TECHNIQUES if t.uses_tools] == ["self_massage"]


def test_the_condition_codes_of_issue_3():
    assert set(conditions.CONDITION_CODES) == {
        *["fever", "anticoagulants", "dvt_current", "dvt_past", "pregnancy_t1", "pregnancy_t2_t3"],
        *["pregnancy_high_risk", "diabetes_neuropathy", "diabetes", "osteoporosis"],
        *[
            "fragility_fracture_history",
            "recent_surgery",
            "spinal_surgery",
            "shoulder_surgery_recent",
        ],
        *["hip_replacement_recent", "breast_surgery_or_lymphoedema_risk", "recent_injury"],
        *[
            "skin_local",
            "varicose_veins",
            "cancer_active",
            "cancer_remission",
            "hypertension_controlled",
        ],
        *["hypertension_uncontrolled", "neck_vascular_or_instability", "implanted_device"],
        *["shoulder_instability", "pelvic_girdle_pain"],
    }


@pytest.mark.parametrize("condition", conditions.CONDITIONS, ids=lambda c: c.code)
def test_each_condition_is_consistent(condition):
    assert condition.label
    assert condition.domain_ref
    assert set(condition.qualifiers) <= set(conditions.QUALIFIERS)
    for group in condition.exclusive:
        assert set(group) <= set(condition.qualifiers)
    rules = contraindications.RULES_BY_CONDITION[condition.code]
    used = {q for r in rules for o in r.outcomes for q in o.when}
    if condition.code == "fragility_fracture_history":
        # Shares the osteoporosis row; its 'not_severe' branches are unreachable on purpose.
        assert used == {"not_severe"}
        assert not condition.qualifiers
    else:
        assert used <= set(condition.qualifiers), "a branch needs a qualifier the intake captures"
    if condition.side_bases:
        assert condition.local
        assert condition.side_regions("both") <= regions.REGION_CODES
    assert condition.fixed_regions <= regions.REGION_CODES


def test_regions_are_the_domain_1_2_codes():
    assert [r.code for r in regions.REGIONS] == [
        *[
            "NECK",
            "SHOULDER_L",
            "SHOULDER_R",
            "UPPER_BACK",
            "MID_BACK",
            "LOWER_BACK",
            "ARM_L",
            "ARM_R",
        ],
        *["LEG_L", "LEG_R", "HEAD", "BUTTOCK_L", "BUTTOCK_R"],
    ]
    assert regions.regions_phrase(frozenset({"LEG_R", "LEG_L", "NECK"})) == "the neck or the legs"
    assert regions.regions_phrase(frozenset({"ARM_L", "NECK", "LOWER_BACK"})) == (
        "the neck, the lower back or the left arm"
    )


def test_every_project_policy_row_is_explained_in_docs_rules():
    rules_md = (Path(__file__).resolve().parents[4] / "docs" / "rules.md").read_text()
    assert "## Contraindications (DOMAIN §3)" in rules_md
    policy = {r.condition for r in contraindications.RULES if r.source.startswith("Project policy")}
    policy |= {"spinal_surgery", "shoulder_surgery_recent", "hip_replacement_recent"}
    policy |= {"fragility_fracture_history"}
    for code in sorted(policy):
        assert f"`{code}`" in rules_md, f"docs/rules.md does not explain {code}"
    assert contraindications.RULES_VERSION in rules_md
