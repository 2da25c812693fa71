"""Architecture rules checked by the suite (STYLE.md "Architecture checks"):

- migrations are current for every app;
- adapters (views, api) do not touch the ORM directly — they call access/selectors/services;
- pure concept modules do not import the ORM or read the clock;
- every URL is either public by an explicit list or requires login;
- every writing API endpoint refuses a session-authenticated request without a CSRF token.
"""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from backrelief.urls import PUBLIC_URL_NAMES

SRC = Path(__file__).resolve().parents[2]
ADAPTER_GLOBS = ("*/views.py", "*/views/*.py", "*/api.py", "*/api/*.py")
# Pure modules: plain values in, plain values out (STYLE.md module vocabulary).
PURE_MODULES = (
    "accounts/lockout.py",
    "accounts/totp.py",
    "accounts/useragent.py",
    "catalog/contraindications.py",
    "catalog/data/conditions.py",
    "catalog/data/contraindications.py",
    "catalog/data/contraindications_local.py",
    "catalog/data/contraindications_whole_body.py",
    "catalog/data/evidence.py",
    "catalog/data/ranking.py",
    "catalog/data/ranking_inputs.py",
    "catalog/data/regions.py",
    "catalog/data/rule_model.py",
    "catalog/data/techniques.py",
    "assessment/data/emergency_numbers.py",
    "assessment/data/red_flags.py",
    "assessment/compare.py",
    "assessment/duration.py",
    "assessment/instruments/__init__.py",
    "assessment/instruments/licensed.py",
    "assessment/intake.py",
    "assessment/painmap.py",
    "assessment/recommendation.py",
    "assessment/scoring.py",
    "assessment/triage.py",
    "assessment/wizard.py",
    "core/demo.py",
    "therapists/demo.py",
    "therapists/rating.py",
    "therapists/credentials.py",
    "therapists/completeness.py",
    "therapists/data/languages.py",
    "therapists/profile_rules.py",
    "scheduling/completion.py",
    "scheduling/slots.py",
    "scheduling/availability.py",
    "core/time.py",
    "scheduling/availability_rules.py",
    "scheduling/demo.py",
    "scheduling/outbox.py",
    "therapists/geo.py",
    "therapists/matching.py",
    "therapists/places.py",
    "therapists/data/ranking.py",
)


@pytest.mark.django_db
def test_migrations_are_current():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)


def _adapter_files() -> list[Path]:
    files: set[Path] = set()
    for pattern in ADAPTER_GLOBS:
        files.update(SRC.glob(pattern))
    return sorted(f for f in files if "tests" not in f.parts)


def test_adapters_do_not_query_or_save_models_directly():
    offenders = []
    for path in _adapter_files():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in {"objects", "_default_manager"}:
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno} uses .{node.attr}")
            if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith(".models"):
                names = {a.name for a in node.names}
                # importing enums/choices is fine; querying is not (caught above)
                del names
    assert not offenders, "Adapters must call access/selectors/services:\n" + "\n".join(offenders)


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_modules_do_not_touch_orm_or_clock(module):
    path = SRC / module
    if not path.exists():
        pytest.fail(f"{module} is listed as pure but does not exist")
    text = path.read_text()
    tree = ast.parse(text)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            assert not node.module.startswith("django.db"), f"{module} imports {node.module}"
            assert not node.module.endswith(".models"), f"{module} imports {node.module}"
        if isinstance(node, ast.Import):
            for alias in node.names:
                assert not alias.name.startswith("django.db"), f"{module} imports {alias.name}"
    assert not re.search(r"\b(timezone\.now|datetime\.now|time\.time)\(", text), (
        f"{module} reads the clock; pass `now` in instead"
    )


def _named_patterns(resolver: URLResolver, prefix: str = "", ns: str = "") -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            sub_ns = ns
            if entry.namespace:
                sub_ns = f"{ns}:{entry.namespace}" if ns else entry.namespace
            found.extend(_named_patterns(entry, prefix + str(entry.pattern), sub_ns))
        elif isinstance(entry, URLPattern) and entry.name:
            full = f"{ns}:{entry.name}" if ns else entry.name
            found.append((full, prefix + str(entry.pattern)))
    return found


def _sample_kwargs(route: str) -> dict[str, str]:
    kwargs = {}
    for conv, name in re.findall(r"<(?:(\w+):)?(\w+)>", route):
        kwargs[name] = "00000000-0000-0000-0000-000000000000" if conv == "uuid" else "x"
    return kwargs


@pytest.mark.django_db
def test_every_page_is_public_by_list_or_requires_login():
    client = Client()
    problems = []
    for name, route in _named_patterns(get_resolver()):
        if name.startswith(("admin:", "api:")):
            continue  # admin has its own login; the API is covered below
        try:
            url = reverse(name, kwargs=_sample_kwargs(route) or None)
        except Exception as exc:  # a route we cannot build is itself a finding
            problems.append(f"{name}: cannot reverse ({exc})")
            continue
        if name in PUBLIC_URL_NAMES:
            continue
        response = client.get(url)
        login_redirect = response.status_code == 302 and response["Location"].startswith(
            "/accounts/login/"
        )
        if not (login_redirect or response.status_code in (404, 405)):
            problems.append(f"{name} ({url}) answered {response.status_code} to an anonymous GET")
    assert not problems, "\n".join(problems)


def _api_operations() -> list[tuple[str, str]]:
    from backrelief.api import api

    schema = api.get_openapi_schema()
    ops = []
    for path, methods in schema["paths"].items():
        for method in methods:
            ops.append((method.upper(), path))
    return ops


@pytest.mark.django_db
def test_every_api_endpoint_needs_authentication_unless_listed_public():
    from backrelief.api import PUBLIC_API_OPERATIONS

    client = Client()
    operations = _api_operations()
    unknown = PUBLIC_API_OPERATIONS - set(operations)
    assert not unknown, f"listed as public but not in the API: {sorted(unknown)}"
    for method, path in operations:
        url = re.sub(r"\{[^}]+\}", "00000000-0000-0000-0000-000000000000", path)
        response = client.generic(method, url, data="{}", content_type="application/json")
        if (method, path) in PUBLIC_API_OPERATIONS:
            assert response.status_code in (200, 404, 422), f"{method} {path} (public)"
            continue
        assert response.status_code == 401, f"{method} {path} answered {response.status_code}"


@pytest.mark.django_db
def test_every_writing_api_endpoint_refuses_session_auth_without_csrf(client_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(client_user)
    writing = [(m, p) for m, p in _api_operations() if m in {"POST", "PUT", "PATCH", "DELETE"}]
    assert writing, "expected writing endpoints in the API"
    for method, path in writing:
        url = re.sub(r"\{[^}]+\}", "00000000-0000-0000-0000-000000000000", path)
        response = client.generic(method, url, data="{}", content_type="application/json")
        assert response.status_code == 403, (
            f"{method} {path} answered {response.status_code} without a CSRF token"
        )
