"""Comparing two stored assessments (issue 4 item 4), pure: the inputs and results of two
assessments in, what changed out. No ORM, no clock.

- Scores: for each questionnaire scored validly in both, the change from `a` (the baseline)
  to `b` with `scoring.meaningful_change` (MCIDs from the instrument files, DOMAIN §4.0
  point 6). Scores are recomputed exactly from the stored answers, never from the rounded
  floats in the stored result. A questionnaire valid in only one of them is listed with
  `change` null and the reason.
- Triage: the two levels and whether the later one is less or more restrictive, in
  `triage.LEVEL_ORDER`.
- Techniques: each technique's rank and action in both (rank null = not offered, AVOID) and
  how it moved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from backrelief.assessment.instruments import INSTRUMENT_CODES, INSTRUMENTS
from backrelief.assessment.scoring import ScoreResult, display_number, meaningful_change, score
from backrelief.assessment.triage import LEVEL_ORDER, TriageLevel
from backrelief.core.errors import Invalid

__all__ = ["Comparison", "ScoreChange", "TechniqueChange", "TriageChange", "compare"]

Movement = Literal["up", "down", "same", "new", "dropped", "not_offered"]


@dataclass(frozen=True)
class ScoreChange:
    instrument: str
    name: str
    before: str | None  # display value, None when not scored validly
    after: str | None
    change: str | None  # signed, display precision; None unless both valid
    percent: str | None  # signed percent, None at baseline 0 or unless both valid
    direction: str | None  # improved / worsened / unchanged
    meaningful: bool | None  # None when the instrument has no MCID or not both valid
    note: str | None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class TriageChange:
    before: str
    after: str
    direction: Literal["less_restrictive", "more_restrictive", "same"]

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class TechniqueChange:
    technique: str
    name: str
    rank_before: int | None
    rank_after: int | None
    action_before: str
    action_after: str
    movement: Movement

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Comparison:
    triage: TriageChange
    scores: tuple[ScoreChange, ...]
    techniques: tuple[TechniqueChange, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "triage": self.triage.as_dict(),
            "scores": [s.as_dict() for s in self.scores],
            "techniques": [t.as_dict() for t in self.techniques],
        }


def _signed(value: Any, places: int | None = None) -> str:
    text = display_number(value, places=places)
    return text if text.startswith("-") or text.strip("0.") == "" else f"+{text}"


def _scores(inputs: Mapping[str, Any]) -> dict[str, ScoreResult]:
    out: dict[str, ScoreResult] = {}
    for code, answers in (inputs.get("questionnaires") or {}).items():
        if code in INSTRUMENTS:
            try:
                out[code] = score(code, list(answers))
            except Invalid:  # stored under an older instrument edition: not comparable
                continue
    return out


def _score_change(code: str, a: ScoreResult | None, b: ScoreResult | None) -> ScoreChange:
    name = INSTRUMENTS[code].name
    before = a.display if a is not None and a.valid else None
    after = b.display if b is not None and b.valid else None
    if a is None or b is None or a.score is None or b.score is None:
        missing = "the first" if a is None or a.score is None else "the second"
        return ScoreChange(
            code, name, before, after, None, None, None, None, f"Not scored in {missing}."
        )
    change = meaningful_change(code, a.score, b.score)
    return ScoreChange(
        instrument=code,
        name=name,
        before=before,
        after=after,
        change=_signed(change.change),
        percent=None if change.percent is None else f"{_signed(change.percent, 1)}%",
        direction=change.direction,
        meaningful=change.meaningful,
        note=None,
    )


def _movement(before: int | None, after: int | None) -> Movement:
    if before is None and after is None:
        return "not_offered"
    if before is None:
        return "new"
    if after is None:
        return "dropped"
    if after < before:
        return "up"
    return "down" if after > before else "same"


def compare(
    a_result: Mapping[str, Any],
    b_result: Mapping[str, Any],
    *,
    a_inputs: Mapping[str, Any],
    b_inputs: Mapping[str, Any],
) -> Comparison:
    """What changed from assessment `a` (baseline) to `b` (see the module docstring)."""
    level_a = TriageLevel(a_result["triage"]["level"])
    level_b = TriageLevel(b_result["triage"]["level"])
    order_a, order_b = LEVEL_ORDER.index(level_a), LEVEL_ORDER.index(level_b)
    triage = TriageChange(
        before=str(level_a),
        after=str(level_b),
        direction="same"
        if order_a == order_b
        else "less_restrictive"
        if order_b < order_a
        else "more_restrictive",
    )
    scores_a, scores_b = _scores(a_inputs), _scores(b_inputs)
    scores = tuple(
        _score_change(code, scores_a.get(code), scores_b.get(code))
        for code in INSTRUMENT_CODES
        if code in scores_a or code in scores_b
    )
    techniques_b = {t["technique"]: t for t in b_result.get("techniques", [])}
    techniques = tuple(
        TechniqueChange(
            technique=t["technique"],
            name=t.get("name", t["technique"]),
            rank_before=t.get("rank"),
            rank_after=techniques_b[t["technique"]].get("rank"),
            action_before=t["action"],
            action_after=techniques_b[t["technique"]]["action"],
            movement=_movement(t.get("rank"), techniques_b[t["technique"]].get("rank")),
        )
        for t in a_result.get("techniques", [])
        if t["technique"] in techniques_b
    )
    return Comparison(triage=triage, scores=scores, techniques=techniques)
