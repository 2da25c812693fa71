"""The harness itself can fail: an axe violation, a CSP break and an unaudited page are each
caught (otherwise a green browser run would prove nothing)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser import ui
from tests.browser.ui import check_a11y, visit

pytestmark = pytest.mark.browser

_BAD_IMAGE = (
    "() => document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"data:,\">')"
)


def test_axe_failure_names_the_rule_and_the_node(page):
    visit(page, "/", "home")
    page.evaluate(_BAD_IMAGE)
    with pytest.raises(pytest.fail.Exception, match=r"image-alt[\s\S]*at img: <img"):
        check_a11y(page, "injected-violation")


def test_axe_runs_on_the_no_javascript_copy_of_a_page(new_page):
    page = new_page(java_script_enabled=False)
    visit(page, "/", "home-no-js")
    page.evaluate(_BAD_IMAGE)  # the DevTools protocol still edits the DOM with JS disabled
    with pytest.raises(pytest.fail.Exception, match="image-alt"):
        check_a11y(page, "injected-violation-no-js")


def test_a_blocked_inline_script_fails_the_audit(page):
    visit(page, "/", "home")
    with pytest.raises(PlaywrightError, match="Content Security Policy"):
        page.add_script_tag(content="window.injected = true")
    with pytest.raises(pytest.fail.Exception, match="CSP violation"):
        check_a11y(page, "csp-violation")


def test_a_navigation_without_audit_is_remembered_until_checked(page):
    page.goto("/accounts/login/")
    assert ui._state(page).pending, "the navigation was not recorded"
    check_a11y(page, "login")
    assert not ui._state(page).pending
