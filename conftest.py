"""Shared test setup: markers, hypothesis profiles, PostgreSQL requirement, personas.

Personas (STYLE.md, from healthchecks): every adapter test covers client, other client,
therapist, other therapist, staff and anonymous.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile(
    "ci", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

PASSWORD = "correct horse battery staple"
IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")
_POSTGRES_UNAVAILABLE = pytest.StashKey[str]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test that touches the database carries the `db` marker (CI reruns them on PG)."""
    unavailable = config.stash.get(_POSTGRES_UNAVAILABLE, None)
    for item in items:
        if unavailable is not None:
            item.add_marker(pytest.mark.skip(reason=f"PostgreSQL unavailable: {unavailable}"))
        if item.get_closest_marker("django_db") is not None or "db" in getattr(
            item, "fixturenames", ()
        ):
            item.add_marker(pytest.mark.db)


def pytest_sessionstart(session: pytest.Session) -> None:
    """`make test-postgres` (BACKRELIEF_REQUIRE_POSTGRES=1) needs a reachable PostgreSQL.

    Unreachable: locally every test is skipped with the reason (visible with -ra); with
    CI=true the run stops with an error, because CI must really exercise PostgreSQL.
    """
    if os.environ.get("BACKRELIEF_REQUIRE_POSTGRES") != "1":
        return
    from django.conf import settings as dj

    database = dj.DATABASES["default"]
    if "postgresql" not in str(database["ENGINE"]):
        raise pytest.UsageError(f"PostgreSQL required but DATABASE engine is {database['ENGINE']}")
    problem = _postgres_problem(database)
    if problem is None:
        return
    if IN_CI:
        raise pytest.UsageError(f"PostgreSQL required (CI=true) but unreachable: {problem}")
    session.config.stash[_POSTGRES_UNAVAILABLE] = problem


def _postgres_problem(database: dict[str, Any]) -> str | None:
    """Why the server cannot be reached, or None (tries the maintenance database)."""
    import psycopg

    try:
        psycopg.connect(
            dbname="postgres",
            user=database.get("USER") or None,
            password=database.get("PASSWORD") or None,
            host=database.get("HOST") or None,
            port=database.get("PORT") or None,
            connect_timeout=3,
        ).close()
    except psycopg.Error as exc:
        where = f"{database.get('HOST') or 'local socket'}:{database.get('PORT') or 5432}"
        return f"{where}: {str(exc).strip().splitlines()[0] if str(exc).strip() else exc!r}"
    return None


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """argon2 is deliberately slow; tests use a fast hasher. `accounts/tests/
    test_services_auth.py` proves the project setting really is argon2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _sqlite_test_durability() -> None:
    """The file test database skips fsync (synchronous=OFF): durability is not what the
    tests examine, and fsync per commit made the suite several times slower. The
    production pragmas are asserted in core/tests/test_settings.py on a fresh connection."""
    from django.db.backends.signals import connection_created

    connection_created.connect(_relax_sqlite_sync, weak=False, dispatch_uid="br-test-sqlite-sync")


def _relax_sqlite_sync(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    from django.utils import timezone

    from backrelief.accounts.models import User

    counter = {"n": 0}

    def make(role: str = "client", *, verified: bool = True, **extra: Any) -> User:
        counter["n"] += 1
        email = extra.pop("email", f"{role}{counter['n']}@example.test")
        user = User.objects.create_user(
            email,
            PASSWORD,
            role=role,
            email_verified_at=timezone.now() if verified else None,
            is_staff=(role == "staff"),
            **extra,
        )
        return user

    return make


@pytest.fixture
def client_user(make_user: Callable[..., Any]) -> Any:
    return make_user("client", display_name="Cleo Client")


@pytest.fixture
def other_client(make_user: Callable[..., Any]) -> Any:
    return make_user("client", display_name="Olga Other")


@pytest.fixture
def therapist(make_user: Callable[..., Any]) -> Any:
    return make_user("therapist", display_name="Theo Therapist")


@pytest.fixture
def other_therapist(make_user: Callable[..., Any]) -> Any:
    return make_user("therapist", display_name="Tara Other")


@pytest.fixture
def staff_user(make_user: Callable[..., Any]) -> Any:
    return make_user("staff", display_name="Sam Staff")


@pytest.fixture
def password() -> str:
    return PASSWORD
