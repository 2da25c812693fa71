import pytest
from hypothesis import given
from hypothesis import strategies as st

from backrelief.therapists.data import ranking
from backrelief.therapists.matching import (
    Advice,
    Candidate,
    ServiceOffer,
    ViewerAdvice,
    advice_from_result,
    format_distance,
    match,
    points,
    rank_matches,
)


def svc(technique: str, price: int = 7000, minutes: int = 60) -> ServiceOffer:
    return ServiceOffer(
        technique=technique, duration_min=minutes, price_minor=price, currency="EUR"
    )


def cand(
    name: str = "A",
    services: tuple[str, ...] = ("swedish",),
    years: dict[str, int] | None = None,
    count: int = 0,
    total: int = 0,
    km: float | None = None,
    price: int = 7000,
) -> Candidate:
    return Candidate(
        public_id=f"id-{name}",
        display_name=name,
        services=tuple(svc(t, price) for t in services),
        verified_years=years or {},
        review_count=count,
        review_sum=total,
        distance_km=km,
    )


# Swedish first, deep tissue second (MODIFY), shiatsu third, trigger point AVOID.
ADVICE = ViewerAdvice(
    techniques={
        "swedish": Advice("OK", 1),
        "shiatsu": Advice("OK", 2),
        "deep_tissue": Advice("MODIFY", 3),
        "hot_stone": Advice("MODIFY", 4),
        "self_massage": Advice("OK", 5),
        "trigger_point": Advice("AVOID", None),
    }
)
BLOCKED = ViewerAdvice(
    techniques={code: Advice("AVOID", None) for code in ADVICE.techniques}, blocks_booking=True
)


def test_avoid_techniques_are_never_offered():
    m = match(cand(services=("swedish", "trigger_point")), advice=ADVICE)
    assert m is not None
    assert [s.technique for s in m.offered] == ["swedish"]


def test_a_therapist_offering_only_avoid_techniques_is_excluded():
    assert match(cand(services=("trigger_point",)), advice=ADVICE) is None


def test_filtering_on_an_avoid_technique_finds_nobody_for_that_client():
    assert (
        match(cand(services=("swedish", "trigger_point")), advice=ADVICE, technique="trigger_point")
        is None
    )


def test_a_technique_the_assessment_does_not_mention_is_not_offered():
    partial = ViewerAdvice(techniques={"swedish": Advice("OK", 1)})
    m = match(cand(services=("swedish", "shiatsu")), advice=partial)
    assert m is not None
    assert [s.technique for s in m.offered] == ["swedish"]


def test_when_booking_is_blocked_the_therapist_is_listed_but_offers_nothing():
    m = match(cand(services=("swedish",), count=3, total=14), advice=BLOCKED)
    assert m is not None
    assert m.offered == ()
    assert m.fit_rank is None
    assert not m.why.startswith("Recommended")


def test_recommended_technique_ranks_first_whatever_the_other_figures():
    best_fit = cand(
        "Near", services=("shiatsu",), years={"shiatsu": 20}, count=40, total=200, km=0.1
    )
    rank_one = cand("Far", services=("swedish",), km=150)
    order = rank_matches([best_fit, rank_one], advice=ADVICE)
    assert [m.candidate.display_name for m in order] == ["Far", "Near"]
    assert order[0].fit_rank == 1


def test_within_the_same_fit_more_verified_experience_ranks_first():
    a = cand("A", years={"swedish": 2}, km=3)
    b = cand("B", years={"swedish": 9}, km=3)
    assert [m.candidate.display_name for m in rank_matches([a, b], advice=ADVICE)] == ["B", "A"]


def test_one_five_star_review_does_not_outrank_forty_reviews_averaging_4_8():
    lucky = cand("Lucky", count=1, total=5, km=5)
    steady = cand("Steady", count=40, total=192, km=5)
    for advice in (ADVICE, None):
        order = rank_matches([lucky, steady], advice=advice)
        assert [m.candidate.display_name for m in order] == ["Steady", "Lucky"]


def test_without_an_assessment_the_order_is_bayesian_rating_then_distance():
    a = cand("A", count=10, total=45, km=9)
    b = cand("B", count=10, total=45, km=2)
    c = cand("C", count=10, total=50, km=30)
    order = rank_matches([a, b, c], advice=None)
    assert [m.candidate.display_name for m in order] == ["C", "B", "A"]
    assert all(m.fit_rank is None for m in order)


def test_the_why_line_names_fit_experience_rating_and_distance():
    m = match(
        cand(services=("deep_tissue",), years={"deep_tissue": 8}, count=31, total=146, km=3.21),
        advice=ViewerAdvice(techniques={"deep_tissue": Advice("OK", 1)}),
    )
    assert m is not None
    assert m.why == (
        "Recommended for you: Deep tissue massage · 8 years of deep-tissue experience (verified)"
        " · 4.7 from 31 reviews · 3.2 km"
    )


def test_without_an_assessment_the_why_line_omits_the_fit():
    m = match(
        cand(services=("deep_tissue",), years={"deep_tissue": 8}, count=31, total=146, km=3.21),
        advice=None,
    )
    assert m is not None
    assert m.why == "8 years of deep-tissue experience (verified) · 4.7 from 31 reviews · 3.2 km"


def test_a_lower_ranked_fit_says_its_place_in_the_assessment():
    m = match(cand(services=("shiatsu",)), advice=ADVICE)
    assert m is not None
    assert m.why.startswith("Suits your assessment: Shiatsu (your no. 2)")


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (ranking.SORT_DISTANCE, ["Near", "Cheap", "Top"]),
        (ranking.SORT_RATING, ["Top", "Near", "Cheap"]),
        (ranking.SORT_PRICE, ["Cheap", "Near", "Top"]),
    ],
)
def test_sort_options_order_by_their_figure(sort, expected):
    near = cand("Near", km=1, count=5, total=22, price=8000)
    cheap = cand("Cheap", km=4, count=0, total=0, price=4000)
    top = cand("Top", km=20, count=30, total=150, price=9000)
    order = rank_matches([top, cheap, near], advice=None, sort=sort)
    assert [m.candidate.display_name for m in order] == expected


def test_an_unknown_sort_is_refused():
    with pytest.raises(ValueError, match="unknown sort"):
        rank_matches([], advice=None, sort="random")


def test_advice_from_a_stored_result_reads_action_rank_and_blocking():
    result = {
        "triage": {"blocks_booking": False},
        "techniques": [
            {"technique": "swedish", "action": "OK", "rank": 1},
            {"technique": "deep_tissue", "action": "AVOID", "rank": None},
            {"technique": "unknown", "action": "OK", "rank": 2},
        ],
    }
    advice = advice_from_result(result)
    assert advice.allowed_techniques == {"swedish"}
    assert not advice.blocks_booking
    assert advice_from_result({"techniques": []}).blocks_booking  # fail closed


@pytest.mark.parametrize(("km", "text"), [(0.42, "420 m"), (3.21, "3.2 km"), (123.4, "123 km")])
def test_distances_read_naturally(km, text):
    assert format_distance(km) == text


years = st.integers(min_value=0, max_value=60)
bayes = st.floats(min_value=1, max_value=5)
kms = st.floats(min_value=0, max_value=500)


@given(a=years, b=years, r=bayes, d=kms)
def test_adding_verified_experience_never_lowers_the_points(a, b, r, d):
    lo, hi = sorted((a, b))
    assert points(experience_years=hi, bayesian=r, distance_km=d) >= points(
        experience_years=lo, bayesian=r, distance_km=d
    )


@given(y=years, r=bayes, a=kms, b=kms)
def test_a_closer_therapist_ranks_higher_all_else_equal(y, r, a, b):
    near, far = sorted((a, b))
    if far - near < 1e-6:  # below floating-point resolution of the points
        return
    assert points(experience_years=y, bayesian=r, distance_km=near) > points(
        experience_years=y, bayesian=r, distance_km=far
    )
    order = rank_matches(
        [cand("Far", years={"swedish": y}, km=far), cand("Near", years={"swedish": y}, km=near)],
        advice=ADVICE,
    )
    assert order[0].candidate.display_name == "Near"


@given(
    services=st.lists(st.sampled_from(sorted(ADVICE.techniques)), min_size=1, max_size=6),
    advice=st.sampled_from([ADVICE, BLOCKED, None]),
)
def test_no_avoid_technique_is_ever_offered(services, advice):
    m = match(cand(services=tuple(services)), advice=advice)
    if m is None:
        assert advice is ADVICE
        assert set(services) <= {"trigger_point"}
        return
    for offer in m.offered:
        assert advice is None or advice.allows(offer.technique)


def test_points_stay_within_0_and_100():
    assert points(experience_years=0, bayesian=1, distance_km=None) == 0
    assert points(experience_years=99, bayesian=5, distance_km=0) == pytest.approx(100)
