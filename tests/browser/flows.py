"""Steps a person takes through the account pages, shared by the browser tests.

Each step acts through the page as a person would (mouse or keyboard), then audits the page
it lands on (`check_a11y`), so every state a flow passes through is checked.
"""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass, field

import pyotp
from playwright.sync_api import Locator, Page, expect

from tests.browser.server import LiveServer
from tests.browser.ui import check_a11y, visit

PASSWORD = "calm shoulders, steady breath 42"


@dataclass
class Person:
    role: str
    email: str = ""
    display_name: str = ""
    password: str = PASSWORD
    totp_secret: str = ""
    last_totp_step: int = 0
    recovery_codes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        tag = uuid.uuid4().hex[:10]
        self.email = self.email or f"{self.role}-{tag}@example.test"
        self.display_name = self.display_name or f"{self.role.title()} {tag[:4]}"

    def next_totp_code(self) -> str:
        """A code for a step after the last one used (a used step is refused: no replay).

        The server accepts one step either side of its current one (RFC 6238 drift window),
        so at most the next step may be used early; beyond that, wait for the clock.
        """
        while True:
            now = time.time()
            step = max(int(now) // 30, self.last_totp_step + 1)
            if step <= int(now) // 30 + 1:
                break
            time.sleep(30 - now % 30 + 0.2)
        self.last_totp_step = step
        return pyotp.TOTP(self.totp_secret).at(step * 30)


def submit(page: Page, button_name: str | re.Pattern[str], step: str) -> None:
    """Click a form's submit button, wait for the next document, audit it."""
    with page.expect_navigation():
        page.get_by_role("button", name=button_name).click()
    check_a11y(page, step)


def sign_up(page: Page, person: Person) -> None:
    visit(page, "/accounts/signup/", "signup")
    page.get_by_role("radio", name=re.compile(person.role, re.I)).check()
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill(person.password)
    page.get_by_label("Display name").fill(person.display_name)
    submit(page, "Create account", "signup-done")
    expect(page.locator("h1")).to_have_text("Check your email")


def verification_link(server: LiveServer, person: Person) -> str:
    mail = server.wait_for_mail(person.email)
    links = [link for link in mail.links(server.url) if "/accounts/verify/" in link]
    assert links, f"no verification link in the mail to {person.email}:\n{mail.body}"
    return links[-1]


def verify_email(page: Page, server: LiveServer, person: Person) -> None:
    visit(page, verification_link(server, person), "email-verified")
    expect(page.locator("h1")).to_contain_text("confirmed")


def sign_in(
    page: Page, person: Person, *, expect_totp: bool = False, heading: str | None = None
) -> None:
    visit(page, "/accounts/login/", "login")
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill(person.password)
    if expect_totp:
        submit(page, "Sign in", "login-two-factor")
        expect(page).to_have_url(re.compile(r"/accounts/login/two-factor/$"))
        _code_field(page).fill(person.next_totp_code())
        submit(page, "Sign in", "home-after-two-factor")
    else:
        submit(page, "Sign in", "home")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("h1")).to_contain_text(heading or person.display_name)


def _code_field(page: Page) -> Locator:
    return page.get_by_role("textbox", name=re.compile("code", re.I))


def sign_out(page: Page) -> None:
    submit(page, "Sign out", "signed-out")
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def enable_totp(page: Page, person: Person) -> None:
    visit(page, "/accounts/two-factor/", "two-factor")
    submit(page, "Set up two-factor authentication", "two-factor-secret")
    secret = re.sub(r"\s+", "", page.locator("#totp-secret").inner_text())
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    person.totp_secret = secret
    # A wrong code first: the error is shown next to the field, and that state is audited too.
    totp, step = pyotp.TOTP(secret), int(time.time()) // 30
    valid_now = {totp.at((step + delta) * 30) for delta in range(-1, 3)}
    _code_field(page).fill(next(c for c in ("000000", "111111", "222222") if c not in valid_now))
    submit(page, "Turn on two-factor authentication", "two-factor-wrong-code")
    expect(page.locator(".field-invalid .errorlist")).to_be_visible()
    _code_field(page).fill(person.next_totp_code())
    submit(page, "Turn on two-factor authentication", "recovery-codes")
    codes = [c.strip() for c in page.locator("ol.codes code").all_inner_texts()]
    assert len(codes) == 10, codes
    assert len(set(codes)) == 10, codes
    person.recovery_codes = codes
    expect(page.get_by_text("Two-factor authentication is now on.")).to_be_visible()
