"""Sign-up to two-factor sign-in in a real browser against `backrelief run`: every page on the
way passes axe-core; the sign-up also works without JavaScript and with the keyboard alone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.flows import (
    Person,
    enable_totp,
    sign_in,
    sign_out,
    sign_up,
    submit,
    verification_link,
    verify_email,
)
from tests.browser.ui import (
    PHONE,
    assert_focus_visible,
    check_a11y,
    check_mobile,
    press,
    tab_to,
    visit,
)

pytestmark = pytest.mark.browser


def test_client_signs_up_verifies_signs_in_and_turns_on_two_factor(page, server):
    person = Person("client")
    sign_up(page, person)
    verify_email(page, server, person)

    sign_in(page, person)
    expect(page.get_by_text("Please verify your email address")).to_have_count(0)
    sign_out(page)
    sign_in(page, person)

    enable_totp(page, person)
    check_mobile(page, "/accounts/two-factor/", "two-factor-on")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_out(page)

    sign_in(page, person, expect_totp=True)
    check_mobile(page, "/", "client-home")


def test_a_used_two_factor_code_is_refused_at_sign_in(page, server):
    person = Person("client")
    sign_up(page, person)
    verify_email(page, server, person)
    sign_in(page, person)
    enable_totp(page, person)
    sign_out(page)

    visit(page, "/accounts/login/", "login")
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill(person.password)
    submit(page, "Sign in", "two-factor-step")
    replayed = person.next_totp_code()
    page.get_by_label("Code").fill(replayed)
    submit(page, "Sign in", "two-factor-accepted")
    sign_out(page)

    visit(page, "/accounts/login/", "login-again")
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill(person.password)
    submit(page, "Sign in", "two-factor-step-again")
    page.get_by_label("Code").fill(replayed)
    submit(page, "Sign in", "replayed-code-refused")
    expect(page).to_have_url(re.compile(r"/accounts/login/two-factor/$"))
    expect(page.locator(".field-invalid .errorlist, .form-errors").first).to_be_visible()

    page.get_by_label("Code").fill(person.recovery_codes[0])
    submit(page, "Sign in", "signed-in-with-recovery-code")
    expect(page.locator(".message-warning")).to_contain_text("recovery code")


def test_therapist_signs_up_and_is_asked_to_turn_on_two_factor(page, server):
    person = Person("therapist")
    sign_up(page, person)
    verify_email(page, server, person)
    sign_in(page, person)
    expect(page.get_by_role("link", name=re.compile("two-factor", re.I))).to_be_visible()
    check_mobile(page, "/", "therapist-home")


def test_sign_up_without_javascript(new_page, server):
    page = new_page(java_script_enabled=False)
    assert page.evaluate("() => typeof window.htmx") == "undefined"
    person = Person("client")
    sign_up(page, person)
    verify_email(page, server, person)
    sign_in(page, person)
    sign_out(page)


def test_sign_up_with_invalid_input_shows_field_errors_without_javascript(new_page):
    page = new_page(java_script_enabled=False)
    visit(page, "/accounts/signup/", "signup")
    page.get_by_label("Email address").fill("not-an-email")
    page.get_by_label("Password").fill("short")
    submit(page, "Create account", "signup-errors")
    expect(page.locator("#id_role_errors")).to_be_visible()
    expect(page.locator("#id_email_error")).to_be_visible()
    # The error is announced with the field: Django's aria-describedby must point at it.
    assert "id_email_error" in (page.locator("#id_email").get_attribute("aria-describedby") or "")
    assert page.locator("#id_email").get_attribute("aria-invalid") == "true"
    expect(page.locator("h1")).to_have_text("Create your account")

    page.get_by_role("radio", name="Client").check()
    page.get_by_label("Email address").fill(Person("client").email)
    page.get_by_label("Password").fill("short")
    submit(page, "Create account", "signup-password-error")
    expect(page.locator("#id_password_error")).to_be_visible()
    described = page.locator("#id_password").get_attribute("aria-describedby") or ""
    assert {"id_password_helptext", "id_password_error"} <= set(described.split())
    for ref in described.split():
        expect(page.locator(f"#{ref}")).to_have_count(1)
    expect(page.locator("h1")).to_have_text("Create your account")


def test_sign_up_with_the_keyboard_alone(page, server):
    person = Person("client")
    visit(page, "/", "home")
    first = press(page, "Tab")
    assert first is not None
    assert "skip-link" in first["classes"], f"first tab stop: {first}"
    assert_focus_visible(first)

    tab_to(page, "header a[href='/accounts/signup/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_a11y(page, "signup")

    _fill_signup_by_keyboard(page, person)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_a11y(page, "signup-done")
    expect(page.locator("h1")).to_have_text("Check your email")

    visit(page, verification_link(server, person), "email-verified")
    # Sign in from the confirmation page, keyboard only.
    tab_to(page, "main a[href='/accounts/login/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_a11y(page, "login")
    tab_to(page, "input[name=email]")
    page.keyboard.type(person.email)
    tab_to(page, "input[name=password]")
    page.keyboard.type(person.password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_a11y(page, "home")
    expect(page.locator("h1")).to_contain_text(person.display_name)

    tab_to(page, "header button[type=submit]")  # Sign out
    with page.expect_navigation():
        page.keyboard.press("Space")
    check_a11y(page, "signed-out")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_therapist_sign_up_with_the_keyboard_alone(page, server):
    person = Person("therapist")
    visit(page, "/accounts/signup/", "signup")
    _fill_signup_by_keyboard(page, person)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_a11y(page, "signup-done")
    expect(page.locator("h1")).to_have_text("Check your email")
    assert "/accounts/verify/" in verification_link(server, person)


def test_sign_up_fits_a_phone(new_page):
    page = new_page(viewport=PHONE)
    check_mobile(page, "/accounts/signup/", "signup")


def _fill_signup_by_keyboard(page, person: Person) -> None:
    """Role by Space/arrow keys, text by typing, the button by Tab; focus always visible."""
    radio = tab_to(page, "input[name=role]")
    for _ in range(4):
        if radio["value"] == person.role:
            break
        radio = press(page, "ArrowDown")
        assert radio is not None
    assert radio["value"] == person.role, radio
    page.keyboard.press("Space")
    assert page.evaluate("() => document.activeElement.checked"), "role not chosen"
    tab_to(page, "input[name=email]")
    page.keyboard.type(person.email)
    tab_to(page, "input[name=password]")
    page.keyboard.type(person.password)
    tab_to(page, "input[name=display_name]")
    page.keyboard.type(person.display_name)
    tab_to(page, "main form button[type=submit]")
