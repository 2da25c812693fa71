"""The red-flag data (DOMAIN §2.2, §2.3): ids, levels, exact messages, wording rules, version."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
import re
from typing import Any

import pytest

from backrelief.assessment.data import emergency_numbers, red_flags
from backrelief.assessment.data.red_flags import (
    MESSAGES,
    QUESTIONS,
    RED_FLAGS_VERSION,
    TRIAGE_TECHNIQUE_POLICY,
    emphasis,
    plain,
)
from backrelief.assessment.triage import TriageLevel, triage

# DOMAIN §2.3, "What the user sees", copied by hand from the table (bold as **…**).
DOMAIN_MESSAGES = {
    "EMERGENCY": (
        "Your answers include a warning sign that needs emergency care. Call your local emergency "
        "number (e.g., 999 / 112 / 911) or go to the nearest emergency department now. Do not "
        "have a massage or do self-massage."
    ),
    "URGENT": (
        "Please speak to a doctor **today** (same-day GP appointment, urgent care, or your local "
        "urgent medical helpline). Don't book a massage until a doctor has checked you."
    ),
    "SOON": (
        "Please arrange to see your doctor in the next 1–2 weeks. Until then, stick to gentle "
        "movement and skip deep massage or tools on the painful area."
    ),
    "NONE_REPORTED": (
        "No warning signs reported today. If anything changes, stop and answer these questions "
        "again."
    ),
}

# Bump RED_FLAGS_VERSION with any change to the data, then record the new fingerprint here.
FINGERPRINTS = {
    "2026.1": "496e49e609ad1d659a3ef068d9d8e68d4c5cd2196e42c6a0641f7d258fa0c507",
}

FORBIDDEN = re.compile(r"\bclear(ed|ance)?\b|safe for massage|\byou are safe\b", re.IGNORECASE)


def _fingerprint() -> str:
    content = {
        "questions": [dataclasses.asdict(q) for q in QUESTIONS],
        "messages": MESSAGES,
        "policy": {
            level: {code: dataclasses.asdict(rule) for code, rule in rules.items()}
            for level, rules in TRIAGE_TECHNIQUE_POLICY.items()
        },
        "s_pair": red_flags.URGENT_S_PAIR,
        "s_count": red_flags.URGENT_S_COUNT,
        "blocks": sorted(red_flags.BLOCKS_BOOKING),
        "emergency_contacts": sorted(red_flags.SHOWS_EMERGENCY_CONTACTS),
        "rescreen": sorted(red_flags.RESCREEN_NEEDS_ATTESTATION),
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def test_data_changes_come_with_a_new_version():
    assert FINGERPRINTS.get(RED_FLAGS_VERSION) == _fingerprint(), (
        "The red-flag data changed: bump RED_FLAGS_VERSION and record the new fingerprint "
        f"{_fingerprint()} in FINGERPRINTS."
    )


def test_questions_are_e1_to_e10_u1_to_u6_s1_to_s8_in_order():
    expected = (
        [f"E{i}" for i in range(1, 11)]
        + [f"U{i}" for i in range(1, 7)]
        + [f"S{i}" for i in range(1, 9)]
    )
    assert [q.id for q in QUESTIONS] == expected


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_each_question_has_the_level_of_its_group_and_says_what_it_screens_for(question):
    assert question.level == {"E": "EMERGENCY", "U": "URGENT", "S": "SOON"}[question.id[0]]
    assert question.screens_for
    assert question.text.endswith("?")


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_emphasis_marks_are_balanced_and_around_whole_words(question):
    assert question.marked.count("**") % 2 == 0
    for word in emphasis(question.marked):
        assert word
        assert word == word.strip()
    assert "*" not in question.text


def test_domain_bold_words_are_kept():
    by_id = {q.id: emphasis(q.marked) for q in QUESTIONS}
    assert by_id["E1"] == ("new",)
    assert by_id["E5"] == ("both",)
    assert by_id["E7"] == ("severe", "suddenly")
    assert by_id["E8"] == ("major", "or")
    assert by_id["E10"] == ("and", "and")
    assert by_id["U2"] == ("ever",)
    assert by_id["U3"] == ("weaker",)
    assert by_id["S2"] == ()


@pytest.mark.parametrize("level", list(DOMAIN_MESSAGES))
def test_messages_are_exactly_domain_wording(level):
    assert MESSAGES[level] == DOMAIN_MESSAGES[level]


@pytest.mark.parametrize("level", list(TriageLevel))
def test_triage_result_carries_the_plain_message(level):
    examples = {
        "EMERGENCY": {"E3": True},
        "URGENT": {"U5": True},
        "SOON": dict.fromkeys(red_flags.QUESTION_IDS, False) | {"S6": True},
        "NONE_REPORTED": dict.fromkeys(red_flags.QUESTION_IDS, False),
        "NOT_SCREENED": {},
    }
    result = triage(answers=examples[level])
    assert result.level == level
    assert result.message_marked == MESSAGES[level]
    assert result.message == plain(MESSAGES[level])
    assert "*" not in result.message


def test_urgent_plain_message_reads_as_domain_without_markup():
    assert plain(MESSAGES["URGENT"]).startswith("Please speak to a doctor today (same-day GP")


def test_not_screened_message_says_booking_is_closed_and_what_to_do():
    text = MESSAGES["NOT_SCREENED"]
    assert "not been answered" in text
    assert "booking stays closed" in text
    assert "answer every question" in text


def _user_facing_texts() -> list[str]:
    texts = [q.marked for q in QUESTIONS] + list(MESSAGES.values())
    texts += [
        rule.modification for rules in TRIAGE_TECHNIQUE_POLICY.values() for rule in rules.values()
    ]
    for entry in emergency_numbers.CONTACTS.values():
        texts += [entry.crisis_name or "", *entry.emergency]
    return texts


def test_no_user_facing_text_says_cleared_or_safe_for_massage():
    offenders = [text for text in _user_facing_texts() if FORBIDDEN.search(text)]
    assert not offenders


def test_every_level_has_a_message_and_a_policy_for_all_six_techniques():
    techniques = {"swedish", "deep_tissue", "trigger_point", "shiatsu", "hot_stone", "self_massage"}
    assert set(MESSAGES) == set(TriageLevel)
    assert set(TRIAGE_TECHNIQUE_POLICY) == set(TriageLevel)
    for level, rules in TRIAGE_TECHNIQUE_POLICY.items():
        assert set(rules) == techniques, level
        for code, rule in rules.items():
            assert rule.action in {"OK", "MODIFY", "AVOID"}, (level, code)
            assert bool(rule.modification) == (rule.action == "MODIFY"), (level, code)


def _catalog(attribute: str, *modules: str) -> Any:
    """`attribute` from the first catalog module that has it, or None while none exists yet."""
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        if hasattr(module, attribute):
            return getattr(module, attribute)
    return None


def test_policy_actions_are_the_catalog_action_values():
    """The catalog's `Action` is written in parallel; once it exists its values must be the
    strings used here (triage and contraindications combine by "most restrictive wins")."""
    action = _catalog(
        "Action", "backrelief.catalog.contraindications", "backrelief.catalog.data.rule_model"
    )
    values = {"OK", "MODIFY", "AVOID"} if action is None else {str(m) for m in action}
    used = {rule.action for rules in TRIAGE_TECHNIQUE_POLICY.values() for rule in rules.values()}
    assert used <= values


def test_policy_covers_the_catalog_techniques():
    codes = _catalog("TECHNIQUE_CODES", "backrelief.catalog.data.techniques")
    expected = set(red_flags.TECHNIQUES) if codes is None else set(codes)
    assert set(red_flags.TECHNIQUES) == expected
