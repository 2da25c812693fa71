"""Strict parsing of environment variables.

Every variable the application reads is declared here, with its default and meaning, and
listed in `.env.example`. A malformed value fails loudly at start-up instead of being
silently replaced by a default (STYLE.md: "one env-driven settings module that fails loudly").
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


class EnvError(ValueError):
    """A variable is missing or malformed; the message names it and says what is expected."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Var:
    name: str
    default: str | None
    meaning: str


# The single list of variables. `.env.example` is checked against it by a test.
VARIABLES: tuple[Var, ...] = (
    Var("BACKRELIEF_ENV", "local", "Profile: 'local' (development, default) or 'production'."),
    Var(
        "SECRET_KEY",
        None,
        "Django secret key. Required in production; generated into var/ locally.",
    ),
    Var("ALLOWED_HOSTS", None, "Comma-separated host names. Required in production."),
    Var("DATABASE_URL", None, "Database URL. Required in production; SQLite in var/ by default."),
    Var(
        "BACKRELIEF_VAR_DIR", None, "Directory for the SQLite database, secret key, mail, backups."
    ),
    Var("BACKRELIEF_DEBUG", None, "Override DEBUG (local profile only)."),
    Var(
        "EMAIL_URL", None, "SMTP as smtp://user:pass@host:port; default writes mails to var/mail/."
    ),
    Var("DEFAULT_FROM_EMAIL", "BackRelief <no-reply@backrelief.invalid>", "Sender address."),
    Var("BACKRELIEF_BASE_URL", "http://127.0.0.1:8000", "Public base URL used in emailed links."),
    Var(
        "AUDIT_RETENTION_DAYS",
        "2190",
        "Days audit rows are kept before 'backrelief audit purge' may delete them.",
    ),
    Var(
        "REVIEW_WINDOW_DAYS",
        "90",
        "Days after a session's end during which its client may review it.",
    ),
    Var("SQLITE_BUSY_TIMEOUT_S", "20", "Seconds a SQLite writer waits for the lock."),
    Var("LOG_LEVEL", "INFO", "Root log level: DEBUG, INFO, WARNING, ERROR."),
    Var("SECURE_HSTS_SECONDS", "31536000", "HSTS max-age in production."),
    Var(
        "TRUSTED_PROXY", "false", "Trust X-Forwarded-Proto / X-Forwarded-For from a proxy in front."
    ),
)
_KNOWN = {v.name: v for v in VARIABLES}


class Env:
    """Typed, strict accessors over a mapping (os.environ by default)."""

    def __init__(self, source: Mapping[str, str] | None = None) -> None:
        self._source = os.environ if source is None else source

    def _raw(self, name: str) -> str | None:
        if name not in _KNOWN:
            raise EnvError(f"{name} is not a declared variable; add it to backrelief.env.VARIABLES")
        value = self._source.get(name)
        if value is None or value.strip() == "":
            return _KNOWN[name].default
        return value.strip()

    def string(self, name: str) -> str | None:
        return self._raw(name)

    def required(self, name: str, why: str) -> str:
        value = self._raw(name)
        if value is None:
            raise EnvError(f"{name} must be set {why}.")
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        value = self._raw(name)
        if value is None:
            return default
        low = value.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise EnvError(f"{name}={value!r} is not a boolean; use true or false.")

    def integer(self, name: str, *, minimum: int | None = None) -> int:
        value = self._raw(name)
        if value is None:
            raise EnvError(f"{name} must be set to a whole number.")
        try:
            number = int(value)
        except ValueError:
            raise EnvError(f"{name}={value!r} is not a whole number.") from None
        if minimum is not None and number < minimum:
            raise EnvError(f"{name}={number} must be at least {minimum}.")
        return number

    def choice(self, name: str, choices: tuple[str, ...]) -> str:
        value = self._raw(name)
        if value not in choices:
            raise EnvError(f"{name}={value!r} must be one of: {', '.join(choices)}.")
        return value

    def csv(self, name: str) -> list[str]:
        value = self._raw(name)
        if value is None:
            return []
        items = [item.strip() for item in value.split(",")]
        if any(not item for item in items):
            raise EnvError(f"{name}={value!r} has an empty entry; separate names by single commas.")
        return items
