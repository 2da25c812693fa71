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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test that touches the database carries the `db` marker (CI reruns them on PG)."""
    for item in items:
        if item.get_closest_marker("django_db") is not None or "db" in getattr(
            item, "fixturenames", ()
        ):
            item.add_marker(pytest.mark.db)


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("BACKRELIEF_REQUIRE_POSTGRES") == "1":
        from django.conf import settings as dj

        engine = dj.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            raise pytest.UsageError(f"PostgreSQL required but DATABASE engine is {engine}")


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
