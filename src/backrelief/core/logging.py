"""Logging filter adding the request id to every record (never user data)."""

from __future__ import annotations

import logging

from backrelief.core import context


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = context.current().request_id
        return True
