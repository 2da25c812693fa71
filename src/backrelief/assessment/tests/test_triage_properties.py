"""Properties of red-flag triage that hold for every combination of answers (hypothesis).

Which monotonic properties hold depends on the order of the levels. In `LEVEL_ORDER`
(NONE_REPORTED < SOON < NOT_SCREENED < URGENT < EMERGENCY):

- turning a "no" into "yes" never lowers the level (and never loosens any technique);
- answering an unanswered question "no" never raises it;
- answering an unanswered question "yes" never lowers it, with one exception: the last
  unanswered question answered "yes" can turn NOT_SCREENED into SOON, which is still
  correct (SOON is the *less* restrictive level, reached only once everything is answered).

With SOON above NOT_SCREENED the second property would fail (NOT_SCREENED → SOON by
answering "no"), which is why NOT_SCREENED sits above SOON.
"""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from backrelief.assessment.data.red_flags import E_QUESTIONS, QUESTION_IDS, S_QUESTIONS, U_QUESTIONS
from backrelief.assessment.triage import (
    LEVEL_ORDER,
    TRIAGE_TECHNIQUE_POLICY,
    TriageLevel,
    triage,
)

RANK = {level: i for i, level in enumerate(LEVEL_ORDER)}
ACTION_RANK = {"OK": 0, "MODIFY": 1, "AVOID": 2}

answer_values = st.sampled_from([True, False, None])
full_answers = st.fixed_dictionaries({q: answer_values for q in QUESTION_IDS})


@st.composite
def answers_and_question(draw):
    return draw(full_answers), draw(st.sampled_from(QUESTION_IDS))


def rank(answers) -> int:
    return RANK[triage(answers=answers).level]


@given(answers_and_question())
def test_turning_no_into_yes_never_lowers_the_level(case):
    answers, q = case
    before = {**answers, q: False}
    after = {**answers, q: True}
    assert rank(after) >= rank(before)


@given(answers_and_question())
def test_turning_no_into_yes_never_loosens_any_technique(case):
    answers, q = case
    before = triage(answers={**answers, q: False}).techniques
    after = triage(answers={**answers, q: True}).techniques
    for code, rule in after.items():
        assert ACTION_RANK[rule.action] >= ACTION_RANK[before[code].action], code


@given(answers_and_question())
def test_answering_no_never_raises_the_level(case):
    answers, q = case
    assert rank({**answers, q: False}) <= rank({**answers, q: None})


@given(answers_and_question())
def test_answering_yes_lowers_the_level_only_from_not_screened_to_soon(case):
    answers, q = case
    before = triage(answers={**answers, q: None}).level
    after = triage(answers={**answers, q: True}).level
    if RANK[after] < RANK[before]:
        assert (before, after) == (TriageLevel.NOT_SCREENED, TriageLevel.SOON)
        assert q in S_QUESTIONS


@given(full_answers)
def test_an_incomplete_screen_always_blocks_booking(answers):
    result = triage(answers=answers)
    if any(v is None for v in answers.values()):
        assert result.blocks_booking
        assert result.level in (
            TriageLevel.NOT_SCREENED,
            TriageLevel.URGENT,
            TriageLevel.EMERGENCY,
        )
    if not result.blocks_booking:
        assert result.unanswered == ()


@given(full_answers)
def test_emergency_exactly_when_an_e_question_is_yes(answers):
    level = triage(answers=answers).level
    assert (level is TriageLevel.EMERGENCY) == any(answers[q] is True for q in E_QUESTIONS)


@given(full_answers)
def test_urgent_exactly_when_no_e_and_u_or_s_combination(answers):
    soon_yes = [q for q in S_QUESTIONS if answers[q] is True]
    expected = not any(answers[q] is True for q in E_QUESTIONS) and (
        any(answers[q] is True for q in U_QUESTIONS)
        or {"S1", "S2"} <= set(soon_yes)
        or len(soon_yes) >= 3
    )
    assert (triage(answers=answers).level is TriageLevel.URGENT) == expected


@given(full_answers)
def test_none_reported_only_when_every_question_is_answered_no(answers):
    level = triage(answers=answers).level
    assert (level is TriageLevel.NONE_REPORTED) == all(v is False for v in answers.values())


@given(full_answers)
def test_leaving_a_question_out_equals_answering_null(answers):
    without_nulls = {q: v for q, v in answers.items() if v is not None}
    assert triage(answers=without_nulls) == triage(answers=answers)


@given(full_answers, st.randoms())
def test_the_order_of_the_answers_does_not_matter(answers, random):
    items = list(answers.items())
    random.shuffle(items)
    assert triage(answers=dict(items)) == triage(answers=answers)


@given(full_answers)
def test_positive_and_unanswered_list_the_answers(answers):
    result = triage(answers=answers)
    assert set(result.positive) == {q for q, v in answers.items() if v is True}
    assert set(result.unanswered) == {q for q, v in answers.items() if v is None}


def test_techniques_are_restricted_more_at_every_higher_level():
    for lower, higher in itertools.pairwise(LEVEL_ORDER):
        for code, rule in TRIAGE_TECHNIQUE_POLICY[higher].items():
            assert (
                ACTION_RANK[rule.action] >= ACTION_RANK[TRIAGE_TECHNIQUE_POLICY[lower][code].action]
            )
