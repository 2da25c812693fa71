"""`listing_problem` explains the listing rule in words; it must agree with `listed_q`."""

import datetime as dt

import pytest
import time_machine

from backrelief.therapists.selectors import therapist_is_listed
from backrelief.therapists.selectors_profile import listing_problem
from backrelief.therapists.tests.factories import make_licence, make_profile

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
STATES = {
    "none": [],
    "pending": [("pending", dt.date(2027, 1, 1))],
    "rejected": [("rejected", dt.date(2027, 1, 1))],
    "expired": [("verified", dt.date(2026, 11, 29))],
    "expires_today": [("verified", dt.date(2026, 11, 30))],
    "valid": [("verified", dt.date(2027, 1, 1))],
    "expired_and_pending": [("verified", dt.date(2026, 1, 1)), ("pending", dt.date(2028, 1, 1))],
}


@pytest.mark.parametrize("state", sorted(STATES))
@pytest.mark.parametrize("active", [True, False])
def test_the_explanation_agrees_with_the_listing_rule(therapist, state, active):
    with time_machine.travel(NOW, tick=False):
        profile = make_profile(therapist, now=NOW)
        for i, (status, expires_on) in enumerate(STATES[state]):
            make_licence(profile, status=status, expires_on=expires_on, number=f"N-{i}", now=NOW)
        therapist.is_active = active
        therapist.save(update_fields=["is_active"])
        profile.refresh_from_db()
        listed = therapist_is_listed(therapist=profile, now=NOW)
        assert listed == (active and state in {"expires_today", "valid"})
        assert (listing_problem(profile=profile, now=NOW) is None) == listed
