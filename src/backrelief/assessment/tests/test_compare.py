"""Comparing two assessments, pure (issue 4 item 4): exact score changes with MCID flags, a
questionnaire scored in only one, triage direction, technique rank moves."""

from __future__ import annotations

import pytest

from backrelief.assessment.compare import compare
from backrelief.assessment.intake import parse_assessment
from backrelief.assessment.recommendation import recommend
from backrelief.assessment.tests.assess_inputs import TODAY, all_no, raw_input


def stored(**overrides):
    inp = parse_assessment(raw_input(**overrides), today=TODAY)
    return inp.as_dict(), recommend(inp).as_dict()


def diff(a, b):
    return compare(a[1], b[1], a_inputs=a[0], b_inputs=b[0])


def test_an_nprs_drop_of_two_points_is_meaningful_and_one_point_is_not():
    base = stored(questionnaires={"nprs": [6]})
    two = diff(base, stored(questionnaires={"nprs": [4]})).scores[0]
    assert (two.before, two.after, two.change, two.direction) == ("6", "4", "-2", "improved")
    assert two.meaningful is True
    one = diff(base, stored(questionnaires={"nprs": [5]})).scores[0]
    assert one.meaningful is False
    assert one.percent == "-16.7%"


def test_worsening_and_baseline_zero():
    change = diff(stored(questionnaires={"nprs": [0]}), stored(questionnaires={"nprs": [3]}))
    score = change.scores[0]
    assert score.direction == "worsened"
    assert score.percent is None  # not defined at baseline 0
    assert score.change == "+3"


def test_a_questionnaire_in_only_one_assessment_has_no_change():
    change = diff(stored(questionnaires={"nprs": [5]}), stored(questionnaires={"phq4": [0] * 4}))
    by_code = {s.instrument: s for s in change.scores}
    assert by_code["nprs"].change is None
    assert by_code["nprs"].note == "Not scored in the second."
    assert by_code["phq4"].note == "Not scored in the first."


def test_an_unscorable_answer_set_is_not_compared():
    change = diff(
        stored(questionnaires={"odi": [1] * 10}),
        stored(questionnaires={"odi": [1, None, None, None, 1, 1, 1, 1, 1, 1]}),
    )
    assert change.scores[0].after is None
    assert change.scores[0].meaningful is None


@pytest.mark.parametrize(
    ("before", "after", "direction"),
    [
        ({}, {"S3": True}, "more_restrictive"),
        ({"U1": True}, {}, "less_restrictive"),
        ({"S3": True}, {"S3": True}, "same"),
    ],
)
def test_triage_direction_follows_the_level_order(before, after, direction):
    change = diff(stored(red_flags=all_no(**before)), stored(red_flags=all_no(**after)))
    assert change.triage.direction == direction


def test_technique_moves_name_rank_changes():
    calm = stored()
    soon = stored(red_flags=all_no(S3=True))
    moves = {t.technique: t for t in diff(calm, soon).techniques}
    assert moves["deep_tissue"].movement == "dropped"
    assert moves["deep_tissue"].rank_after is None
    back = {t.technique: t.movement for t in diff(soon, calm).techniques}
    assert back["deep_tissue"] == "new"
    same = {t.technique: t.movement for t in diff(calm, calm).techniques}
    assert set(same.values()) <= {"same", "not_offered"}
