"""Hypothesis strategies for conditions, shared by the catalog and recommendation property
tests (one definition of "a condition as parse_conditions would accept it")."""

from __future__ import annotations

from hypothesis import strategies as st

from backrelief.catalog.contraindications import ConditionInput
from backrelief.catalog.data.conditions import CONDITIONS, EXCLUSIVE_CONDITIONS
from backrelief.catalog.data.regions import REGIONS, REGIONS_BY_CODE, SIDES

REGION_CODES = [r.code for r in REGIONS]


@st.composite
def condition_inputs(draw: st.DrawFn, *, sided: bool = True) -> ConditionInput:
    """Any condition as parse_conditions would accept it: regions (and, when `sided`, a side
    they agree with) only for local conditions, one qualifier per exclusive group."""
    condition = draw(st.sampled_from(CONDITIONS))
    side = regions = None
    if condition.local:
        side = draw(st.none() | st.sampled_from(SIDES)) if sided else None
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


def condition_lists(
    *, max_size: int, sided: bool = True
) -> st.SearchStrategy[list[ConditionInput]]:
    return st.lists(condition_inputs(sided=sided), max_size=max_size).map(distinct)
