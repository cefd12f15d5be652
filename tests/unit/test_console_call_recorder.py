"""The call log's observer never slows or fails a call: bounded queue, drops counted."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime

from boxoffice.calls import CallRecord
from boxoffice.console.call_recorder import CallRecorder
from boxoffice.console.ports import CallFilter, StoredCall

NOW = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)


class FakeCallLog:
    def __init__(self) -> None:
        self.calls: list[StoredCall] = []
        self.batches: list[int] = []
        self.pruned: list[tuple[int, float]] = []
        self.gate = threading.Event()
        self.gate.set()
        self.fail = False

    def append(self, calls: Sequence[StoredCall]) -> None:
        self.gate.wait(10)
        if self.fail:
            raise RuntimeError("database away")
        self.batches.append(len(calls))
        self.calls.extend(calls)

    def prune(self, now: datetime, max_calls: int, max_age_seconds: float) -> int:
        self.pruned.append((max_calls, max_age_seconds))
        return 0

    def recent(self, channel_id: int | None, wanted: CallFilter) -> list[StoredCall]:
        return []

    def call(self, call_id: int, channel_id: int | None) -> StoredCall | None:
        return None

    def operations(self, channel_id: int | None) -> list[str]:
        return []


def record(order_id: int = 42, password: str = "demo-a-secret") -> CallRecord:
    request = (
        f"<Envelope><Header><Password>{password}</Password></Header><Body><addOperation>"
        f"<orderId>{order_id}</orderId></addOperation></Body></Envelope>"
    ).encode()
    return CallRecord(
        "soap",
        "ExternalOrderFacade",
        "addOperation",
        "RESELLER_A_WS",
        1,
        "success",
        200,
        NOW,
        0.012,
        request,
        b"<Envelope><ok/></Envelope>",
    )


def test_a_call_is_stored_redacted_with_its_order_id_and_the_log_pruned() -> None:
    log = FakeCallLog()
    recorder = CallRecorder(log, lambda: NOW, max_calls=500, max_age_seconds=3600)

    recorder(record(order_id=77))

    assert recorder.wait_until_written()
    (stored,) = log.calls
    assert "demo-a-secret" not in stored.request_body and "***" in stored.request_body
    assert (stored.order_id, stored.operation, stored.channel_id) == (77, "addOperation", 1)
    assert log.pruned == [(500, 3600)] and recorder.stored == 1


def test_when_the_writer_is_stuck_calls_are_dropped_and_counted_without_waiting() -> None:
    log = FakeCallLog()
    log.gate.clear()  # the database hangs
    recorder = CallRecorder(
        log, lambda: NOW, max_calls=500, max_age_seconds=3600, queue_size=5, batch_size=2
    )

    started = time.perf_counter()
    for _ in range(50):
        recorder(record())
    elapsed = time.perf_counter() - started

    assert elapsed < 0.5  # fifty calls observed while nothing could be written
    # At most one batch in the writer's hands plus a full queue; the rest were dropped.
    assert 50 - 5 - 2 <= recorder.dropped <= 50 - 5
    log.gate.set()
    assert recorder.wait_until_written()
    assert recorder.stored + recorder.dropped == 50 and len(log.calls) == recorder.stored


def test_a_failing_database_drops_the_batch_and_the_writer_goes_on() -> None:
    log = FakeCallLog()
    log.fail = True
    recorder = CallRecorder(log, lambda: NOW, max_calls=500, max_age_seconds=3600)

    recorder(record())
    assert recorder.wait_until_written()
    log.fail = False
    recorder(record(order_id=5))
    assert recorder.wait_until_written()

    assert recorder.dropped == 1 and [call.order_id for call in log.calls] == [5]


def test_calls_that_follow_within_the_linger_time_are_written_in_one_batch() -> None:
    log = FakeCallLog()
    recorder = CallRecorder(
        log, lambda: NOW, max_calls=500, max_age_seconds=3600, linger_seconds=0.5
    )

    recorder(record(order_id=1))
    time.sleep(0.1)  # the writer holds the first call, waiting for more
    recorder(record(order_id=2))
    assert recorder.wait_until_written()
    time.sleep(0.6)
    recorder(record(order_id=3))  # past the linger time: a batch of its own
    assert recorder.wait_until_written()

    assert log.batches == [2, 1]
    assert [call.order_id for call in log.calls] == [1, 2, 3]


def test_a_queue_holding_a_whole_batch_is_written_without_waiting_the_linger_time() -> None:
    log = FakeCallLog()
    log.gate.clear()
    recorder = CallRecorder(
        log, lambda: NOW, max_calls=500, max_age_seconds=3600, batch_size=3, linger_seconds=1.0
    )
    for order_id in range(1, 8):  # the writer takes 1-3 after its linger time, then stalls
        recorder(record(order_id=order_id))
    time.sleep(1.2)
    log.gate.set()
    released = time.perf_counter()
    while log.batches[:2] != [3, 3] and time.perf_counter() - released < 0.8:
        time.sleep(0.01)
    # 4-6 were waiting, a whole batch: written at once, not a linger time later.
    assert log.batches[:2] == [3, 3]
    assert recorder.wait_until_written()
    assert log.batches == [3, 3, 1]
    assert [call.order_id for call in log.calls] == list(range(1, 8))
