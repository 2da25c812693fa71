"""The one family of domain errors (STYLE.md rule 6).

Services raise these; adapters map them once: `backrelief.api` to HTTP status codes and
`backrelief.core.forms` helpers to form errors. Every message says what to do next.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every expected failure. `code` is stable and machine-readable."""

    status = 400
    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class NotFound(DomainError):
    """The object does not exist *for this user* (other people's objects do not exist)."""

    status = 404
    code = "not_found"


class PermissionDenied(DomainError):
    """The user is known but may not do this (e.g. two-factor authentication missing)."""

    status = 403
    code = "permission_denied"


class Conflict(DomainError):
    """The request is valid but clashes with the current state (e.g. already verified)."""

    status = 409
    code = "conflict"


class Invalid(DomainError):
    """Input that breaks a rule; `fields` maps field name to a list of messages."""

    status = 422
    code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        fields: dict[str, list[str]] | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.fields = fields or {}


class RateLimited(DomainError):
    """Too many attempts; `retry_after_s` says when to try again."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s
