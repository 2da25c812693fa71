"""Progress bars for the CLI: tqdm on stderr, shown on a terminal or when asked for.

stdout stays clean for results (paths, counts) so the commands can be scripted; a bar on a
non-terminal would only fill log files with carriage returns.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from tqdm import tqdm


def progress_bar(*, desc: str, unit: str, total: int | None = None, force: bool = False) -> tqdm:
    return tqdm(
        total=total,
        desc=desc,
        unit=unit,
        file=sys.stderr,
        disable=not (force or sys.stderr.isatty()),
        dynamic_ncols=True,
    )


def absolute_updater(bar: tqdm) -> Callable[[int, int], None]:
    """Adapt a `(done, total)` callback (SQLite's backup progress) to the bar."""

    def update(done: int, total: int) -> None:
        if bar.total != total:
            bar.total = total
        bar.update(done - bar.n)

    return update
