"""`backrelief check`: one line per check, exit status 1 when any fails."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from backrelief.core import diagnostics

pytestmark = pytest.mark.django_db


def _check() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("healthcheck", stdout=out, stderr=out)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_check_passes_on_a_migrated_database():
    status, output = _check()
    assert status == 0, output
    for name in ("system checks", "database", "migrations", "static assets", "secret key"):
        assert name in output
    assert "All checks passed." in output


def test_missing_front_end_build_fails_the_check(tmp_path):
    with override_settings(STATICFILES_DIRS=[tmp_path]):
        status, output = _check()
    assert status == 1
    assert "FAIL" in output
    assert "vendor/htmx.min.js" in output


def test_production_refuses_the_locally_generated_secret_key():
    local_key = (Path(settings.VAR_DIR) / "secret_key").read_text().strip()
    with override_settings(PRODUCTION=True, SECRET_KEY=local_key):
        result = diagnostics.check_secret_key()
    assert not result.ok
    assert "var/secret_key" in result.detail
    with override_settings(PRODUCTION=True, SECRET_KEY="x" * 60):
        assert diagnostics.check_secret_key().ok


def test_production_needs_collected_static_files(tmp_path):
    with override_settings(PRODUCTION=True, STATIC_ROOT=tmp_path):
        result = diagnostics.check_assets()
        assert not result.ok
        assert "collectstatic" in result.detail
        (tmp_path / diagnostics.MANIFEST_NAME).write_text("{}")
        for name in diagnostics.REQUIRED_ASSETS:
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text("/* collected */")
        assert diagnostics.check_assets().ok


def test_an_unreachable_database_is_reported_not_raised():
    results = {r.name: r for r in diagnostics.run_all()}
    assert results["database"].ok
    assert all(isinstance(r.detail, str) and r.detail for r in results.values())
