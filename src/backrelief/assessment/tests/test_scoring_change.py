"""Change over time, MCID flags, instrument selection, display rounding and answer parsing
(DOMAIN §4.0 points 2 and 6, §4.1-4.6 MCIDs, §4.8)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backrelief.assessment.instruments import INSTRUMENTS
from backrelief.assessment.scoring import (
    display_number,
    meaningful_change,
    parse_answers,
    percent_change,
    score,
    select_instruments,
)
from backrelief.core.errors import Invalid


@pytest.mark.parametrize(
    ("baseline", "current", "expected"),
    [
        (0, 0, None),
        (0, 5, None),
        (10, 7, Fraction(-30)),
        (3, 2, Fraction(-100, 3)),
        (4, 6, Fraction(50)),
        (Fraction(320, 9), Fraction(320, 9), Fraction(0)),
    ],
)
def test_percent_change_is_undefined_at_baseline_zero(baseline, current, expected):
    assert percent_change(baseline, current) == expected


def test_percent_change_refuses_negative_scores():
    with pytest.raises(Invalid) as caught:
        percent_change(-1, 3)
    assert set(caught.value.fields) == {"baseline"}


# (instrument, baseline, current, direction, absolute_met, percent_met, beyond_error, meaningful)
CHANGES = [
    # NPRS: 2 points or 30%, both flags exposed (DOMAIN §4.1); 3 -> 2 fires only the 30% rule
    ("nprs", 3, 2, "improved", False, True, None, True),
    ("nprs", 8, 6, "improved", True, False, None, True),
    ("nprs", 7, 5, "improved", True, False, None, True),  # 28.6% is short of 30%
    ("nprs", 7, 4, "improved", True, True, None, True),
    ("nprs", 8, 7, "improved", False, False, None, False),
    ("nprs", 10, 7, "improved", True, True, None, True),
    ("nprs", 0, 0, "unchanged", False, None, None, False),
    ("nprs", 0, 3, "worsened", True, None, None, True),
    ("nprs", 4, 6, "worsened", True, False, None, True),
    # NDI: 5 raw points; 10 raw points beyond measurement error (DOMAIN §4.2)
    ("ndi", 20, 16, "improved", False, None, False, False),
    ("ndi", 20, 15, "improved", True, None, False, True),
    ("ndi", 20, 10, "improved", True, None, True, True),
    ("ndi", Fraction(100, 9), Fraction(50, 9), "improved", True, None, False, True),
    # ODI: 10 points or 30% improvement (DOMAIN §4.3)
    ("odi", 40, 31, "improved", False, False, None, False),
    ("odi", 40, 30, "improved", True, False, None, True),
    ("odi", 20, 14, "improved", False, True, None, True),
    ("odi", 30, 40, "worsened", True, False, None, True),
    # sleep improves upwards; 2 points "possibly meaningful" (DOMAIN §4.6)
    ("sleep", 4, 6, "improved", True, None, None, True),
    ("sleep", 6, 5, "worsened", False, None, None, False),
    # no MCID established (DOMAIN §4.4, §4.5)
    ("pss10", 20, 10, "improved", None, None, None, None),
    ("phq4", 6, 2, "improved", None, None, None, None),
]


@pytest.mark.parametrize(
    ("code", "baseline", "current", "direction", "absolute", "percent", "beyond", "meaningful"),
    CHANGES,
)
def test_meaningful_change_flags(
    code, baseline, current, direction, absolute, percent, beyond, meaningful
):
    change = meaningful_change(code, baseline, current)
    assert change.direction == direction
    assert change.change == Fraction(current) - Fraction(baseline)
    assert (change.absolute_met, change.percent_met, change.beyond_error) == (
        absolute,
        percent,
        beyond,
    )
    assert change.meaningful is meaningful


def test_meaningful_change_reports_the_exact_percent():
    change = meaningful_change("odi", Fraction(320, 9), 20)
    assert change.percent == (20 - Fraction(320, 9)) * 100 / Fraction(320, 9)


@pytest.mark.parametrize(
    ("code", "baseline", "current", "field"),
    [
        ("nprs", 11, 3, "baseline"),
        ("ndi", 20, 51, "current"),
        ("odi", -1, 3, "baseline"),
        ("sleep", 1.5, 3, "baseline"),
        ("nprs", True, 3, "baseline"),
    ],
)
def test_meaningful_change_refuses_scores_outside_the_range(code, baseline, current, field):
    with pytest.raises(Invalid) as caught:
        meaningful_change(code, baseline, current)
    assert field in caught.value.fields


@given(
    baseline=st.integers(0, 10),
    current=st.integers(0, 10),
)
def test_nprs_change_flags_match_the_published_rule(baseline, current):
    change = meaningful_change("nprs", baseline, current)
    assert change.absolute_met == (abs(current - baseline) >= 2)
    if baseline == 0:
        assert change.percent_met is None
    else:
        assert change.percent_met == (Fraction(baseline - current, baseline) >= Fraction(3, 10))


EVERYONE = ("nprs", "pss10", "phq4", "sleep")


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("NECK", ("nprs", "ndi", "pss10", "phq4", "sleep")),
        ("SHOULDER_L", ("nprs", "ndi", "pss10", "phq4", "sleep")),
        ("SHOULDER_R", ("nprs", "ndi", "pss10", "phq4", "sleep")),
        ("UPPER_BACK", ("nprs", "ndi", "pss10", "phq4", "sleep")),
        ("ARM_L", ("nprs", "ndi", "pss10", "phq4", "sleep")),
        ("ARM_R", ("nprs", "ndi", "pss10", "phq4", "sleep")),
        ("HEAD", ("nprs", "ndi", "pss10", "phq4", "sleep")),
        ("LOWER_BACK", ("nprs", "odi", "pss10", "phq4", "sleep")),
        ("LEG_L", ("nprs", "odi", "pss10", "phq4", "sleep")),
        ("LEG_R", ("nprs", "odi", "pss10", "phq4", "sleep")),
        ("BUTTOCK_L", ("nprs", "odi", "pss10", "phq4", "sleep")),
        ("BUTTOCK_R", ("nprs", "odi", "pss10", "phq4", "sleep")),
        ("MID_BACK", EVERYONE),
    ],
)
def test_select_instruments_by_primary_region(region, expected):
    assert select_instruments(region) == expected


@pytest.mark.parametrize("region", ["neck", "BACK", "", "LOWER BACK"])
def test_select_instruments_refuses_unknown_regions(region):
    with pytest.raises(Invalid) as caught:
        select_instruments(region)
    assert "primary_region" in caught.value.fields


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (Fraction(320, 9), 1, "35.6"),
        (Fraction(32), 1, "32.0"),
        (Fraction(100, 9), None, "11.1"),
        (Fraction(16), None, "16"),
        (Fraction(1, 20), 1, "0.1"),  # half rounds up, not to even
        (Fraction(3, 20), 1, "0.2"),
        (Fraction(-1, 20), 1, "-0.1"),
        (Fraction(-1, 100), 1, "0.0"),
        (Fraction(45, 2), 0, "23"),
    ],
)
def test_display_rounds_half_up_on_the_exact_value(value, places, shown):
    assert display_number(value, places=places) == shown


def test_band_is_decided_on_the_unrounded_value_not_the_displayed_one():
    """A value that displays as 5.0 but is below 5 is still NDI `none` (DOMAIN §4.2)."""
    just_below = Fraction(4999, 1000)
    none_band = INSTRUMENTS["ndi"].bands[0]
    assert display_number(just_below, places=1) == "5.0"
    assert none_band.code == "none"
    assert none_band.admits(just_below)
    assert not none_band.admits(Fraction(5))
    odd = score("pss10", [4, 4, 4, 4, 4, 0, 4, 4, 0, None])  # 13.33 -> shown 13.3, band low
    assert (odd.display, odd.band) == ("13.3", "low")


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("1,2,,0,3,1,0,2,1,0", (1, 2, None, 0, 3, 1, 0, 2, 1, 0)),
        ("", (None,)),
        ("7", (7,)),
        (" 1, 2 ,", (1, 2, None)),
        ("-1,12", (-1, 12)),
    ],
)
def test_parse_answers(text, parsed):
    assert parse_answers(text) == parsed


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("1,x", "answers[1]"),
        ("1.5", "answers[0]"),
        ("0,\u0663", "answers[1]"),
        ("1e1", "answers[0]"),
    ],
)
def test_parse_answers_names_the_bad_position(text, field):
    with pytest.raises(Invalid) as caught:
        parse_answers(text)
    assert field in caught.value.fields
