"""Reads shared by every therapist area (issue 5). Area-specific reads live beside them:
`selectors_credentials.py`, `selectors_reviews.py`, `selectors_directory.py`.

The listing rule is here, once: a therapist is *listed* (appears in search, has a public
profile) exactly while they hold a verified licence whose expiry date is not past, on the
calendar date `today` in UTC (issue 5 item 2; docs/rules.md "Therapists"). A licence that
expires on 2026-11-30 still lists the therapist on that day and no longer on 2026-12-01.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from backrelief.therapists.models import Licence, TherapistProfile, VerificationStatus


def listing_date(now: dt.datetime) -> dt.date:
    """The calendar date (UTC) the listing rule compares licence expiry dates with."""
    return now.astimezone(dt.UTC).date()


def valid_licence_exists(*, now: dt.datetime) -> Exists:
    """SQL: the outer therapist has a verified licence that has not expired at `now`."""
    return Exists(
        Licence.objects.filter(
            therapist=OuterRef("pk"),
            status=VerificationStatus.VERIFIED,
            expires_on__gte=listing_date(now),
        )
    )


def listed_q(*, now: dt.datetime) -> Q:
    """The listing rule as a filter on TherapistProfile (active accounts only)."""
    return Q(valid_licence_exists(now=now)) & Q(user__is_active=True)


def therapist_list_listed(*, now: dt.datetime) -> QuerySet[TherapistProfile]:
    """Every listed therapist; the base of directory search and public profiles."""
    return TherapistProfile.objects.filter(listed_q(now=now))


def therapist_is_listed(*, therapist: TherapistProfile, now: dt.datetime) -> bool:
    """Whether `therapist` is listed at `now` (one query)."""
    return therapist_list_listed(now=now).filter(pk=therapist.pk).exists()
