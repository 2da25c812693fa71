"""Red-flag triage order and combinations (DOMAIN §2.3, issue 3 item 4): tables, no database."""

from __future__ import annotations

import json
from typing import Any

import pytest

from backrelief.assessment.data.red_flags import E_QUESTIONS, QUESTION_IDS, S_QUESTIONS, U_QUESTIONS
from backrelief.assessment.triage import (
    TRIAGE_TECHNIQUE_POLICY,
    TriageLevel,
    Trigger,
    may_rescreen,
    parse_red_flags,
    triage,
)
from backrelief.core.errors import Invalid

L = TriageLevel
TECHNIQUES = ("swedish", "deep_tissue", "trigger_point", "shiatsu", "hot_stone", "self_massage")


def answers(yes: tuple[str, ...] = (), unanswered: tuple[str, ...] = ()) -> dict[str, bool | None]:
    """Every question answered "no" except the `yes` ids and the `unanswered` ids (None)."""
    result: dict[str, bool | None] = dict.fromkeys(QUESTION_IDS, False)
    result.update(dict.fromkeys(yes, True))
    result.update(dict.fromkeys(unanswered, None))
    return result


@pytest.mark.parametrize(
    ("yes", "unanswered", "level", "trigger"),
    [
        pytest.param((), (), L.NONE_REPORTED, Trigger.NONE, id="all-no"),
        *(
            pytest.param((q,), (), L.EMERGENCY, Trigger.EMERGENCY_ANSWER, id=f"{q}-alone")
            for q in E_QUESTIONS
        ),
        *(
            pytest.param((q,), (), L.URGENT, Trigger.URGENT_ANSWER, id=f"{q}-alone")
            for q in U_QUESTIONS
        ),
        *(
            pytest.param((q,), (), L.SOON, Trigger.SOON_ANSWER, id=f"{q}-alone")
            for q in S_QUESTIONS
        ),
        # combination escalation: S1 + S2, or three or more S
        pytest.param(("S1", "S2"), (), L.URGENT, Trigger.S1_AND_S2, id="S1+S2-urgent"),
        pytest.param(("S1", "S3"), (), L.SOON, Trigger.SOON_ANSWER, id="two-S-soon"),
        pytest.param(("S2", "S8"), (), L.SOON, Trigger.SOON_ANSWER, id="S2+S8-soon"),
        pytest.param(("S3", "S4", "S5"), (), L.URGENT, Trigger.SOON_COUNT, id="three-S-urgent"),
        pytest.param(S_QUESTIONS, (), L.URGENT, Trigger.S1_AND_S2, id="all-S-urgent"),
        # precedence: E beats U beats the S combinations beats unanswered beats S
        pytest.param(("E1", "U1"), (), L.EMERGENCY, Trigger.EMERGENCY_ANSWER, id="E-beats-U"),
        pytest.param(
            ("E10", "S1", "S2"), (), L.EMERGENCY, Trigger.EMERGENCY_ANSWER, id="E-beats-S"
        ),
        pytest.param(("U6", "S1", "S2"), (), L.URGENT, Trigger.URGENT_ANSWER, id="U-named-first"),
        pytest.param(("E2",), ("U1",), L.EMERGENCY, Trigger.EMERGENCY_ANSWER, id="E-with-gaps"),
        pytest.param(("U2",), ("E1",), L.URGENT, Trigger.URGENT_ANSWER, id="U-beats-unanswered"),
        pytest.param(
            ("S1", "S2"), ("E1",), L.URGENT, Trigger.S1_AND_S2, id="S1+S2-beats-unanswered"
        ),
        pytest.param(
            ("S4", "S5", "S6"), ("S7",), L.URGENT, Trigger.SOON_COUNT, id="three-S-beats-gap"
        ),
        pytest.param(("S4",), ("E1",), L.NOT_SCREENED, Trigger.UNANSWERED, id="gap-beats-S"),
        pytest.param(("S4", "S5"), ("S6",), L.NOT_SCREENED, Trigger.UNANSWERED, id="two-S-gap"),
        pytest.param((), ("S8",), L.NOT_SCREENED, Trigger.UNANSWERED, id="one-gap"),
        pytest.param((), QUESTION_IDS, L.NOT_SCREENED, Trigger.UNANSWERED, id="nothing-answered"),
    ],
)
def test_levels_follow_the_documented_order(yes, unanswered, level, trigger):
    result = triage(answers=answers(yes, unanswered))
    assert (result.level, result.trigger) == (level, trigger)
    assert result.positive == tuple(q for q in QUESTION_IDS if q in yes)
    assert result.unanswered == tuple(q for q in QUESTION_IDS if q in unanswered)


def test_a_missing_question_is_unanswered_never_no():
    given = answers()
    del given["E5"]
    result = triage(answers=given)
    assert result.level is L.NOT_SCREENED
    assert result.unanswered == ("E5",)


def test_missing_and_explicit_null_give_the_same_result():
    missing = {q: False for q in QUESTION_IDS if q != "U4"}
    assert triage(answers=missing) == triage(answers={**missing, "U4": None})


def test_empty_answers_are_not_screened_and_block_booking():
    result = triage(answers={})
    assert result.level is L.NOT_SCREENED
    assert result.unanswered == QUESTION_IDS
    assert result.blocks_booking


@pytest.mark.parametrize(
    ("level", "blocks", "shows_emergency", "self_massage"),
    [
        (L.EMERGENCY, True, True, False),
        (L.URGENT, True, False, False),
        (L.NOT_SCREENED, True, False, False),
        (L.SOON, False, False, False),
        (L.NONE_REPORTED, False, False, True),
    ],
)
def test_what_each_level_allows(level, blocks, shows_emergency, self_massage):
    example = {
        L.EMERGENCY: answers(("E1",)),
        L.URGENT: answers(("U1",)),
        L.NOT_SCREENED: answers(unanswered=("S1",)),
        L.SOON: answers(("S5",)),
        L.NONE_REPORTED: answers(),
    }[level]
    result = triage(answers=example)
    assert result.level is level
    assert result.blocks_booking is blocks
    assert result.shows_emergency_contacts is shows_emergency
    assert result.offers_self_massage is self_massage
    assert result.techniques == TRIAGE_TECHNIQUE_POLICY[level]


@pytest.mark.parametrize("level", [L.EMERGENCY, L.URGENT, L.NOT_SCREENED])
def test_blocking_levels_avoid_every_technique(level):
    policy = TRIAGE_TECHNIQUE_POLICY[level]
    assert set(policy) == set(TECHNIQUES)
    assert {rule.action for rule in policy.values()} == {"AVOID"}


def test_soon_allows_only_light_swedish_off_the_flagged_region():
    policy = TRIAGE_TECHNIQUE_POLICY[L.SOON]
    assert set(policy) == set(TECHNIQUES)
    assert policy["swedish"].action == "MODIFY"
    assert policy["swedish"].modification == "light pressure, not on the region you flagged"
    assert {
        code: rule.action for code, rule in policy.items() if code != "swedish"
    } == dict.fromkeys(set(TECHNIQUES) - {"swedish"}, "AVOID")


def test_none_reported_adds_no_restriction():
    policy = TRIAGE_TECHNIQUE_POLICY[L.NONE_REPORTED]
    assert {code: rule.action for code, rule in policy.items()} == dict.fromkeys(TECHNIQUES, "OK")


def test_result_is_json_ready_and_cannot_change_the_policy():
    result = triage(answers=answers(("S2",)))
    data = json.loads(json.dumps(result.as_dict()))
    assert data["level"] == "SOON"
    assert data["trigger"] == "soon_answer"
    assert data["positive"] == ["S2"]
    assert data["techniques"]["swedish"] == {
        "action": "MODIFY",
        "modification": "light pressure, not on the region you flagged",
    }
    assert set(data["techniques"]) == set(TECHNIQUES)
    with pytest.raises(TypeError):
        result.techniques["swedish"] = result.techniques["deep_tissue"]  # type: ignore[index]


def test_result_carries_the_rules_version():
    from backrelief.assessment.data.red_flags import RED_FLAGS_VERSION

    assert triage(answers=answers()).version == RED_FLAGS_VERSION


# --- parse_red_flags ---------------------------------------------------------------------------


def test_parse_fills_every_missing_question_with_unanswered():
    parsed = parse_red_flags({"E1": False, "S2": True, "U3": None})
    assert list(parsed) == list(QUESTION_IDS)
    assert parsed["E1"] is False
    assert parsed["S2"] is True
    assert parsed["U3"] is None
    assert parsed["E2"] is None


def test_parse_of_nothing_is_all_unanswered():
    assert parse_red_flags(None) == dict.fromkeys(QUESTION_IDS, None)
    assert parse_red_flags({}) == dict.fromkeys(QUESTION_IDS, None)


def test_parse_names_every_bad_field():
    with pytest.raises(Invalid) as exc:
        parse_red_flags({"E11": True, "e1": False, "U1": "yes", "S1": 1, "S2": 0, "E2": True})
    assert set(exc.value.fields) == {
        "red_flags.E11",
        "red_flags.e1",
        "red_flags.U1",
        "red_flags.S1",
        "red_flags.S2",
    }


@pytest.mark.parametrize("raw", [[], "E1", 3, True, [("E1", True)]])
def test_parse_refuses_anything_but_an_object(raw):
    with pytest.raises(Invalid) as exc:
        parse_red_flags(raw)
    assert list(exc.value.fields) == ["red_flags"]


def test_triage_refuses_unknown_ids_and_non_boolean_values():
    with pytest.raises(Invalid) as exc:
        triage(answers={"X1": True})
    assert "red_flags.X1" in exc.value.fields
    not_boolean: dict[str, Any] = {"E1": "no"}
    with pytest.raises(Invalid) as exc:
        triage(answers=not_boolean)
    assert "red_flags.E1" in exc.value.fields


# --- may_rescreen ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "attested", "allowed"),
    [
        (None, False, True),
        (L.NONE_REPORTED, False, True),
        (L.SOON, False, True),
        (L.NOT_SCREENED, False, True),
        (L.URGENT, False, False),
        (L.URGENT, True, True),
        (L.EMERGENCY, False, False),
        (L.EMERGENCY, True, True),
        ("URGENT", False, False),
        ("URGENT", True, True),
    ],
)
def test_rescreening_after_urgent_needs_a_clinician_attestation(previous, attested, allowed):
    assert may_rescreen(previous_level=previous, attested_clinician_assessment=attested) is allowed


def test_rescreening_refuses_an_unknown_previous_level():
    with pytest.raises(ValueError, match="CLEARED"):
        may_rescreen(previous_level="CLEARED", attested_clinician_assessment=True)
