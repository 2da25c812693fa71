"""Domain errors and validation errors are mapped to HTTP once, in backrelief/api.py."""

from __future__ import annotations

import pytest
from django.test import Client

from backrelief.accounts.services.tokens import token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def bearer(client_user):
    from django.utils import timezone

    _, raw = token_create(user=client_user, name="test", expires_at=None, now=timezone.now())
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_invalid_body_is_422_with_plain_field_names(bearer):
    response = Client().patch(
        "/api/v1/me",
        data={"time_zone": "Mars/Olympus"},
        content_type="application/json",
        **bearer,
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert "time_zone" in body["fields"]


def test_invalid_query_parameter_is_422_without_the_query_prefix(bearer):
    response = Client().get("/api/v1/audit/me", {"page": "not-a-number"}, **bearer)
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert all(not name.startswith(("query.", "path.")) for name in fields), fields


def test_a_foreign_or_unknown_object_is_404_with_a_code(bearer):
    response = Client().delete("/api/v1/tokens/00000000-0000-0000-0000-000000000000", **bearer)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_missing_authentication_is_401_with_a_next_step():
    response = Client().get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
