import pytest
from hypothesis import given
from hypothesis import strategies as st

from backrelief.therapists.rating import PRIOR_MEAN, bayesian_average, rating_of


def test_one_five_star_review_does_not_outrank_forty_reviews_averaging_4_8():
    one = bayesian_average(count=1, total=5)
    forty = bayesian_average(count=40, total=192)
    assert one == pytest.approx(45 / 11)
    assert forty == pytest.approx(232 / 50)
    assert forty > one


def test_without_reviews_the_figure_is_the_prior_and_the_summary_says_so():
    rating = rating_of(count=0, total=0)
    assert rating.bayesian == PRIOR_MEAN
    assert rating.mean is None
    assert rating.summary() == "No reviews yet"


@pytest.mark.parametrize(
    ("count", "total", "summary"),
    [(1, 4, "4.0 from 1 review"), (31, 146, "4.7 from 31 reviews")],
)
def test_summary_shows_the_raw_mean_and_the_count(count, total, summary):
    assert rating_of(count=count, total=total).summary() == summary


@pytest.mark.parametrize(("count", "total"), [(-1, 0), (2, 1), (2, 11)])
def test_impossible_totals_are_refused(count, total):
    with pytest.raises(ValueError, match="ratings are 1 to 5"):
        bayesian_average(count=count, total=total)


@given(st.lists(st.integers(min_value=1, max_value=5), max_size=200))
def test_the_figure_lies_between_the_prior_and_the_raw_mean(ratings):
    figure = bayesian_average(count=len(ratings), total=sum(ratings))
    mean = sum(ratings) / len(ratings) if ratings else PRIOR_MEAN
    assert min(mean, PRIOR_MEAN) - 1e-9 <= figure <= max(mean, PRIOR_MEAN) + 1e-9


@given(st.integers(min_value=0, max_value=500), st.integers(min_value=1, max_value=5))
def test_one_more_review_moves_the_figure_toward_its_rating(count, new):
    total = count * 4
    before = bayesian_average(count=count, total=total)
    after = bayesian_average(count=count + 1, total=total + new)
    if new > before:
        assert after > before
    elif new < before:
        assert after < before
