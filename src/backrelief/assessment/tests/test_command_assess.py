"""`backrelief assess FILE.json [--json]` (issue 3 item 8): the documented examples, the JSON
contract, exit 2 naming the field, and nothing stored."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from backrelief.assessment.tests.assess_inputs import raw_input

EXAMPLES = Path(__file__).resolve().parents[4] / "docs" / "examples"
BACKRELIEF = str(Path(sys.executable).parent / "backrelief")
TODAY = "2026-03-02"


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("assess", *args, "--today", TODAY, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), str(exc)
    return 0, out.getvalue(), err.getvalue()


def write(tmp_path: Path, data: object, name: str = "in.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


@pytest.mark.parametrize(
    ("example", "level", "duration"),
    [
        ("assess-lower-back.json", "NONE_REPORTED", "subacute"),
        ("assess-neck-soon.json", "SOON", "chronic"),
        ("assess-emergency.json", "EMERGENCY", "acute"),
    ],
)
def test_examples_give_the_documented_json_contract(example, level, duration):
    code, out, _ = run(str(EXAMPLES / example), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["triage"]["level"] == level
    assert data["duration_class"] == duration
    assert [t["technique"] for t in data["techniques"]] == [
        "swedish",
        "deep_tissue",
        "trigger_point",
        "shiatsu",
        "hot_stone",
        "self_massage",
    ]
    for t in data["techniques"]:
        assert {"technique", "action", "rank", "why", "why_not", "modifications"} <= set(t)
    assert {"catalog", "rules", "red_flags", "ranking", "instruments"} <= set(data["versions"])
    assert isinstance(data["scores"], dict)


def test_text_output_is_readable_and_names_the_level():
    code, out, _ = run(str(EXAMPLES / "assess-lower-back.json"))
    assert code == 0
    assert out.startswith("Warning signs: NONE_REPORTED")
    assert "Techniques:" in out
    assert "[evidence: " in out


def test_red_flags_left_out_are_not_screened(tmp_path):
    raw = raw_input()
    del raw["red_flags"]
    code, out, _ = run(write(tmp_path, raw), "--json")
    assert code == 0
    assert json.loads(out)["triage"]["level"] == "NOT_SCREENED"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "one JSON object"),
        (raw_input(regions={"LOWER_BACK": 11}), "regions.LOWER_BACK"),
        (raw_input(conditions=["flu"]), "conditions[0].code"),
        (raw_input(pain_onset_date="2026-03-03"), "pain_onset_date"),
        (raw_input(questionnaires={"ndi": [1, 2]}), "questionnaires.ndi"),
    ],
)
def test_file_and_input_errors_exit_2_naming_the_field(tmp_path, content, message):
    code, out, err = run(write(tmp_path, content))
    assert (code, out) == (2, "")
    assert message in err


def test_a_missing_file_exits_2(tmp_path):
    code, _, err = run(str(tmp_path / "absent.json"))
    assert code == 2
    assert "does not exist" in err


@pytest.mark.django_db
def test_assess_stores_nothing():
    from backrelief.assessment.models import Assessment

    assert run(str(EXAMPLES / "assess-lower-back.json"), "--json")[0] == 0
    assert not Assessment.objects.exists()


def test_real_command_line(tmp_path):
    env = {**os.environ, "BACKRELIEF_VAR_DIR": str(tmp_path)}
    ok = subprocess.run(
        [BACKRELIEF, "assess", str(EXAMPLES / "assess-neck-soon.json"), "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["triage"]["level"] == "SOON"
    bad = subprocess.run(
        [BACKRELIEF, "assess", write(tmp_path, raw_input(primary_region="NECK"))],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (bad.returncode, bad.stdout) == (2, "")
    assert "primary_region" in bad.stderr
