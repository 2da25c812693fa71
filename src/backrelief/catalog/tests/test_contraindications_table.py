"""Every cell of the DOMAIN §3.3 technique x condition table is in the data and honoured.

The expected tables below are transcribed by hand from ../shared/DOMAIN.md §3.3, independently
of the data modules, and compared with `evaluate()` for one condition at a time. Column order:
Swedish, deep tissue, trigger point, shiatsu, hot stone, self-massage with tools.
A = AVOID, M = MODIFY, O = OK.
"""

from __future__ import annotations

import pytest

from backrelief.catalog.contraindications import Action, ConditionInput, Scope, evaluate
from backrelief.catalog.data.conditions import CONDITION_CODES
from backrelief.catalog.data.contraindications import RULES, RULES_BY_ID
from backrelief.catalog.data.regions import REGION_CODES
from backrelief.catalog.data.techniques import TECHNIQUE_CODES

LETTER = {"A": Action.AVOID, "M": Action.MODIFY, "O": Action.OK}
COLUMNS = ("swedish", "deep_tissue", "trigger_point", "shiatsu", "hot_stone", "self_massage")

# Regions unknown, no qualifier captured: conditional cells at their most restrictive branch
# ("AVOID if severe" -> A; "back/neck only with clearance" -> A; "clinician decision" -> A;
# "MODIFY after, with clearance" -> A; "OK (avoid ... unless cleared)" -> M;
# "MODIFY: clearance if bone involvement" -> A).
DOMAIN_3_3 = {
    "fever": "AAAAAA",
    "anticoagulants": "MAAMMM",  # self: tools avoided, hands light -> MODIFY
    "dvt_current": "AAAAAA",
    "dvt_past": "MAAMMM",
    "pregnancy_t1": "MMMMAM",
    "pregnancy_t2_t3": "MMMMAM",
    "pregnancy_high_risk": "AAAAAA",
    "diabetes_neuropathy": "MMMMAM",
    "diabetes": "OOOOMO",
    "osteoporosis": "MAAAMM",  # self: rolling on spine/ribs avoided, hands OK -> MODIFY
    "fragility_fracture_history": "MAAAMM",  # same row
    "recent_surgery": "MAAAAA",
    "recent_injury": "MAAAAA",
    "skin_local": "AAAAAA",
    "varicose_veins": "MAAMMA",
    "cancer_active": "MAAMAA",
    "cancer_remission": "MAMOMO",
    "hypertension_controlled": "OOOOMO",
    "hypertension_uncontrolled": "AAAAAA",
    "neck_vascular_or_instability": "MAAAMA",
}

# The unlocking qualifier captured: the action printed in the DOMAIN cell.
DOMAIN_3_3_WITH_QUALIFIER = [
    ("osteoporosis", "trigger_point", {"not_severe"}, "M"),
    ("osteoporosis", "shiatsu", {"not_severe"}, "M"),
    ("osteoporosis", "trigger_point", {"severe"}, "A"),
    ("osteoporosis", "shiatsu", {"severe"}, "A"),
    ("dvt_past", "deep_tissue", {"clinician_approved"}, "M"),
    ("dvt_past", "trigger_point", {"clinician_approved"}, "M"),
    ("pregnancy_t2_t3", "hot_stone", {"clinician_approved"}, "M"),
    ("cancer_active", "hot_stone", {"chemo_or_radiotherapy_now"}, "A"),
    ("cancer_active", "hot_stone", {"chemo_or_radiotherapy_finished", "clinician_approved"}, "M"),
    ("cancer_remission", "swedish", {"no_lymph_nodes_removed"}, "O"),
    ("cancer_remission", "swedish", {"clinician_approved"}, "O"),
    ("cancer_remission", "deep_tissue", {"no_bone_involvement"}, "M"),
    ("cancer_remission", "deep_tissue", {"bone_involvement", "clinician_approved"}, "M"),
    ("skin_local", "hot_stone", {"localised"}, "A"),
    ("skin_local", "hot_stone", {"widespread_heat_sensitive"}, "A"),
]

# Rows this project adds for conditions DOMAIN names outside the table (docs/rules.md).
PROJECT_ROWS = {
    "spinal_surgery": "AAAAAA",
    "shoulder_surgery_recent": "MAAAAA",
    "hip_replacement_recent": "MAAAAA",
    "breast_surgery_or_lymphoedema_risk": "AAAAAA",
    "implanted_device": "MAAAAA",
    "shoulder_instability": "MMMMMM",
    "pelvic_girdle_pain": "OOOMOM",
}

# Cells DOMAIN marks as at the affected place ("local", "affected limb", "not on legs",
# "over veins", "on neck", "over tumour ..."), for the default branch.
DOMAIN_LOCAL_CELLS = (
    {("dvt_past", t) for t in ("swedish", "shiatsu", "hot_stone", "self_massage")}
    | {
        (c, t)
        for c in (
            "recent_surgery",
            "recent_injury",
            "varicose_veins",
            "neck_vascular_or_instability",
        )
        for t in COLUMNS
    }
    | {(("skin_local", t)) for t in COLUMNS if t != "hot_stone"}
    | {("cancer_active", "self_massage")}
)
PROJECT_LOCAL_CELLS = {
    (c, t)
    for c in (
        "spinal_surgery",
        "shoulder_surgery_recent",
        "hip_replacement_recent",
        "breast_surgery_or_lymphoedema_risk",
        "implanted_device",
        "shoulder_instability",
    )
    for t in COLUMNS
} | {("pelvic_girdle_pain", "self_massage")}

EVERYWHERE = frozenset(REGION_CODES)


def test_the_expected_tables_name_every_condition_exactly_once():
    assert set(DOMAIN_3_3) | set(PROJECT_ROWS) == set(CONDITION_CODES)
    assert not set(DOMAIN_3_3) & set(PROJECT_ROWS)
    assert COLUMNS == TECHNIQUE_CODES


def test_there_is_one_rule_per_cell():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert set(ids) == {f"{c}.{t}" for c in CONDITION_CODES for t in TECHNIQUE_CODES}


@pytest.mark.parametrize("condition", sorted({**DOMAIN_3_3, **PROJECT_ROWS}))
def test_each_row_is_honoured_for_a_single_condition(condition):
    expected = {**DOMAIN_3_3, **PROJECT_ROWS}[condition]
    verdicts = evaluate(conditions=[ConditionInput(condition)], painful_regions=EVERYWHERE)
    got = "".join(verdicts[t].action.value[0] for t in COLUMNS)
    assert got == expected, f"{condition}: expected {expected}, evaluate gave {got}"


@pytest.mark.parametrize(
    ("condition", "technique", "qualifiers", "letter"), DOMAIN_3_3_WITH_QUALIFIER
)
def test_conditional_cells_follow_the_captured_qualifier(condition, technique, qualifiers, letter):
    verdicts = evaluate(
        conditions=[ConditionInput(condition, qualifiers=frozenset(qualifiers))],
        painful_regions=EVERYWHERE,
    )
    assert verdicts[technique].action is LETTER[letter]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_cites_its_source_and_has_plain_text_where_it_restricts(rule):
    assert rule.source.startswith(("DOMAIN §3.3", "Project policy [P]")), rule.source
    for outcome in rule.outcomes:
        if outcome.action is not Action.OK:
            assert outcome.text.strip(), f"{rule.id}: a MODIFY/AVOID branch needs its text"
        assert outcome.text == outcome.text.strip()


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_the_default_branch_is_the_most_restrictive_and_needs_no_qualifier(rule):
    assert rule.default.when == frozenset()
    assert all(o.when for o in rule.outcomes[1:]), "only the first branch is the default"
    strongest = max(o.action.restrictiveness for o in rule.outcomes)
    assert rule.default.action.restrictiveness == strongest


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_local_scope_matches_the_table(rule):
    key = (rule.condition, rule.technique)
    if rule.default.action is Action.OK:
        return
    expected = Scope.LOCAL if key in DOMAIN_LOCAL_CELLS | PROJECT_LOCAL_CELLS else Scope.GLOBAL
    assert rule.default.scope is expected


def test_clearance_is_needed_exactly_where_the_table_says_so():
    needs = {r.id for r in RULES if r.clearance_needed}
    assert needs == {
        "dvt_past.deep_tissue",  # "back/neck only with clearance"
        "dvt_past.trigger_point",  # "as deep tissue"
        "pregnancy_t2_t3.hot_stone",  # "clinician decision"
        "pregnancy_high_risk.swedish",  # "until obstetric clearance"
        "spinal_surgery.swedish",  # "spinal surgery needs surgeon clearance"
        "cancer_active.hot_stone",  # "MODIFY after, with clearance"
        "cancer_remission.swedish",  # "unless cleared"
        "cancer_remission.deep_tissue",  # "clearance if bone involvement ever present"
        "breast_surgery_or_lymphoedema_risk.swedish",  # project policy, as remission
    }
    for rule_id in needs:
        assert len(RULES_BY_ID[rule_id].outcomes) > 1, f"{rule_id}: clearance unlocks a branch"


def test_single_condition_verdict_reports_clearance_for_the_default_branch():
    verdicts = evaluate(conditions=[ConditionInput("dvt_past")], painful_regions=EVERYWHERE)
    assert verdicts["deep_tissue"].clearance_needed
    assert not verdicts["swedish"].clearance_needed
