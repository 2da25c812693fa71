"""Booking in a real browser (issue 6 "Done when"): a new client books a free time of the demo
therapist from the therapist's public profile; the therapist sees the session in their
calendar; the client cancels it. The booking is also made once without JavaScript and once
with the keyboard alone (Tab, Enter and Space only). Every page state is audited with axe-core
(`check_a11y`); screenshots go to `<var>/screenshots/` like every browser test.

The server is `backrelief run --setup`: the demo therapist persona (London, Swedish massage
60 min, Monday to Friday 09:00-12:30 and 13:30-17:00, default booking rules: 12 hours' notice,
60 days ahead, 24 hours' cancellation cut-off) has free times from tomorrow on. Each test
signs up its own client (no assessment, so every technique may be booked) and takes the first
time still free, so the tests do not depend on each other's order.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from backrelief.core.demo import DEMO_PASSWORD, PERSONAS
from tests.browser.flows import Person, sign_in, sign_up, submit, verify_email
from tests.browser.server import LiveServer
from tests.browser.ui import check_a11y, check_mobile, tab_to, visit

pytestmark = pytest.mark.browser

SERVICE_LINK = re.compile(r"^Book Swedish massage, 60 min")
THERAPIST_ZONE = ZoneInfo("Europe/London")


def _demo_therapist() -> Person:
    person = next(p for p in PERSONAS if p.role == "therapist")
    return Person(
        "therapist", email=person.email, display_name=person.display_name, password=DEMO_PASSWORD
    )


def new_client(page: Page, server: LiveServer) -> Person:
    client = Person("client")
    sign_up(page, client)
    verify_email(page, server, client)
    sign_in(page, client)
    return client


def therapist_profile_path(page: Page) -> str:
    """The demo therapist signs in and opens their public profile from the dashboard."""
    sign_in(page, _demo_therapist())
    visit(page, reverse("therapists:dashboard"), "therapist-dashboard")
    with page.expect_navigation():
        page.get_by_role("link", name="See your public profile").click()
    check_a11y(page, "therapist-public-profile")
    return urlsplit(page.url).path


def chosen_start(page: Page) -> dt.datetime:
    """The start the confirm page is about (its `start` query parameter, with its offset)."""
    start = parse_qs(urlsplit(page.url).query)["start"][0]
    return dt.datetime.fromisoformat(start)


def assert_booked(page: Page) -> str:
    expect(page).to_have_url(re.compile(r"/schedule/sessions/[0-9a-f-]{36}/$"))
    expect(page.locator(".messages")).to_contain_text("Booked. Your session is confirmed")
    expect(page.locator("main")).to_contain_text("Confirmed")
    expect(page.locator("main")).to_contain_text("Swedish massage")
    return urlsplit(page.url).path


def test_a_client_books_from_the_profile_the_therapist_sees_it_and_the_client_cancels(
    new_page, server
):
    therapist_page = new_page()
    profile = therapist_profile_path(therapist_page)

    page = new_page()
    client = new_client(page, server)

    # From the therapist's profile to the free times of the service.
    visit(page, profile, "profile-with-book-links")
    with page.expect_navigation():
        page.get_by_role("link", name=SERVICE_LINK).click()
    check_a11y(page, "book-week")
    expect(page.locator("main h1")).to_contain_text("Book Swedish massage with Theo Therapist")
    expect(page.locator("#picker-zone")).to_contain_text("Times in")

    # The month view, and back to a week.
    with page.expect_navigation():
        page.get_by_role("link", name="Month view").click()
    check_a11y(page, "book-month")
    with page.expect_navigation():
        page.locator("table.month-table a").first.click()
    check_a11y(page, "book-week-of-first-free-day")

    # Choose the first free time and confirm it.
    with page.expect_navigation():
        page.locator("a.slot").first.click()
    check_a11y(page, "book-confirm")
    expect(page.locator("main h1")).to_have_text("Confirm your booking")
    expect(page.locator("main")).to_contain_text("Evidence:")
    expect(page.locator("main")).to_contain_text("Upper Street 120")
    expect(page.locator("main")).to_contain_text("late cancellation")
    start = chosen_start(page)
    submit(page, "Book this session", "booked")
    detail = assert_booked(page)
    check_mobile(page, detail, "booked")

    # "My sessions" lists it as upcoming.
    visit(page, reverse("scheduling:my_sessions"), "my-sessions")
    upcoming = page.locator("section[aria-labelledby=upcoming-heading]")
    expect(upcoming).to_contain_text("Theo Therapist")

    # The therapist sees it in their calendar (the day of the session, in their zone).
    local = start.astimezone(THERAPIST_ZONE)
    visit(
        therapist_page,
        f"{reverse('scheduling:calendar')}?view=day&date={local.date().isoformat()}",
        "therapist-calendar-day",
    )
    main = therapist_page.locator("main")
    expect(main).to_contain_text(client.display_name)
    expect(main).to_contain_text(f"{local:%H:%M}")
    visit(therapist_page, detail, "therapist-session-detail")
    expect(therapist_page.locator("main")).to_contain_text(client.display_name)
    expect(therapist_page.locator("main")).to_contain_text(f"{local:%H:%M}")

    # The client cancels (inside the 24-hour cut-off they confirm the late cancellation).
    with page.expect_navigation():
        upcoming.locator("a").first.click()
    check_a11y(page, "session-detail")
    with page.expect_navigation():
        page.get_by_role("link", name="Cancel this session").click()
    check_a11y(page, "session-cancel")
    page.get_by_label("Reason").fill("Something came up at work.")
    late = page.get_by_label("I understand this is a late cancellation.")
    if late.count():
        late.check()
    submit(page, "Cancel the session", "session-cancelled")
    expect(page.locator(".messages")).to_contain_text("The session is cancelled.")
    expect(page.locator("main")).to_contain_text("Cancelled")
    expect(page.get_by_role("link", name="Cancel this session")).to_have_count(0)
    visit(page, reverse("scheduling:my_sessions"), "my-sessions-after-cancel")
    cancelled = page.locator("section[aria-labelledby=cancelled-heading]")
    expect(cancelled).to_contain_text("Cancelled by you")

    # The therapist sees it cancelled too.
    visit(therapist_page, detail, "therapist-session-cancelled")
    expect(therapist_page.locator("main")).to_contain_text("By the client")


def test_booking_works_without_javascript(new_page, server):
    therapist_page = new_page(java_script_enabled=False)
    profile = therapist_profile_path(therapist_page)
    page = new_page(java_script_enabled=False)
    new_client(page, server)
    visit(page, profile, "no-js-profile")
    with page.expect_navigation():
        page.get_by_role("link", name=SERVICE_LINK).click()
    check_a11y(page, "no-js-book-week")
    # The zone box is a plain GET form.
    page.get_by_label("Show times in").select_option("America/New_York")
    submit(page, "Show", "no-js-book-week-new-york")
    expect(page.locator("#picker-zone")).to_contain_text("Times in America/New_York")
    expect(page.locator("#picker-zone")).to_contain_text("The therapist works in Europe/London")
    with page.expect_navigation():
        page.locator("a.slot").first.click()
    check_a11y(page, "no-js-book-confirm")
    expect(page.locator("main")).to_contain_text("America/New_York")
    expect(page.locator("main")).to_contain_text("For the therapist:")
    submit(page, "Book this session", "no-js-booked")
    assert_booked(page)


def test_booking_works_with_the_keyboard_alone(new_page, server):
    therapist_page = new_page()
    profile = therapist_profile_path(therapist_page)
    page = new_page()
    new_client(page, server)
    visit(page, profile, "keyboard-profile")
    href = page.get_by_role("link", name=SERVICE_LINK).get_attribute("href")
    tab_to(page, f"a[href='{href}']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_a11y(page, "keyboard-book-week")
    tab_to(page, "a.slot")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_a11y(page, "keyboard-book-confirm")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Space")
    check_a11y(page, "keyboard-booked")
    assert_booked(page)


def test_the_booking_pages_fit_a_phone(new_page, server):
    """At phone width no booking page scrolls sideways: the week and month of free times, the
    confirm page, "My sessions" and the therapist's week (axe-audited as well)."""
    therapist_page = new_page()
    profile = therapist_profile_path(therapist_page)
    page = new_page()
    new_client(page, server)
    visit(page, profile, "phone-profile")
    book = page.get_by_role("link", name=SERVICE_LINK).get_attribute("href")
    assert book is not None
    check_mobile(page, book, "phone-book-week")
    check_mobile(page, f"{book}?view=month", "phone-book-month")
    visit(page, book, "phone-book-week-again")
    confirm = page.locator("a.slot").first.get_attribute("href")
    assert confirm is not None
    check_mobile(page, confirm, "phone-book-confirm")
    check_mobile(page, reverse("scheduling:my_sessions"), "phone-my-sessions")
    check_mobile(therapist_page, f"{reverse('scheduling:calendar')}?view=week", "phone-calendar")
