"""Tools of the abuse tests (issue 10): raw HTTP from a chosen loopback address, timings, RSS.

Attackers bind their sockets to ATTACKER (127.0.0.2), the honest reseller to HONEST
(127.0.0.1), so that the server tells them apart by address as it would in the field.
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HONEST, ATTACKER = "127.0.0.1", "127.0.0.2"


class Client:
    """One keep-alive HTTP connection to the server from `source`; reconnects when closed."""

    def __init__(self, port: int, source: str, timeout: float = 30.0) -> None:
        self.port, self.source, self.timeout = port, source, timeout
        self._connection: http.client.HTTPConnection | None = None

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        for attempt in range(2):
            if self._connection is None:
                self._connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=self.timeout, source_address=(self.source, 0)
                )
            try:
                self._connection.request(method, path, body=body, headers=headers or {})
                response = self._connection.getresponse()
                content = response.read()
                if response.will_close:
                    self.close()
                return response.status, content
            except (ConnectionError, http.client.HTTPException):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def median_ms(call: Callable[[], object], count: int, pause: float = 0.02) -> float:
    """The median wall time of `count` calls, in milliseconds."""
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
        time.sleep(pause)
    return statistics.median(timings)


class Flood:
    """`connections` threads sending `request(client, n)` without pause until stopped.

    They run in a child process of their own, so that their work never holds this process's
    interpreter lock while the honest client here is being timed.
    """

    def __init__(
        self,
        port: int,
        connections: int,
        request: Callable[[Client, int], object],
        source: str = ATTACKER,
    ) -> None:
        context = multiprocessing.get_context("fork")
        self._stop = context.Event()
        self._sent = context.Value("l", 0)
        self._process = context.Process(
            target=_flood,
            args=(port, source, connections, request, self._stop, self._sent),
            daemon=True,
        )

    @property
    def sent(self) -> int:
        return int(self._sent.value)

    def __enter__(self) -> Flood:
        self._process.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._process.join(timeout=60)
        if self._process.is_alive():
            self._process.kill()


def _flood(
    port: int,
    source: str,
    connections: int,
    request: Callable[[Client, int], object],
    stop: Any,
    sent: Any,
) -> None:
    def run() -> None:
        client = Client(port, source)
        number = 0
        while not stop.is_set():
            try:
                request(client, number)
            except (OSError, http.client.HTTPException):
                time.sleep(0.01)
            number += 1
            with sent.get_lock():
                sent.value += 1
        client.close()

    threads = [threading.Thread(target=run, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)


def until_fast(flood: Flood, per_half_second: int = 100, bound_seconds: float = 30.0) -> float:
    """Waits until the flood's requests are answered quickly (its budget spent); the wait."""
    started = time.monotonic()
    while time.monotonic() - started < bound_seconds:
        sent = flood.sent
        time.sleep(0.5)
        if flood.sent - sent >= per_half_second:
            break
    return time.monotonic() - started


def until_flowing(flood: Flood, bound_seconds: float = 30.0) -> float:
    """Waits until the flood has finished its first request; the wait. A round of the largest
    requests takes a second or two on a slow machine: timed before it ends, a call is timed
    beside a flood that has not yet been answered once."""
    started = time.monotonic()
    while flood.sent == 0 and time.monotonic() - started < bound_seconds:
        time.sleep(0.05)
    return time.monotonic() - started


def rss_kib(pid: int) -> int:
    """Resident memory of a process, KiB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, from /proc (10 ms ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks
