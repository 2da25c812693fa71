"""Every scoring rule and boundary of DOMAIN §4, as tables (pure, no database)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from backrelief.assessment.scoring import score
from backrelief.core.errors import Invalid

N = None  # unanswered

# (instrument, answers, score, percent, band, prorated)
SCORED = [
    # NPRS 0 / 1-3 / 4-6 / 7-10 (DOMAIN §4.1)
    ("nprs", [0], 0, None, "none", False),
    ("nprs", [1], 1, None, "mild", False),
    ("nprs", [3], 3, None, "mild", False),
    ("nprs", [4], 4, None, "moderate", False),
    ("nprs", [6], 6, None, "moderate", False),
    ("nprs", [7], 7, None, "severe", False),
    ("nprs", [10], 10, None, "severe", False),
    # Sleep 0 terrible, 1-3 poor, 4-6 fair, 7-9 good, 10 excellent (DOMAIN §4.6 A)
    ("sleep", [0], 0, None, "terrible", False),
    ("sleep", [1], 1, None, "poor", False),
    ("sleep", [3], 3, None, "poor", False),
    ("sleep", [4], 4, None, "fair", False),
    ("sleep", [6], 6, None, "fair", False),
    ("sleep", [7], 7, None, "good", False),
    ("sleep", [9], 9, None, "good", False),
    ("sleep", [10], 10, None, "excellent", False),
    # NDI raw 0-50, percent = raw x 2, bands <5 / <15 / <25 / <35 / else (DOMAIN §4.2)
    ("ndi", [0] * 10, 0, 0, "none", False),
    ("ndi", [4, 0, 0, 0, 0, 0, 0, 0, 0, 0], 4, 8, "none", False),
    ("ndi", [5, 0, 0, 0, 0, 0, 0, 0, 0, 0], 5, 10, "mild", False),
    ("ndi", [5, 5, 4, 0, 0, 0, 0, 0, 0, 0], 14, 28, "mild", False),
    ("ndi", [5, 5, 5, 0, 0, 0, 0, 0, 0, 0], 15, 30, "moderate", False),
    ("ndi", [5, 5, 5, 5, 4, 0, 0, 0, 0, 0], 24, 48, "moderate", False),
    ("ndi", [5, 5, 5, 5, 5, 0, 0, 0, 0, 0], 25, 50, "severe", False),
    ("ndi", [5, 5, 5, 5, 5, 5, 4, 0, 0, 0], 34, 68, "severe", False),
    ("ndi", [5, 5, 5, 5, 5, 5, 5, 0, 0, 0], 35, 70, "complete", False),
    ("ndi", [5] * 10, 50, 100, "complete", False),
    # NDI proration: raw = sum x 10 / answered (Vernon's mean of the answered items)
    ("ndi", [1, 2, N, 0, 3, 1, 0, 2, 1, 0], Fraction(100, 9), Fraction(200, 9), "mild", True),
    ("ndi", [4, 0, 0, 0, 0, 0, 0, N, 0, 0], Fraction(40, 9), Fraction(80, 9), "none", True),
    ("ndi", [5, 0, 0, 0, 0, 0, 0, N, 0, 0], Fraction(50, 9), Fraction(100, 9), "mild", True),
    ("ndi", [4, 0, 0, 0, 0, 0, 0, N, 0, N], 5, 10, "mild", True),
    ("ndi", [5, 5, 2, 0, 0, 0, 0, N, 0, N], 15, 30, "moderate", True),
    ("ndi", [5, 5, 5, 5, 5, 3, 0, N, 0, N], Fraction(140, 4), 70, "complete", True),
    # ODI % = total / (5 x answered) x 100, upper-inclusive <=20/40/60/80 (DOMAIN §4.3)
    ("odi", [0] * 10, 0, 0, "minimal", False),
    ("odi", [2, 2, 2, 2, 2, 2, 1, 1, 1, 1], 32, 32, "moderate", False),
    ("odi", [2, 2, 2, 2, 2, 2, 1, N, 2, 1], Fraction(320, 9), Fraction(320, 9), "moderate", True),
    ("odi", [1] * 10, 20, 20, "minimal", False),
    ("odi", [2, 1, 1, 1, 1, 1, 1, 1, 1, 1], 22, 22, "moderate", False),
    ("odi", [1, 1, 1, 1, 1, 1, 1, N, 1, 1], 20, 20, "minimal", True),
    ("odi", [1, 1, 1, 1, 1, 1, 1, N, 1, N], 20, 20, "minimal", True),
    ("odi", [2, 1, 1, 1, 1, 1, 1, N, 1, 1], Fraction(200, 9), Fraction(200, 9), "moderate", True),
    ("odi", [2] * 10, 40, 40, "moderate", False),
    ("odi", [3, 2, 2, 2, 2, 2, 2, 2, 2, 2], 42, 42, "severe", False),
    ("odi", [3] * 10, 60, 60, "severe", False),
    ("odi", [4, 3, 3, 3, 3, 3, 3, 3, 3, 3], 62, 62, "crippled", False),
    ("odi", [4] * 10, 80, 80, "crippled", False),
    ("odi", [5, 4, 4, 4, 4, 4, 4, 4, 4, 4], 82, 82, "bed_bound", False),
    ("odi", [5] * 10, 100, 100, "bed_bound", False),
    # PSS-10: items 4, 5, 7, 8 reversed; all "never" = 16 (DOMAIN §4.4)
    ("pss10", [0] * 10, 16, None, "moderate", False),
    ("pss10", [4] * 10, 24, None, "moderate", False),
    ("pss10", [0, 0, 0, 4, 4, 0, 4, 4, 0, 0], 0, None, "low", False),
    ("pss10", [4, 4, 4, 0, 0, 4, 0, 0, 4, 4], 40, None, "high", False),
    ("pss10", [4, 4, 4, 4, 4, 1, 4, 4, 0, 0], 13, None, "low", False),
    ("pss10", [4, 4, 4, 4, 4, 2, 4, 4, 0, 0], 14, None, "moderate", False),
    ("pss10", [4, 4, 4, 0, 0, 4, 4, 4, 1, 1], 26, None, "moderate", False),
    ("pss10", [4, 4, 4, 0, 0, 4, 4, 4, 2, 1], 27, None, "high", False),
    # PSS-10 proration of one missing item: sum x 10 / 9, after reversing
    ("pss10", [0, 0, 0, 4, 4, 0, 4, 4, 0, N], 0, None, "low", True),
    ("pss10", [4, 4, 4, 4, 4, 0, 4, 4, 0, N], Fraction(120, 9), None, "low", True),
    ("pss10", [4, 4, 4, 4, 4, 1, 4, 4, 0, N], Fraction(130, 9), None, "moderate", True),
    ("pss10", [N, 0, 0, 0, 0, 0, 0, 0, 0, 0], Fraction(160, 9), None, "moderate", True),
    # PHQ-4 total 0-2 / 3-5 / 6-8 / 9-12 (DOMAIN §4.5)
    ("phq4", [0, 0, 0, 0], 0, None, "normal", False),
    ("phq4", [1, 1, 0, 0], 2, None, "normal", False),
    ("phq4", [1, 1, 1, 0], 3, None, "mild", False),
    ("phq4", [2, 2, 1, 0], 5, None, "mild", False),
    ("phq4", [2, 2, 1, 1], 6, None, "moderate", False),
    ("phq4", [2, 2, 2, 2], 8, None, "moderate", False),
    ("phq4", [3, 2, 2, 2], 9, None, "severe", False),
    ("phq4", [3, 3, 3, 3], 12, None, "severe", False),
]


@pytest.mark.parametrize(("instrument", "answers", "value", "percent", "band", "prorated"), SCORED)
def test_scored_value_percent_and_band(instrument, answers, value, percent, band, prorated):
    result = score(instrument, answers)
    assert result.valid
    assert result.error is None
    assert result.score == Fraction(value)
    assert isinstance(result.score, Fraction)
    assert result.percent == (None if percent is None else Fraction(percent))
    assert result.band == band
    assert result.prorated is prorated
    assert result.answered == sum(a is not None for a in answers)


def test_odi_one_section_missing_divides_by_45_and_displays_35_6():
    result = score("odi", [2, 2, 2, 2, 2, 2, 1, None, 2, 1])
    assert result.score == Fraction(16, 45) * 100
    assert result.display == "35.6%"  # not the truncated 35.5 some secondary sources print


def test_ndi_proration_equals_adding_the_mean_of_answered_items():
    answers = [1, 2, None, 0, 3, 1, 0, 2, 1, 0]
    answered = [a for a in answers if a is not None]
    mean = Fraction(sum(answered), len(answered))
    result = score("ndi", answers)
    assert result.score == sum(answered) + mean * (10 - len(answered))
    assert result.percent == Fraction(sum(answered), 5 * len(answered)) * 100
    assert result.display == "11.1 (22.2%)"


def test_pss10_all_never_is_16_not_0():
    assert score("pss10", [0] * 10).score == 16


# (instrument, answers, why) — well formed, but beyond the missing-item limit
NOT_SCORABLE = [
    ("nprs", [N], "needs an answer"),
    ("sleep", [N], "needs an answer"),
    ("ndi", [1, 2, N, 0, N, 1, 0, N, 1, 0], "at least 8 of 10"),
    ("odi", [N, N, N, 0, 0, 0, 0, 0, 0, 0], "at least 8 of 10"),
    ("odi", [N] * 10, "at least 8 of 10"),
    ("pss10", [0, 0, N, 0, 0, 0, 0, 0, N, 0], "at least 9 of 10"),
    ("phq4", [1, 1, 1, N], "all 4 items"),
    ("phq4", [N, N, N, N], "all 4 items"),
]


@pytest.mark.parametrize(("instrument", "answers", "why"), NOT_SCORABLE)
def test_too_many_missing_items_is_not_valid_and_not_scored(instrument, answers, why):
    result = score(instrument, answers)
    assert not result.valid
    assert why in (result.error or "")
    assert (result.score, result.percent, result.band, result.band_label) == (None,) * 4
    assert result.prorated is False
    assert result.display is None


@pytest.mark.parametrize(
    ("answers", "anxiety", "anxiety_positive", "depression", "depression_positive"),
    [
        ([1, 2, N, 0], 3, True, None, None),
        ([1, 1, N, 3], 2, False, None, None),
        ([N, 0, 2, 1], None, None, 3, True),
        ([N, 0, N, 1], None, None, None, None),
    ],
)
def test_phq4_with_a_missing_item_still_reports_the_complete_subscale(
    answers, anxiety, anxiety_positive, depression, depression_positive
):
    result = score("phq4", answers)
    assert not result.valid
    assert result.score is None
    assert result.band is None
    subscales = {sub.code: sub for sub in result.subscales}
    assert (subscales["anxiety"].score, subscales["anxiety"].positive) == (
        anxiety,
        anxiety_positive,
    )
    assert (subscales["depression"].score, subscales["depression"].positive) == (
        depression,
        depression_positive,
    )


@pytest.mark.parametrize(
    ("answers", "anxiety_positive", "depression_positive"),
    [
        ([1, 1, 1, 1], False, False),
        ([2, 1, 1, 1], True, False),
        ([0, 0, 0, 3], False, True),
        ([3, 3, 3, 3], True, True),
    ],
)
def test_phq4_subscale_positive_screen_at_3(answers, anxiety_positive, depression_positive):
    subscales = {sub.code: sub.positive for sub in score("phq4", answers).subscales}
    assert subscales == {"anxiety": anxiety_positive, "depression": depression_positive}


def test_a_positive_phq4_subscale_adds_advice_and_every_result_says_not_a_diagnosis():
    calm = score("phq4", [0, 0, 0, 0])
    worried = score("phq4", [2, 2, 0, 0])
    assert "This is a screening result, not a diagnosis." in calm.notes
    assert any("crisis line" in note for note in calm.notes)
    assert not any("GP" in note for note in calm.notes)
    assert any("anxiety" in note and "GP" in note for note in worried.notes)


# (instrument, answers, field) — refused, never clamped (DOMAIN §4.0 point 3)
REFUSED = [
    ("ndi", [0] * 9, "answers"),
    ("ndi", [0] * 11, "answers"),
    ("phq4", [], "answers"),
    ("nprs", [11], "answers[0]"),
    ("nprs", [-1], "answers[0]"),
    ("sleep", [11], "answers[0]"),
    ("ndi", [0, 0, 0, 6, 0, 0, 0, 0, 0, 0], "answers[3]"),
    ("odi", [0, 0, 0, 0, 0, 0, 0, 0, 0, -1], "answers[9]"),
    ("pss10", [0, 5, 0, 0, 0, 0, 0, 0, 0, 0], "answers[1]"),
    ("phq4", [0, 0, 4, 0], "answers[2]"),
    ("phq4", [0, True, 0, 0], "answers[1]"),
    ("phq4", [0, 0, 1.0, 0], "answers[2]"),
    ("phq4", [0, 0, 0, "1"], "answers[3]"),
    ("nprs", "5", "answers"),
    ("unknown", [1], "instrument"),
]


@pytest.mark.parametrize(("instrument", "answers", "field"), REFUSED)
def test_bad_input_is_refused_naming_the_field(instrument, answers, field):
    with pytest.raises(Invalid) as caught:
        score(instrument, answers)
    assert field in caught.value.fields


def test_every_out_of_range_answer_is_named_at_once():
    with pytest.raises(Invalid) as caught:
        score("odi", [9, 0, 0, 0, 0, 0, 0, 0, 0, 7])
    assert set(caught.value.fields) == {"answers[0]", "answers[9]"}
