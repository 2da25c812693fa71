"""Properties of the scoring rules over every attainable answer vector (DOMAIN §4, hypothesis)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backrelief.assessment.instruments import INSTRUMENT_CODES, INSTRUMENTS, Instrument
from backrelief.assessment.scoring import score


def answer_vectors(instrument: Instrument, *, missing: bool = True) -> st.SearchStrategy:
    per_item = [
        st.one_of(st.none(), st.sampled_from(item.values))
        if missing
        else st.sampled_from(item.values)
        for item in instrument.items
    ]
    return st.tuples(*per_item)


@pytest.mark.parametrize("code", INSTRUMENT_CODES)
@given(data=st.data())
def test_scores_stay_in_range_and_the_band_is_the_first_that_admits_them(code, data):
    instrument = INSTRUMENTS[code]
    answers = data.draw(answer_vectors(instrument))
    result = score(code, answers)
    missing = sum(a is None for a in answers)
    assert result.valid == (missing <= instrument.max_missing and missing < len(answers))
    if not result.valid:
        return
    assert result.score is not None
    low, high = instrument.score_range
    assert low <= result.score <= high
    if instrument.percent:
        assert result.percent is not None
        assert 0 <= result.percent <= 100
        assert result.percent == result.score * 100 / high
    first = next(band for band in instrument.bands if band.admits(result.score))
    assert result.band == first.code
    assert result.prorated == (missing > 0)


@pytest.mark.parametrize("code", INSTRUMENT_CODES)
def test_reversing_twice_is_identity(code):
    for item in INSTRUMENTS[code].items:
        for value in item.values:
            assert item.scored(item.scored(value)) == value
            assert item.scored(value) in item.values


@given(answers=answer_vectors(INSTRUMENTS["pss10"], missing=False))
def test_pss10_mirrored_answers_add_up_to_40(answers):
    mirrored = [4 - a for a in answers]
    first, second = score("pss10", answers).score, score("pss10", mirrored).score
    assert first is not None
    assert second is not None
    assert first + second == 40


@pytest.mark.parametrize("code", ["ndi", "pss10"])
@given(data=st.data())
def test_proration_adds_the_mean_of_the_answered_items_for_each_missing_one(code, data):
    instrument = INSTRUMENTS[code]
    answers = data.draw(answer_vectors(instrument))
    result = score(code, answers)
    if not result.valid:
        return
    scored = [
        item.scored(a) for a, item in zip(answers, instrument.items, strict=True) if a is not None
    ]
    mean = Fraction(sum(scored), len(scored))
    assert result.score == sum(scored) + mean * (len(answers) - len(scored))


@pytest.mark.parametrize("code", ["ndi", "odi"])
@given(data=st.data())
def test_ndi_and_odi_percent_is_sum_over_five_times_answered(code, data):
    answers = data.draw(answer_vectors(INSTRUMENTS[code]))
    result = score(code, answers)
    if not result.valid:
        return
    answered = [a for a in answers if a is not None]
    assert result.percent == Fraction(sum(answered), 5 * len(answered)) * 100


@pytest.mark.parametrize("code", ["ndi", "odi", "pss10"])
@given(data=st.data())
def test_filling_missing_items_with_the_mean_changes_nothing(code, data):
    """When the answered items share one value v, answering the missing ones with v gives the
    same score: proration only stands in for the missing answers."""
    instrument = INSTRUMENTS[code]
    value = data.draw(st.sampled_from(instrument.items[0].values))
    gaps = data.draw(st.sets(st.integers(0, len(instrument.items) - 1), max_size=2))
    complete = [item.scored(value) for item in instrument.items]  # answers scoring v each
    full = [item.scored(v) for item, v in zip(instrument.items, complete, strict=True)]
    assert all(f == value for f in full)
    partial = [None if i in gaps else a for i, a in enumerate(complete)]
    result = score(code, partial)
    if len(gaps) > instrument.max_missing:
        assert not result.valid
    else:
        assert result.score == score(code, complete).score


@given(answers=answer_vectors(INSTRUMENTS["phq4"]))
def test_phq4_total_is_the_sum_of_the_subscales_when_complete(answers):
    result = score("phq4", answers)
    anxiety, depression = (sub.score for sub in result.subscales)
    if result.valid:
        assert anxiety is not None
        assert depression is not None
        assert result.score == anxiety + depression
    else:
        assert None in answers
        assert result.score is None


@pytest.mark.parametrize("code", INSTRUMENT_CODES)
def test_bands_never_go_down_as_the_score_rises(code):
    instrument = INSTRUMENTS[code]
    low, high = instrument.score_range
    codes = [band.code for band in instrument.bands]
    steps = [low + (high - low) * Fraction(i, 400) for i in range(401)]
    indexes = [codes.index(next(b.code for b in instrument.bands if b.admits(s))) for s in steps]
    assert indexes == sorted(indexes)
    assert set(indexes) == set(range(len(codes)))
