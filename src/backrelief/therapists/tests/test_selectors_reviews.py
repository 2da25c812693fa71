"""The public review list under a profile (issue 5 item 3): visible only, newest first,
pseudonyms unless the author chose to show their name, replies, pages; and the partial."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from backrelief.therapists.rating import rating_of
from backrelief.therapists.selectors_reviews import (
    review_list_public,
    review_pseudonym,
    review_recount,
)
from backrelief.therapists.tests.factories import make_booking, make_listed_therapist, make_review

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _reviews(profile, client, n, *, start=T0, **kw):
    out = []
    for i in range(n):
        booking = make_booking(
            client, profile, start=start + dt.timedelta(days=i), status="completed"
        )
        out.append(make_review(booking, now=booking.end + dt.timedelta(hours=i + 1), **kw))
    return out


def test_public_list_shows_visible_reviews_newest_first(client_user, therapist, staff_user):
    profile = make_listed_therapist(therapist)
    first, second, third = _reviews(profile, client_user, 3)
    make_review(
        make_booking(client_user, profile, start=T0 + dt.timedelta(days=9), status="completed"),
        hidden_by=staff_user,
    )
    page = review_list_public(therapist=profile)
    assert [i.public_id for i in page.items] == [third.public_id, second.public_id, first.public_id]
    assert page.count == 3


def test_author_label_is_a_pseudonym_unless_the_author_chose_to_show_their_name(
    client_user, therapist
):
    profile = make_listed_therapist(therapist)
    (hidden_name,) = _reviews(profile, client_user, 1)
    (shown_name,) = _reviews(
        profile, client_user, 1, start=T0 + dt.timedelta(days=5), show_name=True
    )
    labels = {i.public_id: i.author_label for i in review_list_public(therapist=profile).items}
    assert labels[shown_name.public_id] == "Cleo Client"
    assert re.fullmatch(r"Client [0-9A-F]{4}", labels[hidden_name.public_id])
    assert labels[hidden_name.public_id] == review_pseudonym(hidden_name.public_id)
    assert "Cleo" not in labels[hidden_name.public_id]


def test_pseudonym_depends_only_on_the_review_public_id():
    import uuid

    one, two = uuid.UUID(int=1), uuid.UUID(int=2)
    assert review_pseudonym(one) == review_pseudonym(uuid.UUID(int=1))
    assert review_pseudonym(one) != review_pseudonym(two)
    assert re.fullmatch(r"Client [0-9A-F]{4}", review_pseudonym(two))


def test_pages_hold_ten_reviews_and_bad_page_numbers_fall_back(client_user, therapist):
    profile = make_listed_therapist(therapist)
    _reviews(profile, client_user, 12)
    first = review_list_public(therapist=profile, page=1)
    second = review_list_public(therapist=profile, page="2")
    assert (len(first.items), len(second.items), first.num_pages) == (10, 2, 2)
    assert first.has_next
    assert not first.has_previous
    assert second.has_previous
    assert review_list_public(therapist=profile, page="x").number == 1
    assert review_list_public(therapist=profile, page=99).number == 2


def test_public_list_takes_two_queries(client_user, therapist, django_assert_num_queries):
    profile = make_listed_therapist(therapist)
    _reviews(profile, client_user, 3)
    with django_assert_num_queries(2):
        review_list_public(therapist=profile)


def test_recount_matches_the_counters_kept_by_the_builders(client_user, therapist, staff_user):
    profile = make_listed_therapist(therapist)
    _reviews(profile, client_user, 3, rating=4)
    profile.refresh_from_db()
    assert (
        review_recount(therapist=profile) == (profile.review_count, profile.review_sum) == (3, 12)
    )


def test_partial_shows_the_rating_reviews_reply_pages_and_report_links(client_user, therapist):
    from backrelief.therapists.models import ReviewReply

    profile = make_listed_therapist(therapist)
    reviews = _reviews(profile, client_user, 11)
    ReviewReply.objects.create(
        review=reviews[-1], text="Thank you, see you soon.", created_at=T0, updated_at=T0
    )
    profile.refresh_from_db()
    request = RequestFactory().get("/")
    request.user = client_user
    html = render_to_string(
        "therapists/_public_reviews.html",
        {
            "reviews": review_list_public(therapist=profile),
            "rating": rating_of(count=profile.review_count, total=profile.review_sum),
            "user": client_user,
        },
        request=request,
    )
    assert "5.0 from 11 reviews" in html
    assert "one 5-star review cannot outrank" in html
    assert "Thank you, see you soon." in html
    assert "?review_page=2#reviews" in html
    assert html.count("/report/") == 10
    assert "Cleo" not in html
    assert client_user.email not in html


def test_partial_has_no_report_links_for_anonymous_visitors(client_user, therapist):
    from django.contrib.auth.models import AnonymousUser

    profile = make_listed_therapist(therapist)
    _reviews(profile, client_user, 1)
    html = render_to_string(
        "therapists/_public_reviews.html",
        {
            "reviews": review_list_public(therapist=profile),
            "rating": rating_of(count=1, total=5),
            "user": AnonymousUser(),
        },
    )
    assert "/report/" not in html
    assert "1 review" in html
