"""Pain duration class (DOMAIN §1.1): both profiles at every boundary, future onset, parsing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backrelief.assessment.duration import (
    DURATION_PROFILES,
    DurationClass,
    days_since,
    duration_class,
    parse_pain_onset_date,
    weeks_since,
)
from backrelief.core.errors import Invalid

TODAY = dt.date(2026, 11, 21)
A, S, C = DurationClass.ACUTE, DurationClass.SUBACUTE, DurationClass.CHRONIC


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.mark.parametrize(
    ("days", "international", "acp"),
    [
        (0, A, A),  # started today
        (27, A, A),
        (28, A, S),  # exactly 4 weeks: ACP subacute
        (41, A, S),
        (42, S, S),  # exactly 6 weeks: international subacute
        (83, S, S),
        (84, C, C),  # exactly 12 weeks counts as chronic in both (DOMAIN §1.1 [P])
        (85, C, C),
        (3650, C, C),
    ],
)
def test_boundaries_of_both_profiles(days, international, acp):
    onset = days_ago(days)
    assert duration_class(onset=onset, today=TODAY) is international
    assert duration_class(onset=onset, today=TODAY, profile="international") is international
    assert duration_class(onset=onset, today=TODAY, profile="acp") is acp


def test_weeks_are_completed_weeks():
    assert weeks_since(onset=days_ago(41), today=TODAY) == 5
    assert weeks_since(onset=days_ago(42), today=TODAY) == 6
    assert days_since(onset=days_ago(42), today=TODAY) == 42


def test_boundaries_count_calendar_days_across_a_leap_day():
    # 2028-02-29 exists: 12 weeks before 2028-03-20 is 2027-12-27.
    assert duration_class(onset=dt.date(2027, 12, 27), today=dt.date(2028, 3, 20)) is C
    assert duration_class(onset=dt.date(2027, 12, 28), today=dt.date(2028, 3, 20)) is S


@pytest.mark.parametrize("profile", ["international", "acp"])
def test_onset_in_the_future_names_the_field(profile):
    with pytest.raises(Invalid) as exc:
        duration_class(onset=TODAY + dt.timedelta(days=1), today=TODAY, profile=profile)
    assert list(exc.value.fields) == ["pain_onset_date"]


def test_unknown_profile_is_a_configuration_error():
    with pytest.raises(ValueError, match="nice"):
        duration_class(onset=TODAY, today=TODAY, profile="nice")


def test_instants_are_refused_so_the_caller_picks_the_local_date():
    with pytest.raises(TypeError):
        duration_class(onset=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), today=TODAY)


def test_thresholds_are_data_with_a_source():
    assert {name: (p.subacute_from, p.chronic_from) for name, p in DURATION_PROFILES.items()} == {
        "international": (6, 12),
        "acp": (4, 12),
    }
    assert all(p.source for p in DURATION_PROFILES.values())


@given(st.integers(0, 2000), st.integers(0, 2000), st.sampled_from(sorted(DURATION_PROFILES)))
def test_longer_ago_is_never_a_shorter_class(a, b, profile):
    order = [A, S, C]
    first, later = sorted((a, b))
    shorter = duration_class(onset=days_ago(first), today=TODAY, profile=profile)
    longer = duration_class(onset=days_ago(later), today=TODAY, profile=profile)
    assert order.index(longer) >= order.index(shorter)


# --- parse_pain_onset_date ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-09-30", dt.date(2026, 9, 30)),
        (" 2026-11-21 ", TODAY),
        (dt.date(2026, 1, 2), dt.date(2026, 1, 2)),
    ],
)
def test_parse_reads_iso_dates(raw, expected):
    assert parse_pain_onset_date(raw, today=TODAY) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "30/09/2026", "2026-02-30", "20260930", "2026-W40-1", "2026-09-30T10:00", 20260930, None],
)
def test_parse_refuses_anything_but_a_calendar_date(raw):
    with pytest.raises(Invalid) as exc:
        parse_pain_onset_date(raw, today=TODAY)
    assert list(exc.value.fields) == ["pain_onset_date"]


def test_parse_refuses_a_future_date():
    with pytest.raises(Invalid) as exc:
        parse_pain_onset_date("2026-11-22", today=TODAY)
    assert list(exc.value.fields) == ["pain_onset_date"]
