"""Shared inputs for the recommendation, service and CLI tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from backrelief.assessment.data.red_flags import QUESTION_IDS

TODAY = dt.date(2026, 3, 2)


def all_no(**yes: bool | None) -> dict[str, bool | None]:
    """Every red-flag question answered "no", except those given."""
    answers: dict[str, bool | None] = dict.fromkeys(QUESTION_IDS, False)
    answers.update(yes)
    return answers


def raw_input(**overrides: Any) -> dict[str, Any]:
    """A screened person with lower back pain for 8 weeks and no conditions or preferences."""
    raw: dict[str, Any] = {
        "red_flags": all_no(),
        "regions": {"LOWER_BACK": 6},
        "primary_region": "LOWER_BACK",
        "pain_onset_date": "2026-01-05",
    }
    raw.update(overrides)
    return raw
