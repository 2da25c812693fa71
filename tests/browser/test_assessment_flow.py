"""The assessment experience in a real browser (issue 4): the public Techniques pages, the
step-by-step wizard (with htmx, and once with JavaScript off), the results page and "My
assessments". Every page state is audited with axe-core (`check_a11y`), screenshots saved.

Each wizard test signs up a fresh client: after an EMERGENCY result a person needs a clinician
attestation before another assessment (DOMAIN §2.3), so tests must not share one account.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.flows import Person, sign_in, sign_up, submit, verify_email
from tests.browser.server import LiveServer
from tests.browser.ui import check_a11y, check_mobile, focused, visit

pytestmark = pytest.mark.browser

QUESTION_IDS = [f"E{i}" for i in range(1, 11)] + [f"U{i}" for i in range(1, 7)]
QUESTION_IDS += [f"S{i}" for i in range(1, 9)]
TECHNIQUE_NAMES = ("Swedish massage", "Deep tissue massage", "Trigger point therapy", "Shiatsu")


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


# --- helpers -----------------------------------------------------------------------------------


def consenting_client(page: Page, server: LiveServer) -> Person:
    """A fresh, verified, signed-in client who has given health-data consent."""
    person = Person("client")
    sign_up(page, person)
    verify_email(page, server, person)
    sign_in(page, person)
    visit(page, "/accounts/consent/", "consent")
    button = page.get_by_role("button", name="I consent to processing my health data")
    if _js(page):
        button.click()
        expect(page.get_by_text("Your consent is recorded")).to_be_visible()
        check_a11y(page, "consent-given")
    else:
        submit(page, "I consent to processing my health data", "consent-given")
    return person


def _js(page: Page) -> bool:
    try:
        return bool(page.evaluate("() => true"))
    except Exception:
        return False


def start(page: Page) -> None:
    visit(page, "/assessments/", "my-assessments")
    submit(page, "Start a new assessment", "step-pain")
    expect(page.locator("main h1")).to_have_text("Your pain")
    expect(page.locator('.progress [aria-current="step"]')).to_have_text(re.compile("Your pain"))


def settled(page: Page) -> None:
    """Wait until htmx has finished swapping and settling (audit the final state only)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, "
        ".htmx-added')"
    )


def next_step(page: Page, heading: str, step: str, *, button: str = "Save and continue") -> None:
    """Save the step; with htmx only the wizard is swapped and the URL pushed."""
    if _js(page):
        page.get_by_role("button", name=button, exact=True).click()
        expect(page.locator("main h1")).to_have_text(heading)
        settled(page)
        check_a11y(page, step)
    else:
        submit(page, re.compile(f"^{button}$"), step)
        expect(page.locator("main h1")).to_have_text(heading)


def fill_pain(page: Page, *, neck: int = 6, use_map: bool = False) -> None:
    if use_map:
        # The drawing is a keyboard control: focus the neck, arrow up to the intensity.
        shape = page.locator('.bm-region[data-region="NECK"]')
        expect(shape).to_have_attribute("role", "checkbox")
        shape.focus()
        for _ in range(neck):
            page.keyboard.press("ArrowUp")
        expect(shape).to_have_attribute("aria-checked", "true")
        expect(shape).to_have_attribute("aria-label", re.compile(f"Neck, {neck} out of 10"))
        info = focused(page)
        assert info is not None
        assert info["outlineWidth"] > 0 or info["boxShadow"] != "none", info
        check_a11y(page, "step-pain-map-used")
    else:
        page.locator("#region-NECK").check()
        page.locator("#f-regions-NECK").fill(str(neck))
    expect(page.locator("#region-NECK")).to_be_checked()
    expect(page.locator("#f-regions-NECK")).to_have_value(str(neck))
    page.locator("#primary-NECK").check()
    page.locator("#f-nprs").fill("5")
    page.locator("#f-pain_onset_date").fill("2026-10-01")
    page.get_by_label("Desk or screen work").check()


def answer_warning_signs(page: Page, *, yes: tuple[str, ...] = ()) -> None:
    # Nothing is pre-answered.
    assert page.locator('.question-list input[type="radio"]:checked').count() == 0
    assert page.locator(".question-list fieldset").count() == len(QUESTION_IDS)
    for qid in QUESTION_IDS:
        page.locator(f"#rf-{qid}-{'yes' if qid in yes else 'no'}").check()


def complete_wizard(page: Page, *, yes: tuple[str, ...] = (), use_map: bool = False) -> None:
    start(page)
    fill_pain(page, use_map=use_map)
    next_step(page, "Warning signs", "step-warning-signs")
    # Saving with a question left out names it next to the question.
    answer_warning_signs(page, yes=yes)
    page.locator("#rf-S8-no").evaluate("el => { el.checked = false; }")
    if _js(page):
        page.get_by_role("button", name="Save and continue").click()
        expect(page.locator("#form-errors")).to_be_visible()
        settled(page)
        check_a11y(page, "step-warning-signs-error")
    else:
        submit(page, "Save and continue", "step-warning-signs-error")
    expect(page.locator("#f-red_flags-S8 .errorlist")).to_be_visible()
    page.locator("#rf-S8-no").check()
    next_step(page, "Health conditions", "step-conditions")
    # Back and forward again: the answers are kept.
    next_step(page, "Warning signs", "step-warning-signs-back", button="Back")
    expect(page.locator("#rf-S8-no")).to_be_checked()
    expect(page.locator(".progress-done")).to_have_count(2)
    next_step(page, "Health conditions", "step-conditions")
    page.locator("#f-condition-varicose_veins").check()
    page.locator("#side-varicose_veins-left").check()
    next_step(page, "Questionnaires", "step-questionnaires")
    expect(page.get_by_role("group", name="Neck Disability Index")).to_be_visible()
    page.locator("#q_ndi_1-2").check()
    page.locator("#q_ndi_2-1").check()
    next_step(page, "Preferences and goals", "step-preferences")
    page.locator("#pressure-light").check()
    page.get_by_label("Relax").check()
    next_step(page, "Check and submit", "step-review")
    expect(page.locator(".review")).to_contain_text("Neck: 6/10")
    if _js(page):
        with page.expect_navigation():
            page.get_by_role("button", name="Submit and see my result").click()
        check_a11y(page, "result")
    else:
        submit(page, "Submit and see my result", "result")
    expect(page.locator("main h1")).to_have_text("Your assessment result")


def main_text(page: Page) -> str:
    return page.locator("main").inner_text()


# --- the wizard ----------------------------------------------------------------------------------


def test_a_warning_sign_shows_the_emergency_message_and_no_technique(page, server):
    consenting_client(page, server)
    complete_wizard(page, yes=("E6",), use_map=True)
    expect(page.get_by_role("heading", name="Get emergency care now")).to_be_visible()
    expect(page.locator(".emergency-number a").first).to_be_visible()
    text = main_text(page)
    assert "emergency" in text.lower()
    for name in TECHNIQUE_NAMES:
        assert name not in text, name
    assert page.locator(".ranked").count() == 0
    check_mobile(page, page.url, "result-emergency")
    # Its one next step in BackRelief: record that a clinician has assessed them.
    page.set_viewport_size({"width": 1280, "height": 900})
    submit(page, "Record this statement", "result-emergency-attested")
    expect(page.get_by_role("button", name="Answer the questions again")).to_be_visible()


def test_no_warning_signs_gives_a_ranked_explained_recommendation(page, server):
    consenting_client(page, server)
    complete_wizard(page)
    expect(page.get_by_text("No warning signs reported today.")).to_be_visible()
    cards = page.locator(".ranked > li")
    assert cards.count() >= 2
    first = cards.first.locator("h3").inner_text()
    assert first.startswith("1. "), first
    expect(cards.first.get_by_text("Why it fits")).to_be_visible()
    expect(cards.first.locator(".evidence").first).to_be_visible()
    expect(page.get_by_role("heading", name="Your questionnaire scores")).to_be_visible()
    check_mobile(page, page.url, "result-ranked")
    # The history lists it.
    page.set_viewport_size({"width": 1280, "height": 900})
    visit(page, "/assessments/", "my-assessments-after")
    expect(page.get_by_role("heading", name="Past assessments")).to_be_visible()


def test_the_wizard_works_without_javascript(new_page, server):
    page = new_page(java_script_enabled=False)
    consenting_client(page, server)
    complete_wizard(page)
    expect(page.get_by_text("No warning signs reported today.")).to_be_visible()
    assert page.locator(".ranked > li").count() >= 2


def test_a_draft_resumes_after_closing_and_reopening_the_browser(new_page, server):
    page = new_page()
    person = consenting_client(page, server)
    start(page)
    fill_pain(page, neck=7)
    next_step(page, "Warning signs", "step-warning-signs")
    page.context.close()

    again = new_page()
    sign_in(again, person)
    visit(again, "/assessments/", "my-assessments-resume")
    with again.expect_navigation():
        again.get_by_role("link", name=re.compile("^Resume")).first.click()
    check_a11y(again, "resumed")
    expect(again.locator("main h1")).to_have_text("Warning signs")
    with again.expect_navigation():
        again.get_by_role("navigation", name="Assessment steps").get_by_role(
            "link", name="Your pain"
        ).click()
    check_a11y(again, "resumed-pain")
    expect(again.locator("#region-NECK")).to_be_checked()
    expect(again.locator("#f-regions-NECK")).to_have_value("7")
    expect(again.locator("#primary-NECK")).to_be_checked()
    expect(again.locator("#f-nprs")).to_have_value("5")
    # Every step fits a phone (390 px) without sideways scrolling and passes axe there.
    base = again.url.rsplit("/pain/", 1)[0]
    for name in ("pain", "warning_signs", "conditions", "questionnaires", "preferences", "review"):
        check_mobile(again, f"{base}/{name}/", f"step-{name}")


def test_demo_client_history_compare_and_results_are_accessible(page):
    demo = Person("client", email="client@demo.backrelief.test", password="demo-password-2026")
    visit(page, "/accounts/login/", "login")
    page.get_by_label("Email address").fill(demo.email)
    page.get_by_label("Password").fill(demo.password)
    submit(page, "Sign in", "home")
    visit(page, "/assessments/", "demo-history")
    rows = page.locator("table tbody tr")
    assert rows.count() >= 2
    check_mobile(page, "/assessments/", "demo-history")
    page.set_viewport_size({"width": 1280, "height": 900})
    visit(page, "/assessments/", "demo-history")
    submit(page, "Compare", "demo-compare")
    expect(page.locator("main h1")).to_have_text("Compare assessments")
    check_mobile(page, page.url, "demo-compare")
    visit(page, "/assessments/", "demo-history-again")
    for index in range(rows.count()):
        with page.expect_navigation():
            page.locator("table tbody tr th a").nth(index).click()
        check_a11y(page, f"demo-result-{index}")
        expect(page.locator("main h1")).to_have_text("Your assessment result")
        page.go_back()
        check_a11y(page, "demo-history-back")
