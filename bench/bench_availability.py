"""Benchmark: availability of a 60,000-seat performance over HTTP, against the demo hall's.

Run from the repository root:  PYTHONPATH=src python bench/bench_availability.py [--calls N]

Two in-process servers (bench_console's threaded stdlib WSGI server, each on its own SQLite
database): the demo catalog (the baseline, a hall of a few hundred seats) and the same catalog
with its venue replaced by the 60,000-seat stadium of tests/integration/test_catalog_load.py.
Each call is the JSON twin of getPerformanceAvailability (summed, then one figure per seat
category); calls alternate between the two servers, so a busy neighbour on the machine slows
both alike, and every tenth call is preceded by a sale of 2 seats that is then abandoned, so the
seat map keeps changing. The first call of each server (it builds the venue layout and the seat
map) is shown apart. The target is a median under 50 ms for the stadium. getSeatsAvailability of
the whole stadium, seat by seat, is timed last, for one stand (15,000 seats): a whole stadium is
over the per-answer limit."""

from __future__ import annotations

import argparse
import logging
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
from bench_console import AUTH, PERFORMANCE, application, sale, start
from tests.integration.test_catalog_load import demo_document, stadium

from boxoffice.logging_setup import configure_logging

AVAILABILITY = "/tnseb/backend-apis/availabilityService/v1_33"
TARGET_MS = 50.0
STAND = 9000  # the stadium's first stand, in the demo channel's pool


def ask(
    session: requests.Session, url: str, operation: str, **parameters: Any
) -> tuple[float, Any]:
    started = time.perf_counter()
    answer = session.post(f"{url}{AVAILABILITY}/{operation}", json=parameters)
    elapsed = (time.perf_counter() - started) * 1000
    result = answer.json()
    assert result["statusCode"] == "success", answer.text
    return elapsed, result


def main() -> None:
    configure_logging("WARNING")
    logging.getLogger("spyne").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    arguments = parser.parse_args()
    print(f"CPython {platform.python_version()}, {platform.machine()}")
    with tempfile.TemporaryDirectory() as folder:
        urls = {
            "demo hall (baseline)": start(application(Path(folder), "hall", demo_document()))[0],
            "60,000-seat stadium": start(application(Path(folder), "stadium", stadium()))[0],
        }
        sessions = {name: requests.Session() for name in urls}
        for session in sessions.values():
            session.auth = AUTH
        requests_by_kind = {"summed": {}, "per category": {"seatCategoryIds": [-1]}}
        timings = {(name, kind): [] for name in urls for kind in requests_by_kind}
        print("\nFirst call (builds the venue layout and the seat map):")
        for name, url in urls.items():
            first, result = ask(
                sessions[name], url, "getPerformanceAvailability", performanceIds=[PERFORMANCE]
            )
            figure = result["availabilityData"][0]
            print(
                f"  {name:<22}{first:>8.1f} ms  ({figure['quantity']} of {figure['capacity']}"
                " places of the channel's contingent)"
            )
        for call in range(arguments.calls):
            for name, url in urls.items():
                if call % 10 == 0:
                    sale(sessions[name], url)
                for kind, extra in requests_by_kind.items():
                    elapsed, _ = ask(
                        sessions[name],
                        url,
                        "getPerformanceAvailability",
                        performanceIds=[PERFORMANCE],
                        **extra,
                    )
                    timings[(name, kind)].append(elapsed)
        print(f"\ngetPerformanceAvailability over HTTP (JSON twin), {arguments.calls} calls each")
        print(f"{'server':<24}{'request':<14}{'median ms':>10}{'p95 ms':>9}{'ratio':>8}")
        for (name, kind), values in timings.items():
            values.sort()
            base = statistics.median(timings[("demo hall (baseline)", kind)])
            median, p95 = statistics.median(values), values[int(len(values) * 0.95)]
            print(f"{name:<24}{kind:<14}{median:>10.2f}{p95:>9.2f}{median / base:>8.2f}")
        stadium_median = statistics.median(timings[("60,000-seat stadium", "summed")])
        verdict = "met" if stadium_median < TARGET_MS else "MISSED"
        print(f"target: stadium median under {TARGET_MS:.0f} ms: {verdict}")
        # One stand of the stadium (areaIds): the whole venue is over the per-answer limit.
        seats_ms, seats = ask(
            sessions["60,000-seat stadium"],
            urls["60,000-seat stadium"],
            "getSeatsAvailability",
            performanceId=PERFORMANCE,
            areaIds=[STAND],
        )
        print(
            f"\ngetSeatsAvailability of one stand of the stadium: "
            f"{len(seats['seatAvailabilityData'])} seats in {seats_ms:.0f} ms"
        )


if __name__ == "__main__":
    main()
