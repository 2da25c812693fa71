"""The therapist marketplace in a real browser (issue 5 "Done when"): a client filters the
directory and opens a profile; a new therapist onboards and submits a licence with an evidence
file; the demo staff member verifies it in the staff queue; the therapist then appears in the
directory. The directory filters are also driven once without JavaScript and once with the
keyboard alone. Every page state is audited with axe-core (`check_a11y`); screenshots are saved
under `<var>/screenshots/` like every browser test.

The server is `backrelief run --setup`, so the directory holds the default demo therapists
(`backrelief demo --therapists 40`): Berlin is one of the demo cities.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from backrelief.core.demo import DEMO_PASSWORD, PERSONAS
from tests.browser.flows import Person, sign_in, sign_up, submit, verify_email
from tests.browser.test_account_pages import DEMO_STAFF
from tests.browser.ui import check_a11y, check_mobile, focused, tab_to, visit

pytestmark = pytest.mark.browser

TECHNIQUE = "swedish"
TECHNIQUE_NAME = "Swedish massage"
PLACE = "Berlin"
# Each server worker builds its city index on its first place search (about a second, several
# on a busy machine), longer than `expect`'s default 5 s wait.
PLACE_TIMEOUT_MS = 30_000
# A practice in Berlin-Mitte, well inside the default search radius around the city centre.
PRACTICE = ("Invalidenstraße 12, 10115 Berlin", "52.5310", "13.3850")


def _demo_client() -> Person:
    person = next(p for p in PERSONAS if p.role == "client")
    return Person(
        "client", email=person.email, display_name=person.display_name, password=DEMO_PASSWORD
    )


def _js(page: Page) -> bool:
    try:
        return bool(page.evaluate("() => true"))
    except Exception:
        return False


def settled(page: Page) -> None:
    """Wait until htmx has finished swapping and settling (audit the final state only)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, "
        ".htmx-added')"
    )


def results(page: Page) -> list[str]:
    return [
        n.strip() for n in page.locator("#directory-results .directory-card h3").all_inner_texts()
    ]


def search_directory(page: Page, *, step: str) -> None:
    """Filter by technique and place and run the search (htmx swap, or a plain GET without JS)."""
    page.get_by_label("Technique", exact=True).select_option(TECHNIQUE)
    if _js(page):
        settled(page)
    page.get_by_label("Place", exact=True).fill(PLACE)
    if _js(page):
        page.get_by_role("button", name="Search", exact=True).click()
        expect(page).to_have_url(re.compile(r"[?&]place=Berlin"), timeout=PLACE_TIMEOUT_MS)
        settled(page)
        check_a11y(page, step)
    else:
        submit(page, re.compile("^Search$"), step)
        expect(page).to_have_url(re.compile(r"[?&]place=Berlin"))
    expect(page).to_have_url(re.compile(rf"[?&]technique={TECHNIQUE}"))


def assert_results_explain_themselves(page: Page) -> None:
    cards = page.locator("#directory-results .directory-card")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 1
    for why in page.locator("#directory-results .directory-why").all_inner_texts():
        assert why.strip(), "a result without its why-line"
    # Each card names the service that matched the filter.
    expect(cards.first.locator(".directory-services")).to_contain_text(TECHNIQUE_NAME)
    expect(page.locator("#directory-results")).to_contain_text(re.compile(r"\d+(\.\d)? km"))


def evidence_pdf(tmp_path: Path) -> Path:
    """A small, valid one-page PDF (the licence scan)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        None,  # the content stream, below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    text = b"BT /F1 18 Tf 72 770 Td (Licence to practise massage therapy) Tj ET"
    objects[3] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path = tmp_path / "licence-scan.pdf"
    path.write_bytes(bytes(out))
    return path


# --- (1) a client filters the directory and opens a profile ------------------------------------


def test_client_filters_the_directory_by_technique_and_place_and_opens_a_profile(page):
    sign_in(page, _demo_client())
    visit(page, reverse("therapists:directory"), "directory")
    expect(page.locator("main h1")).to_have_text("Find a therapist")
    search_directory(page, step="directory-swedish-berlin")
    assert_results_explain_themselves(page)
    first = page.locator("#directory-results .directory-card h3 a").first
    name = first.inner_text().strip()
    with page.expect_navigation():
        first.click()
    check_a11y(page, "profile-public")
    expect(page).to_have_url(re.compile(r"/therapists/[0-9a-f-]{36}/$"))
    expect(page.locator("main h1")).to_contain_text(name)
    expect(page.locator("main")).to_contain_text(TECHNIQUE_NAME)
    expect(page.locator("main")).to_contain_text(re.compile("verified", re.I))
    check_mobile(page, urlsplit(page.url).path, "profile-public")
    check_mobile(page, f"{reverse('therapists:directory')}?technique={TECHNIQUE}&place={PLACE}")


# --- (2)-(4) a therapist onboards, submits a licence, staff verify, the directory lists them ----


def onboard(page: Page, therapist: Person) -> None:
    visit(page, reverse("therapists:dashboard"), "dashboard-before-profile")
    expect(page).to_have_url(re.compile(r"/therapists/me/onboarding/about/$"))
    page.get_by_label("Name shown to clients").fill(therapist.display_name)
    page.get_by_label("Short bio").fill("Calm Swedish massage for desk-work backs in Mitte.")
    page.get_by_label("English", exact=True).check()
    page.get_by_label("German", exact=True).check()
    submit(page, "Save and continue", "onboarding-practice")
    expect(page).to_have_url(re.compile(r"/onboarding/practice/$"))

    address, latitude, longitude = PRACTICE
    page.get_by_label("Practice address").fill(address)
    page.get_by_label("Latitude").fill(latitude)
    page.get_by_label("Longitude").fill(longitude)
    page.get_by_label("Clients come to my practice").check()
    page.get_by_label("Time zone of your practice").select_option("Europe/Berlin")
    page.get_by_label("Step-free access").check()
    submit(page, "Save and continue", "onboarding-services")
    expect(page).to_have_url(re.compile(r"/onboarding/services/$"))

    page.get_by_label("Technique").select_option(TECHNIQUE)
    page.get_by_label("Duration (minutes)").fill("60")
    page.locator("#id_price").fill("68")
    page.get_by_label("Currency").select_option("EUR")
    submit(page, "Add and continue", "onboarding-credentials-hint")
    expect(page).to_have_url(re.compile(r"/onboarding/credentials-hint/$"))


def submit_licence(page: Page, tmp_path: Path, number: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name="Submit your licence").click()
    check_a11y(page, "licence-new")
    expect(page).to_have_url(re.compile(r"/therapists/me/credentials/licences/new/$"))
    today = dt.datetime.now(dt.UTC).date()
    page.get_by_label("Country").select_option("DE")
    page.get_by_label("Registry or board").fill("Landesamt für Gesundheit und Soziales Berlin")
    page.get_by_label("Licence number").fill(number)
    page.get_by_label("Issued on").fill((today - dt.timedelta(days=400)).isoformat())
    page.get_by_label("Expires on").fill((today + dt.timedelta(days=3 * 365)).isoformat())
    page.get_by_label("Evidence").set_input_files(str(evidence_pdf(tmp_path)))
    submit(page, re.compile("^Submit", re.I), "licence-submitted")
    expect(page.locator("main")).to_contain_text(number)
    expect(page.locator("main")).to_contain_text(re.compile("pending|waiting", re.I))


def finish_onboarding(page: Page) -> None:
    visit(page, reverse("therapists:onboarding", args=["credentials-hint"]), "onboarding-finish")
    submit(page, "Finish set-up", "onboarding-done")
    expect(page.locator("main h1")).to_have_text("Your profile is set up")


def verify_as_staff(page: Page, number: str) -> None:
    sign_in(page, DEMO_STAFF, expect_totp=True, heading="Staff")
    visit(page, reverse("therapists:staff_licences"), "staff-licence-queue")
    link = page.get_by_role("link", name=re.compile(re.escape(number)))
    expect(link).to_be_visible()
    with page.expect_navigation():
        link.click()
    check_a11y(page, "staff-licence-detail")
    expect(page.locator("main")).to_contain_text(number)
    submit(page, "Verify licence", "staff-licence-verified")
    expect(page.locator("main")).to_contain_text(re.compile("verified", re.I))


def test_a_new_therapist_is_listed_once_staff_verify_their_licence(new_page, server, tmp_path):
    therapist = Person("therapist", display_name=f"Tessa Test {uuid.uuid4().hex[:6]}")
    number = f"BE-{uuid.uuid4().hex[:10].upper()}"

    # (2) sign up, onboard (no two-factor needed for that), submit a licence with evidence.
    page = new_page()
    sign_up(page, therapist)
    verify_email(page, server, therapist)
    sign_in(page, therapist)
    onboard(page, therapist)
    submit_licence(page, tmp_path, number)
    finish_onboarding(page)

    # Not listed yet: the licence waits for staff.
    anonymous = new_page()
    visit(anonymous, reverse("therapists:directory"), "directory-anonymous")
    search_directory(anonymous, step="directory-before-verification")
    assert therapist.display_name not in results(anonymous)

    # (3) the demo staff member signs in with two-factor and verifies it in the queue.
    staff = new_page()
    verify_as_staff(staff, number)

    # The therapist sees the decision on their credentials page.
    visit(page, reverse("therapists:credentials"), "credentials-verified")
    expect(page.locator("main")).to_contain_text(re.compile("verified", re.I))

    # (4) now the directory lists them, with a why-line, and their public profile opens.
    visit(anonymous, reverse("therapists:directory"), "directory-anonymous-again")
    search_directory(anonymous, step="directory-after-verification")
    assert therapist.display_name in results(anonymous), results(anonymous)
    card = anonymous.locator(".directory-card", has_text=therapist.display_name)
    expect(card.locator(".directory-why")).not_to_be_empty()
    with anonymous.expect_navigation():
        card.get_by_role("link", name=therapist.display_name).click()
    check_a11y(anonymous, "new-therapist-profile")
    expect(anonymous.locator("main h1")).to_contain_text(therapist.display_name)


# --- the directory filters without JavaScript, and with the keyboard alone ---------------------


def test_directory_filters_work_without_javascript(new_page):
    page = new_page(java_script_enabled=False)
    visit(page, reverse("therapists:directory"), "directory-no-js")
    search_directory(page, step="directory-no-js-results")
    assert_results_explain_themselves(page)
    # The URL is shareable: opening it again gives the same results.
    shared = page.url
    before = results(page)
    visit(page, shared, "directory-no-js-shared-url")
    assert results(page) == before


def test_directory_filters_work_with_the_keyboard_alone(page):
    visit(page, reverse("therapists:directory"), "directory-keyboard")
    tab_to(page, "#id_technique")
    page.keyboard.type("Swed")  # type-ahead on the focused select
    expect(page.locator("#id_technique")).to_have_value(TECHNIQUE)
    settled(page)
    tab_to(page, "#id_place")
    page.keyboard.type(PLACE)
    settled(page)
    tab_to(page, "#directory-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]place=Berlin"), timeout=PLACE_TIMEOUT_MS)
    settled(page)
    check_a11y(page, "directory-keyboard-results")
    assert_results_explain_themselves(page)
    # Space activates a focused button too: search again with Space.
    submit_button = "#directory-form button[type=submit]"
    if not page.evaluate("(s) => document.activeElement.matches(s)", submit_button):
        tab_to(page, submit_button, backwards=True)
    page.keyboard.press("Space")
    settled(page)
    check_a11y(page, "directory-keyboard-results-again")
    # On to the first result and open it with Enter.
    tab_to(page, "#directory-results .directory-card h3 a")
    info = focused(page)
    assert info is not None
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_a11y(page, "directory-keyboard-profile")
    expect(page).to_have_url(re.compile(r"/therapists/[0-9a-f-]{36}/$"))
    expect(page.locator("main h1")).to_contain_text(info["text"])


# --- the demo client's sessions with the demo therapist (demo data, issue 5 item 6) ------------


def test_demo_client_has_a_session_to_review_and_a_review_written(page):
    sign_in(page, _demo_client())
    visit(page, reverse("therapists:reviewable_sessions"), "reviews-of-demo-client")
    therapist = next(p for p in PERSONAS if p.role == "therapist").display_name
    to_review = page.locator("section[aria-labelledby=to-review-heading]")
    expect(to_review).to_contain_text(therapist)
    written = page.locator("section[aria-labelledby=written-heading]")
    expect(written).to_contain_text(therapist)
    with page.expect_navigation():
        to_review.get_by_role("link", name=re.compile("Write a review")).first.click()
    check_a11y(page, "review-new-demo-session")
    expect(page.locator("main")).to_contain_text(therapist)
