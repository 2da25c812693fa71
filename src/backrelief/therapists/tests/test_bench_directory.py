"""bench/directory.py (issue 5): the PostgreSQL figures are skipped with a reason, not a crash,
when the server cannot be reached; the benchmark's client advice is a valid stored result."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from backrelief.therapists.matching import advice_from_result

BENCH = Path(__file__).resolve().parents[4] / "bench" / "directory.py"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_directory", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_an_unreachable_postgresql_gives_a_reason_to_print():
    problem = _module()._fresh_postgres("postgres://postgres@127.0.0.1:1/backrelief_bench")
    assert problem is not None
    assert "127.0.0.1:1" in problem


def test_the_benchmark_client_is_recommended_swedish_and_avoids_trigger_point():
    advice = advice_from_result(_module().ADVICE_RESULT)
    assert advice.techniques["swedish"].rank == 1
    assert "trigger_point" not in advice.allowed_techniques
