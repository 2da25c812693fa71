"""Settings profiles (issue 2 §2) and strict environment parsing.

- Production passes `check --deploy --fail-level WARNING` with zero warnings, in a real
  subprocess, with a database URL that points nowhere (the check must not need a database).
- Production without SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL or EMAIL_URL fails at start,
  naming the variable; malformed values raise EnvError naming the variable.
- The local profile works with no environment at all.
- `.env.example` lists exactly `backrelief.env.VARIABLES`, with their defaults and meanings.

Most cases execute the real settings module with `runpy` under a controlled environment
(fast, and the module's own code runs, nothing is stubbed).
"""

from __future__ import annotations

import os
import re
import runpy
import secrets
import string
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import backrelief.settings as current_settings
from backrelief.env import VARIABLES, EnvError

SETTINGS_FILE = Path(current_settings.__file__)
REPO = Path(current_settings.BASE_DIR)
PRODUCTION = {
    "BACKRELIEF_ENV": "production",
    "SECRET_KEY": "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(60)),
    "ALLOWED_HOSTS": "backrelief.example",
    "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/x",
    "EMAIL_URL": "smtp://mailer:secret@mail.example:587",
}


@pytest.fixture
def environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    """An environment with none of our variables set, and var/ in a temporary directory."""
    for var in VARIABLES:
        monkeypatch.delenv(var.name, raising=False)
    monkeypatch.setenv("BACKRELIEF_VAR_DIR", str(tmp_path / "var"))
    return {"BACKRELIEF_VAR_DIR": str(tmp_path / "var")}


def _load(monkeypatch: pytest.MonkeyPatch, **values: str) -> dict[str, Any]:
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE), run_name="backrelief_settings_probe")


def _subprocess_env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {v.name for v in VARIABLES}}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["BACKRELIEF_VAR_DIR"] = str(tmp_path / "var")
    env.update(values)
    return env


def test_production_profile_passes_the_deploy_checks_with_zero_warnings(tmp_path):
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=_subprocess_env(tmp_path, **PRODUCTION),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout
    assert "WARNING" not in done.stderr


def test_production_without_a_secret_key_does_not_start(tmp_path):
    values = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    done = subprocess.run(
        [sys.executable, "-c", "import django, os; django.setup()"],
        env={
            **_subprocess_env(tmp_path, **values),
            "DJANGO_SETTINGS_MODULE": "backrelief.settings",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "EnvError: SECRET_KEY must be set" in done.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_URL"])
def test_production_requires_each_variable_and_names_it(monkeypatch, environ, missing):
    values = {k: v for k, v in PRODUCTION.items() if k != missing}
    with pytest.raises(EnvError, match=missing):
        _load(monkeypatch, **values)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BACKRELIEF_ENV", "staging"),
        ("BACKRELIEF_DEBUG", "sometimes"),
        ("TRUSTED_PROXY", "maybe"),
        ("SQLITE_BUSY_TIMEOUT_S", "soon"),
        ("SQLITE_BUSY_TIMEOUT_S", "0"),
        ("AUDIT_RETENTION_DAYS", "30"),
        ("AUDIT_RETENTION_DAYS", "2190.5"),
        ("LOG_LEVEL", "LOUD"),
        ("ALLOWED_HOSTS", "a.example,,b.example"),
        ("DATABASE_URL", "mysql://u:p@db.example/x"),
        ("EMAIL_URL", "http://mail.example"),
    ],
)
def test_malformed_values_raise_env_error_naming_the_variable(monkeypatch, environ, name, value):
    with pytest.raises(EnvError, match=name):
        _load(monkeypatch, **{name: value})


@pytest.mark.parametrize(
    ("name", "value"),
    [("SECURE_HSTS_SECONDS", "a year"), ("SECRET_KEY", "short"), ("SECRET_KEY", "a" * 60)],
)
def test_malformed_production_values_are_refused(monkeypatch, environ, name, value):
    with pytest.raises(EnvError, match=name):
        _load(monkeypatch, **{**PRODUCTION, name: value})


def test_production_turns_on_https_protections(monkeypatch, environ):
    s = _load(monkeypatch, **PRODUCTION)
    assert s["DEBUG"] is False
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_HSTS_SECONDS"] == 31536000
    assert s["SESSION_COOKIE_SECURE"] is True
    assert s["CSRF_COOKIE_SECURE"] is True
    assert s["ALLOWED_HOSTS"] == ["backrelief.example"]
    assert s["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_local_profile_needs_no_environment(monkeypatch, environ):
    s = _load(monkeypatch)
    assert s["PRODUCTION"] is False
    assert s["DEBUG"] is True
    assert s["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "testserver"]
    assert s.get("SECURE_SSL_REDIRECT", False) is False
    assert s.get("SESSION_COOKIE_SECURE", False) is False
    assert s.get("CSRF_COOKIE_SECURE", False) is False
    assert s["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert s["EMAIL_BACKEND"].endswith("filebased.EmailBackend")


def test_local_secret_key_is_generated_once_into_the_var_directory(monkeypatch, environ):
    key_file = Path(environ["BACKRELIEF_VAR_DIR"]) / "secret_key"
    assert not key_file.exists()
    first = _load(monkeypatch)["SECRET_KEY"]
    assert key_file.read_text().strip() == first
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert len(first) >= 50
    assert _load(monkeypatch)["SECRET_KEY"] == first  # sessions survive a restart


def _env_example_entries() -> list[tuple[str, str | None, str]]:
    """(name, default, meaning) for each `NAME=value` line and the comment line above it."""
    lines = (REPO / ".env.example").read_text().splitlines()
    entries = []
    for index, line in enumerate(lines):
        match = re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", line)
        if not match:
            continue
        above = lines[index - 1]
        assert above.startswith("# "), f"{match.group(1)} needs its meaning on the line above"
        value = match.group(2)
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        entries.append((match.group(1), value or None, above[2:]))
    return entries


def test_env_example_lists_every_variable_with_its_default_and_meaning():
    expected = [(v.name, v.default, v.meaning) for v in VARIABLES]
    assert _env_example_entries() == expected
