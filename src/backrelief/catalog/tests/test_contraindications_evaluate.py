"""evaluate(): LOCAL rules, conditional branches, combinations and neck precautions
(DOMAIN §3.3-3.5, issue 3, docs/rules.md "Contraindications (DOMAIN §3)")."""

from __future__ import annotations

import pytest

from backrelief.catalog.contraindications import (
    Action,
    ConditionInput,
    evaluate,
    parse_conditions,
)
from backrelief.catalog.data.contraindications import NECK_PRECAUTIONS
from backrelief.catalog.data.techniques import TECHNIQUE_CODES

A, M, OK = Action.AVOID, Action.MODIFY, Action.OK


def run(*conditions: object, painful: set[str]) -> dict:
    return evaluate(
        conditions=parse_conditions(list(conditions)), painful_regions=frozenset(painful)
    )


def test_no_conditions_means_every_technique_is_ok_with_nothing_to_explain():
    verdicts = evaluate(conditions=[], painful_regions=frozenset({"LOWER_BACK"}))
    assert list(verdicts) == list(TECHNIQUE_CODES)
    for v in verdicts.values():
        assert (v.action, v.modifications, v.reasons, v.clearance_needed) == (OK, (), (), False)


# --- LOCAL ------------------------------------------------------------------------------------


def test_local_rule_with_unknown_regions_gives_its_action():
    v = run("recent_surgery", painful={"LOWER_BACK"})
    assert v["deep_tissue"].action is A
    assert v["swedish"].modifications == ("Keep away from the area of the operation.",)


def test_local_rule_overlapping_a_painful_region_gives_its_action():
    v = run({"code": "recent_surgery", "regions": ["LOWER_BACK"]}, painful={"LOWER_BACK", "NECK"})
    assert v["deep_tissue"].action is A
    assert v["swedish"].modifications == ("Keep away from the area of the operation.",)


def test_local_rule_away_from_the_painful_regions_becomes_modify_not_on_that_region():
    v = run({"code": "recent_surgery", "regions": ["LOWER_BACK"]}, painful={"NECK"})
    for technique in TECHNIQUE_CODES:
        assert v[technique].action is M
        assert v[technique].modifications == ("Not on the lower back.",)
    assert v["deep_tissue"].reasons[0].text == "Not on the lower back."


def test_a_side_alone_places_the_condition_where_the_condition_lives():
    away = run({"code": "dvt_past", "side": "left"}, painful={"LOWER_BACK"})
    assert away["self_massage"].modifications == ("Not on the left leg.",)
    there = run({"code": "dvt_past", "side": "left"}, painful={"LEG_L"})
    assert there["self_massage"].modifications == (
        "Do not roll or press on the leg that had the clot.",
    )


def test_a_side_without_a_home_region_leaves_the_regions_unknown():
    v = run({"code": "recent_injury", "side": "right"}, painful={"NECK"})
    assert v["deep_tissue"].action is A


def test_rules_about_a_fixed_body_part_use_that_part():
    v = run("neck_vascular_or_instability", painful={"LOWER_BACK"})
    assert v["deep_tissue"].action is M
    assert v["deep_tissue"].modifications == ("Not on the neck.",)
    assert v["shiatsu"].modifications == ("Not on the neck.", "No neck stretches or rotations.")
    on_neck = run("neck_vascular_or_instability", painful={"NECK"})
    assert [on_neck[t].action for t in TECHNIQUE_CODES] == [M, A, A, A, M, A]


def test_both_sides_of_a_pair_read_as_one_plural():
    v = run({"code": "varicose_veins", "side": "both"}, painful={"UPPER_BACK"})
    assert v["deep_tissue"].modifications == ("Not on the legs.",)


def test_a_global_avoid_is_not_softened_by_regions_far_away():
    v = run({"code": "skin_local", "regions": ["LEG_L"]}, painful={"NECK"})
    assert v["hot_stone"].action is A  # widespread/heat-sensitive not ruled out
    assert v["deep_tissue"].modifications == ("Not on the left leg.",)


# --- conditional cells ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "technique", "qualifiers", "action", "modifications"),
    [
        ("osteoporosis", "trigger_point", [], A, ()),
        ("osteoporosis", "trigger_point", ["severe"], A, ()),
        (
            "osteoporosis",
            "trigger_point",
            ["not_severe"],
            M,
            ("Light pressure only, never over the ribs or spine.",),
        ),
        ("dvt_past", "deep_tissue", [], A, ()),
        ("dvt_past", "deep_tissue", ["clinician_approved"], M, ("Not on the legs.",)),
        ("pregnancy_t2_t3", "hot_stone", [], A, ()),
        ("pregnancy_high_risk", "swedish", ["clinician_approved"], M, None),
        ("pregnancy_high_risk", "deep_tissue", ["clinician_approved"], A, ()),
        ("cancer_active", "hot_stone", ["chemo_or_radiotherapy_finished"], A, ()),
        ("cancer_active", "hot_stone", ["clinician_approved"], A, ()),
        ("cancer_active", "hot_stone", ["chemo_or_radiotherapy_now", "clinician_approved"], A, ()),
        ("cancer_remission", "swedish", ["lymph_nodes_removed"], M, None),
        ("cancer_remission", "deep_tissue", ["bone_involvement"], A, ()),
        ("spinal_surgery", "swedish", [], A, ()),
        (
            "spinal_surgery",
            "swedish",
            ["clinician_approved"],
            M,
            ("Keep away from the area of the operation.",),
        ),
    ],
)
def test_conditional_cells_take_the_most_restrictive_branch_unless_the_qualifier_was_captured(
    condition, technique, qualifiers, action, modifications
):
    v = run({"code": condition, "qualifiers": qualifiers}, painful={"LOWER_BACK"})[technique]
    assert v.action is action
    if modifications is not None:
        assert v.modifications == modifications
    assert all(h.branch == tuple(sorted(qualifiers)) or h.branch == () for h in v.reasons)


def test_a_localised_skin_problem_lets_hot_stone_work_elsewhere():
    v = run(
        {"code": "skin_local", "regions": ["LEG_L"], "qualifiers": ["localised"]},
        painful={"NECK"},
    )
    assert v["hot_stone"].action is M
    assert v["hot_stone"].modifications == ("Not on the left leg.",)
    assert v["hot_stone"].reasons[0].branch == ("localised",)


def test_a_fragility_fracture_always_takes_the_severe_branch():
    v = run("fragility_fracture_history", painful={"MID_BACK"})
    assert v["trigger_point"].action is A
    assert v["shiatsu"].action is A


def test_clearance_needed_is_reported_while_the_restriction_remains():
    assert run("cancer_remission", painful={"NECK"})["swedish"].clearance_needed
    approved = run(
        {"code": "cancer_remission", "qualifiers": ["clinician_approved"]}, painful={"NECK"}
    )
    assert approved["swedish"].action is OK
    assert not approved["swedish"].clearance_needed
    assert approved["deep_tissue"].clearance_needed  # MODIFY still rests on the agreement


# --- combinations -----------------------------------------------------------------------------


def test_most_restrictive_wins_across_conditions():
    v = run("diabetes", "anticoagulants", painful={"LOWER_BACK"})
    assert [v[t].action for t in TECHNIQUE_CODES] == [M, A, A, M, M, M]
    v = run("diabetes", "fever", painful={"LOWER_BACK"})
    assert {x.action for x in v.values()} == {A}


def test_modifications_accumulate_in_row_order_and_avoid_has_none():
    v = run("osteoporosis", "anticoagulants", painful={"LOWER_BACK"})
    assert v["swedish"].modifications == (
        "Light pressure only and no tapping; tell your therapist about any bruising you cannot "
        "explain.",
        "Light to moderate pressure; no springing or tapping over the spine or ribs.",
    )
    assert v["deep_tissue"].modifications == ()
    assert [h.condition for h in v["deep_tissue"].reasons] == ["anticoagulants", "osteoporosis"]


def test_identical_modifications_from_two_conditions_appear_once():
    v = run("dvt_past", {"code": "varicose_veins", "side": "both"}, painful={"LOWER_BACK"})
    assert v["hot_stone"].modifications == ("Not on the legs.",)
    assert len(v["hot_stone"].reasons) == 2


def test_ok_cells_with_advice_are_listed_as_reasons_without_changing_the_action():
    v = run("diabetes", painful={"LOWER_BACK"})["swedish"]
    assert v.action is OK
    assert v.modifications == ()
    assert [h.rule_id for h in v.reasons] == ["diabetes.swedish"]
    assert run("diabetes", painful={"LOWER_BACK"})["deep_tissue"].reasons == ()


# --- DOMAIN §3.4 neck precautions --------------------------------------------------------------


@pytest.mark.parametrize("region", ["NECK", "HEAD", "SHOULDER_L", "SHOULDER_R"])
def test_neck_precautions_accompany_every_technique_offered_when_work_reaches_the_neck(region):
    v = run("anticoagulants", painful={region})
    texts = tuple(p.text for p in NECK_PRECAUTIONS)
    assert v["swedish"].precautions == texts
    assert v["self_massage"].precautions == texts
    assert v["deep_tissue"].precautions == ()  # AVOID: nothing is offered
    assert v["swedish"].action is M  # precautions never change the action


def test_neck_precautions_are_not_shown_for_low_back_work():
    v = evaluate(conditions=[], painful_regions=frozenset({"LOWER_BACK", "LEG_L"}))
    assert all(x.precautions == () for x in v.values())
    with_neck = evaluate(conditions=[], painful_regions=frozenset({"NECK"}))
    assert all(x.action is OK and len(x.precautions) == 3 for x in with_neck.values())


def test_unknown_codes_in_evaluate_are_programming_errors():
    with pytest.raises(ValueError, match="unknown condition"):
        evaluate(conditions=[ConditionInput("xyz")], painful_regions=frozenset())
    with pytest.raises(ValueError, match="unknown painful regions"):
        evaluate(conditions=[], painful_regions=frozenset({"KNEE"}))
