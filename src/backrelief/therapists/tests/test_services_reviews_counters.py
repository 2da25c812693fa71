"""The rating counters on the profile never drift (issue 5 item 3): after any sequence of
reviews, hides, unhides and refused attempts, `review_count`/`review_sum` equal a recount of
the visible reviews, and the Bayesian figure follows them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from backrelief.accounts.models import User
from backrelief.core.errors import DomainError
from backrelief.therapists.rating import rating_of
from backrelief.therapists.selectors_reviews import review_recount
from backrelief.therapists.services.reviews import review_create, review_hide, review_unhide
from backrelief.therapists.tests.factories import make_booking, make_listed_therapist

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
SESSIONS = 6

operations = st.lists(
    st.tuples(
        st.sampled_from(["review", "hide", "unhide"]),
        st.integers(min_value=0, max_value=SESSIONS - 1),
        st.integers(min_value=0, max_value=7),  # 0, 6 and 7 are refused ratings
    ),
    max_size=25,
)


class _Rollback(Exception):
    pass


@settings(max_examples=30, deadline=None)
@given(ops=operations)
def test_counters_equal_a_recount_after_any_sequence(ops):
    try:
        with transaction.atomic():
            _run(ops)
            raise _Rollback
    except _Rollback:
        pass


def _run(ops):
    client = User.objects.create_user("prop-client@example.test", role="client")
    staff = User.objects.create_user("prop-staff@example.test", role="staff")
    therapist = User.objects.create_user("prop-therapist@example.test", role="therapist")
    profile = make_listed_therapist(therapist)
    bookings = [
        make_booking(client, profile, start=START + dt.timedelta(days=i), status="completed")
        for i in range(SESSIONS)
    ]
    reviews: dict[int, object] = {}
    now = START + dt.timedelta(days=SESSIONS + 1)
    for kind, index, rating in ops:
        try:
            if kind == "review":
                reviews[index] = review_create(
                    author=client,
                    booking_id=bookings[index].public_id,
                    rating=rating,
                    text="A thorough, careful session.",
                    now=now,
                )
            elif index in reviews:
                review_id = reviews[index].public_id  # type: ignore[attr-defined]
                if kind == "hide":
                    review_hide(staff=staff, review_id=review_id, reason="Test", now=now)
                else:
                    review_unhide(staff=staff, review_id=review_id, now=now)
        except DomainError:
            pass  # refused attempts must change nothing either
        profile.refresh_from_db()
        count, total = review_recount(therapist=profile)
        assert (profile.review_count, profile.review_sum) == (count, total)
        assert rating_of(count=profile.review_count, total=profile.review_sum) == rating_of(
            count=count, total=total
        )
