"""The signed-in pages (profile, sessions, tokens, consent, access log, password reset, staff
audit search) in a real browser: each state, including htmx swaps, passes axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from backrelief.core.demo import DEMO_PASSWORD, DEMO_STAFF_TOTP_SECRET, PERSONAS
from tests.browser.flows import (
    Person,
    enable_totp,
    sign_in,
    sign_out,
    sign_up,
    submit,
    verify_email,
)
from tests.browser.ui import check_a11y, check_mobile, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_in_client(page, server):
    person = Person("client")
    sign_up(page, person)
    verify_email(page, server, person)
    sign_in(page, person)
    return person


def test_profile_sessions_and_access_log(page, signed_in_client):
    visit(page, "/accounts/profile/", "profile")
    page.get_by_label("Display name").fill("Renamed Person")
    submit(page, "Save profile", "profile-saved")
    expect(page.get_by_label("Display name")).to_have_value("Renamed Person")

    visit(page, "/accounts/sessions/", "sessions")
    expect(page.get_by_text("This session")).to_be_visible()
    visit(page, "/account/access-log/", "access-log")
    for path in ("/accounts/profile/", "/accounts/sessions/", "/account/access-log/"):
        check_mobile(page, path)


def test_token_created_once_and_revoked_in_place(page, signed_in_client):
    visit(page, "/accounts/tokens/", "tokens")
    page.get_by_label("Name").fill("laptop script")
    submit(page, "Create token", "token-created")
    expect(page.locator("#new-token")).to_have_text(re.compile(r"^br_\S{20,}$"))

    row = page.locator("tr", has_text="laptop script")
    row.get_by_role("button", name=re.compile("Revoke")).click()  # htmx swaps the row
    expect(page.locator("tr", has_text="laptop script")).to_contain_text("Revoked")
    check_a11y(page, "token-revoked")
    check_mobile(page, "/accounts/tokens/")


def test_consent_given_and_withdrawn_with_htmx(page, signed_in_client):
    visit(page, "/accounts/consent/", "consent")
    page.get_by_role("button", name="I consent to processing my health data").click()
    expect(page.get_by_role("button", name="Withdraw my consent")).to_be_visible()
    check_a11y(page, "consent-given")
    page.get_by_role("button", name="Withdraw my consent").click()
    expect(page.get_by_role("heading", name="Your consent is withdrawn")).to_be_visible()
    check_a11y(page, "consent-withdrawn")
    check_mobile(page, "/accounts/consent/")


def test_consent_given_and_withdrawn_without_javascript(new_page, server):
    page = new_page(java_script_enabled=False)
    person = Person("client")
    sign_up(page, person)
    verify_email(page, server, person)
    sign_in(page, person)
    visit(page, "/accounts/consent/", "consent")
    submit(page, "I consent to processing my health data", "consent-given")
    expect(page.get_by_role("button", name="Withdraw my consent")).to_be_visible()
    submit(page, "Withdraw my consent", "consent-withdrawn")
    expect(page.get_by_role("heading", name="Your consent is withdrawn")).to_be_visible()


def test_password_reset_by_mail_works_once(page, server):
    person = Person("client")
    sign_up(page, person)
    verify_email(page, server, person)
    mails_before = server.mail_count(person.email)

    visit(page, "/accounts/password/reset/", "password-reset")
    page.get_by_label("Email address").fill(person.email)
    submit(page, "Send the link", "password-reset-sent")
    mail = server.wait_for_mail(person.email, after=mails_before)
    links = [link for link in mail.links(server.url) if "/password/reset/" in link]
    assert links, mail.body
    visit(page, links[-1], "choose-new-password")
    person.password = "a brand new and long passphrase 7"
    page.get_by_label(re.compile("password", re.I)).fill(person.password)
    submit(page, "Save the new password", "password-reset-complete")
    expect(page.locator("h1")).to_have_text("Your password was changed")

    visit(page, links[-1], "reset-link-used-again", status=400)  # single use
    expect(page.locator("h1")).to_have_text("This link did not work")
    sign_in(page, person)
    sign_out(page)


def _demo_staff() -> Person:
    demo_staff = next(p for p in PERSONAS if p.role == "staff")
    return Person(
        "staff",
        email=demo_staff.email,
        display_name=demo_staff.display_name,
        password=DEMO_PASSWORD,
        totp_secret=DEMO_STAFF_TOTP_SECRET,
    )


# One object for every test that signs in as the demo staff member, so the TOTP helper knows
# which time step was used last: the server refuses a replayed code (RFC 6238 §5.2).
DEMO_STAFF = _demo_staff()


def test_staff_signs_in_with_two_factor_and_searches_the_audit_log(page):
    sign_in(page, DEMO_STAFF, expect_totp=True, heading="Staff")
    visit(page, "/audit/", "audit-search")
    submit(page, "Search", "audit-results")
    check_mobile(page, "/audit/", "audit-search")


def test_staff_admin_pages_pass_the_accessibility_audit(page):
    sign_in(page, DEMO_STAFF, expect_totp=True, heading="Staff")
    visit(page, "/admin/", "admin-index")
    visit(page, "/admin/accounts/user/", "admin-users")
    visit(page, "/admin/accounts/user/?role__exact=client", "admin-users-filtered")
    with page.expect_navigation():
        page.locator("#result_list tbody tr a").first.click()
    check_a11y(page, "admin-user-change")


def test_unverified_person_asks_for_a_new_link_and_verifies_with_it(page, server):
    person = Person("client")
    sign_up(page, person)
    sign_in(page, person)
    expect(page.get_by_text("Please verify your email address")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Send the link again").click()
    check_a11y(page, "verify-resend")
    submit(page, "Send the link again", "verify-resent")
    server.wait_for_mail(person.email, after=1)
    verify_email(page, server, person)
    visit(page, "/", "home-verified")
    expect(page.get_by_text("Please verify your email address")).to_have_count(0)


def test_password_change_then_sign_in_with_the_new_password(page, signed_in_client):
    person = signed_in_client
    visit(page, "/accounts/password/change/", "password-change")
    page.get_by_label("Current password").fill(person.password)
    person.password = "another long and calm passphrase 9"
    page.get_by_label("New password").fill(person.password)
    submit(page, "Change password", "password-changed")
    sign_out(page)
    sign_in(page, person)


def test_new_recovery_codes_then_two_factor_turned_off(page, signed_in_client):
    person = signed_in_client
    enable_totp(page, person)
    visit(page, "/accounts/two-factor/recovery-codes/", "recovery-codes-form")
    page.get_by_role("textbox", name=re.compile("code", re.I)).fill(person.next_totp_code())
    submit(page, "Make new recovery codes", "recovery-codes-new")
    fresh = [c.strip() for c in page.locator("ol.codes code").all_inner_texts()]
    assert len(fresh) == 10
    assert not set(fresh) & set(person.recovery_codes), "old codes came back"

    visit(page, "/accounts/two-factor/disable/", "two-factor-disable")
    page.get_by_label("Current password").fill(person.password)
    page.get_by_role("textbox", name=re.compile("code", re.I)).fill(person.next_totp_code())
    submit(page, "Turn off", "two-factor-off")
    visit(page, "/accounts/profile/", "profile-two-factor-off")
    expect(page.locator("#security-heading + ul")).to_contain_text(
        "Two-factor authentication — off"
    )
    sign_out(page)
    sign_in(page, person)  # no code asked any more


def test_ending_another_session_signs_that_browser_out(new_page, server):
    person = Person("client")
    phone = new_page()
    sign_up(phone, person)
    verify_email(phone, server, person)
    sign_in(phone, person)
    laptop = new_page()
    sign_in(laptop, person)

    visit(laptop, "/accounts/sessions/", "sessions-two")
    other = laptop.locator("tbody tr", has_not_text="This session")
    expect(other).to_have_count(1)
    other.get_by_role("button", name=re.compile("End")).click()  # htmx swaps the row
    expect(laptop.get_by_text("Session ended; that device is signed out.")).to_be_visible()
    check_a11y(laptop, "session-ended")

    visit(phone, "/accounts/profile/", "phone-signed-out")  # redirected to sign in
    expect(phone).to_have_url(re.compile(r"/accounts/login/"))

    visit(laptop, "/accounts/sessions/", "sessions-one")
    submit(laptop, "Sign out everywhere", "signed-out-everywhere")
    expect(laptop.get_by_role("button", name="Sign out")).to_have_count(0)
