"""Property-based run of the whole /api/v1 against its own OpenAPI schema, once per persona.

The schema is loaded from the real WSGI application (`/api/v1/openapi.json`), and every
generated request goes through the full middleware stack in-process, inside the test's
database transaction (so it also runs on PostgreSQL: `make test-postgres`). Checks: no
response is a server error, and every documented response matches its schema.

Personas: anonymous, client, therapist and staff (staff need a confirmed two-factor device
for any API access), each authenticated with a personal access token as an API user would.
Example counts come from the Hypothesis profile (`ci`: 25 per operation).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from backrelief.wsgi import application

ROLES = ("anonymous", "client", "therapist", "staff")
CHECKS = [not_a_server_error, response_schema_conformance]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

pytestmark = [pytest.mark.schemathesis, pytest.mark.db, pytest.mark.django_db]


@pytest.fixture
def _one_connection_per_test() -> Iterator[None]:
    """Keep the test's connection (and its transaction) across in-process requests.

    Django's WSGI handler closes "old" connections at the start and end of every request;
    inside a test that would close the connection holding the test transaction. Django's own
    test client disconnects the same signal for the same reason.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _persona_headers(role: str, make_user: Callable[..., Any]) -> dict[str, str]:
    """Authorization headers for a persona, backed by a fresh user and token."""
    from backrelief.accounts.models import TOTPDevice
    from backrelief.accounts.services.tokens import token_create

    if role == "anonymous":
        return {}
    user = make_user(role)
    now = timezone.now()
    if role == "staff":
        TOTPDevice.objects.create(
            user=user, secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", confirmed_at=now, created_at=now
        )
    _, raw = token_create(user=user, name=f"schemathesis {role}", expires_at=None, now=now)
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def auth_headers(request: pytest.FixtureRequest, make_user: Callable[..., Any]) -> dict[str, str]:
    return _persona_headers(request.param, make_user)


@pytest.mark.usefixtures("_one_connection_per_test")
@pytest.mark.parametrize("role", ROLES)
def test_personas_are_who_the_api_says_they_are(role, make_user):
    """Guards the run below: a broken token would silently turn every persona anonymous."""
    from schemathesis.python import wsgi

    headers = _persona_headers(role, make_user)
    response = wsgi.get_client(application).get("/api/v1/me", headers=headers)
    if role == "anonymous":
        assert response.status_code == 401
    else:
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.get_json()["role"] == role


@pytest.mark.usefixtures("_one_connection_per_test")
@pytest.mark.parametrize("auth_headers", ROLES, indirect=True)
@schema.parametrize()
# The persona's user and token are meant to persist across the generated requests.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api_never_fails_and_matches_its_schema(case, auth_headers):
    case.call_and_validate(headers=auth_headers, checks=_checks_for(case))


# Paths without parameters, e.g. /api/v1/assessments/drafts next to /assessments/{assessment_id}.
_LITERAL_PATHS = frozenset(path for path in schema.raw_schema["paths"] if "{" not in path)


def _checks_for(case: Any) -> list[Any]:
    """All checks, except when a generated path parameter spells a sibling literal route
    (`{assessment_id}` = "drafts" requests `GET /assessments/drafts`): that request is served,
    correctly, by the other operation, whose body cannot match this operation's schema. It must
    still never be a server error."""
    if case.path != case.formatted_path and case.formatted_path in _LITERAL_PATHS:
        return [not_a_server_error]
    return CHECKS


def test_a_parameter_spelling_a_sibling_route_is_only_checked_for_server_errors():
    operation = schema["/api/v1/assessments/{assessment_id}"]["GET"]
    sibling = operation.Case(path_parameters={"assessment_id": "drafts"})
    own = operation.Case(path_parameters={"assessment_id": "00000000-0000-0000-0000-000000000000"})
    assert _checks_for(sibling) == [not_a_server_error]
    assert _checks_for(own) == CHECKS
