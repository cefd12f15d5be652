"""The seat map's in-process lock: granted in arrival order, bounded waits, never lost."""

from __future__ import annotations

import threading
import time

from boxoffice.persistence.fair_lock import FairLock


def test_waiters_get_the_lock_in_the_order_they_asked():
    lock = FairLock()
    lock.acquire()
    granted: list[int] = []
    threads = []
    for number in range(5):
        thread = threading.Thread(
            target=lambda n=number: (lock.acquire(), granted.append(n), lock.release())
        )
        thread.start()
        threads.append(thread)
        time.sleep(0.05)  # each waiter queued before the next one starts
    lock.release()
    for thread in threads:
        thread.join(10)
    assert granted == [0, 1, 2, 3, 4]


def test_a_wait_past_its_timeout_gives_up_and_leaves_the_queue():
    lock = FairLock()
    lock.acquire()
    assert lock.acquire(timeout=0.05) is False
    lock.release()
    assert lock.acquire(timeout=0.05) is True  # nobody stale left in the queue to hand it to
    assert lock.acquire(blocking=False) is False
    lock.release()
    assert lock.acquire(blocking=False) is True
