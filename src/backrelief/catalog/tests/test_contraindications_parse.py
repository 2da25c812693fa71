"""parse_conditions(): the intake's conditions, with errors that name the field (issue 3)."""

from __future__ import annotations

import pytest

from backrelief.catalog.contraindications import ConditionInput, parse_conditions
from backrelief.core.errors import Invalid


def errors_of(raw: object) -> dict[str, list[str]]:
    with pytest.raises(Invalid) as caught:
        parse_conditions(raw)
    assert caught.value.status == 422
    return caught.value.fields


def test_plain_codes_and_objects_are_both_accepted():
    parsed = parse_conditions(
        [
            "fever",
            {
                "code": "recent_surgery",
                "side": "left",
                "regions": ["LEG_L", "LOWER_BACK"],
                "qualifiers": [],
            },
            {"code": "osteoporosis", "qualifiers": ["not_severe"]},
        ]
    )
    assert parsed == (
        ConditionInput("fever"),
        ConditionInput("recent_surgery", "left", frozenset({"LEG_L", "LOWER_BACK"})),
        ConditionInput("osteoporosis", qualifiers=frozenset({"not_severe"})),
    )


@pytest.mark.parametrize("raw", [None, []])
def test_no_conditions(raw):
    assert parse_conditions(raw) == ()


def test_an_unknown_code_names_the_field_and_lists_the_known_codes():
    fields = errors_of(["fever", "anticoagulants", "xyz"])
    assert list(fields) == ["conditions[2].code"]
    message = fields["conditions[2].code"][0]
    assert message.startswith("Unknown condition 'xyz'; known codes: fever, anticoagulants, ")
    assert "pelvic_girdle_pain" in message


@pytest.mark.parametrize(
    ("raw", "field", "fragment"),
    [
        ("fever", "conditions", "list"),
        ({"code": "fever"}, "conditions", "list"),
        ([42], "conditions[0]", "condition code"),
        ([{"side": "left"}], "conditions[0].code", "required"),
        ([{"code": 3}], "conditions[0].code", "Unknown condition 3"),
        ([{"code": "dvt_past", "side": "up"}], "conditions[0].side", "left, right or both"),
        ([{"code": "fever", "side": "left"}], "conditions[0].side", "leave out side"),
        ([{"code": "fever", "regions": ["NECK"]}], "conditions[0].regions", "leave out"),
        (
            [{"code": "neck_vascular_or_instability", "regions": ["NECK"]}],
            "conditions[0].regions",
            "fixed place",
        ),
        ([{"code": "recent_injury", "regions": []}], "conditions[0].regions", "one or more"),
        ([{"code": "recent_injury", "regions": "NECK"}], "conditions[0].regions", "list"),
        (
            [{"code": "recent_injury", "regions": ["NECK", "KNEE"]}],
            "conditions[0].regions[1]",
            "Unknown region 'KNEE'",
        ),
        (
            [{"code": "recent_injury", "side": "left", "regions": ["ARM_R"]}],
            "conditions[0].regions[0]",
            "on the right",
        ),
        (
            [{"code": "dvt_past", "qualifiers": ["severe"]}],
            "conditions[0].qualifiers[0]",
            "allowed: clinician_approved",
        ),
        (
            [{"code": "fragility_fracture_history", "qualifiers": ["not_severe"]}],
            "conditions[0].qualifiers[0]",
            "allowed: none",
        ),
        ([{"code": "fever", "qualifiers": ["nope"]}], "conditions[0].qualifiers[0]", "'nope'"),
        ([{"code": "fever", "qualifiers": "severe"}], "conditions[0].qualifiers", "list"),
        (
            [{"code": "osteoporosis", "qualifiers": ["severe", "not_severe"]}],
            "conditions[0].qualifiers",
            "cannot both apply",
        ),
        ([{"code": "fever", "note": "x"}], "conditions[0].note", "Unknown field 'note'"),
        (["fever", "diabetes", "fever"], "conditions[2].code", "listed twice (also conditions[0])"),
        (
            ["pregnancy_t2_t3", "pregnancy_t1"],
            "conditions[1].code",
            "cannot be listed with 'pregnancy_t2_t3'",
        ),
        (
            ["hypertension_uncontrolled", "hypertension_controlled"],
            "conditions[1].code",
            "keep the one that applies now",
        ),
    ],
)
def test_bad_input_is_reported_at_its_field(raw, field, fragment):
    fields = errors_of(raw)
    assert field in fields, fields
    assert any(fragment in m for m in fields[field]), fields[field]


def test_every_problem_is_reported_at_once_and_nothing_partial_is_returned():
    fields = errors_of(
        [
            "xyz",
            {"code": "fever", "side": "left"},
            {"code": "dvt_past", "regions": ["FOO"], "qualifiers": ["severe"]},
            {"code": "fever"},
        ]
    )
    assert set(fields) == {
        "conditions[0].code",
        "conditions[1].side",
        "conditions[2].regions[0]",
        "conditions[2].qualifiers[0]",
        "conditions[3].code",  # a duplicate even though conditions[1] was invalid
    }


def test_the_message_says_what_to_do_next():
    with pytest.raises(Invalid) as caught:
        parse_conditions(["xyz"])
    assert "correct the fields" in caught.value.message
