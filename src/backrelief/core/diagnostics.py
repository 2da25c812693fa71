"""Health and deployment checks behind `backrelief check` (and `run`'s refusal to start).

Each check answers one question an operator has before traffic arrives and returns a
`CheckResult` instead of raising, so the command can print every line and then fail once.

- system checks: Django's own, with the deploy checks in production; warnings fail there
  (the production profile passes with zero warnings, issue 2 §2), only errors fail locally;
- database: reachable (a `SELECT 1` through Django's connection);
- migrations: none unapplied (a half-migrated schema fails in confusing ways later);
- assets: the front-end build exists (`vendor/htmx.min.js` is findable) and, in production,
  `collectstatic` has run, since WhiteNoise then serves only the collected, hashed files;
- secret key: production does not use the key generated into var/ for the local profile.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import checks
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Files every page needs; their absence means the front-end build or collectstatic is missing.
REQUIRED_ASSETS = ("vendor/htmx.min.js", "css/app.css", "js/app.js")
MANIFEST_NAME = "staticfiles.json"  # written by ManifestStaticFilesStorage


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str


def check_system() -> CheckResult:
    """Django's system checks; `--deploy` ones in production, where warnings fail too."""
    messages = checks.run_checks(include_deployment_checks=settings.PRODUCTION)
    visible = [m for m in messages if not m.is_silenced()]
    threshold = checks.WARNING if settings.PRODUCTION else checks.ERROR
    failing = [m for m in visible if m.level >= threshold]
    name = "system checks (deploy)" if settings.PRODUCTION else "system checks"
    if failing:
        return CheckResult(name, False, "; ".join(f"{m.id}: {m.msg}" for m in failing))
    if visible:
        return CheckResult(
            name, True, f"{len(visible)} note(s): " + ", ".join(str(m.id) for m in visible)
        )
    return CheckResult(name, True, "no issues")


def check_database() -> CheckResult:
    """The default database answers a query."""
    vendor = connection.vendor
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not reachable"; say which
        return CheckResult("database", False, f"{vendor}: {type(exc).__name__}: {exc}".strip())
    return CheckResult("database", True, f"{vendor} reachable")


def check_migrations() -> CheckResult:
    """No migration is waiting to be applied."""
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # unreachable database: reported by check_database as well
        return CheckResult("migrations", False, f"cannot read migration state: {exc}")
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
        more = f" and {len(plan) - 5} more" if len(plan) > 5 else ""
        return CheckResult(
            "migrations", False, f"{len(plan)} unapplied ({names}{more}); run `backrelief migrate`"
        )
    return CheckResult("migrations", True, "all applied")


def check_assets() -> CheckResult:
    """Locally the front-end build is findable; in production it has been collected.

    Production serves only what `collectstatic` gathered (WhiteNoise without finders), so
    there the collected copy is what counts; the source tree may not even be deployed.
    """
    if settings.PRODUCTION:
        problem = collected_assets_problem()
        if problem:
            return CheckResult("static assets", False, problem)
        return CheckResult("static assets", True, f"collected in {settings.STATIC_ROOT}")
    missing = [name for name in REQUIRED_ASSETS if not finders.find(name)]
    if missing:
        return CheckResult(
            "static assets",
            False,
            f"not found: {', '.join(missing)}; build them with `make frontend`",
        )
    return CheckResult("static assets", True, "found (served through the finders locally)")


def collected_assets_problem() -> str | None:
    """Why the collected static files are unusable, or None when collectstatic has run.

    With the manifest storage every `{% static %}` tag looks its file up in the manifest, so a
    missing manifest turns every page into a server error: better to refuse to start.
    """
    root = Path(settings.STATIC_ROOT)
    manifest = root / MANIFEST_NAME
    if not manifest.is_file():
        return f"{manifest} is missing; run `backrelief collectstatic --noinput`"
    missing = [name for name in REQUIRED_ASSETS if not (root / name).is_file()]
    if missing:
        return f"not collected: {', '.join(missing)}; run `backrelief collectstatic --noinput`"
    return None


def check_secret_key() -> CheckResult:
    """Production must not run on the key the local profile generated into var/."""
    if not settings.PRODUCTION:
        return CheckResult("secret key", True, "local profile (key kept in var/secret_key)")
    local = Path(settings.VAR_DIR) / "secret_key"
    if local.is_file() and hmac.compare_digest(
        local.read_text().strip().encode(), str(settings.SECRET_KEY).encode()
    ):
        return CheckResult(
            "secret key",
            False,
            "SECRET_KEY is the key generated for local use in var/secret_key; set a new one",
        )
    return CheckResult("secret key", True, "set from the environment")


def run_all() -> list[CheckResult]:
    """Every check, in the order an operator would fix them."""
    database = check_database()
    results = [check_system(), database]
    if database.ok:
        results.append(check_migrations())
    else:
        results.append(CheckResult("migrations", False, "skipped: database not reachable"))
    results.extend([check_assets(), check_secret_key()])
    return results
