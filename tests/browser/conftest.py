"""Browser test harness: a real server process, Debian's Chromium through Playwright, axe-core.

Locally the browser tests skip (with the reason shown by `-ra`) when Chromium or Playwright is
missing; with CI=true they fail instead, because CI must really exercise the browser.
The browser tests never touch the database directly: Playwright's sync API runs an event loop,
and everything they check goes through the server, as a person would.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import ui
from tests.browser.server import LiveServer, chromium_path

IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 900}


def unavailable(reason: str) -> None:
    """Skip locally; in CI a missing browser is a failure, never a silent skip."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the browser tests are required)", pytrace=False)
    pytest.skip(reason)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A browser test without the `browser` marker would run inside `make test`: refuse it."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents and item.get_closest_marker("browser") is None:
            raise pytest.UsageError(f"{item.nodeid} needs pytest.mark.browser")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    from django.conf import settings

    return Path(settings.VAR_DIR) / "screenshots"


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = chromium_path()
    if path is None:
        unavailable("Chromium is not installed (Debian: apt-get install chromium)")
    assert path is not None
    return path


@pytest.fixture(scope="session")
def live_server_process(
    tmp_path_factory: pytest.TempPathFactory, chromium_executable: str
) -> Iterator[LiveServer]:
    """`backrelief run --setup` on a free port with its own var dir (file SQLite, mail files)."""
    server = LiveServer(var_dir=tmp_path_factory.mktemp("browser-var"))
    try:
        server.start()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser(chromium_executable: str) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a dev dependency
        unavailable("Playwright for Python is not installed")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium_executable, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture(autouse=True)
def _browser_test_run(request: pytest.FixtureRequest, screenshots_dir: Path) -> Iterator[None]:
    ui.begin_test(request.node.name, screenshots_dir)
    yield
    unaudited = ui.end_test()
    call = getattr(request.node, "report_call", None)
    if unaudited and call is not None and call.passed:
        pytest.fail(
            "pages visited without an accessibility check (call check_a11y after each "
            f"navigation): {unaudited}",
            pytrace=False,
        )


@pytest.fixture
def new_page(
    browser: Any, live_server_process: LiveServer, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Any]]:
    """Factory for pages in fresh browser contexts (own cookies); closed after the test.

    `new_page(java_script_enabled=False)` or `new_page(viewport=ui.PHONE)` for variants.
    """
    contexts: list[Any] = []

    def make(*, java_script_enabled: bool = True, viewport: dict[str, int] | None = None) -> Any:
        context = browser.new_context(
            base_url=live_server_process.url,
            java_script_enabled=java_script_enabled,
            viewport=viewport or DESKTOP,
            locale="en-GB",
            timezone_id="Europe/Berlin",
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        return ui.track(page, js_enabled=java_script_enabled)

    yield make
    call = getattr(request.node, "report_call", None)
    for index, context in enumerate(contexts):
        if call is not None and call.failed:
            for page in context.pages:
                try:
                    ui.screenshot(page, f"failure-{index}")
                except Exception as exc:  # a broken page must not hide the real failure
                    print(f"(no failure screenshot: {exc})")
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    return new_page()


@pytest.fixture
def server(live_server_process: LiveServer) -> LiveServer:
    return live_server_process
