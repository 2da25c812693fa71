"""Public pages: each passes axe-core (WCAG 2.2 AA, no serious/critical violations), keeps
its Content-Security-Policy, and fits a phone screen without sideways scrolling."""

from __future__ import annotations

import pytest

from tests.browser.ui import check_a11y, check_mobile, focused, press, visit

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    ("/", "home"),
    ("/accounts/login/", "login"),
    ("/accounts/signup/", "signup"),
    ("/accounts/password/reset/", "password-reset"),
]


@pytest.mark.parametrize(("path", "step"), PUBLIC_PAGES, ids=[s for _, s in PUBLIC_PAGES])
def test_public_page_is_accessible_on_desktop_and_phone(page, path, step):
    visit(page, path, step)
    assert page.locator("main h1").count() == 1
    assert page.locator("html").get_attribute("lang")
    check_mobile(page, path, step)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page):
    visit(page, "/", "home")
    first = press(page, "Tab")
    assert first is not None
    assert "skip-link" in first["classes"], first
    assert first["focusVisible"]
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    check_a11y(page, "after-skip-link")


def test_unknown_page_is_a_plain_404(page):
    response = page.goto("/no-such-page/")
    assert response is not None
    assert response.status == 404
    check_a11y(page, "not-found")
    assert focused(page) is None


def test_switching_to_german_translates_the_page_and_keeps_it_accessible(page):
    visit(page, "/accounts/login/", "login")
    page.get_by_label("Language").select_option("de")
    with page.expect_navigation():
        page.get_by_role("button", name="Change").click()
    check_a11y(page, "login-de")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.url.endswith("/accounts/login/")
    assert page.locator("main h1").inner_text() != "Sign in"
