"""The call log's observer: queues each finished call, a background thread stores them in batches.

The sale path only pays for a `put_nowait` on a bounded queue. Redaction and the database write
happen on the writer thread; when the queue is full (the database slow or away) further calls
are dropped and counted rather than slowing or failing the sale. Bodies are stored unindented:
the console indents the one call it shows (console/indenting.py).
"""

from __future__ import annotations

import os
import queue
import re
import threading
import time
from collections.abc import Callable
from datetime import datetime

import structlog

from boxoffice.calls import CallRecord
from boxoffice.console.ports import CallLog, StoredCall
from boxoffice.console.redaction import redact_body

log = structlog.get_logger("boxoffice.console")

_ORDER_ID = re.compile(rb'(?:<(?:[\w.-]+:)?orderId>\s*|"orderId"\s*:\s*"?)(\d{1,18})')


def order_id_of(record: CallRecord) -> int | None:
    """The first order id the request names, else the first the answer names."""
    for body in (record.request_body, record.response_body):
        match = _ORDER_ID.search(body[:65536])
        if match:
            return int(match.group(1))
    return None


def stored(record: CallRecord) -> StoredCall:
    """The record as the call log keeps it: secrets redacted, long bodies cut, none indented."""
    return StoredCall(
        channel_id=record.channel_id,
        login=record.login,
        protocol=record.protocol,
        service=record.service[:100],
        operation=record.operation[:100],
        outcome=record.outcome[:100],
        http_status=record.http_status,
        started_at=record.started_at,
        duration_seconds=record.duration_seconds,
        order_id=order_id_of(record),
        request_body=redact_body(record.request_body),
        response_body=redact_body(record.response_body),
    )


class CallRecorder:
    """A CallObserver writing to a CallLog, bounded in memory and in the database."""

    def __init__(
        self,
        call_log: CallLog,
        clock: Callable[[], datetime],
        *,
        max_calls: int,
        max_age_seconds: float,
        queue_size: int = 1000,
        batch_size: int = 100,
        linger_seconds: float = 0.05,
    ) -> None:
        self._call_log = call_log
        self._clock = clock
        self._max_calls = max_calls
        self._max_age_seconds = max_age_seconds
        self._batch_size = batch_size
        self._linger_seconds = linger_seconds
        self._queue: queue.Queue[CallRecord] = queue.Queue(maxsize=queue_size)
        self._lock = threading.Lock()
        self._writer_pid: int | None = None
        self._last_prune: datetime | None = None
        self._since_prune = 0
        self.dropped = 0
        self.stored = 0

    def __call__(self, record: CallRecord) -> None:
        self._ensure_writer()
        try:
            self._queue.put_nowait(record)
        except queue.Full:
            with self._lock:
                self.dropped += 1
                dropped = self.dropped
            if dropped == 1 or dropped % 1000 == 0:
                log.warning("call_log_full", dropped=dropped)

    def _ensure_writer(self) -> None:
        # Started on first use in each process: a thread does not survive a worker's fork.
        pid = os.getpid()
        if self._writer_pid == pid:
            return
        with self._lock:
            if self._writer_pid != pid:
                self._writer_pid = pid
                threading.Thread(target=self._run, name="call-log-writer", daemon=True).start()

    def wait_until_written(self, timeout: float = 10.0) -> bool:
        """True once every queued call is written or dropped (for tests and shutdown)."""
        finished = threading.Event()

        def waiting() -> None:
            self._queue.join()
            finished.set()

        threading.Thread(target=waiting, daemon=True).start()
        return finished.wait(timeout)

    def _run(self) -> None:
        while True:
            batch = self._next_batch()
            try:
                self._write(batch)
            finally:
                for _ in batch:
                    self._queue.task_done()

    def _next_batch(self) -> list[CallRecord]:
        """The next call, and those that follow it within the linger time, up to a batch.

        Each batch is a transaction of its own (a pool checkout, an insert, a commit): taken
        as they came, calls under load made batches of one or two, and writing them cost the
        workers about a tenth of their CPU. Waiting a little gathers them into far fewer. The
        writer sleeps through the linger time and then takes what came: waiting on the queue
        instead woke it for every call, and under read load those wake-ups (each a switch of
        the interpreter's lock away from the calls) cost the workers more than the writing.
        A queue already holding a whole batch is not waited for.
        """
        batch = [self._queue.get()]
        self._take_waiting(batch)
        if len(batch) < self._batch_size:
            time.sleep(self._linger_seconds)
            self._take_waiting(batch)
        return batch

    def _take_waiting(self, batch: list[CallRecord]) -> None:
        while len(batch) < self._batch_size:
            try:
                batch.append(self._queue.get_nowait())
            except queue.Empty:
                return

    def _write(self, batch: list[CallRecord]) -> None:
        try:
            self._call_log.append([stored(record) for record in batch])
            self._since_prune += len(batch)
            now = self._clock()
            # Pruning costs three statements: under steady traffic it runs once a second or
            # once a hundredth of the log has been added, whichever comes first, so the log
            # exceeds its bounds by at most that much between two prunes.
            due = self._last_prune is None or (now - self._last_prune).total_seconds() >= 1
            if due or self._since_prune >= max(1, self._max_calls // 100):
                self._call_log.prune(now, self._max_calls, self._max_age_seconds)
                self._last_prune, self._since_prune = now, 0
        except Exception as error:  # noqa: BLE001 (the log is best effort; the sale went through)
            with self._lock:
                self.dropped += len(batch)
            log.warning("call_log_write_failed", calls=len(batch), error_type=type(error).__name__)
            return
        with self._lock:
            self.stored += len(batch)
