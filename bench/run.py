"""Benchmarks through a real server process (issue 2 §14): `make bench`, `make bench-smoke`.

What is measured: wall-clock latency of sequential requests, each on a new loopback TCP
connection, from the moment the request is sent until the whole body is read:
- `home_page_*`: GET / as an anonymous visitor (template rendering, middleware, CSP);
- `api_profile_*`: GET /api/v1/me with a personal access token (token lookup, JSON);
- `assessment_result_page_*` (issue 4): GET the demo client's latest assessment result page
  with a session cookie from a real sign-in through the login form (session checks, the
  audited owner-only lookup, rendering the stored result). Target p95 <= 50 ms.

How: a temporary BACKRELIEF_VAR_DIR with a file SQLite database, `migrate`, `demo --size
small`, a token for the demo client made by the token service, then `backrelief run` (gunicorn,
2 sync workers) with DEBUG off so Django's debug bookkeeping is not measured. Warm-up
requests first (workers import lazily), then N measured requests per endpoint; p50 and p95 in
milliseconds. Figures go to var/bench/results.json (figure name -> number, unit in the name).
Only the standard library's http.client is used; nothing leaves the loopback interface.

`directory_search_p50/p95_ms`, `directory_search_queries` and the same with `_pg` (issue 5):
the directory search with distance and technique filters over 10,000 demo therapists (300
with --smoke), in-process, on SQLite and on the PostgreSQL of BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/backrelief_bench; skipped with a note when unreachable).
Targets p95 <= 50 ms and <= 3 queries; details in bench/directory.py.

Booking (issue 6, bench/booking.py): `slots_month_p50_ms`, `slots_month_queries`,
`search_earliest_p50_ms`, `booking_p95_ms`, `race_winners`, `race_loser_p95_ms`,
`sqlite_bookings_per_s`, `sqlite_lock_errors` and the correctness counters `double_bookings`,
`slots_outside_hours`, `slots_in_time_off`, `cancelled_blocking` (and `_pg`), over generated
data: 1,000 therapists / 100,000 bookings (10,000 / 1,000,000 with --large; 30 / 1,200 with
--smoke) around the next daylight-saving change; details in bench/booking.py.

`recommendation_ms` (issue 3): one assessment computed in this process — `parse_assessment`
then `recommend` on docs/examples/assess-lower-back.json — median of 200 runs (20 with
--smoke) after a few warm-up runs; no server, no database. Target < 5 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = REPO / "var" / "bench" / "results.json"
DEMO_CLIENT = "client@demo.backrelief.test"
DEMO_PASSWORD = "demo-password-2026"
TOKEN_SCRIPT = f"""
from django.utils import timezone
from backrelief.accounts.models import User
from backrelief.accounts.services.tokens import token_create
user = User.objects.get(email={DEMO_CLIENT!r})
_row, raw = token_create(user=user, name="benchmark", expires_at=None, now=timezone.now())
print(raw)
"""


def _cli(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(BIN / "backrelief"), *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"backrelief {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(port: int, path: str, headers: dict[str, str]) -> tuple[int, float]:
    """One request on a fresh connection: (status, milliseconds until the body is read)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        start = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        elapsed = (time.perf_counter() - start) * 1000
        return response.status, elapsed
    finally:
        conn.close()


def _request(
    port: int, method: str, path: str, headers: dict[str, str], body: str | None = None
) -> tuple[int, dict[str, str], list[str], str]:
    """One request: status, headers (last value wins), every Set-Cookie, body text."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        cookies = [v for k, v in response.getheaders() if k.lower() == "set-cookie"]
        return response.status, dict(response.getheaders()), cookies, text
    finally:
        conn.close()


def _cookie(cookies: list[str], name: str) -> str:
    for header in cookies:
        key, _, rest = header.partition("=")
        if key.strip() == name:
            return rest.split(";", 1)[0]
    raise SystemExit(f"no {name} cookie in {cookies}")


def _signed_in_result_page(port: int) -> tuple[str, dict[str, str]]:
    """Sign the demo client in through the login form; their latest result page's path and
    the request headers carrying the session cookie."""
    _status, _headers, cookies, page = _request(port, "GET", "/accounts/login/", {})
    csrf = _cookie(cookies, "csrftoken")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if match is None:
        raise SystemExit("no CSRF token on the login page")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match.group(1), "email": DEMO_CLIENT, "password": DEMO_PASSWORD}
    )
    status, _headers, cookies, _page = _request(
        port,
        "POST",
        "/accounts/login/",
        {"Cookie": f"csrftoken={csrf}", "Content-Type": "application/x-www-form-urlencoded"},
        form,
    )
    if status != 302:
        raise SystemExit(f"signing the demo client in answered {status}, not a redirect")
    auth = {"Cookie": f"csrftoken={csrf}; sessionid={_cookie(cookies, 'sessionid')}"}
    status, _headers, _cookies, history = _request(port, "GET", "/assessments/", auth)
    found = re.search(r'href="(/assessments/[0-9a-f-]{36}/)"', history)
    if status != 200 or found is None:
        raise SystemExit(f"no assessment in the demo client's history (GET answered {status})")
    return found.group(1), auth


def _wait_until_healthy(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited early:\n{log.read_text()}")
        try:
            if _get(port, "/healthz", {})[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer /healthz within 120 s:\n{log.read_text()}")


def measure(
    port: int, path: str, headers: dict[str, str], *, count: int, warmup: int
) -> list[float]:
    """Latencies of `count` sequential requests after `warmup` unmeasured ones; all must be 200."""
    for _ in range(warmup):
        _get(port, path, headers)
    timings = []
    for _ in range(count):
        status, elapsed = _get(port, path, headers)
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}; a benchmark of errors means nothing")
        timings.append(elapsed)
    return timings


def percentile(values: list[float], p: int) -> float:
    """The p-th percentile, linear interpolation between closest ranks (inclusive method)."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def run(*, count: int, warmup: int, workers: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="backrelief-bench-") as tmp:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BACKRELIEF_ENV")}
        env.update({"BACKRELIEF_VAR_DIR": tmp, "BACKRELIEF_DEBUG": "false", "LOG_LEVEL": "WARNING"})
        _cli("migrate", "-v0", env=env)
        _cli("demo", "--size", "small", "-v0", env=env)
        token = _cli("shell", "-c", TOKEN_SCRIPT, env=env).strip().splitlines()[-1]
        port = _free_port()
        log = Path(tmp) / "server.log"
        with log.open("wb") as sink:
            server = subprocess.Popen(
                [str(BIN / "backrelief"), "run", "--port", str(port), "--workers", str(workers)],
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
            try:
                _wait_until_healthy(port, server, log)
                home = measure(port, "/", {}, count=count, warmup=warmup)
                auth = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
                api = measure(port, "/api/v1/me", auth, count=count, warmup=warmup)
                result_path, session = _signed_in_result_page(port)
                result = measure(port, result_path, session, count=count, warmup=warmup)
            finally:
                server.send_signal(signal.SIGTERM)
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
    return {
        "home_page_p50_ms": round(percentile(home, 50), 2),
        "home_page_p95_ms": round(percentile(home, 95), 2),
        "api_profile_p50_ms": round(percentile(api, 50), 2),
        "api_profile_p95_ms": round(percentile(api, 95), 2),
        "assessment_result_page_p50_ms": round(percentile(result, 50), 2),
        "assessment_result_page_p95_ms": round(percentile(result, 95), 2),
    }


def measure_recommendation(*, count: int, warmup: int = 5) -> float:
    """Median milliseconds for one in-process parse + recommend (issue 3 `recommendation_ms`)."""
    import datetime as dt

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backrelief.settings")
    import django

    django.setup()
    from backrelief.assessment.recommendation import parse_assessment, recommend

    raw = json.loads((REPO / "docs" / "examples" / "assess-lower-back.json").read_text())
    today = dt.date(2026, 3, 2)
    for _ in range(warmup):
        recommend(parse_assessment(raw, today=today))
    timings = []
    for _ in range(count):
        start = time.perf_counter()
        recommend(parse_assessment(raw, today=today))
        timings.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(timings), 3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--smoke", action="store_true", help="tiny run for CI (30 requests)")
    parser.add_argument("--requests", type=int, help="measured requests per endpoint")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--therapists", type=int, help="demo therapists for the directory search (10,000)"
    )
    parser.add_argument("--no-pg", action="store_true", help="skip the PostgreSQL figures")
    parser.add_argument(
        "--large",
        action="store_true",
        help="booking benchmark at 10,000 therapists / 1,000,000 bookings",
    )
    parser.add_argument(
        "--booking-workers", type=int, default=4, help="server workers for the booking figures"
    )
    args = parser.parse_args(argv)
    count = args.requests or (30 if args.smoke else 500)
    warmup = 5 if args.smoke else 50
    results: dict[str, float] = run(count=count, warmup=warmup, workers=args.workers)
    results["recommendation_ms"] = measure_recommendation(count=20 if args.smoke else 200)
    from directory import measure_directory  # bench/directory.py, beside this script

    directory, notes = measure_directory(
        count=args.therapists or (300 if args.smoke else 10_000),
        runs=30 if args.smoke else 200,
        warmup=5 if args.smoke else 20,
        postgres=not args.no_pg,
    )
    results.update(directory)
    from booking import measure_booking  # bench/booking.py

    booking, booking_notes = measure_booking(
        scale="smoke" if args.smoke else "large" if args.large else "default",
        workers=args.booking_workers,
        postgres=not args.no_pg,
    )
    results.update(booking)
    notes += booking_notes
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"{count} requests per endpoint after {warmup} warm-up, {args.workers} workers:")
    for note in notes:
        print(note)
    print(json.dumps(results, indent=2))
    print(f"written to {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
