"""Which techniques a person's conditions allow: pure evaluation of the DOMAIN §3.3-3.5 rules.

Plain values in, plain values out; no ORM, no clock (STYLE.md). The rules themselves are data
(`catalog/data/contraindications*.py`, versioned by `RULES_VERSION`); this module only reads
the intake (`parse_conditions`) and applies the rules (`evaluate`). Project-policy readings
are written down in docs/rules.md, "Contraindications (DOMAIN §3)".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from backrelief.catalog.data.conditions import (
    CONDITION_CODES,
    CONDITIONS_BY_CODE,
    EXCLUSIVE_CONDITIONS,
    QUALIFIERS,
    Condition,
)
from backrelief.catalog.data.contraindications import (
    NECK_PRECAUTIONS,
    RULES_BY_CONDITION,
    RULES_VERSION,
)
from backrelief.catalog.data.regions import (
    NECK_ADJACENT,
    REGION_CODES,
    REGIONS,
    REGIONS_BY_CODE,
    SIDES,
    regions_phrase,
)
from backrelief.catalog.data.rule_model import Action, Outcome, Rule, Scope
from backrelief.catalog.data.techniques import TECHNIQUE_CODES
from backrelief.core.errors import Invalid

__all__ = [
    "RULES_VERSION",
    "Action",
    "ConditionInput",
    "RuleHit",
    "Scope",
    "TechniqueVerdict",
    "affected_regions",
    "evaluate",
    "parse_conditions",
    "select_branch",
]

_CONDITION_INDEX = {code: i for i, code in enumerate(CONDITION_CODES)}
_REGION_LIST = ", ".join(r.code for r in REGIONS)


@dataclass(frozen=True)
class ConditionInput:
    """One condition from the intake. `regions` None means "not known" (DOMAIN §1.2 codes)."""

    code: str
    side: str | None = None
    regions: frozenset[str] | None = None
    qualifiers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RuleHit:
    """A rule that applied: which condition, which rule (and branch), and what it means."""

    condition: str
    rule_id: str
    action: Action
    text: str
    branch: tuple[str, ...] = ()  # the qualifiers that chose the branch; () = default
    clearance_needed: bool = False


@dataclass(frozen=True)
class TechniqueVerdict:
    """The decision for one technique across all conditions (DOMAIN §3.5).

    `modifications` are empty unless the action is MODIFY. `precautions` are the DOMAIN §3.4
    neck precautions, listed for every technique still offered when the painful regions
    reach the neck; they never change the action.
    """

    technique: str
    action: Action
    modifications: tuple[str, ...]
    reasons: tuple[RuleHit, ...]
    clearance_needed: bool
    precautions: tuple[str, ...] = ()


# --- reading the intake ----------------------------------------------------------------------


def parse_conditions(raw: object) -> tuple[ConditionInput, ...]:
    """Read the intake's `conditions`: a list of codes or `{code, side, regions, qualifiers}`.

    None means no conditions. Every problem is reported at once, named by field
    (`conditions[2].code`), in one `Invalid`; nothing is returned partially (issue 3).
    """
    if raw is None:
        return ()
    if isinstance(raw, str | bytes) or not isinstance(raw, Sequence):
        raise Invalid(
            "Conditions must be a list.",
            fields={"conditions": ["Give a list of condition codes or objects."]},
        )
    errors: dict[str, list[str]] = {}
    parsed: list[tuple[int, ConditionInput | None]] = []
    for i, item in enumerate(raw):
        parsed.append((i, _parse_one(f"conditions[{i}]", item, errors)))
    _check_combinations([(i, _code_of(item)) for i, item in enumerate(raw)], errors)
    if errors:
        raise Invalid(
            "Some conditions could not be understood; correct the fields named and try again.",
            fields=errors,
        )
    return tuple(c for _, c in parsed if c is not None)


def _code_of(item: object) -> str | None:
    code = item.get("code") if isinstance(item, Mapping) else item
    return code if isinstance(code, str) and code in CONDITIONS_BY_CODE else None


_KEYS = ("code", "side", "regions", "qualifiers")


def _parse_one(at: str, item: object, errors: dict[str, list[str]]) -> ConditionInput | None:
    if isinstance(item, str):
        item = {"code": item}
    if not isinstance(item, Mapping):
        errors[at] = ["Give a condition code, or an object with code, side, regions, qualifiers."]
        return None
    before = len(errors)
    for key in item:
        if key not in _KEYS:
            errors[f"{at}.{key}"] = [f"Unknown field '{key}'; allowed: {', '.join(_KEYS)}."]
    code = item.get("code")
    condition = CONDITIONS_BY_CODE.get(code) if isinstance(code, str) else None
    if condition is None:
        errors[f"{at}.code"] = [
            "A condition code is required."
            if code is None
            else f"Unknown condition {code!r}; known codes: {', '.join(CONDITION_CODES)}."
        ]
        return None
    side = _parse_side(at, condition, item.get("side"), errors)
    regions = _parse_regions(at, condition, item.get("regions"), side, errors)
    qualifiers = _parse_qualifiers(at, condition, item.get("qualifiers"), errors)
    if len(errors) > before:
        return None
    return ConditionInput(condition.code, side, regions, qualifiers)


def _parse_side(
    at: str, condition: Condition, side: object, errors: dict[str, list[str]]
) -> str | None:
    if side is None:
        return None
    if not condition.local:
        errors[f"{at}.side"] = [_not_local(condition)]
    elif side not in SIDES:
        errors[f"{at}.side"] = [f"Unknown side {side!r}; use left, right or both, or leave it out."]
    else:
        return str(side)
    return None


def _parse_regions(
    at: str,
    condition: Condition,
    raw: object,
    side: str | None,
    errors: dict[str, list[str]],
) -> frozenset[str] | None:
    if raw is None:
        return None
    if not condition.local:
        errors[f"{at}.regions"] = [_not_local(condition)]
        return None
    if isinstance(raw, str | bytes) or not isinstance(raw, Sequence) or not raw:
        errors[f"{at}.regions"] = [
            "Give a list of one or more regions, or leave regions out if you are not sure."
        ]
        return None
    found: set[str] = set()
    for j, code in enumerate(raw):
        if not isinstance(code, str) or code not in REGION_CODES:
            errors[f"{at}.regions[{j}]"] = [f"Unknown region {code!r}; known: {_REGION_LIST}."]
            continue
        region_side = REGIONS_BY_CODE[code].side
        if side in ("left", "right") and region_side is not None and region_side != side:
            errors[f"{at}.regions[{j}]"] = [
                f"{code} is on the {region_side} but the side given is {side}."
            ]
            continue
        found.add(code)
    return frozenset(found)


def _parse_qualifiers(
    at: str, condition: Condition, raw: object, errors: dict[str, list[str]]
) -> frozenset[str]:
    if raw is None:
        return frozenset()
    if isinstance(raw, str | bytes) or not isinstance(raw, Sequence):
        errors[f"{at}.qualifiers"] = ["Give a list of qualifier codes."]
        return frozenset()
    allowed = ", ".join(condition.qualifiers) or "none"
    found: set[str] = set()
    for j, code in enumerate(raw):
        if not isinstance(code, str) or code not in condition.qualifiers:
            known = (
                " (a qualifier of other conditions)"
                if isinstance(code, str) and code in QUALIFIERS
                else ""
            )
            errors[f"{at}.qualifiers[{j}]"] = [
                f"Unknown qualifier {code!r} for {condition.code!r}{known}; allowed: {allowed}."
            ]
        else:
            found.add(code)
    for group in condition.exclusive:
        clash = [q for q in group if q in found]
        if len(clash) > 1:
            errors[f"{at}.qualifiers"] = [f"{' and '.join(clash)} cannot both apply; keep one."]
    return frozenset(found)


def _not_local(condition: Condition) -> str:
    return (
        f"{condition.code!r} applies to the whole body or a fixed place; leave out side and "
        "regions."
    )


def _check_combinations(codes: list[tuple[int, str | None]], errors: dict[str, list[str]]) -> None:
    """Each condition once; no two conditions that cannot both be true (EXCLUSIVE_CONDITIONS)."""
    first_at: dict[str, int] = {}
    for i, code in codes:
        if code is None:
            continue
        if code in first_at:
            errors.setdefault(f"conditions[{i}].code", []).append(
                f"{code!r} is listed twice (also conditions[{first_at[code]}]); list it once, "
                "with all its regions."
            )
        else:
            first_at[code] = i
    for a, b in EXCLUSIVE_CONDITIONS:
        if a in first_at and b in first_at:
            later, earlier = (a, b) if first_at[a] > first_at[b] else (b, a)
            errors.setdefault(f"conditions[{first_at[later]}].code", []).append(
                f"{later!r} cannot be listed with {earlier!r} (conditions[{first_at[earlier]}]);"
                " keep the one that applies now."
            )


# --- applying the rules ----------------------------------------------------------------------


def evaluate(
    *, conditions: Sequence[ConditionInput], painful_regions: frozenset[str]
) -> dict[str, TechniqueVerdict]:
    """A verdict for each of the six techniques (DOMAIN §3.2), in catalogue order.

    - Most restrictive wins across all conditions (AVOID > MODIFY > OK; DOMAIN §3.5).
    - Modifications accumulate, without duplicates, in condition order (DOMAIN §3.3 rows).
    - A LOCAL rule gives its action when the condition's regions are unknown or overlap a
      painful region; otherwise it becomes MODIFY "Not on <regions>." plus any change that
      applies elsewhere; an OK stays OK (issue 3, docs/rules.md).
    - A conditional cell takes the branch whose qualifiers were all captured, preferring the
      one matching most qualifiers, then the more restrictive; with none captured, its
      default, most restrictive branch (issue 3).
    - Deterministic and independent of the order of `conditions`.

    Inputs are expected from `parse_conditions`; unknown codes raise ValueError.
    """
    painful = frozenset(painful_regions)
    unknown = painful - REGION_CODES
    if unknown:
        raise ValueError(f"unknown painful regions: {sorted(unknown)}")
    applied: dict[str, list[tuple[RuleHit, tuple[str, ...]]]] = {t: [] for t in TECHNIQUE_CODES}
    for condition in sorted(conditions, key=_condition_key):
        if condition.code not in CONDITIONS_BY_CODE:
            raise ValueError(f"unknown condition code: {condition.code!r}")
        for rule in RULES_BY_CONDITION[condition.code]:
            applied[rule.technique].append(_apply(rule, condition, painful))
    neck_work = bool(painful & NECK_ADJACENT)
    return {t: _verdict(t, applied[t], neck_work) for t in TECHNIQUE_CODES}


def _condition_key(c: ConditionInput) -> tuple[int, str, tuple[str, ...], tuple[str, ...]]:
    return (
        _CONDITION_INDEX.get(c.code, len(_CONDITION_INDEX)),
        c.side or "",
        tuple(sorted(c.regions)) if c.regions is not None else ("?",),
        tuple(sorted(c.qualifiers)),
    )


def select_branch(rule: Rule, qualifiers: frozenset[str]) -> Outcome:
    """The branch of `rule` for the captured `qualifiers` (see `evaluate`)."""
    matching = [o for o in rule.outcomes if o.when <= qualifiers]
    return max(matching, key=lambda o: (len(o.when), o.action.restrictiveness))


def affected_regions(condition: ConditionInput) -> frozenset[str] | None:
    """Where a condition is: its own regions, else those its side implies, plus any fixed
    regions of the condition; None when unknown."""
    definition = CONDITIONS_BY_CODE[condition.code]
    if condition.regions is not None:
        return condition.regions | definition.fixed_regions
    from_side = definition.side_regions(condition.side) if condition.side else None
    if from_side is not None:
        return from_side | definition.fixed_regions
    return definition.fixed_regions or None


def _apply(
    rule: Rule, condition: ConditionInput, painful: frozenset[str]
) -> tuple[RuleHit, tuple[str, ...]]:
    """One rule for one condition: the hit (for reasons) and the modifications it adds."""
    outcome = select_branch(rule, condition.qualifiers)
    branch = tuple(sorted(outcome.when))
    clearance = rule.clearance_needed and outcome.action is not Action.OK

    def hit(action: Action, text: str) -> RuleHit:
        return RuleHit(condition.code, rule.id, action, text, branch, clearance)

    if outcome.scope is Scope.LOCAL and outcome.action is not Action.OK:
        where = outcome.regions if outcome.regions is not None else affected_regions(condition)
        if where is not None and not (where & painful):
            changes = (f"Not on {regions_phrase(where)}.", *outcome.elsewhere)
            return hit(Action.MODIFY, " ".join(changes)), changes
    changes = (outcome.text,) if outcome.action is Action.MODIFY else ()
    return hit(outcome.action, outcome.text), changes


def _verdict(
    technique: str, applied: list[tuple[RuleHit, tuple[str, ...]]], neck_work: bool
) -> TechniqueVerdict:
    action = Action.most_restrictive(h.action for h, _ in applied)
    modifications = _unique(m for _, ms in applied for m in ms) if action is Action.MODIFY else ()
    reasons = tuple(h for h, _ in applied if h.action is not Action.OK or h.text)
    precautions = (
        tuple(p.text for p in NECK_PRECAUTIONS) if neck_work and action is not Action.AVOID else ()
    )
    return TechniqueVerdict(
        technique=technique,
        action=action,
        modifications=modifications,
        reasons=reasons,
        clearance_needed=any(h.clearance_needed for h, _ in applied),
        precautions=precautions,
    )


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
