"""Demo availability (issue 6 item 1): every demo therapist and the persona get weekly hours,
Monday to Friday 09:00-17:00 in their own zone with a lunch break, so the demo has slots."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backrelief.core.demo import PERSONAS
from backrelief.scheduling.demo import demo_weekly_hours
from backrelief.scheduling.models import WeeklyHours
from backrelief.scheduling.selectors_availability import availability_conflicts
from backrelief.therapists.models import TherapistProfile
from backrelief.therapists.services.demo import therapist_demo_load

NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)
THERAPIST_EMAIL = PERSONAS[1].email


@pytest.fixture(autouse=True)
def private_files(settings: Any, tmp_path: Any) -> Any:
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    return settings.PRIVATE_FILES_ROOT


def test_demo_hours_are_weekdays_with_a_lunch_break():
    hours = demo_weekly_hours()
    assert sorted({day for day, _s, _e in hours}) == [0, 1, 2, 3, 4]
    assert [(f"{s:%H:%M}", f"{e:%H:%M}") for day, s, e in hours if day == 0] == [
        ("09:00", "12:30"),
        ("13:30", "17:00"),
    ]


@pytest.mark.django_db
def test_every_demo_therapist_and_the_persona_get_the_weekly_hours():
    therapist_demo_load(count=3, seed=42, now=NOW)
    profiles = list(TherapistProfile.objects.all())
    assert len(profiles) == 4  # three demo therapists and the persona
    expected = sorted(demo_weekly_hours())
    for profile in profiles:
        rows = WeeklyHours.objects.filter(therapist=profile)
        assert sorted((r.weekday, r.start_time, r.end_time) for r in rows) == expected
    persona = TherapistProfile.objects.get(user__email=THERAPIST_EMAIL)
    assert persona.weekly_hours.count() == 10
    assert availability_conflicts(therapist=persona, now=NOW) == []
    therapist_demo_load(count=3, seed=42, now=NOW)  # idempotent: nothing added twice
    assert WeeklyHours.objects.count() == 40
