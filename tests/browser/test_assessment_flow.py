"""The assessment experience in a real browser (issue 4): the public Techniques pages, the
wizard, the results page and "My assessments". Every page state is audited with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.ui import check_mobile, visit

pytestmark = pytest.mark.browser


def test_techniques_pages_are_public_graded_and_accessible(page):
    visit(page, "/techniques/", "techniques")
    expect(page.locator("main h1")).to_have_text("Massage techniques")
    assert page.locator(".claims .evidence").count() >= 6
    check_mobile(page, "/techniques/", "techniques")
    visit(page, "/techniques/swedish/", "technique-swedish")
    expect(page.locator("main h1")).to_have_text("Swedish massage")
    page.get_by_text("Sources").first.click()
    expect(page.get_by_text("Moyer, Rounds & Hannum 2004").first).to_be_visible()
    check_mobile(page, "/techniques/swedish/", "technique-swedish")
