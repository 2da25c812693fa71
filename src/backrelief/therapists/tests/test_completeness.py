"""Profile completeness and onboarding steps (issue 5 item 1): a table of plain values."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backrelief.therapists.completeness import (
    ITEMS,
    ProfileFacts,
    completeness,
    next_step,
    previous_step,
    step_number,
)

FULL = ProfileFacts(
    exists=True,
    display_name="Anna",
    bio="Calm sessions.",
    has_photo=True,
    language_count=2,
    address="Torstraße 1, Berlin",
    has_coordinates=True,
    service_count=1,
    experience_count=1,
    licence_count=1,
)
REQUIRED_ONLY = ProfileFacts(
    exists=True,
    display_name="Anna",
    language_count=1,
    address="Torstraße 1",
    has_coordinates=True,
    service_count=1,
)


def test_no_profile_is_zero_percent_and_starts_at_about():
    result = completeness(ProfileFacts.empty())
    assert result.percent == 0
    assert result.done == ()
    assert len(result.missing) == len(ITEMS)
    assert result.first_open_step == "about"
    assert not result.required_done


def test_a_full_profile_is_one_hundred_percent_with_nothing_missing():
    result = completeness(FULL)
    assert result.percent == 100
    assert result.missing == ()
    assert result.required_done
    assert result.first_open_step == "done"


def test_required_steps_alone_complete_onboarding_but_not_the_profile():
    result = completeness(REQUIRED_ONLY)
    assert result.required_done
    assert result.percent == 50
    assert [m.key for m in result.missing] == ["bio", "photo", "experience", "licence"]
    assert result.first_open_step == "credentials-hint"


@pytest.mark.parametrize(
    ("change", "missing_key", "open_step"),
    [
        ({"display_name": "  "}, "display_name", "about"),
        ({"language_count": 0}, "languages", "about"),
        ({"address": ""}, "location", "practice"),
        ({"has_coordinates": False}, "location", "practice"),
        ({"service_count": 0}, "services", "services"),
    ],
)
def test_each_required_item_blocks_its_step(change, missing_key, open_step):
    facts = ProfileFacts(**{**REQUIRED_ONLY.__dict__, **change})
    result = completeness(facts)
    assert missing_key in [m.key for m in result.missing]
    assert not result.required_done
    assert result.first_open_step == open_step


def test_missing_items_say_what_to_do_in_plain_words():
    result = completeness(ProfileFacts(exists=True))
    messages = [m.missing for m in result.missing]
    assert "Add at least one service with its price." in messages
    assert "Submit your licence so staff can verify it." in messages


def test_steps_are_numbered_one_to_four_and_done_is_not_numbered():
    assert [step_number(s) for s in ("about", "practice", "services", "credentials-hint")] == [
        1,
        2,
        3,
        4,
    ]
    assert step_number("done") is None
    assert next_step("about") == "practice"
    assert next_step("credentials-hint") == "done"
    assert next_step("done") == "done"
    assert previous_step("about") is None
    assert previous_step("practice") == "about"


@given(
    st.builds(
        ProfileFacts,
        exists=st.booleans(),
        display_name=st.text(max_size=5),
        bio=st.text(max_size=5),
        has_photo=st.booleans(),
        language_count=st.integers(0, 3),
        address=st.text(max_size=5),
        has_coordinates=st.booleans(),
        service_count=st.integers(0, 3),
        experience_count=st.integers(0, 3),
        licence_count=st.integers(0, 3),
    )
)
def test_percent_counts_done_items_and_done_plus_missing_cover_every_item(facts):
    result = completeness(facts)
    assert 0 <= result.percent <= 100
    assert len(result.done) + len(result.missing) == len(ITEMS)
    assert result.percent == 100 * len(result.done) // len(ITEMS)
    assert result.required_done == all(item.key in result.done for item in ITEMS if item.required)
