"""`backrelief score INSTRUMENT ANSWERS`: the JSON contract and exit codes (issue 3 §8)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

BACKRELIEF = str(Path(sys.executable).parent / "backrelief")
NOTE = "answered on BackRelief's plain-language summary, not the licensed form"
BASE_KEYS = {"valid", "answered", "prorated", "score", "band"}
PHQ4_KEYS = {"anxiety", "depression", "anxiety_positive", "depression_positive"}


@pytest.fixture(autouse=True)
def _own_var_dir(settings: Any, tmp_path: Path) -> None:
    """No wording installed unless a test installs it."""
    settings.VAR_DIR = tmp_path


def run(instrument: str, answers: str) -> tuple[int, dict[str, Any] | None, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("score", instrument, answers, stdout=out, stderr=err)
        code = 0
    except CommandError as exc:
        code, err = exc.returncode, io.StringIO(str(exc))
    text = out.getvalue()
    return code, (json.loads(text) if text else None), err.getvalue()


# (instrument, ANSWERS, exit, score, percent, band)
TABLE = [
    ("nprs", "6", 0, 6.0, None, "moderate"),
    ("sleep", "10", 0, 10.0, None, "excellent"),
    ("ndi", "1,2,,0,3,1,0,2,1,0", 0, 100 / 9, 200 / 9, "mild"),
    ("ndi", "5,5,5,5,5,5,5,0,0,0", 0, 35.0, 70.0, "complete"),
    ("odi", "2,2,2,2,2,2,1,,2,1", 0, 1600 / 45, 1600 / 45, "moderate"),
    ("odi", "1,1,1,1,1,1,1,1,1,1", 0, 20.0, 20.0, "minimal"),
    ("pss10", "0,0,0,0,0,0,0,0,0,0", 0, 16.0, None, "moderate"),
    ("phq4", "1,2,0,3", 0, 6.0, None, "moderate"),
    ("nprs", "", 1, None, None, None),
    ("ndi", "1,,,0,3,1,0,2,,0", 1, None, None, None),
    ("pss10", "0,0,,0,0,0,0,0,,0", 1, None, None, None),
    ("phq4", "1,2,,0", 1, None, None, None),
]


@pytest.mark.parametrize(("instrument", "answers", "exit_code", "value", "percent", "band"), TABLE)
def test_score_prints_one_json_object_with_the_contract_keys(
    instrument, answers, exit_code, value, percent, band
):
    code, result, _ = run(instrument, answers)
    assert code == exit_code
    assert result is not None
    assert set(result) >= BASE_KEYS
    assert result["valid"] is (exit_code == 0)
    assert ("error" in result) is (exit_code == 1)
    assert ("percent" in result) is (instrument in ("ndi", "odi"))
    assert (set(result) >= PHQ4_KEYS) is (instrument == "phq4")
    assert result["score"] == (None if value is None else pytest.approx(value))
    assert result.get("percent") == (None if percent is None else pytest.approx(percent))
    assert result["band"] == band
    assert result["answered"] == sum(1 for a in answers.split(",") if a.strip())
    assert result["wording"] == "backrelief-summary"
    assert result["wording_note"] == NOTE


def test_score_is_a_float_of_the_exact_unrounded_value():
    _, result, _ = run("odi", "2,2,2,2,2,2,1,,2,1")
    assert result is not None
    assert isinstance(result["score"], float)
    assert result["score"] == 1600 / 45  # 35.555..., not the display value 35.6
    assert result["display"] == "35.6%"
    assert result["prorated"] is True


def test_phq4_with_a_missing_item_reports_the_complete_subscale():
    code, result, err = run("phq4", "1,2,,0")
    assert code == 1
    assert result is not None
    assert (result["valid"], result["score"], result["band"]) == (False, None, None)
    assert (result["anxiety"], result["anxiety_positive"]) == (3, True)
    assert (result["depression"], result["depression_positive"]) == (None, None)
    assert "all 4 items" in result["error"]
    assert "all 4 items" in err


# (instrument, ANSWERS, text expected in the message) — exit 2, nothing on stdout
USAGE = [
    ("promis", "1,2,3,4", "Unknown instrument"),
    ("ndi", "1,2,3", "10 items"),
    ("ndi", "1,2,x,0,3,1,0,2,1,0", "answers[2]"),
    ("nprs", "2.5", "answers[0]"),
    ("nprs", "11", "answers[0]"),
    ("odi", "1,2,6,0,3,1,0,2,1,0", "answers[2]"),
    ("phq4", "0,0,0,-1", "answers[3]"),
]


@pytest.mark.parametrize(("instrument", "answers", "message"), USAGE)
def test_usage_errors_exit_2_with_the_field_in_the_message(instrument, answers, message):
    code, result, err = run(instrument, answers)
    assert code == 2
    assert result is None
    assert message in err


def _cli(*args: str, var_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BACKRELIEF_VAR_DIR": str(var_dir)}
    return subprocess.run(
        [BACKRELIEF, "score", *args], env=env, capture_output=True, text=True, check=False
    )


def test_real_command_line_exit_0_with_json(tmp_path):
    done = _cli("ndi", "1,2,,0,3,1,0,2,1,0", var_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["valid"], result["band"], result["prorated"]) == (True, "mild", True)
    assert result["score"] == 100 / 9
    assert done.stderr == ""


def test_real_command_line_exit_1_when_not_scorable(tmp_path):
    done = _cli("phq4", "1,2,,0", var_dir=tmp_path)
    assert done.returncode == 1
    assert json.loads(done.stdout)["anxiety"] == 3


def test_real_command_line_exit_2_on_usage_errors(tmp_path):
    out_of_range = _cli("ndi", "1,2,9,0,3,1,0,2,1,0", var_dir=tmp_path)
    assert (out_of_range.returncode, out_of_range.stdout) == (2, "")
    assert "answers[2]" in out_of_range.stderr
    missing_argument = _cli("ndi", var_dir=tmp_path)
    assert missing_argument.returncode == 2
