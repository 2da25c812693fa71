"""Helpers every browser test uses: visit a page, audit it with axe-core, take screenshots,
check the phone layout, and drive the page with the keyboard alone.

Rules the helpers enforce (a test cannot forget them):

* every document a test's page navigates to must be audited with `check_a11y` before the
  test ends (`visit` does it after load; call `check_a11y` after every other state change);
* an audit fails on any axe-core violation of impact "serious" or "critical" against WCAG
  2.0/2.1/2.2 A and AA, printing the rule, its help text and the offending nodes;
* an audit also fails when the page broke its own Content-Security-Policy (a blocked inline
  script or style) or threw an uncaught JavaScript error.

axe-core is loaded from `frontend/node_modules` (npm, never committed) with `page.evaluate`,
which runs through the DevTools protocol and is not subject to the page's CSP, so the tests
audit the page under the real policy: no `bypass_csp`, no weakened headers. With JavaScript
disabled the page cannot run axe (timers never fire), so the audit replays the exact HTML the
page received in a script-free copy of the page (same URL, same stylesheets) and runs axe there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Response, Route

from tests.browser.server import REPO

AXE_PATH = REPO / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = ("serious", "critical")
PHONE = {"width": 390, "height": 844}

_AXE_RUN = """async (tags) => {
  const result = await window.axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target, html: n.html, summary: n.failureSummary})),
  }));
}"""

_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    type: el.getAttribute("type") || "",
    name: el.getAttribute("name") || "",
    id: el.id || "",
    value: "value" in el ? String(el.value) : "",
    checked: "checked" in el ? Boolean(el.checked) : false,
    text: (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 80),
    classes: el.className && typeof el.className === "string" ? el.className : "",
    focusVisible: el.matches(":focus-visible"),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    boxShadow: style.boxShadow,
  };
}"""

_OVERFLOW = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && r.width > 0) {
      const cls = typeof el.className === "string" ? el.className.trim() : "";
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
                   (cls ? "." + cls.replace(/\\s+/g, ".") : "");
      wide.push(`${name} right=${Math.round(r.right)}`);
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: width, wide: wide.slice(0, 10)};
}"""


@dataclass
class PageState:
    js_enabled: bool
    pending: list[str] = field(default_factory=list)  # documents not yet audited
    problems: list[str] = field(default_factory=list)  # CSP violations, uncaught errors
    audits: int = 0


@dataclass
class TestRun:
    name: str
    shots: Path
    step: int = 0
    pages: dict[Page, PageState] = field(default_factory=dict)


_current: TestRun | None = None


def begin_test(name: str, shots: Path) -> None:
    global _current
    shots.mkdir(parents=True, exist_ok=True)
    _current = TestRun(re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_"), shots)


def end_test() -> list[str]:
    """Problems left at the end of a test: documents visited but never audited."""
    global _current
    run, _current = _current, None
    if run is None:
        return []
    unaudited: list[str] = []
    for state in run.pages.values():
        unaudited.extend(state.pending)
    return unaudited


def _run() -> TestRun:
    if _current is None:
        raise RuntimeError("browser helpers used outside a browser test")
    return _current


def track(page: Page, *, js_enabled: bool = True) -> Page:
    """Record every main-frame navigation, CSP violation and uncaught error of `page`."""
    state = PageState(js_enabled=js_enabled)
    _run().pages[page] = state

    def navigated(frame: Any) -> None:
        if frame == page.main_frame and frame.url != "about:blank":
            state.pending.append(frame.url)

    def console(message: Any) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            state.problems.append(f"CSP violation on {page.url}: {message.text}")

    def page_error(error: Any) -> None:
        state.problems.append(f"uncaught JavaScript error on {page.url}: {error}")

    page.on("framenavigated", navigated)
    page.on("console", console)
    page.on("pageerror", page_error)
    return page


def _state(page: Page) -> PageState:
    state = _run().pages.get(page)
    if state is None:
        raise RuntimeError("page was not created through the browser fixtures (call track())")
    return state


def screenshot(page: Page, step: str) -> Path:
    run = _run()
    run.step += 1
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", step).strip("-") or "page"
    path = run.shots / f"{run.name}-{run.step:02d}-{slug}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# --- axe-core --------------------------------------------------------------------------------
def _axe_source() -> str:
    if not AXE_PATH.exists():
        raise RuntimeError(f"{AXE_PATH} is missing: run `make frontend` (npm ci) first")
    return AXE_PATH.read_text()


def _axe_in(page: Page) -> list[dict[str, Any]]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    result: list[dict[str, Any]] = page.evaluate(_AXE_RUN, AXE_TAGS)
    return result


def _axe_on_script_free_copy(page: Page) -> list[dict[str, Any]]:
    """Audit what a no-JavaScript visitor got: the same HTML at the same URL, scripts blocked."""
    html, url = page.content(), page.url
    browser = page.context.browser
    assert browser is not None
    context = browser.new_context(viewport=page.viewport_size)

    def serve(route: Route) -> None:
        request = route.request
        if request.resource_type == "document" and request.url == url:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
        elif request.resource_type == "script":
            route.abort()
        else:
            route.continue_()

    try:
        context.route("**/*", serve)
        copy = context.new_page()
        copy.goto(url)
        return _axe_in(copy)
    finally:
        context.close()


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core: {len(violations)} serious/critical WCAG violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:8]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            if node.get("summary"):
                lines.append("      " + node["summary"].replace("\n", "\n      "))
    return "\n".join(lines)


def check_a11y(page: Page, step: str | None = None) -> None:
    """Screenshot the page and fail on serious/critical axe violations, CSP breaks or JS errors."""
    page.wait_for_load_state("load")
    state = _state(page)
    screenshot(page, step or page.url.split("://", 1)[-1].split("/", 1)[-1] or "home")
    problems, state.problems = state.problems, []
    violations = _axe_in(page) if state.js_enabled else _axe_on_script_free_copy(page)
    state.pending.clear()
    state.audits += 1
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    others = [v for v in violations if v["impact"] not in BLOCKING_IMPACTS]
    if others:  # visible with -rA or on failure; not a failure (moderate/minor)
        print(format_violations(page.url, others).replace("serious/critical", "minor/moderate"))
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
    if blocking:
        pytest.fail(format_violations(page.url, blocking), pytrace=False)


def visit(page: Page, url: str, step: str | None = None, *, status: int = 200) -> Response:
    """Open `url`, check the final status, then audit the page (axe, CSP, screenshot)."""
    response = page.goto(url)
    assert response is not None, f"no response for {url}"
    assert response.status == status, (
        f"GET {url} -> {response.status} (expected {status}) at {page.url}\n"
        f"{page.locator('body').inner_text()[:600]}"
    )
    check_a11y(page, step or url.strip("/").replace("/", "-") or "home")
    return response


def check_mobile(page: Page, url: str, step: str | None = None) -> None:
    """At 390x844 (a phone), the page must not scroll sideways; it is audited as well."""
    page.set_viewport_size(PHONE)
    visit(page, url, (step or url.strip("/").replace("/", "-") or "home") + "-phone")
    layout = page.evaluate(_OVERFLOW)
    assert layout["scrollWidth"] <= layout["clientWidth"], (
        f"{url} scrolls horizontally at {PHONE['width']}px: scrollWidth "
        f"{layout['scrollWidth']} > {layout['clientWidth']}; too wide: {layout['wide']}"
    )


# --- keyboard --------------------------------------------------------------------------------
def focused(page: Page) -> dict[str, Any] | None:
    info: dict[str, Any] | None = page.evaluate(_FOCUSED)
    return info


def assert_focus_visible(info: dict[str, Any] | None) -> None:
    assert info is not None, "nothing has keyboard focus"
    shows_ring = (info["outlineStyle"] != "none" and info["outlineWidth"] > 0) or (
        info["boxShadow"] not in ("", "none")
    )
    assert info["focusVisible"], f"not :focus-visible after a key press: {info}"
    assert shows_ring, f"no visible focus indicator (outline or box-shadow): {info}"


def press(page: Page, key: str) -> dict[str, Any] | None:
    page.keyboard.press(key)
    return focused(page)


def tab_to(page: Page, selector: str, *, max_tabs: int = 80, backwards: bool = False) -> dict:
    """Press Tab (or Shift+Tab) until the focused element matches `selector`.

    Every stop on the way must show a visible focus indicator.
    """
    key = "Shift+Tab" if backwards else "Tab"
    seen: list[str] = []
    for _ in range(max_tabs):
        info = press(page, key)
        assert_focus_visible(info)
        assert info is not None
        seen.append(f"{info['tag']}[name={info['name']}]{info['text'][:30]!r}")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return info
    raise AssertionError(f"{selector} not reached with {key} after {max_tabs} stops: {seen}")
