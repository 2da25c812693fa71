"""A real BackRelief server process for the browser tests, and the mails it writes.

The server runs exactly as a person would start it (`backrelief run --setup`), with its own
var directory: a file SQLite database, its own secret key, and Django's file email backend
writing every message to `<var>/mail/`. Nothing in the application is replaced or mocked.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
START_TIMEOUT_S = float(os.environ.get("BACKRELIEF_TEST_SERVER_TIMEOUT_S", "180"))
# Variables of the developer's shell that must not leak into the test server.
_DROPPED_ENV = (
    "DATABASE_URL",
    "EMAIL_URL",
    "BACKRELIEF_ENV",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "BACKRELIEF_DEBUG",
    "BACKRELIEF_REQUIRE_POSTGRES",
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def has_run_command() -> bool:
    """True once `backrelief run` exists (the CLI work lands it; until then: runserver)."""
    from django.core.management import get_commands

    return "run" in get_commands()


@dataclass
class Mail:
    to: str
    subject: str
    body: str
    path: Path

    def links(self, base_url: str) -> list[str]:
        return re.findall(re.escape(base_url) + r"[^\s\"'<>]+", self.body)


@dataclass
class LiveServer:
    var_dir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    command: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def mail_dir(self) -> Path:
        return self.var_dir / "mail"

    @property
    def log_path(self) -> Path:
        return self.var_dir / "server.log"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
        env.update(
            BACKRELIEF_VAR_DIR=str(self.var_dir),
            BACKRELIEF_BASE_URL=self.url,
            DJANGO_SETTINGS_MODULE="backrelief.settings",
            PYTHONUNBUFFERED="1",
        )
        return env

    # --- life cycle -------------------------------------------------------------------------
    def start(self) -> None:
        self.var_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        if has_run_command():
            self.command = [
                str(BIN / "backrelief"),
                "run",
                "--setup",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ]
        else:  # pragma: no cover - only until `backrelief run` lands
            subprocess.run(
                [sys.executable, str(REPO / "manage.py"), "migrate", "-v0"],
                env=self.env(),
                check=True,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=START_TIMEOUT_S,
            )
            self.command = [
                sys.executable,
                str(REPO / "manage.py"),
                "runserver",
                "--noreload",
                f"127.0.0.1:{self.port}",
            ]
        # Own process group, so stopping it also stops any workers it forks (gunicorn).
        self.process = subprocess.Popen(
            self.command,
            cwd=REPO,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_until_healthy()

    def _wait_until_healthy(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        last_error = ""
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"server exited with {self.process.returncode} before it was healthy: "
                    f"{' '.join(self.command)}\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError) as exc:
                last_error = str(exc)
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(
            f"server not healthy after {START_TIMEOUT_S:.0f}s ({last_error}): "
            f"{' '.join(self.command)}\n{self.log_tail()}"
        )

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])

    # --- mail -------------------------------------------------------------------------------
    def mails(self) -> list[Mail]:
        """Every message the file email backend wrote, oldest file first."""
        if not self.mail_dir.is_dir():
            return []
        found: list[Mail] = []
        files = sorted(self.mail_dir.iterdir(), key=lambda p: (p.stat().st_mtime_ns, p.name))
        for path in files:
            # The file backend writes each message followed by a line of 79 dashes.
            for chunk in re.split(rb"\n-{79}\n", path.read_bytes()):
                if not chunk.strip():
                    continue
                message = email.message_from_bytes(chunk.lstrip(), policy=email.policy.default)
                assert isinstance(message, EmailMessage)
                part = message.get_body(preferencelist=("plain", "html"))
                body = part.get_content() if part is not None else ""
                found.append(Mail(str(message["To"]), str(message["Subject"]), body, path))
        return found

    def wait_for_mail(self, to: str, *, after: int = 0, timeout_s: float = 20) -> Mail:
        """The newest mail to `to`, waiting until more than `after` mails have reached them."""
        deadline = time.monotonic() + timeout_s
        while True:
            mine = [m for m in self.mails() if to.lower() in m.to.lower()]
            if len(mine) > after:
                return mine[-1]
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"no mail to {to} within {timeout_s:.0f}s (have {len(mine)}, "
                    f"expected more than {after}); server log:\n{self.log_tail(20)}"
                )
            time.sleep(0.2)

    def mail_count(self, to: str) -> int:
        return len([m for m in self.mails() if to.lower() in m.to.lower()])


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")
