"""selectors_sessions (issue 6 item 9): the client's sections, their caps, the reviewable
ids, and finding the client's own booking at one instant (double submit)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from backrelief.scheduling.selectors_sessions import (
    booking_find_own_at,
    booking_is_reviewable,
    session_lists,
)
from backrelief.scheduling.tests.booking_helpers import NOW, SLOT, bookable
from backrelief.therapists.tests.factories import make_booking, make_review

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)


def test_sections_split_by_status_and_start_in_their_order(client_user, other_client, therapist):
    with time_machine.travel(NOW, tick=False):
        profile, service = bookable(therapist)
        later = make_booking(client_user, profile, start=SLOT + D, service=service)
        soon = make_booking(client_user, profile, start=SLOT, service=service)
        older = make_booking(client_user, profile, start=NOW - 3 * D, status="completed")
        newer = make_booking(client_user, profile, start=NOW - 2 * D, status="completed")
        cancelled = make_booking(client_user, profile, start=SLOT + 2 * D, status="cancelled")
        make_booking(other_client, profile, start=SLOT + 3 * D, service=service)
        lists = session_lists(client=client_user, now=NOW)
        assert lists.upcoming.rows == [soon, later]
        assert lists.past.rows == [newer, older]
        assert lists.cancelled.rows == [cancelled]
        assert not lists.upcoming.capped
        assert lists.reviewable_ids == {older.pk, newer.pk}


def test_a_session_that_has_started_is_past_and_a_reviewed_one_is_not_reviewable(
    client_user, therapist
):
    with time_machine.travel(NOW, tick=False):
        profile, service = bookable(therapist)
        started = make_booking(client_user, profile, start=NOW - H, service=service)
        reviewed = make_booking(client_user, profile, start=NOW - 3 * D, status="completed")
        make_review(reviewed)
        lists = session_lists(client=client_user, now=NOW)
        assert lists.past.rows == [started, reviewed]
        assert lists.reviewable_ids == frozenset()
        assert not booking_is_reviewable(booking=reviewed, now=NOW)
        assert not booking_is_reviewable(booking=started, now=NOW)


def test_each_section_is_capped_and_says_so(client_user, therapist, django_assert_num_queries):
    with time_machine.travel(NOW, tick=False):
        profile, service = bookable(therapist)
        for n in range(4):
            make_booking(client_user, profile, start=SLOT + n * D, service=service)
        with django_assert_num_queries(4):
            lists = session_lists(client=client_user, now=NOW, upcoming_limit=3)
            assert [b.service.technique for b in lists.upcoming.rows]  # loaded with the rows
            assert [b.therapist.display_name for b in lists.upcoming.rows]
        assert len(lists.upcoming.rows) == 3
        assert lists.upcoming.capped


def test_the_own_booking_at_an_instant_is_found_only_while_active_and_only_for_its_client(
    client_user, other_client, therapist
):
    with time_machine.travel(NOW, tick=False):
        profile, service = bookable(therapist)
        booking = make_booking(client_user, profile, start=SLOT, service=service)
        found = booking_find_own_at(
            client=client_user, service_public_id=service.public_id, start=SLOT
        )
        assert found == booking
        assert (
            booking_find_own_at(
                client=other_client, service_public_id=service.public_id, start=SLOT
            )
            is None
        )
        assert (
            booking_find_own_at(
                client=client_user, service_public_id=service.public_id, start=SLOT + H
            )
            is None
        )
        booking.status = "cancelled"
        booking.cancelled_at = NOW
        booking.save()
        assert (
            booking_find_own_at(client=client_user, service_public_id=service.public_id, start=SLOT)
            is None
        )
