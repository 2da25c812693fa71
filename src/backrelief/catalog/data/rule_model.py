"""The shape of a contraindication rule (DOMAIN §3.5 "Suggested data model for rules").

One `Rule` per cell of the DOMAIN §3.3 technique x condition table. A cell holds one or more
`Outcome`s ("branches"): an unconditional cell has one; a conditional cell ("avoid if
severe", "with clearance", "clinician decision") has a default branch plus branches that apply
only when the intake captured *all* their qualifiers (`when`). The default branch must be the
most restrictive one (tested), so a person who did not answer the follow-up question gets it.

DOMAIN §3.5 suggests `Rule{action, scope, requires_clearance, message_key}`; here `text` is the
message itself (plain language, user-facing) and `id` is the stable key.

Scope LOCAL means "at or near the affected area" (DOMAIN §3.3 legend); how evaluation treats
it is in `catalog/contraindications.py` and docs/rules.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Action(StrEnum):
    """DOMAIN §3.3 legend. `restrictiveness`: AVOID > MODIFY > OK."""

    OK = "OK"
    MODIFY = "MODIFY"
    AVOID = "AVOID"

    @property
    def restrictiveness(self) -> int:
        return _RESTRICTIVENESS[self]

    @classmethod
    def most_restrictive(cls, actions: Iterable[Action]) -> Action:
        """The most restrictive of `actions`; OK when there are none (DOMAIN §3.5)."""
        return max(actions, key=lambda a: a.restrictiveness, default=cls.OK)


_RESTRICTIVENESS = {Action.OK: 0, Action.MODIFY: 1, Action.AVOID: 2}


class Scope(StrEnum):
    """DOMAIN §3.5: GLOBAL applies wherever the massage is; LOCAL at or near the condition."""

    GLOBAL = "GLOBAL"
    LOCAL = "LOCAL"


@dataclass(frozen=True)
class Outcome:
    """One branch of a cell.

    `text`: for MODIFY the change, in plain words; for AVOID the reason; for OK optional
    advice. `regions`: for a LOCAL branch about a fixed body part ("not on legs"), those
    regions instead of the condition's own. `elsewhere`: for a LOCAL branch, extra changes
    that still apply when the affected area is away from the painful regions.
    """

    action: Action
    text: str = ""
    scope: Scope = Scope.GLOBAL
    when: frozenset[str] = frozenset()
    regions: frozenset[str] | None = None
    elsewhere: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """A DOMAIN §3.3 cell. `source` cites the row and column it transcribes."""

    id: str
    condition: str
    technique: str
    outcomes: tuple[Outcome, ...]
    clearance_needed: bool
    source: str

    @property
    def default(self) -> Outcome:
        return self.outcomes[0]


@dataclass(frozen=True)
class Precaution:
    """A standing precaution (DOMAIN §3.4) shown with a technique, not a change of action."""

    id: str
    text: str
    source: str


# Builders that keep the table readable; `when` and `regions` accept any iterable of codes.


def ok(text: str = "", *, when: Iterable[str] = ()) -> Outcome:
    return Outcome(Action.OK, text, when=frozenset(when))


def modify(
    text: str,
    *,
    local: bool = False,
    when: Iterable[str] = (),
    regions: Iterable[str] | None = None,
    elsewhere: tuple[str, ...] = (),
) -> Outcome:
    return _outcome(Action.MODIFY, text, local, when, regions, elsewhere)


def avoid(
    text: str,
    *,
    local: bool = False,
    when: Iterable[str] = (),
    regions: Iterable[str] | None = None,
    elsewhere: tuple[str, ...] = (),
) -> Outcome:
    return _outcome(Action.AVOID, text, local, when, regions, elsewhere)


def _outcome(
    action: Action,
    text: str,
    local: bool,
    when: Iterable[str],
    regions: Iterable[str] | None,
    elsewhere: tuple[str, ...],
) -> Outcome:
    return Outcome(
        action,
        text,
        Scope.LOCAL if local else Scope.GLOBAL,
        frozenset(when),
        None if regions is None else frozenset(regions),
        elsewhere,
    )


Cell = Outcome | tuple[Outcome, ...]
COLUMNS: dict[str, str] = {
    "swedish": "Swedish",
    "deep_tissue": "Deep tissue",
    "trigger_point": "Trigger point",
    "shiatsu": "Shiatsu",
    "hot_stone": "Hot stone",
    "self_massage": "Self-massage with tools",
}


def row(
    condition: str,
    ref: str,
    *,
    clearance: Iterable[str] = (),
    **cells: Cell,
) -> tuple[Rule, ...]:
    """One DOMAIN §3.3 row: a cell per technique column (all six are required)."""
    return row_from(condition, ref, cells, clearance=clearance)


def row_from(
    condition: str,
    ref: str,
    cells: Mapping[str, Cell],
    *,
    clearance: Iterable[str] = (),
) -> tuple[Rule, ...]:
    """`row` with the cells given as a mapping (for rows shared by several conditions)."""
    if set(cells) != set(COLUMNS):
        raise ValueError(f"{condition}: cells for {sorted(cells)}, need {sorted(COLUMNS)}")
    needs = frozenset(clearance)
    return tuple(
        Rule(
            id=f"{condition}.{technique}",
            condition=condition,
            technique=technique,
            outcomes=_branches(cells[technique]),
            clearance_needed=technique in needs,
            source=f"{ref} × {column}",
        )
        for technique, column in COLUMNS.items()
    )


def _branches(cell: Cell) -> tuple[Outcome, ...]:
    return cell if isinstance(cell, tuple) else (cell,)
