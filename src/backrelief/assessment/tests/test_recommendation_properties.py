"""Properties of recommend(): deterministic; adding a condition never makes any technique less
restricted, never adds a self-massage region; all six always present (issue 3)."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from backrelief.assessment.data.red_flags import QUESTION_IDS
from backrelief.assessment.intake import AssessmentInput, Preferences
from backrelief.assessment.recommendation import recommend
from backrelief.assessment.tests.assess_inputs import TODAY
from backrelief.catalog.contraindications import Action, ConditionInput
from backrelief.catalog.data import ranking
from backrelief.catalog.data.regions import REGIONS
from backrelief.catalog.data.techniques import TECHNIQUE_CODES
from backrelief.catalog.tests import strategies

REGION_CODES = [r.code for r in REGIONS]


condition_lists = strategies.condition_lists(max_size=5, sided=False)
distinct = strategies.distinct


def condition_inputs() -> st.SearchStrategy[ConditionInput]:
    return strategies.condition_inputs(sided=False)  # no side, so any region is allowed


answers = st.fixed_dictionaries(
    {qid: st.sampled_from([False, False, False, False, True, None]) for qid in QUESTION_IDS}
)
regions = st.dictionaries(st.sampled_from(REGION_CODES), st.integers(0, 10))


@st.composite
def inputs(draw: st.DrawFn) -> AssessmentInput:
    marked = draw(regions)
    return AssessmentInput(
        today=TODAY,
        red_flags=draw(answers | st.just(dict.fromkeys(QUESTION_IDS, False))),
        regions=marked,
        primary_region=draw(st.sampled_from(sorted(marked))) if marked else None,
        pain_onset_date=draw(st.none() | st.dates(max_value=TODAY)),
        conditions=tuple(draw(condition_lists)),
        symptoms=tuple(draw(st.sets(st.sampled_from(ranking.SYMPTOM_VALUES)))),
        triggers=tuple(draw(st.sets(st.sampled_from(ranking.TRIGGER_VALUES)))),
        preferences=Preferences(
            draw(st.none() | st.sampled_from(ranking.PRESSURE_VALUES)),
            draw(st.none() | st.sampled_from(ranking.CLOTHING_VALUES)),
            draw(st.none() | st.sampled_from(ranking.HEAT_VALUES)),
        ),
        goals=tuple(draw(st.sets(st.sampled_from(ranking.GOAL_VALUES)))),
    )


@given(inputs())
def test_recommend_is_deterministic_and_always_lists_all_six(inp):
    first = recommend(inp).as_dict()
    assert recommend(inp).as_dict() == first
    assert [t["technique"] for t in first["techniques"]] == list(TECHNIQUE_CODES)
    ranked = sorted(t["rank"] for t in first["techniques"] if t["rank"] is not None)
    assert ranked == list(range(1, len(ranked) + 1))
    for t in first["techniques"]:
        assert (t["rank"] is None) == (t["action"] == "AVOID")
        assert t["modifications"] if t["action"] == "MODIFY" else not t["modifications"]


@given(inputs(), condition_inputs())
def test_adding_a_condition_never_makes_any_technique_less_restricted(inp, extra):
    conditions = distinct([*inp.conditions, extra])
    if len(conditions) == len(inp.conditions):
        return  # the extra condition clashed or repeated one already listed
    more = dataclasses.replace(inp, conditions=tuple(conditions))
    before, after = recommend(inp), recommend(more)
    for old, new in zip(before.techniques, after.techniques, strict=True):
        assert new.action.restrictiveness >= old.action.restrictiveness
    assert set(after.self_massage_regions) <= set(before.self_massage_regions)


@given(inputs())
def test_self_massage_regions_only_when_self_massage_is_offered(inp):
    out = recommend(inp)
    self_massage = next(t for t in out.techniques if t.technique == "self_massage")
    if out.triage.blocks_booking or self_massage.action is Action.AVOID:
        assert out.self_massage_regions == ()
    assert set(out.self_massage_regions) <= inp.painful_regions
