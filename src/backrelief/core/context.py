"""Per-request context (request id, client IP) available to services without the request.

Set by `RequestContextMiddleware`; read by the audit service and the log filter. Outside a
request (CLI, workers) the values are a fresh id per process and no IP.
"""

from __future__ import annotations

import contextvars
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "backrelief_request_context", default=None
)


def current() -> RequestContext:
    ctx = _current.get()
    if ctx is None:
        return RequestContext(request_id=f"cli-{uuid.uuid4().hex[:12]}", ip=None)
    return ctx


def bind(ctx: RequestContext) -> contextvars.Token[RequestContext | None]:
    return _current.set(ctx)


def reset(token: contextvars.Token[RequestContext | None]) -> None:
    _current.reset(token)
