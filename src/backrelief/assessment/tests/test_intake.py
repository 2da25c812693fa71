"""parse_assessment: neutral defaults except red flags; errors name the field (issue 3)."""

from __future__ import annotations

import datetime as dt

import pytest

from backrelief.assessment.intake import Preferences, parse_assessment
from backrelief.assessment.tests.assess_inputs import TODAY, raw_input
from backrelief.core.errors import Invalid


def fields_of(raw):
    with pytest.raises(Invalid) as info:
        parse_assessment(raw, today=TODAY)
    return info.value.fields


def test_fields_not_given_are_neutral_but_red_flags_are_unanswered():
    inp = parse_assessment({}, today=TODAY)
    assert set(inp.red_flags.values()) == {None}
    assert inp.regions == {}
    assert inp.primary_region is None
    assert inp.pain_onset_date is None
    assert inp.conditions == ()
    assert inp.preferences == Preferences()
    assert (inp.goals, inp.symptoms, inp.triggers) == ((), (), ())
    assert inp.questionnaires == {}


def test_a_full_input_round_trips_through_as_dict():
    raw = raw_input(
        conditions=["diabetes", {"code": "dvt_past", "side": "left"}],
        goals=["sleep", "relaxation", "sleep"],
        symptoms=["stiffness"],
        triggers=["STRESS"],
        preferences={"pressure": "moderate", "clothing": None},
        questionnaires={"nprs": [4]},
        country="de",
    )
    inp = parse_assessment(raw, today=TODAY)
    assert inp.goals == ("relaxation", "sleep")
    assert inp.country == "DE"
    assert parse_assessment(inp.as_dict(), today=TODAY) == inp


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"regions": {"LOWER_BACK": 11}}, "regions.LOWER_BACK"),
        ({"regions": {"NEKC": 3}}, "regions.NEKC"),
        ({"primary_region": "NECK"}, "primary_region"),
        ({"pain_onset_date": "2026-03-03"}, "pain_onset_date"),
        ({"pain_onset_date": "yesterday"}, "pain_onset_date"),
        ({"conditions": ["flu"]}, "conditions[0].code"),
        ({"red_flags": {"E1": "yes"}}, "red_flags.E1"),
        ({"questionnaires": {"ndi": [1, 2]}}, "questionnaires.ndi"),
        ({"questionnaires": {"nprs": [12]}}, "questionnaires.nprs[0]"),
        ({"questionnaires": {"vas": [1]}}, "questionnaires.vas"),
        ({"preferences": {"pressure": "brutal"}}, "preferences.pressure"),
        ({"preferences": {"music": "jazz"}}, "preferences.music"),
        ({"goals": ["world_peace"]}, "goals[0]"),
        ({"triggers": "STRESS"}, "triggers"),
        ({"country": "Germany"}, "country"),
        ({"red_flag": {}}, "red_flag"),
    ],
)
def test_bad_input_names_the_field(overrides, field):
    assert field in fields_of(raw_input(**overrides))


def test_every_problem_is_reported_at_once():
    fields = fields_of(raw_input(regions={"LOWER_BACK": -1}, conditions=["x"], goals=["y"]))
    assert {"regions.LOWER_BACK", "conditions[0].code", "goals[0]"} <= set(fields)


def test_onset_today_is_accepted():
    assert parse_assessment(
        raw_input(pain_onset_date="2026-03-02"), today=TODAY
    ).pain_onset_date == (dt.date(2026, 3, 2))
