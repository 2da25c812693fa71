"""`backrelief run [--setup] [--worker] [--host H] [--port P] [--workers N]`: serve the app.

`--setup` (what `make run` uses) first migrates, then:
- local profile: loads demo data (personas, extra clients and the default 40 demo therapists,
  see `backrelief demo`) when the database has no users at all, and prints the demo
  logins (emails, the shared password, the staff TOTP secret, where mails land);
- production: collects static files (WhiteNoise serves only collected, hashed files there).
It builds nothing else: front-end assets come from `make frontend`.

`--worker` (also used by `make run`) starts `backrelief worker` (the notification outbox, issue
6) as a child process next to the web server and stops it when the server stops, so booking
emails go out locally without a second terminal. Production runs the worker as its own service
(docs/operations.md).

Without `--setup`, production refuses to start when `collectstatic` has not run, because every
page would fail on the missing manifest; locally WhiteNoise serves straight from the finders.
Decision and reasons: docs/operations.md ("Serving").

Serving: gunicorn's sync workers (one request per process: simple, and SQLite wants few
writers), the access log on stdout with the path but never the query string (query strings
can carry tokens or search terms about a person), and a graceful stop on SIGTERM *and* SIGINT:
requests in flight finish, up to `GRACEFUL_TIMEOUT_S`; a second Ctrl-C stops at once.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter

from backrelief.accounts.models import User
from backrelief.core.demo import DEMO_PASSWORD, DEMO_STAFF_TOTP_SECRET, PERSONAS
from backrelief.core.diagnostics import collected_assets_problem

GRACEFUL_TIMEOUT_S = 20
# Remote address, request line without the query string (%(U)s), status, bytes, milliseconds.
ACCESS_LOG_FORMAT = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def run_setup(*, write: Callable[[str], None]) -> bool:
    """Prepare the database (and, in production, the static files) before serving.

    Returns whether demo data was loaded. Demo data goes only into a database without any
    user, so `make run` never mixes demo accounts into data someone has started to use.
    """
    call_command("migrate", interactive=False, verbosity=0)
    write("Database migrated.")
    if settings.PRODUCTION:
        call_command("collectstatic", interactive=False, verbosity=0)
        write(f"Static files collected into {settings.STATIC_ROOT}.")
        return False
    loaded = False
    if not User.objects.exists():
        call_command("demo", verbosity=0)  # default size and seed
        loaded = True
        write("Demo data loaded (an empty database was found).")
    if User.objects.filter(email__iexact=PERSONAS[0].email).exists():
        for line in demo_logins():
            write(line)
    return loaded


def demo_logins() -> list[str]:
    """The lines telling a person how to sign in as each demo persona."""
    lines = ["", "Demo logins (local use only; password for all: " + DEMO_PASSWORD + "):"]
    lines += [f"  {p.role:<10} {p.email}" for p in PERSONAS]
    lines.append(
        f"  Staff two-factor secret (add it to an authenticator app): {DEMO_STAFF_TOTP_SECRET}"
    )
    mail_dir = getattr(settings, "EMAIL_FILE_PATH", None)
    if mail_dir and settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        lines.append(f"  Emails (verification, password reset) are written to {mail_dir}/")
    lines.append("")
    return lines


class GracefulArbiter(Arbiter):
    """Treat SIGINT (Ctrl-C) like SIGTERM: stop accepting, let requests in flight finish.

    gunicorn's default stops at once on SIGINT. While stopping, a second SIGINT still forces
    the quick shutdown (gunicorn checks for it in `stop`).
    """

    def handle_int(self) -> None:
        self.handle_term()


def _worker_graceful_on_sigint(worker: Any) -> None:
    """Ctrl-C reaches the workers too (same process group): finish the request, then exit."""
    signal.signal(signal.SIGINT, worker.handle_exit)


class Server(BaseApplication):
    """gunicorn configured in code; serves `backrelief.wsgi.application`."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        assert self.cfg is not None
        for key, value in self.options.items():
            if key in self.cfg.settings:  # older gunicorn lacks some (e.g. control_socket)
                self.cfg.set(key, value)

    def load(self) -> Any:
        # Each worker builds the offline city index (about a second) before it accepts
        # requests, instead of making the first directory visitor wait for it.
        from backrelief.therapists.places import places_warm
        from backrelief.wsgi import application

        places_warm()
        return application

    def run(self) -> None:
        try:
            GracefulArbiter(self).run()
        except RuntimeError as exc:
            sys.stderr.write(f"\nError: {exc}\n")
            sys.exit(1)


def gunicorn_options(*, host: str, port: int, workers: int) -> dict[str, Any]:
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return {
        "bind": [bind],
        "workers": workers,
        "worker_class": "sync",
        "accesslog": "-",
        "errorlog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "graceful_timeout": GRACEFUL_TIMEOUT_S,
        "timeout": 30,
        "proc_name": "backrelief",
        "post_worker_init": _worker_graceful_on_sigint,
        "control_socket_disable": True,  # one shared socket path would clash between servers
        # X-Forwarded-Proto only from a proxy we were told to trust (TRUSTED_PROXY).
        "forwarded_allow_ips": "*" if settings.TRUSTED_PROXY else "",
    }


class Command(BaseCommand):
    help = "Serve BackRelief with gunicorn; --setup migrates and loads demo data when empty."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--worker",
            action="store_true",
            help="also run the background worker (`backrelief worker`) as a child process",
        )
        parser.add_argument(
            "--setup",
            action="store_true",
            help="migrate first; locally load demo data into an empty database and print logins",
        )

    def handle(
        self,
        *args: Any,
        host: str,
        port: int,
        workers: int,
        setup: bool,
        worker: bool = False,
        **options: Any,
    ) -> None:
        if not 0 < port < 65536:
            raise CommandError(f"--port {port} is not a TCP port (1-65535).")
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        if setup:
            run_setup(write=self.stdout.write)
        if settings.PRODUCTION:
            problem = collected_assets_problem()
            if problem:
                raise CommandError(f"Refusing to start: {problem} (or use `run --setup`).")
        elif host not in LOOPBACK:
            self.stderr.write(
                f"Warning: the local profile runs with DEBUG on; binding to {host} exposes "
                "debug pages to your network."
            )
        connections.close_all()  # never share a database connection with forked workers
        shown = f"[{host}]" if ":" in host else host
        self.stdout.write(f"Serving on http://{shown}:{port}/ (Ctrl-C stops gracefully)")
        self.stdout.flush()
        child = start_worker(write=self.stdout.write) if worker else None
        try:
            Server(gunicorn_options(host=host, port=port, workers=workers)).run()
        finally:
            if child is not None:
                stop_worker(child)


def start_worker(*, write: Callable[[str], None]) -> subprocess.Popen[bytes]:
    """`backrelief worker` as a child process with this process's environment and settings."""
    child = subprocess.Popen([sys.executable, "-m", "backrelief.cli", "worker"])
    write(f"Background worker started (pid {child.pid}); it stops with the server.")
    return child


def stop_worker(child: subprocess.Popen[bytes], *, timeout_s: float = GRACEFUL_TIMEOUT_S) -> int:
    """Ask the worker to finish the message in hand (SIGTERM) and wait; kill it if it hangs.
    Returns its exit status."""
    if child.poll() is None:
        child.send_signal(signal.SIGTERM)
        try:
            return child.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            child.kill()
    return child.wait()
