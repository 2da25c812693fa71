"""Public Techniques pages (issue 4 item 6): wiring, every claim graded with sources, no
forbidden words, unknown code 404, public to anonymous visitors."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from backrelief.catalog.data.evidence import FORBIDDEN_USER_WORDS
from backrelief.catalog.data.techniques import TECHNIQUES

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_anonymous_visitor_sees_every_technique_in_the_list(client):
    response = client.get(reverse("catalog:technique_list"))
    assert response.status_code == 200
    body = _text(response)
    for technique in TECHNIQUES:
        assert technique.name in body
        assert reverse("catalog:technique_detail", args=[technique.code]) in body


@pytest.mark.parametrize("technique", TECHNIQUES, ids=[t.code for t in TECHNIQUES])
def test_detail_page_shows_every_claim_with_its_grade_and_sources(client, technique):
    response = client.get(reverse("catalog:technique_detail", args=[technique.code]))
    assert response.status_code == 200
    body = _text(response)
    assert html.escape(technique.description) in body
    for claim in technique.claims:
        assert html.escape(claim.text) in body
        # the grade badge sits right before the claim's text
        badge = re.search(
            r'<span class="evidence evidence-([a-z_]+)">[^<]+</span>\s*'
            + re.escape(html.escape(claim.text)),
            body,
        )
        assert badge is not None, claim.text
        assert badge.group(1) == str(claim.grade)
        for source in claim.sources:
            assert html.escape(source.citation) in body


@pytest.mark.parametrize("technique", TECHNIQUES, ids=[t.code for t in TECHNIQUES])
def test_pages_never_use_forbidden_words(client, technique):
    for url in (
        reverse("catalog:technique_list"),
        reverse("catalog:technique_detail", args=[technique.code]),
    ):
        # Source citations may name the rejected claim they refute; claims may not.
        body = re.sub(r'<details class="sources">.*?</details>', " ", _text(client.get(url)))
        visible = re.sub(r"<[^>]+>", " ", body).lower()
        for word in FORBIDDEN_USER_WORDS:
            assert word not in visible, (url, word)


def test_unknown_technique_is_a_404(client):
    assert client.get("/techniques/reiki/").status_code == 404


def test_signed_in_client_sees_the_same_page_and_the_nav_link(client, client_user):
    client.force_login(client_user)
    response = client.get(reverse("catalog:technique_list"))
    assert response.status_code == 200
    assert 'href="/techniques/" aria-current="page"' in response.content.decode()
