"""`backrelief worker`: the long-running background worker (issue 6 item 7).

Every `--interval` seconds it sends due notifications from the outbox and recomputes up to
`FREE_TIME_BATCH` out-of-date rows of the free-time index (earliest availability, item 8, so
searches rarely compute one themselves); every `PURGE_EVERY_S`
(and on every `--once` pass) it also deletes expired idempotency records. Run one or more on
each host as a service (systemd `Restart=always`): workers share the work by claiming rows
with a conditional UPDATE, so two never send the same row.
SIGTERM or SIGINT (Ctrl-C) lets the message in hand finish, hands the rest of the batch back,
and exits with status 0. `--once` runs one pass and exits (cron, tests, a manual nudge): 0,
or 1 when the pass failed. A failed pass in the loop (database unreachable) is logged and
retried after a pause instead of ending the process.

Logs carry counts and the worker id only — never addresses or message content.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections, connection, connections
from django.utils import timezone

from backrelief.scheduling.free_time import free_time_refresh_stale
from backrelief.scheduling.jobs import idempotency_records_purge, notifications_send_due

logger = logging.getLogger("backrelief.worker")

# After a failed pass (database unreachable, ...) wait at least this long before the next.
ERROR_PAUSE_S = 10.0
# Housekeeping (expired idempotency records) runs at most this often per worker process: the
# records only need to go some time after their 24 hours, not to the second.
PURGE_EVERY_S = 600.0
# Free-time index rows recomputed per pass (each is one slot computation of a service).
FREE_TIME_BATCH = 200


def worker_id_default() -> str:
    """hostname-pid: unique among running workers, readable in `claimed_by`."""
    return f"{socket.gethostname()}-{os.getpid()}"[-64:]


class Command(BaseCommand):
    help = (
        "Run the background worker: send due notifications every few seconds until SIGTERM "
        "or Ctrl-C (--once: one pass, then exit)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Run one pass of every job, then exit."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=5.0,
            help="Seconds to wait between passes when nothing was due (default 5).",
        )
        parser.add_argument(
            "--batch", type=int, default=50, help="Rows one job claims per pass (default 50)."
        )
        parser.add_argument(
            "--worker-id", default="", help="Name in claimed_by (default hostname-pid)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interval = max(float(options["interval"]), 0.05)
        batch = max(int(options["batch"]), 1)
        worker_id = str(options["worker_id"] or worker_id_default())[:64]
        stop = threading.Event()
        self._purged_at: float | None = None  # monotonic time of the last purge
        previous = self._install_signal_handlers(stop)
        logger.info("Worker %s started (interval %.2fs, batch %d)", worker_id, interval, batch)
        try:
            while not stop.is_set():
                try:
                    busy = self._pass(worker_id=worker_id, batch=batch, should_stop=stop.is_set)
                except Exception as exc:
                    # The database or a bug: the class name only (messages can quote data);
                    # claims in hand expire after the lease. --once reports it as exit 1.
                    if options["once"]:
                        raise CommandError(f"Worker pass failed: {type(exc).__name__}") from None
                    logger.error("Worker %s pass failed: %s", worker_id, type(exc).__name__)
                    connections.close_all()
                    stop.wait(max(interval, ERROR_PAUSE_S))
                    continue
                if options["once"]:
                    break
                if not busy:
                    stop.wait(interval)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            self._refresh_connections()
        logger.info("Worker %s stopped", worker_id)

    def _pass(self, *, worker_id: str, batch: int, should_stop: Callable[[], bool]) -> bool:
        """One run of every job; True when a job had a full batch (more may be waiting, so
        the loop goes again without sleeping)."""
        self._refresh_connections()
        self._housekeeping(worker_id=worker_id)
        result = notifications_send_due(
            now=timezone.now(), worker_id=worker_id, batch=batch, should_stop=should_stop
        )
        if result.claimed:
            logger.info(
                "Worker %s notifications: claimed %d, sent %d, voided %d, dropped %d, "
                "retried %d, failed %d, released %d, lost %d",
                worker_id,
                result.claimed,
                result.sent,
                result.voided,
                result.dropped,
                result.retried,
                result.failed,
                result.released,
                result.lost,
            )
        refreshed = (
            0
            if should_stop()
            else free_time_refresh_stale(now=timezone.now(), limit=FREE_TIME_BATCH)
        )
        if refreshed:
            logger.info("Worker %s free-time index: %d refreshed", worker_id, refreshed)
        return (result.claimed >= batch or refreshed >= FREE_TIME_BATCH) and not should_stop()

    def _housekeeping(self, *, worker_id: str) -> None:
        """Delete expired idempotency records, at most every PURGE_EVERY_S (first pass: at
        once). Several workers may purge at the same time: each delete is harmless twice."""
        started = time.monotonic()
        if self._purged_at is not None and started - self._purged_at < PURGE_EVERY_S:
            return
        self._purged_at = started
        deleted = idempotency_records_purge(now=timezone.now())
        if deleted:
            logger.info("Worker %s deleted %d expired idempotency records", worker_id, deleted)

    @staticmethod
    def _refresh_connections() -> None:
        """A long-running process must not keep a dead or over-age connection (PostgreSQL
        restarts, CONN_MAX_AGE); never inside a transaction (the test suite runs in one)."""
        if not connection.in_atomic_block:
            close_old_connections()

    @staticmethod
    def _install_signal_handlers(stop: threading.Event) -> dict[int, Any]:
        def request_stop(signum: int, frame: FrameType | None) -> None:
            if not stop.is_set():
                logger.info(
                    "Worker got %s: finishing the message in hand, then stopping",
                    signal.Signals(signum).name,
                )
            stop.set()

        previous: dict[int, Any] = {}
        if threading.current_thread() is not threading.main_thread():
            return previous  # signals can only be handled in the main thread (e.g. tests)
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, request_stop)
        return previous
