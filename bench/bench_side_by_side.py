"""Two versions of boxoffice measured at the same time: this checkout against another.

Run from the repository root, in the README's virtual environment, with what bench_sale.py
needs (PostgreSQL at 127.0.0.1:5432, Debian's `wrk`):

    git worktree add /tmp/before <commit>
    PYTHONPATH=.:src python bench/bench_side_by_side.py --before /tmp/before/src [--rounds 2]
    PYTHONPATH=.:src python bench/bench_side_by_side.py --before /tmp/before/src --alternate

On a shared machine whose speed drifts, runs of two versions one after the other differ by as
much as the versions do. Here both servers (`serve --workers 2`, each on its own copy of the
60,000-seat stadium) take their load in the same seconds, 16 `wrk` connections each, so both
suffer the same neighbours. For each round it prints, per kind of load (every connection
reading its own 2-seat order; every connection selling 2 seats then closing), the calls per
second of each version and the ratio of this checkout to the other.

With `--alternate` the two servers still run side by side, but take their load one at a time,
in alternating order from round to round (before, now; now, before; ...): each run has the
whole machine, as a user's server would, and a drift of the machine's speed within minutes
falls on both versions alike. At the end it prints the median of each version's runs and their
ratio. Two servers loaded at once share two cores, and one whose processes are busier gets a
larger share: a change in how load spreads over processes skews that comparison, not this one.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from bench_sale import (
    PERFORMANCE_COUNT,
    Client,
    boxoffice,
    database,
    sale_env,
    warn_if_busy,
    with_performances,
    wrk,
)
from tests.integration.test_catalog_load import demo_document, stadium

LOADS = {"getOrderDetails": "details.lua", "create + close": "sale.lua"}


def at_once(
    runs: dict[str, tuple[int, str, dict[str, str]]], clients: int, seconds: float
) -> dict[str, Any]:
    """Runs one wrk per version in the same seconds; their results by version."""
    results: dict[str, Any] = {}

    def run(version: str, port: int, script: str, env: dict[str, str]) -> None:
        results[version] = wrk(port, "/", script, clients, seconds, env)

    threads = [
        threading.Thread(target=run, args=(version, *arguments))
        for version, arguments in runs.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="src/ of the other checkout")
    parser.add_argument("--seconds", type=float, default=15, help="length of each wrk run")
    parser.add_argument("--clients", type=int, default=16, help="connections per version")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each kind of load")
    parser.add_argument(
        "--alternate", action="store_true", help="load one version at a time, alternating"
    )
    arguments = parser.parse_args()
    if not (arguments.before / "boxoffice").is_dir():
        print(f"{arguments.before} holds no boxoffice package", file=sys.stderr)
        return 2
    warn_if_busy()
    performance_id = demo_document()["products"][0]["performances"][0]["id"]
    document = with_performances(stadium(), PERFORMANCE_COUNT)
    sources = {"before": arguments.before.resolve(), "now": None}
    with contextlib.ExitStack() as stack:
        work_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="side-by-side-")))
        ports = {}
        for version, source in sources.items():
            url = stack.enter_context(database(f"side_{version}_{os.getpid()}", document, source))
            ports[version] = stack.enter_context(boxoffice(url, 2, work_dir, version, source))
        orders = {}
        for version, port in ports.items():
            client = Client(port)
            for _ in range(8):  # the maps, the caches and the prepared statements, once
                client.close(client.create(performance_id))
            orders[version] = [client.create(performance_id + 3) for _ in range(arguments.clients)]
        for label, script in LOADS.items():
            runs = {
                version: (
                    port,
                    script,
                    {
                        **sale_env("A", performance_id),
                        "BENCH_ORDERS": ",".join(map(str, orders[version])),
                    },
                )
                for version, port in ports.items()
            }
            at_once(runs, arguments.clients, 3)  # warm-up
            history: dict[str, list[float]] = {version: [] for version in runs}
            for number in range(1, arguments.rounds + 1):
                if arguments.alternate:
                    results = {}
                    for version in list(runs) if number % 2 else list(reversed(runs)):
                        one = {version: runs[version]}
                        results |= at_once(one, arguments.clients, arguments.seconds)
                else:
                    results = at_once(runs, arguments.clients, arguments.seconds)
                rates = {
                    version: result["requests"] / result["seconds"]
                    for version, result in results.items()
                }
                for version, rate in rates.items():
                    history[version].append(rate)
                ratio = rates["now"] / rates["before"]
                print(
                    f"{label}, round {number}: before {rates['before']:.1f} calls/s, "
                    f"now {rates['now']:.1f} calls/s, now/before x{ratio:.2f}"
                )
            medians = {version: statistics.median(rates) for version, rates in history.items()}
            print(
                f"{label}, median of {arguments.rounds} rounds: before {medians['before']:.1f} "
                f"calls/s, now {medians['now']:.1f} calls/s, "
                f"now/before x{medians['now'] / medians['before']:.2f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
