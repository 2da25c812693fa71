"""Table tests for recommend(): triage levels, composition with the contraindication rules,
LOCAL conditions and self-massage regions, ranking wording (issue 3 item 6)."""

from __future__ import annotations

import json

import pytest

from backrelief.assessment.recommendation import parse_assessment, recommend
from backrelief.assessment.tests.assess_inputs import TODAY, all_no, raw_input
from backrelief.catalog.data.techniques import TECHNIQUE_CODES


def run(**overrides):
    return recommend(parse_assessment(raw_input(**overrides), today=TODAY)).as_dict()


def by_code(out):
    return {t["technique"]: t for t in out["techniques"]}


def test_screened_person_without_conditions_gets_all_six_ranked():
    out = run()
    assert out["triage"]["level"] == "NONE_REPORTED"
    assert out["duration_class"] == "subacute"
    assert [t["technique"] for t in out["techniques"]] == list(TECHNIQUE_CODES)
    assert sorted(t["rank"] for t in out["techniques"]) == [1, 2, 3, 4, 5, 6]
    assert all(t["action"] == "OK" for t in out["techniques"])
    assert out["self_massage"]["regions"] == [{"region": "LOWER_BACK", "label": "Lower back"}]
    assert out["questionnaires_to_track"] == ["nprs", "odi", "pss10", "phq4", "sleep"]


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        (all_no(E1=True), "EMERGENCY"),
        (all_no(U2=True), "URGENT"),
        (all_no(S1=True, S2=True), "URGENT"),
        (all_no(E3=None), "NOT_SCREENED"),
        (None, "NOT_SCREENED"),
    ],
)
def test_blocking_triage_levels_avoid_every_technique_and_self_massage(answers, level):
    raw = raw_input()
    if answers is None:
        del raw["red_flags"]
    else:
        raw["red_flags"] = answers
    out = recommend(parse_assessment(raw, today=TODAY)).as_dict()
    assert out["triage"]["level"] == level
    assert out["triage"]["blocks_booking"] is True
    for t in out["techniques"]:
        assert (t["action"], t["rank"], t["why"]) == ("AVOID", None, [])
        assert any(f"triage: {level}" in text for text in t["why_not"])
    assert out["self_massage"]["regions"] == []


def test_emergency_shows_the_country_emergency_number_and_others_do_not():
    out = run(red_flags=all_no(E7=True), country="GB")
    assert "999" in out["triage"]["emergency_contacts"]["emergency_numbers"]
    assert any("999" in step for step in out["next_steps"])
    assert run(red_flags=all_no(U1=True))["triage"]["emergency_contacts"] is None
    unknown = run(red_flags=all_no(E7=True))["triage"]["emergency_contacts"]
    assert unknown["emergency"] == "112 / 911 / 999 / 000"


def test_soon_allows_only_light_swedish_with_the_triage_change():
    out = by_code(run(red_flags=all_no(S3=True)))
    assert out["swedish"]["action"] == "MODIFY"
    assert out["swedish"]["rank"] == 1
    assert out["swedish"]["modifications"][0] == "Light pressure, not on the region you flagged."
    assert any("triage: SOON" in text for text in out["swedish"]["why_not"])
    for code in TECHNIQUE_CODES[1:]:
        assert out[code]["action"] == "AVOID"


def test_soon_and_a_modify_condition_combine_their_changes():
    out = by_code(run(red_flags=all_no(S3=True), conditions=["anticoagulants"]))
    swedish = out["swedish"]
    assert swedish["action"] == "MODIFY"
    assert swedish["modifications"][0] == "Light pressure, not on the region you flagged."
    assert len(swedish["modifications"]) >= 2


def test_most_restrictive_wins_between_rules_and_ranking_ignores_points_for_avoid():
    out = by_code(run(conditions=["anticoagulants"], preferences={"pressure": "firm"}))
    assert out["deep_tissue"]["action"] == "AVOID"
    assert out["deep_tissue"]["rank"] is None
    assert out["deep_tissue"]["why"] == []
    assert out["swedish"]["action"] == "MODIFY"


def test_ok_always_ranks_before_modify_whatever_the_points():
    # Firm pressure favours deep tissue, but pregnancy makes every massage MODIFY except none OK;
    # past DVT on the left leg with leg pain elsewhere leaves some OK and some MODIFY.
    out = run(
        conditions=[{"code": "varicose_veins", "regions": ["LEG_L"]}],
        preferences={"pressure": "light"},
    )
    actions = [(t["rank"], t["action"]) for t in out["techniques"] if t["rank"] is not None]
    ordered = [a for _, a in sorted(actions)]
    assert ordered == sorted(ordered, key=lambda a: a != "OK")


def test_local_condition_away_from_the_pain_is_a_modify_not_on_that_region():
    out = by_code(run(conditions=[{"code": "skin_local", "regions": ["NECK"]}]))
    assert out["deep_tissue"]["action"] == "MODIFY"
    assert "Not on the neck." in out["deep_tissue"]["modifications"]
    assert out["self_massage"]["action"] == "MODIFY"


def test_local_condition_on_the_painful_region_avoids_and_offers_no_self_massage():
    out = run(conditions=[{"code": "skin_local", "regions": ["LOWER_BACK"]}])
    assert by_code(out)["self_massage"]["action"] == "AVOID"
    assert out["self_massage"]["regions"] == []


def test_self_massage_regions_are_painful_exercise_regions_without_a_local_avoid():
    out = run(
        regions={"LOWER_BACK": 5, "NECK": 3, "LEG_L": 4, "UPPER_BACK": 0},
        conditions=[{"code": "skin_local", "regions": ["UPPER_BACK"]}],
    )
    # LEG_L has no self-massage exercise; UPPER_BACK is marked 0 and has the skin problem.
    assert [r["region"] for r in out["self_massage"]["regions"]] == ["NECK", "LOWER_BACK"]


def test_pressure_light_to_firm_moves_deep_tissue_up_and_the_reason_names_it():
    light = by_code(run(preferences={"pressure": "light"}))
    firm = by_code(run(preferences={"pressure": "firm"}))
    assert firm["deep_tissue"]["rank"] < light["deep_tissue"]["rank"]
    assert firm["deep_tissue"]["points"] - light["deep_tissue"]["points"] == 4
    assert (
        "You said you prefer firm pressure; deep tissue massage is firm to strong (+2)"
        in firm["deep_tissue"]["why"]
    )
    assert (
        "You said you prefer light pressure; deep tissue massage is firm to strong (-2)"
        in light["deep_tissue"]["why_not"]
    )


def test_clothed_preference_favours_shiatsu_and_heat_favours_hot_stone():
    neutral: dict[str, object] = {"regions": {}, "primary_region": None, "pain_onset_date": None}
    assert by_code(run(preferences={"clothing": "clothed"}, **neutral))["shiatsu"]["rank"] == 1
    out = by_code(run(preferences={"heat": "likes"}, goals=["relaxation"], **neutral))
    assert out["hot_stone"]["rank"] == 1
    assert "You said you like warmth; hot stone massage uses heat (+2)" in out["hot_stone"]["why"]


def test_ties_follow_the_fixed_technique_order():
    out = run(regions={}, primary_region=None, pain_onset_date=None)
    assert [t["rank"] for t in out["techniques"]] == [1, 2, 3, 4, 5, 6]
    assert all(t["points"] == 0 for t in out["techniques"])


def test_every_reason_with_a_benefit_carries_its_evidence_grade():
    out = run(goals=["relaxation", "sleep", "mobility"], regions={"LOWER_BACK": 4})
    for t in out["techniques"]:
        for text in t["why"]:
            if "calmer" in text or "sleep" in text or "ease low back pain" in text:
                assert "(evidence: " in text
        for benefit in t["benefits"]:
            assert benefit["evidence_grade"] in ("supported", "limited", "insufficient")


def test_no_output_text_says_cleared_or_safe_for_massage():
    for level in (all_no(), all_no(E1=True), all_no(U2=True), all_no(S2=True), all_no(S2=None)):
        out = run(red_flags=level, conditions=["spinal_surgery", "cancer_remission"])
        text = json.dumps(out).lower()
        assert "cleared" not in text
        assert "safe for massage" not in text


def test_scores_are_reported_for_the_questionnaires_given():
    out = run(questionnaires={"nprs": [7], "odi": [1, 2, 0, 1, 3, 0, 2, 1, None, 1]})
    assert out["scores"]["nprs"]["band"] == "severe"
    assert out["scores"]["odi"]["valid"] is True
    assert set(out["versions"]) >= {"catalog", "rules", "red_flags", "ranking", "instruments"}


def test_not_screened_next_step_names_the_unanswered_questions():
    out = run(red_flags=all_no(U4=None, S8=None))
    assert any("U4, S8" in step for step in out["next_steps"])
