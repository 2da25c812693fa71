"""Property tests for evaluate() (issue 3: adding a condition never makes any technique less
restricted; deterministic; independent of order; parse errors name the field)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backrelief.catalog.contraindications import (
    Action,
    evaluate,
    parse_conditions,
)
from backrelief.catalog.data.conditions import CONDITIONS_BY_CODE
from backrelief.catalog.data.regions import REGIONS
from backrelief.catalog.data.techniques import TECHNIQUE_CODES
from backrelief.catalog.tests import strategies
from backrelief.core.errors import Invalid

REGION_CODES = [r.code for r in REGIONS]
painful_regions = st.frozensets(st.sampled_from(REGION_CODES))


condition_lists = strategies.condition_lists(max_size=6)
condition_inputs = strategies.condition_inputs


def ranks(verdicts: dict) -> dict[str, int]:
    return {t: v.action.restrictiveness for t, v in verdicts.items()}


@given(condition_lists, condition_inputs(), painful_regions)
def test_adding_a_condition_never_makes_any_technique_less_restricted(conditions, extra, painful):
    before = ranks(evaluate(conditions=conditions, painful_regions=painful))
    after = ranks(evaluate(conditions=[*conditions, extra], painful_regions=painful))
    assert all(after[t] >= before[t] for t in TECHNIQUE_CODES)


@given(condition_lists, painful_regions, st.sampled_from(REGION_CODES))
def test_another_painful_region_never_makes_any_technique_less_restricted(
    conditions, painful, region
):
    before = ranks(evaluate(conditions=conditions, painful_regions=painful))
    after = ranks(evaluate(conditions=conditions, painful_regions=painful | {region}))
    assert all(after[t] >= before[t] for t in TECHNIQUE_CODES)


@given(condition_lists, painful_regions, st.randoms(use_true_random=False))
def test_evaluate_is_deterministic_and_independent_of_condition_order(conditions, painful, rnd):
    first = evaluate(conditions=conditions, painful_regions=painful)
    shuffled = list(conditions)
    rnd.shuffle(shuffled)
    assert evaluate(conditions=shuffled, painful_regions=painful) == first
    assert evaluate(conditions=tuple(conditions), painful_regions=painful) == first


@given(condition_lists, painful_regions)
def test_every_verdict_is_consistent_with_its_reasons(conditions, painful):
    verdicts = evaluate(conditions=conditions, painful_regions=painful)
    assert list(verdicts) == list(TECHNIQUE_CODES)
    for technique, v in verdicts.items():
        assert v.technique == technique
        assert v.action is Action.most_restrictive(h.action for h in v.reasons)
        assert bool(v.modifications) == (v.action is Action.MODIFY)
        assert len(set(v.modifications)) == len(v.modifications)
        assert v.clearance_needed == any(h.clearance_needed for h in v.reasons)
        assert all(h.rule_id == f"{h.condition}.{technique}" for h in v.reasons)


@given(condition_lists)
def test_parse_accepts_what_it_describes(conditions):
    raw = [
        {
            "code": c.code,
            "side": c.side,
            "regions": None if c.regions is None else sorted(c.regions),
            "qualifiers": sorted(c.qualifiers),
        }
        for c in conditions
    ]
    assert parse_conditions(raw) == tuple(conditions)


@given(
    condition_lists,
    st.integers(min_value=0, max_value=6),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12).filter(
        lambda s: s not in CONDITIONS_BY_CODE
    ),
)
def test_an_unknown_code_anywhere_is_named_by_its_position(conditions, at, unknown):
    raw: list[object] = [c.code for c in conditions]
    at = min(at, len(raw))
    raw.insert(at, unknown)
    with pytest.raises(Invalid) as caught:
        parse_conditions(raw)
    assert list(caught.value.fields) == [f"conditions[{at}].code"]
    assert repr(unknown) in caught.value.fields[f"conditions[{at}].code"][0]
