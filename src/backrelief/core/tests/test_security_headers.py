"""Security baseline (issue 2 §11): CSP with nonces and frame-ancestors none, no-store on
anything personal, a request id on every response, and the role-aware home page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in header.split(";")
        if part.strip()
    }


def test_public_home_has_a_nonce_csp_that_forbids_framing_and_inline_code():
    response = Client().get("/")
    assert response.status_code == 200
    csp = _csp(response)
    assert csp["frame-ancestors"] == "'none'"
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    found = re.search(r"'nonce-([^']+)'", csp["script-src"])
    assert found is not None
    nonce = found.group(1)
    html = response.content.decode()
    # every script tag carries the nonce; no inline event handlers or hx-on attributes
    for tag in re.findall(r"<script[^>]*>", html):
        assert f'nonce="{nonce}"' in tag, tag
    assert not re.search(r"\son[a-z]+=", html)
    assert "hx-on" not in html
    assert response["X-Frame-Options"] == "DENY"


def test_htmx_is_configured_without_eval_and_without_indicator_styles():
    html = Client().get("/").content.decode()
    assert '"allowEval":false' in html
    assert '"includeIndicatorStyles":false' in html


def test_anonymous_public_page_may_be_cached_but_personal_pages_may_not(client_user):
    anonymous = Client().get("/")
    assert "no-store" not in anonymous.get("Cache-Control", "")
    web = Client()
    web.force_login(client_user)
    personal = web.get("/")
    assert personal.status_code == 200
    assert "no-store" in personal["Cache-Control"]


def test_api_responses_are_never_stored():
    response = Client().get("/api/v1/openapi.json")
    assert "no-store" in response["Cache-Control"]


def test_request_id_is_echoed_when_well_formed_and_replaced_when_not():
    ok = Client().get("/healthz", HTTP_X_REQUEST_ID="abc12345-trace")
    assert ok["X-Request-ID"] == "abc12345-trace"
    bad = Client().get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert bad["X-Request-ID"] != "<script>"
    assert re.fullmatch(r"[0-9a-f]{32}", bad["X-Request-ID"])


@pytest.mark.parametrize(
    ("role", "marker"),
    [("client", "Your next steps"), ("therapist", "Your practice"), ("staff", "Staff")],
)
def test_home_page_is_role_aware(make_user, role, marker):
    from backrelief.accounts.tests.mfa_helpers import sign_in, sign_in_staff

    user = make_user(role)
    web = Client()
    if role == "staff":
        sign_in_staff(web, user)
    else:
        sign_in(web, user)
    response = web.get("/")
    assert response.status_code == 200
    assert marker in response.content.decode()


def test_healthz_reports_database_reachable():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
