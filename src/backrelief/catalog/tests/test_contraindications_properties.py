"""Property tests for evaluate() (issue 3: adding a condition never makes any technique less
restricted; deterministic; independent of order; parse errors name the field)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backrelief.catalog.contraindications import (
    Action,
    ConditionInput,
    evaluate,
    parse_conditions,
)
from backrelief.catalog.data.conditions import CONDITIONS, CONDITIONS_BY_CODE, EXCLUSIVE_CONDITIONS
from backrelief.catalog.data.regions import REGIONS, REGIONS_BY_CODE, SIDES
from backrelief.catalog.data.techniques import TECHNIQUE_CODES
from backrelief.core.errors import Invalid

REGION_CODES = [r.code for r in REGIONS]
painful_regions = st.frozensets(st.sampled_from(REGION_CODES))


@st.composite
def condition_inputs(draw: st.DrawFn) -> ConditionInput:
    """Any condition as parse_conditions would accept it."""
    condition = draw(st.sampled_from(CONDITIONS))
    side = regions = None
    if condition.local:
        side = draw(st.none() | st.sampled_from(SIDES))
        allowed = [
            c
            for c in REGION_CODES
            if side in (None, "both") or REGIONS_BY_CODE[c].side in (None, side)
        ]
        regions = draw(st.none() | st.frozensets(st.sampled_from(allowed), min_size=1))
    qualifiers = set(draw(st.frozensets(st.sampled_from(condition.qualifiers or ("",)))))
    qualifiers.discard("")
    for group in condition.exclusive:
        for extra in [q for q in group if q in qualifiers][1:]:
            qualifiers.discard(extra)
    return ConditionInput(condition.code, side, regions, frozenset(qualifiers))


def distinct(conditions: list[ConditionInput]) -> list[ConditionInput]:
    """Each code once, and never two conditions that cannot both be true."""
    seen: dict[str, ConditionInput] = {}
    for c in conditions:
        clashes = {b for a, b in EXCLUSIVE_CONDITIONS if a == c.code}
        clashes |= {a for a, b in EXCLUSIVE_CONDITIONS if b == c.code}
        if not clashes & set(seen):
            seen.setdefault(c.code, c)
    return list(seen.values())


condition_lists = st.lists(condition_inputs(), max_size=6).map(distinct)


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
