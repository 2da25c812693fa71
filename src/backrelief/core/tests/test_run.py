"""`backrelief run`: the setup phase, and a real server that logs no query strings and stops
gracefully on SIGINT."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import override_settings

from backrelief.accounts.models import User
from backrelief.core.demo import DEMO_PASSWORD, DEMO_STAFF_TOTP_SECRET, PERSONAS, SIZES
from backrelief.core.management.commands.run import ACCESS_LOG_FORMAT, run_setup
from backrelief.therapists.demo import DEFAULT_THERAPISTS
from backrelief.therapists.models import TherapistProfile

BIN = Path(sys.executable).parent


def _setup() -> tuple[bool, str]:
    lines: list[str] = []
    loaded = run_setup(write=lines.append)
    return loaded, "\n".join(lines)


@pytest.mark.django_db
@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_FILE_PATH="/x/mail"
)
def test_setup_loads_demo_into_an_empty_database_once_and_prints_the_logins():
    loaded, output = _setup()
    assert loaded
    assert User.objects.filter(email__in=[p.email for p in PERSONAS]).count() == len(PERSONAS)
    assert User.objects.filter(role="client").exclude(email__startswith="reviewer-").count() == (
        1 + SIZES["small"]
    )
    demo_therapists = TherapistProfile.objects.filter(user__email__startswith="therapist-")
    assert demo_therapists.count() == DEFAULT_THERAPISTS  # `make run` shows a directory
    users = User.objects.count()
    for person in PERSONAS:
        assert person.email in output
    assert DEMO_PASSWORD in output
    assert DEMO_STAFF_TOTP_SECRET in output
    assert "/x/mail/" in output  # where verification mails land locally

    loaded_again, output_again = _setup()
    assert not loaded_again
    assert User.objects.count() == users
    assert PERSONAS[0].email in output_again  # the logins are still shown


@pytest.mark.django_db
def test_setup_leaves_a_database_with_people_alone(make_user):
    make_user("client", email="someone@example.test")
    loaded, output = _setup()
    assert not loaded
    assert User.objects.count() == 1
    assert DEMO_PASSWORD not in output  # no demo logins that would not work


def test_access_log_format_leaves_out_query_strings():
    assert "%(U)s" in ACCESS_LOG_FORMAT
    assert "%(r)s" not in ACCESS_LOG_FORMAT
    assert "%(q)s" not in ACCESS_LOG_FORMAT


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


def test_real_server_serves_logs_paths_only_and_stops_gracefully_on_sigint_with_its_worker(
    tmp_path,
):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BACKRELIEF_ENV")}
    env["BACKRELIEF_VAR_DIR"] = str(tmp_path)  # its own SQLite file, never the shared one
    port = _free_port()
    log = tmp_path / "server.log"
    with log.open("w") as sink:
        server = subprocess.Popen(
            [
                str(BIN / "backrelief"),
                "run",
                "--setup",
                "--worker",
                "--port",
                str(port),
                "--workers=1",
            ],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    if _get(port, "/healthz?secret=do-not-log") == 200:
                        break
                except OSError:
                    pass
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "server did not answer /healthz in time"
                time.sleep(0.3)
            assert _get(port, "/static/vendor/htmx.min.js") == 200  # WhiteNoise, local finders
            server.send_signal(signal.SIGINT)
            assert server.wait(timeout=30) == 0
        finally:
            if server.poll() is None:
                server.kill()
                server.wait()
    output = log.read_text()
    assert "Demo logins" in output
    assert '"GET /healthz HTTP/1.1" 200' in output
    assert "do-not-log" not in output
    assert "Handling signal: int" in output
    assert "Shutting down" in output
    # `--worker` (make run): the background worker ran next to the server and stopped with it.
    started = re.search(r"Background worker started \(pid (\d+)\)", output)
    assert started, output
    with pytest.raises(ProcessLookupError):
        os.kill(int(started.group(1)), 0)
    assert re.search(r"Worker \S+ started", output), output
    assert re.search(r"Worker \S+ stopped", output), output  # a clean exit, not a kill


def test_production_run_refuses_to_start_without_collected_static_files(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        BACKRELIEF_ENV="production",
        BACKRELIEF_VAR_DIR=str(tmp_path),
        SECRET_KEY="k" + "".join(chr(ord("a") + i % 26) for i in range(59)),
        ALLOWED_HOSTS="backrelief.example",
        DATABASE_URL="postgres://u:p@127.0.0.1:5432/nowhere",
        EMAIL_URL="smtp://u:p@mail.example:587",
    )
    done = subprocess.run(
        [str(BIN / "backrelief"), "run", "--port", str(_free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "Refusing to start" in done.stderr
    assert "collectstatic" in done.stderr
