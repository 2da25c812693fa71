"""Summarise the JUnit reports of a CI run; exit 1 when a required stage ran nothing or skipped.

Usage: summary.py STAGES_FILE
STAGES_FILE has one line per stage: `label<TAB>junit path<TAB>exit code<TAB>seconds<TAB>strict`
(strict = 1: the stage must have run at least one test and skipped none).
Standard library only: it must work even when the virtualenv is broken.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Counts:
    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0
    skip_reasons: tuple[str, ...] = ()


def read_junit(path: Path) -> Counts | None:
    if not path.is_file():
        return None
    counts = Counts()
    reasons: list[str] = []
    # Our own pytest reports, written moments ago: not untrusted input.
    for case in ET.parse(path).getroot().iter("testcase"):  # noqa: S314
        tags = {child.tag for child in case}
        if "failure" in tags:
            counts.failed += 1
        elif "error" in tags:
            counts.errors += 1
        elif "skipped" in tags:
            counts.skipped += 1
            skipped = case.find("skipped")
            message = skipped.get("message", "") if skipped is not None else ""
            reasons.append(f"{case.get('classname', '')}.{case.get('name', '')}: {message}")
        else:
            counts.passed += 1
    counts.skip_reasons = tuple(reasons)
    return counts


def main(stages_file: str) -> int:
    rows = [line.split("\t") for line in Path(stages_file).read_text().splitlines() if line]
    problems: list[str] = []
    total_passed = total_failed = 0
    print()
    print("=" * 78)
    print("CI summary")
    print(f"{'stage':<28}{'passed':>8}{'failed':>8}{'errors':>8}{'skipped':>9}{'time':>9}  exit")
    ran: dict[str, int] = {}
    for label, junit, code, seconds, strict in rows:
        counts = read_junit(Path(junit)) if junit != "-" else None
        if counts is None:
            print(f"{label:<28}{'-':>8}{'-':>8}{'-':>8}{'-':>9}{seconds + 's':>9}  {code}")
        else:
            print(
                f"{label:<28}{counts.passed:>8}{counts.failed:>8}{counts.errors:>8}"
                f"{counts.skipped:>9}{seconds + 's':>9}  {code}"
            )
            total_passed += counts.passed
            total_failed += counts.failed + counts.errors
            ran[label] = counts.passed
        if code != "0":
            problems.append(f"{label}: exited with {code}")
        if strict == "1":
            if counts is None:
                problems.append(f"{label}: no test report ({junit})")
            else:
                if counts.passed + counts.failed + counts.errors == 0:
                    problems.append(f"{label}: collected no tests (required in CI)")
                if counts.skipped:
                    problems.append(
                        f"{label}: {counts.skipped} test(s) skipped; skips are not allowed here:\n"
                        + "\n".join(f"      {r}" for r in counts.skip_reasons[:20])
                    )
    print("-" * 78)
    for label, count in ran.items():
        if label.startswith(("PostgreSQL", "Browser")):
            print(f"{label} tests run: {count}")
    for problem in problems:
        print(f"CI FAILURE: {problem}")
    stage_problems = f", {len(problems)} CI problem(s) above" if problems else ""
    print(f"{total_passed} passed, {total_failed} failed{stage_problems}")
    return 1 if problems or total_failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
