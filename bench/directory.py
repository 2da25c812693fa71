"""Directory search benchmark (issue 5): `directory_search_p95_ms` and `directory_search_queries`
with 10,000 demo therapists, on SQLite and (keys ending `_pg`) on PostgreSQL.

What is measured: one call of `therapists.selectors_directory.directory_search` — the search
the page and `GET /api/v1/therapists` both run: SQL filters with the bounding-box prefilter,
exact haversine, matching and ranking for a client's assessment, the first page of 20 with its
languages — for a client whose assessment recommends Swedish massage first and avoids trigger
point therapy, searching "Swedish massage within 25 km of Berlin centre" (about 1,700 demo
therapists practise around Berlin). Wall-clock time in this process, after warm-up runs;
`directory_search_queries` is the number of SQL statements of one search
(`CaptureQueriesContext`). Targets: p95 <= 50 ms, <= 3 queries. The notes also give this
process's CPU time per search and the load average: on a busy machine wall-clock time is
mostly waiting for a CPU.

How: each database runs in its own child process (Django reads its settings once) with a fresh
database: a temporary BACKRELIEF_VAR_DIR with a file SQLite database, or the PostgreSQL
database named by BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/backrelief_bench), dropped and created again each run. If
that server cannot be reached the PostgreSQL figures are skipped with a printed note. Then
`migrate` and `therapist_demo_load(count=..., seed=42)` (bulk, ~25 s for 10,000 on SQLite).

    .venv/bin/python bench/directory.py [--count 10000] [--runs 200] [--no-pg]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/backrelief_bench"
BERLIN = (52.52, 13.405)
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
ADVICE_RESULT: dict[str, Any] = {
    "triage": {"blocks_booking": False},
    "techniques": [
        {"technique": "swedish", "action": "OK", "rank": 1},
        {"technique": "shiatsu", "action": "OK", "rank": 2},
        {"technique": "deep_tissue", "action": "MODIFY", "rank": 3},
        {"technique": "hot_stone", "action": "MODIFY", "rank": 4},
        {"technique": "self_massage", "action": "OK", "rank": 5},
        {"technique": "trigger_point", "action": "AVOID", "rank": None},
    ],
}


def percentile(values: list[float], p: int) -> float:
    """The p-th percentile, linear interpolation between closest ranks (as bench/run.py)."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def _worker(count: int, runs: int, warmup: int) -> dict[str, Any]:
    """In the child process: migrate, load `count` demo therapists, measure."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backrelief.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from backrelief.therapists.matching import advice_from_result
    from backrelief.therapists.selectors_directory import DirectoryFilters, directory_search
    from backrelief.therapists.services.demo import therapist_demo_load

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    therapist_demo_load(count=count, seed=42, now=NOW)
    load_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        # The database as it is in use, not mid-load: SQLite's write-ahead log folded back
        # into the file, PostgreSQL's planner statistics as autovacuum would gather them.
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            cursor.execute("ANALYZE")
    advice = advice_from_result(ADVICE_RESULT)
    filters = DirectoryFilters(
        technique="swedish", latitude=BERLIN[0], longitude=BERLIN[1], radius_km=25
    )

    def search() -> Any:
        return directory_search(filters=filters, viewer_advice=advice, now=NOW)

    for _ in range(warmup):
        search()
    timings, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        search()
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    with CaptureQueriesContext(connection) as queries:
        page = search()
    return {
        "p50_ms": round(percentile(timings, 50), 2),
        "p95_ms": round(percentile(timings, 95), 2),
        "cpu_p95_ms": round(percentile(cpu, 95), 2),
        "load_average": round(os.getloadavg()[0], 1),
        "queries": len(queries),
        "matches": page.count,
        "load_s": round(load_s, 1),
        "vendor": connection.vendor,
    }


def _child(count: int, runs: int, warmup: int, env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            "--count",
            str(count),
            "--runs",
            str(runs),
            "--warmup",
            str(warmup),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"directory benchmark failed:\n{done.stdout}{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _base_env(var_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BACKRELIEF_ENV")}
    env.update({"BACKRELIEF_VAR_DIR": var_dir, "BACKRELIEF_DEBUG": "false", "LOG_LEVEL": "WARNING"})
    return env


def _fresh_postgres(url: str) -> str | None:
    """Drop and create the benchmark database; None when ready, else why it is unusable."""
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not name:
        return f"{url} names no database"
    try:
        with psycopg.connect(
            dbname="postgres",
            user=urllib.parse.unquote(parts.username or "") or None,
            password=urllib.parse.unquote(parts.password or "") or None,
            host=parts.hostname or None,
            port=parts.port or None,
            connect_timeout=3,
            autocommit=True,
        ) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        return f"{parts.hostname or 'local socket'}:{parts.port or 5432}: {first}"
    return None


def measure_directory(
    *, count: int, runs: int, warmup: int, postgres: bool = True
) -> tuple[dict[str, float], list[str]]:
    """The figures (SQLite, and PostgreSQL when reachable) and notes to print."""
    results: dict[str, float] = {}
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="backrelief-bench-dir-") as tmp:
        lite = _child(count, runs, warmup, _base_env(tmp))
        results["directory_search_p50_ms"] = lite["p50_ms"]
        results["directory_search_p95_ms"] = lite["p95_ms"]
        results["directory_search_queries"] = lite["queries"]
        notes.append(
            f"directory (sqlite): {count} therapists loaded in {lite['load_s']} s; "
            f"{lite['matches']} matches for the benchmark search; this process's CPU per "
            f"search p95 {lite['cpu_p95_ms']} ms; load average {lite['load_average']} "
            f"on {os.cpu_count()} CPUs"
        )
        if not postgres:
            return results, notes
        url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG_URL)
        problem = _fresh_postgres(url)
        if problem is not None:
            notes.append(f"directory (postgresql) skipped: {problem} (set BENCH_DATABASE_URL)")
            return results, notes
        env = _base_env(tmp)
        env["DATABASE_URL"] = url
        pg = _child(count, runs, warmup, env)
        results["directory_search_p50_ms_pg"] = pg["p50_ms"]
        results["directory_search_p95_ms_pg"] = pg["p95_ms"]
        results["directory_search_queries_pg"] = pg["queries"]
        notes.append(
            f"directory (postgresql): {count} therapists loaded in {pg['load_s']} s; "
            f"{pg['matches']} matches; Python CPU per search p95 {pg['cpu_p95_ms']} ms "
            f"(the server's time not included); load average {pg['load_average']}"
        )
    return results, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Directory search benchmark (issue 5).")
    parser.add_argument("--count", type=int, default=10_000, help="demo therapists to load")
    parser.add_argument("--runs", type=int, default=200, help="measured searches")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(_worker(args.count, args.runs, args.warmup)))
        return 0
    results, notes = measure_directory(
        count=args.count, runs=args.runs, warmup=args.warmup, postgres=not args.no_pg
    )
    for note in notes:
        print(note)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
