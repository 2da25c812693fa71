"""`backrelief worker` (issue 6 item 7): `--once` runs one pass and exits 0, logs counts but
no addresses; and the Done-when check — two real worker processes drain 200 due notifications
into a local SMTP server (aiosmtpd, over STARTTLS like production): every message arrives
exactly once, cancelled bookings get none, and both stop cleanly on SIGTERM.

The end-to-end test drives real processes against a throwaway database of its own (SQLite in
a temporary directory; on the PostgreSQL run also a scratch PostgreSQL database), migrated and
loaded by subprocesses: the workers can only see committed rows, and the test database's rows
live in an open transaction.
"""

from __future__ import annotations

import datetime as dt
import email
import logging
import os
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command

from backrelief.core.backup import PgParams
from backrelief.scheduling.jobs import SendResult
from backrelief.scheduling.management.commands import worker as worker_module
from backrelief.scheduling.management.commands.worker import worker_id_default
from backrelief.scheduling.models import Notification
from backrelief.scheduling.notifications import notification_enqueue
from backrelief.therapists.tests.factories import make_booking, make_profile

BACKRELIEF = str(Path(sys.executable).parent / "backrelief")
NOW = dt.datetime(2026, 3, 9, 12, 0, tzinfo=dt.UTC)
IS_POSTGRES = "postgresql" in str(settings.DATABASES["default"]["ENGINE"])


# --- in process ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_once_sends_what_is_due_and_logs_counts_without_addresses(client_user, therapist, caplog):
    with time_machine.travel(NOW, tick=False):
        profile = make_profile(therapist)
        booking = make_booking(client_user, profile, start=NOW + dt.timedelta(days=1), now=NOW)
        for person in (client_user, therapist):
            notification_enqueue(
                booking=booking, kind="booking_confirmed", recipient=person, now=NOW
            )
        with caplog.at_level(logging.INFO, logger="backrelief.worker"):
            call_command("worker", "--once", "--worker-id", "test-1")
        assert len(mail.outbox) == 2
        assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
        assert set(Notification.objects.values_list("claimed_by", flat=True)) == {"test-1"}
        logged = caplog.text
        assert "claimed 2, sent 2" in logged
        assert "stopped" in logged
        for person in (client_user, therapist):
            assert person.email not in logged
            assert person.display_name not in logged


@pytest.mark.django_db
def test_a_pass_fills_the_free_time_index_with_the_earliest_free_slot(therapist, caplog):
    """The worker keeps the earliest-availability index warm: after one pass the service's
    row holds exactly the first slot `slot_list` offers, computed for the current generation."""
    from backrelief.scheduling.models import FreeTime
    from backrelief.scheduling.selectors_slots import slot_list
    from backrelief.scheduling.tests.booking_helpers import NOW as MONDAY
    from backrelief.scheduling.tests.booking_helpers import bookable

    with time_machine.travel(MONDAY, tick=False):
        _, service = bookable(therapist)
        with caplog.at_level(logging.INFO, logger="backrelief.worker"):
            call_command("worker", "--once", "--worker-id", "test-ft")
        row = FreeTime.objects.get(service=service)
        first = slot_list(
            service=service,
            start=MONDAY.date(),
            end=(MONDAY + dt.timedelta(days=7)).date(),
            now=MONDAY,
        )[0]
        assert row.earliest_start == first.start
        assert row.computed_generation == row.generation
        assert "free-time index: 1 refreshed" in caplog.text


@pytest.mark.django_db
def test_once_with_nothing_due_exits_quietly(caplog):
    with caplog.at_level(logging.INFO, logger="backrelief.worker"):
        call_command("worker", "--once")
    assert "claimed" not in caplog.text
    assert mail.outbox == []


@pytest.mark.django_db
def test_once_reports_a_failed_pass_as_an_error_naming_only_the_class(monkeypatch):
    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("client7@example.test could not be read")

    monkeypatch.setattr(worker_module, "notifications_send_due", broken)
    with pytest.raises(CommandError) as raised:
        call_command("worker", "--once")
    assert str(raised.value) == "Worker pass failed: RuntimeError"


@pytest.mark.django_db
@pytest.mark.skipif(
    threading.current_thread() is not threading.main_thread(),
    reason="signal handlers need the main thread",
)
def test_the_loop_survives_a_failed_pass_and_stops_on_sigterm(monkeypatch, caplog):
    calls = {"n": 0}

    def flaky(**kwargs: Any) -> SendResult:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("database is locked")
        os.kill(os.getpid(), signal.SIGTERM)  # the service manager stops the worker
        return SendResult()

    monkeypatch.setattr(worker_module, "notifications_send_due", flaky)
    monkeypatch.setattr(worker_module, "ERROR_PAUSE_S", 0.01)
    previous = signal.getsignal(signal.SIGTERM)
    with caplog.at_level(logging.INFO, logger="backrelief.worker"):
        call_command("worker", "--interval", "0.01", "--worker-id", "w-test")
    assert calls["n"] == 2
    assert signal.getsignal(signal.SIGTERM) == previous  # handlers restored
    assert "Worker w-test pass failed: RuntimeError" in caplog.text
    assert "database is locked" not in caplog.text
    assert "Worker got SIGTERM" in caplog.text
    assert "Worker w-test stopped" in caplog.text


def test_the_default_worker_id_is_hostname_and_pid():
    assert worker_id_default() == f"{socket.gethostname()}-{os.getpid()}"[-64:]


# --- two real workers and a real SMTP server ----------------------------------------------

LOAD = textwrap.dedent(
    """
    import datetime as dt

    import django

    django.setup()

    from django.db import transaction
    from django.utils import timezone

    from backrelief.accounts.models import User
    from backrelief.scheduling.models import Booking
    from backrelief.scheduling.notifications import notification_enqueue
    from backrelief.therapists.tests.factories import make_booking, make_profile

    now = timezone.now()
    start = (now + dt.timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        for t in range(10):
            therapist = User.objects.create_user(
                f"therapist{t}@example.test", role="therapist", display_name=f"T {t}",
                email_verified_at=now,
            )
            profile = make_profile(therapist, now=now)
            for b in range(11):
                client = User.objects.create_user(
                    f"client{t}-{b}@example.test", role="client", display_name=f"C {t} {b}",
                    time_zone="America/New_York", email_verified_at=now,
                )
                booking = make_booking(
                    client, profile, start=start + dt.timedelta(hours=2 * b), now=now
                )
                for person in (client, therapist):
                    notification_enqueue(
                        booking=booking, kind="booking_confirmed", recipient=person, now=now
                    )
                if b == 10:  # cancelled before the worker got to it: nothing may be sent
                    later = now + dt.timedelta(milliseconds=1)
                    Booking.objects.filter(pk=booking.pk).update(
                        status="cancelled", cancelled_at=later, updated_at=later
                    )
    print("loaded")
    """
)


class _Sink:
    """aiosmtpd handler: keeps every message's recipients and notification id."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[tuple[str, tuple[str, ...]]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content)
        with self.lock:
            self.messages.append(
                (str(parsed["X-BackRelief-Notification"]), tuple(envelope.rcpt_tos))
            )
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _certificate(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


ROWS_SQL = (
    "SELECT n.public_id, n.status, n.claimed_by, b.status FROM scheduling_notification n"
    " JOIN scheduling_booking b ON b.id = n.booking_id"
)
Rows = Callable[[], list[tuple[Any, str, str, str]]]


def _sqlite_rows(db: Path) -> Rows:
    def read() -> list[tuple[Any, str, str, str]]:
        conn = sqlite3.connect(db)
        try:
            return conn.execute(ROWS_SQL).fetchall()
        finally:
            conn.close()

    return read


def _uuid(value: Any) -> str:
    return str(value).replace("-", "").lower()


NEEDS_OPENSSL = pytest.mark.skipif(
    shutil.which("openssl") is None, reason="needs the openssl command"
)


@NEEDS_OPENSSL
def test_two_worker_processes_drain_200_notifications_each_exactly_once(tmp_path):
    _drain_with_two_workers(
        tmp_path, database_url=None, rows=_sqlite_rows(tmp_path / "backrelief.sqlite3")
    )


@pytest.mark.db
@pytest.mark.postgres_only
@pytest.mark.skipif(
    not IS_POSTGRES, reason="PostgreSQL variant: run with a PostgreSQL DATABASE_URL"
)
@NEEDS_OPENSSL
def test_postgres_two_worker_processes_drain_200_notifications_each_exactly_once(tmp_path):
    import psycopg

    params = PgParams.from_django({**settings.DATABASES["default"], "NAME": "postgres"})
    auth = params.user + (f":{params.password}" if params.password else "")
    base = f"postgres://{auth}@{params.host or '127.0.0.1'}:{params.port or 5432}"
    name = f"br_scratch_{uuid.uuid4().hex[:10]}_worker"

    def connect(dbname: str) -> psycopg.Connection[Any]:
        return psycopg.connect(
            dbname=dbname,
            host=params.host or None,
            port=params.port or None,
            user=params.user or None,
            password=params.password or None,
            autocommit=True,
        )

    def read() -> list[tuple[Any, str, str, str]]:
        with connect(name) as conn:
            return conn.execute(ROWS_SQL).fetchall()

    with connect("postgres") as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        _drain_with_two_workers(tmp_path, database_url=f"{base}/{name}", rows=read)
    finally:
        with connect("postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


WORKER_ARGS = (BACKRELIEF, "worker", "--interval", "0.2", "--batch", "20")


def _drain_with_two_workers(tmp_path: Path, *, database_url: str | None, rows: Rows) -> None:
    from aiosmtpd.controller import Controller

    cert, key = _certificate(tmp_path)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    sink = _Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, tls_context=tls)
    controller.start()

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BACKRELIEF_ENV")}
    env.update(
        BACKRELIEF_VAR_DIR=str(tmp_path),  # its own SQLite file, never the shared one
        DJANGO_SETTINGS_MODULE="backrelief.settings",
        EMAIL_URL=f"smtp://127.0.0.1:{port}",  # STARTTLS, as in production
        SSL_CERT_FILE=str(cert),  # the workers trust the sink's certificate
        LOG_LEVEL="INFO",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    workers: list[subprocess.Popen[str]] = []
    logs = [tmp_path / f"{name}.log" for name in ("wA", "wB")]
    try:
        migrate = subprocess.run(
            [BACKRELIEF, "migrate", "-v0"], env=env, capture_output=True, text=True, timeout=120
        )
        assert migrate.returncode == 0, migrate.stderr
        for log in logs:
            with log.open("w") as sink_file:
                workers.append(
                    subprocess.Popen(
                        [*WORKER_ARGS, "--worker-id", log.stem],
                        env=env,
                        stdout=sink_file,
                        stderr=subprocess.STDOUT,
                        text=True,
                    )
                )
        # Load only once both are polling, so they compete for the same rows.
        deadline = time.monotonic() + 60
        while not all("started" in log.read_text() for log in logs):
            for worker, log in zip(workers, logs, strict=True):
                assert worker.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the workers did not start in time"
            time.sleep(0.1)
        load = tmp_path / "load.py"
        load.write_text(LOAD)
        loaded = subprocess.run(
            [sys.executable, str(load)], env=env, capture_output=True, text=True, timeout=120
        )
        assert loaded.returncode == 0, loaded.stderr
        deadline = time.monotonic() + 60
        while any(row[1] == "pending" for row in rows()):
            for worker, log in zip(workers, logs, strict=True):
                assert worker.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the workers did not drain the outbox in time"
            time.sleep(0.2)
        time.sleep(0.5)  # a duplicate would arrive now
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker, log in zip(workers, logs, strict=True):
            assert worker.wait(timeout=30) == 0, log.read_text()
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
        controller.stop()
    outputs = [log.read_text() for log in logs]

    final = rows()
    sent = {_uuid(public_id) for public_id, status, _, _ in final if status == "sent"}
    voided = {_uuid(public_id) for public_id, status, _, _ in final if status == "voided"}
    assert len(sent) == 200
    assert len(voided) == 20
    assert all(booking == "cancelled" for _, status, _, booking in final if status == "voided")
    arrived = [_uuid(notification) for notification, _ in sink.messages]
    assert len(arrived) == 200
    assert set(arrived) == sent  # each exactly once, and nothing for cancelled bookings
    assert not any("-10@" in address for _, to in sink.messages for address in to)
    assert {by for _, status, by, _ in final if status == "sent"} == {"wA", "wB"}
    for output in outputs:
        assert "started" in output
        assert "Worker got SIGTERM" in output
        assert "stopped" in output
        assert "@example.test" not in output  # counts only, never addresses
