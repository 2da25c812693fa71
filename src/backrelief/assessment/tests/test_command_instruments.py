"""`backrelief instruments import FILE` / `list`: licensed wording is checked against our
definition, installed atomically under VAR_DIR, and named on every result (DOMAIN §4.0, §4.7)."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from backrelief.assessment.instruments import INSTRUMENTS
from backrelief.assessment.scoring import score
from backrelief.assessment.wording import installed_wording, wording_dir


@pytest.fixture(autouse=True)
def _own_var_dir(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path / "var"


def licensed(code: str = "odi", **changes: Any) -> dict[str, Any]:
    """A wording file shaped like a licence holder's, built from our definition."""
    definition = INSTRUMENTS[code]
    data = {
        "instrument": code,
        "name": f"{code.upper()} licensed English",
        "version": "2024-03",
        "language": "en-GB",
        "licence": "Licence agreement TEST-1",
        "items": [
            {
                "id": item.id,
                "text": f"Licensed question {item.number}",
                "options": [{"value": v, "text": f"Statement {v}"} for v in item.values],
            }
            for item in definition.items
        ],
    }
    data.update(changes)
    return data


def write(tmp_path: Path, data: Any, name: str = "wording.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    out = io.StringIO()
    try:
        call_command("instruments", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), str(exc)
    return 0, out.getvalue(), ""


def test_import_installs_wording_and_results_name_it(tmp_path):
    code, out, _ = run("import", str(write(tmp_path, licensed("odi"))))
    assert code == 0
    assert "ODI licensed English 2024-03" in out
    assert (wording_dir() / "odi.json").exists()
    wording = installed_wording("odi")
    assert wording is not None
    result = score("odi", [1] * 10, wording=wording)
    assert result.wording == "ODI licensed English 2024-03"
    assert result.wording_note is None
    assert score("odi", [1] * 10).score == result.score  # scoring never depends on wording


def test_the_score_command_uses_the_installed_wording(tmp_path):
    run("import", str(write(tmp_path, licensed("phq4"))))
    out = io.StringIO()
    call_command("score", "phq4", "0,0,1,1", stdout=out)
    result = json.loads(out.getvalue())
    assert (result["wording"], result["wording_note"]) == ("PHQ4 licensed English 2024-03", None)
    other = io.StringIO()
    call_command("score", "nprs", "3", stdout=other)
    assert json.loads(other.getvalue())["wording"] == "backrelief-summary"


def test_list_shows_the_wording_in_use(tmp_path):
    run("import", str(write(tmp_path, licensed("ndi"))))
    code, out, _ = run("list")
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert set(lines) == set(INSTRUMENTS)
    assert "wording: NDI licensed English 2024-03" in lines["ndi"]
    assert "wording: backrelief-summary" in lines["odi"]


def _swap_first_two(data: dict[str, Any]) -> dict[str, Any]:
    data["items"][0], data["items"][1] = data["items"][1], data["items"][0]
    return data


def _drop_option(data: dict[str, Any]) -> dict[str, Any]:
    data["items"][2]["options"].pop()
    return data


def _renumber_option(data: dict[str, Any]) -> dict[str, Any]:
    data["items"][4]["options"][0]["value"] = 1
    return data


def _blank_text(data: dict[str, Any]) -> dict[str, Any]:
    data["items"][3]["text"] = " "
    return data


# (what is wrong, change to a valid ODI file, the field named on stderr)
MISMATCHES = [
    ("unknown instrument", lambda d: {**d, "instrument": "promis"}, "instrument"),
    ("one item short", lambda d: {**d, "items": d["items"][:-1]}, "items"),
    ("one item extra", lambda d: {**d, "items": [*d["items"], d["items"][0]]}, "items"),
    ("items out of order", _swap_first_two, "items[0].id"),
    ("an option missing", _drop_option, "items[2].options"),
    ("different option values", _renumber_option, "items[4].options"),
    ("blank item text", _blank_text, "items[3].text"),
    ("reserved name", lambda d: {**d, "name": "backrelief-summary"}, "name"),
    ("no licence", lambda d: {k: v for k, v in d.items() if k != "licence"}, "licence"),
    ("no version", lambda d: {**d, "version": 3}, "version"),
    ("wording for another instrument", lambda d: {**d, "instrument": "ndi"}, "items[3].id"),
]


@pytest.mark.parametrize(("why", "change", "field"), MISMATCHES, ids=[m[0] for m in MISMATCHES])
def test_mismatched_wording_is_rejected_and_nothing_is_installed(tmp_path, why, change, field):
    path = write(tmp_path, change(copy.deepcopy(licensed("odi"))))
    code, out, err = run("import", str(path))
    assert code == 2
    assert field in err, err
    assert out == ""
    assert not wording_dir().exists() or not any(wording_dir().iterdir())


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "Cannot read"), ("[1, 2]", "one JSON object"), ("", "Cannot read")],
)
def test_unreadable_files_are_rejected(tmp_path, content, message):
    code, _, err = run("import", str(write(tmp_path, content)))
    assert code == 2
    assert message in err
    assert not wording_dir().exists() or not any(wording_dir().iterdir())


def test_a_missing_file_is_a_usage_error(tmp_path):
    code, _, err = run("import", str(tmp_path / "nowhere.json"))
    assert code == 2
    assert "Cannot read" in err


def test_a_rejected_import_leaves_the_earlier_wording_in_place(tmp_path):
    run("import", str(write(tmp_path, licensed("odi"), "good.json")))
    before = (wording_dir() / "odi.json").read_bytes()
    bad = licensed("odi", name="ODI other", items=licensed("odi")["items"][:5])
    code, _, _ = run("import", str(write(tmp_path, bad, "bad.json")))
    assert code == 2
    assert (wording_dir() / "odi.json").read_bytes() == before
    assert sorted(p.name for p in wording_dir().iterdir()) == ["odi.json"]


def test_a_second_import_replaces_the_first(tmp_path):
    run("import", str(write(tmp_path, licensed("odi"), "one.json")))
    run("import", str(write(tmp_path, licensed("odi", version="2025-01"), "two.json")))
    wording = installed_wording("odi")
    assert wording is not None
    assert wording.label == "ODI licensed English 2025-01"


def test_an_installed_file_that_no_longer_matches_is_an_error_not_a_silent_fallback(tmp_path):
    run("import", str(write(tmp_path, licensed("odi"))))
    broken = licensed("odi")
    broken["items"] = broken["items"][:9]
    (wording_dir() / "odi.json").write_text(json.dumps(broken), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("score", "odi", "1,1,1,1,1,1,1,1,1,1", stdout=out, stderr=err)
    assert caught.value.returncode == 2
    assert "import the licensed wording again" in str(caught.value).lower()
    assert out.getvalue() == ""


def test_wording_lives_under_var_dir(settings):
    assert wording_dir() == Path(settings.VAR_DIR) / "instruments"
