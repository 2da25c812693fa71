"""The wizard's step rules, pure (issue 4 item 2): any JSON in, a new draft data or `Invalid`
out, never another exception; steps in order; questionnaires follow the main region."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backrelief.assessment.data.red_flags import QUESTION_IDS
from backrelief.assessment.intake import FIELDS, parse_assessment
from backrelief.assessment.tests.assess_inputs import all_no
from backrelief.assessment.wizard import (
    STEP_FIELDS,
    WIZARD_STEPS,
    apply_step,
    asked_questionnaires,
    completed_after,
    contract_input,
    next_step,
    step_values,
    submit_problems,
)
from backrelief.core.errors import Invalid

TODAY = dt.date(2026, 3, 2)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["LOWER_BACK", "NECK", "E1", "2026-01-05", "ndi", "odi", "light"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from([*FIELDS, "nprs", *QUESTION_IDS, "LOWER_BACK", "x", "pressure"]),
            inner,
            max_size=5,
        )
    ),
    max_leaves=12,
)
bodies = json_values | st.fixed_dictionaries(
    {}, optional={name: json_values for names in STEP_FIELDS.values() for name in names}
)


@given(step=st.sampled_from([*WIZARD_STEPS, "other"]), body=bodies)
def test_any_json_gives_new_data_or_invalid_never_another_error(step, body):
    before = {"primary_region": "LOWER_BACK", "regions": {"LOWER_BACK": 4}}
    try:
        after = apply_step(before, step, body, today=TODAY)
    except Invalid as exc:
        fields = exc.fields
    else:
        # What is stored always reads back as a contract input.
        parse_assessment(contract_input(after), today=TODAY)
        fields = {"ok": []}
    assert fields


def test_every_contract_field_belongs_to_one_step_except_country():
    owned = [name for names in STEP_FIELDS.values() for name in names if name != "nprs"]
    assert len(owned) == len(set(owned))
    assert set(FIELDS) - set(owned) == {"country"}


def test_steps_are_in_order_and_review_is_last():
    assert next_step([]) == "pain"
    assert next_step(["pain", "conditions"]) == "warning_signs"
    assert next_step(list(WIZARD_STEPS[:-1])) == "review"
    assert submit_problems(["pain"]) == {
        f"steps.{s}": ["Complete this step first."] for s in WIZARD_STEPS[1:-1]
    }


def test_the_pain_step_keeps_nprs_as_the_questionnaire_answer_and_reads_back():
    data = apply_step({}, "pain", {"regions": {"NECK": 4}, "nprs": 4}, today=TODAY)
    assert data["primary_region"] == "NECK"  # the only marked region
    assert data["questionnaires"] == {"nprs": [4]}
    assert step_values(data, "pain")["nprs"] == 4
    data = apply_step(
        data, "questionnaires", {"questionnaires": {"phq4": [0, 1, 0, 1]}}, today=TODAY
    )
    assert list(data["questionnaires"]) == ["nprs", "phq4"]
    assert step_values(data, "questionnaires") == {"questionnaires": {"phq4": [0, 1, 0, 1]}}
    cleared = apply_step(data, "pain", {"regions": {"NECK": 4}}, today=TODAY)
    assert "nprs" not in cleared["questionnaires"]


def test_questionnaires_follow_the_main_region():
    assert "ndi" in asked_questionnaires("NECK")
    assert "odi" in asked_questionnaires("LOWER_BACK")
    assert not {"ndi", "odi"} & set(asked_questionnaires(None))
    with pytest.raises(Invalid) as info:
        apply_step(
            {"primary_region": "NECK"},
            "questionnaires",
            {"questionnaires": {"odi": [0] * 10}},
            today=TODAY,
        )
    assert "questionnaires.odi" in info.value.fields
    done = completed_after(
        ["pain", "questionnaires"],
        "pain",
        before={"primary_region": "NECK"},
        after={"primary_region": "LOWER_BACK"},
    )
    assert done == ["pain"]


def test_warning_signs_all_answered_are_stored_whole():
    data = apply_step({}, "warning_signs", {"red_flags": all_no(S1=True)}, today=TODAY)
    assert data["red_flags"]["S1"] is True
    assert set(data["red_flags"]) == set(QUESTION_IDS)
