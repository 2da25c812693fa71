"""A short, human description of a browser's User-Agent for the sessions page (issue 2 §6).

Pure and deliberately rough: it only has to help a person recognise their own devices
("Firefox on Linux"), never to make a security decision. Unknown agents stay "Unknown device".
"""

from __future__ import annotations

from django.utils.translation import gettext as _

# Order matters: many agents name several engines (Edge says Chrome and Safari, Chrome says
# Safari), so the most specific marker comes first.
_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
    ("curl/", "curl"),
    ("python-requests/", "Python"),
    ("python-httpx/", "Python"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Macintosh", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def describe_user_agent(user_agent: str) -> str:
    """E.g. "Firefox on Linux", "Safari on iPhone", "curl", or "Unknown device"."""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), None)
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), None)
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Unknown device")
