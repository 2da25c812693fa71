"""credentials_public and the public credentials partial (issue 5 item 2)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.template.loader import render_to_string

from backrelief.therapists.selectors_credentials import credentials_public
from backrelief.therapists.tests.factories import (
    make_certification,
    make_experience,
    make_licence,
    make_profile,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)


def test_public_credentials_show_only_verified_unexpired_licences(therapist):
    with time_machine.travel(NOW, tick=False):
        profile = make_profile(therapist)
        make_licence(profile, status="verified", expires_on=dt.date(2027, 12, 31), now=NOW)
        make_licence(profile, status="pending")
        make_licence(profile, status="rejected")
        make_licence(
            profile,
            status="verified",
            issued_on=dt.date(2020, 1, 1),
            expires_on=dt.date(2026, 3, 2),
            now=NOW,
        )
        result = credentials_public(therapist=profile, now=NOW)
        assert [(lic.expires_on, lic.verified_on) for lic in result.licences] == [
            (dt.date(2027, 12, 31), dt.date(2026, 3, 3))
        ]
        assert result.licences[0].country_name == "Germany"
        assert result.has_verified_licence


def test_a_licence_expiring_today_is_still_shown(therapist):
    with time_machine.travel(NOW, tick=False):
        profile = make_profile(therapist)
        make_licence(profile, expires_on=dt.date(2026, 3, 3), now=NOW)
        assert len(credentials_public(therapist=profile, now=NOW).licences) == 1


def test_experience_is_verified_only_with_a_verified_certification(therapist):
    with time_machine.travel(NOW, tick=False):
        profile = make_profile(therapist)
        make_experience(profile, technique="swedish", years=8)
        make_experience(profile, technique="shiatsu", years=3)
        make_certification(profile, technique="swedish", status="verified", now=NOW)
        make_certification(profile, technique="shiatsu", status="pending")
        result = credentials_public(therapist=profile, now=NOW)
        assert [(e.technique, e.years, e.verified) for e in result.experience] == [
            ("swedish", 8, True),
            ("shiatsu", 3, False),
        ]
        assert [c.technique for c in result.certifications] == ["swedish"]
        assert result.certifications[0].technique_name == "Swedish massage"


def test_public_credentials_take_three_queries(therapist, django_assert_num_queries):
    with time_machine.travel(NOW, tick=False):
        profile = make_profile(therapist)
        make_licence(profile, now=NOW)
        make_certification(profile, now=NOW)
        make_experience(profile, technique="swedish", years=2)
        with django_assert_num_queries(3):
            credentials_public(therapist=profile, now=NOW)


def test_partial_says_verified_by_staff_with_dates_and_never_cleared(therapist):
    with time_machine.travel(NOW, tick=False):
        profile = make_profile(therapist)
        make_licence(profile, expires_on=dt.date(2027, 12, 31), now=NOW)
        make_experience(profile, technique="swedish", years=8)
        html = render_to_string(
            "therapists/_public_credentials.html",
            {"credentials": credentials_public(therapist=profile, now=NOW)},
        )
        assert "Licence verified by BackRelief staff on 3 March 2026 · expires 31 Dec 2027" in html
        assert "cleared" not in html.lower()
        assert "8 years" in html


def test_partial_without_a_licence_says_so(therapist):
    with time_machine.travel(NOW, tick=False):
        profile = make_profile(therapist)
        html = render_to_string(
            "therapists/_public_credentials.html",
            {"credentials": credentials_public(therapist=profile, now=NOW)},
        )
        assert "No verified licence" in html
