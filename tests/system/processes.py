"""The worker processes of a `boxoffice serve` master, read from /proc."""

from __future__ import annotations

import time
from pathlib import Path


def children_of(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def wait_for_workers(
    master: int, count: int, bound_seconds: float, excluding: set[int] = frozenset()
) -> tuple[set[int], float]:  # type: ignore[assignment]
    """The master's `count` live workers none of which is in `excluding`, and how long it took."""
    started = time.monotonic()
    while True:
        workers = children_of(master)
        if len(workers) == count and not workers & excluding:
            return workers, time.monotonic() - started
        if time.monotonic() - started > bound_seconds:
            raise AssertionError(
                f"workers of {master}: {sorted(workers)} after "
                f"{bound_seconds} s (wanted {count}, none of {excluding})"
            )
        time.sleep(0.1)
