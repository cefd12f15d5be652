"""The process's catalog cache: one build per value, and never a wait without end.

A thread that finds another building the value it needs waits for that build, a bounded
time. On SQLite the thread building may be waiting for the database lock held by the very
transaction that waits for its build; past the bound, the waiting thread builds the value
itself, so that the two end instead of holding each other until a busy timeout.
"""

from __future__ import annotations

import threading
import time

from boxoffice.persistence.catalog_repository import CatalogCache


def test_threads_asking_at_once_share_one_build() -> None:
    cache = CatalogCache(build_wait_seconds=5)
    builds = []
    started = threading.Event()

    def build() -> str:
        builds.append(1)
        started.set()
        time.sleep(0.2)
        return "layout"

    first = threading.Thread(target=cache.get, args=(1, "layout", build))
    first.start()
    started.wait(5)
    assert cache.get(1, "layout", build) == "layout"
    first.join(5)
    assert len(builds) == 1


def test_a_thread_whose_build_waits_on_the_waiter_does_not_hold_it_past_the_bound() -> None:
    cache = CatalogCache(build_wait_seconds=0.3)
    building = threading.Event()
    waiter_done = threading.Event()  # stands for the database lock the waiter's commit frees
    results: dict[str, str] = {}

    def blocked_build() -> str:
        building.set()
        waiter_done.wait(10)  # the builder waits for the waiter's transaction to end
        return "built by the first"

    first = threading.Thread(
        target=lambda: results.setdefault("first", cache.get(1, "names", blocked_build))
    )
    first.start()
    building.wait(5)
    started = time.monotonic()
    results["waiter"] = cache.get(1, "names", lambda: "built by the waiter")
    waited = time.monotonic() - started
    waiter_done.set()
    first.join(5)

    assert results == {"waiter": "built by the waiter", "first": "built by the first"}
    assert 0.25 <= waited < 2
