"""Issue 10 item 5: 300 sockets sending headers a byte at a time lock nobody else out.

The attacker's sockets come from 127.0.0.2, the honest client from 127.0.0.1, against
`boxoffice serve` started as the README starts it (one worker, default settings). Each worker
holds a connection on its event loop, not in a thread, so slow sockets cost a few kilobytes
each; and a request not whole within BOXOFFICE_REQUEST_READ_TIMEOUT is dropped.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest
import requests

from tests.system.conftest import StartServer

pytestmark = pytest.mark.system

ATTACKER, HONEST = "127.0.0.2", "127.0.0.1"
SLOW_SOCKETS = 300
HONEST_CALLS = 10
ANSWER_BOUND_SECONDS = 1.0
HEAD = b"GET /console/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 200


def _open_slow_sockets(port: int, count: int) -> list[socket.socket]:
    opened = []
    for _ in range(count):
        raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        raw.bind((ATTACKER, 0))
        raw.settimeout(5)
        raw.connect(("127.0.0.1", port))
        opened.append(raw)
    return opened


def _trickle(sockets: list[socket.socket], stop: threading.Event, alive: list[int]) -> None:
    """Sends the next header byte on every socket in turn until stopped; counts live sockets."""
    position = 0
    while not stop.is_set():
        live = 0
        for raw in sockets:
            try:
                raw.send(HEAD[position % len(HEAD) : position % len(HEAD) + 1])
                live += 1
            except OSError:
                pass
        alive.append(live)
        position += 1
        stop.wait(0.05)


def _honest_call(port: int) -> float:
    session = requests.Session()
    session.mount("http://", _SourceAddressAdapter(HONEST))
    started = time.perf_counter()
    answer = session.get(
        f"http://127.0.0.1:{port}/tnseb/external-remoting/com.secutix.service.realtime"
        ".externalorder.v1_33.ExternalOrderFacade.webservice?wsdl",
        timeout=30,
    )
    elapsed = time.perf_counter() - started
    assert answer.status_code == 200
    return elapsed


class _SourceAddressAdapter(requests.adapters.HTTPAdapter):
    def __init__(self, address: str) -> None:
        self._address = address
        super().__init__()

    def init_poolmanager(self, *arguments, **keywords):  # type: ignore[no-untyped-def]
        keywords["source_address"] = (self._address, 0)
        super().init_poolmanager(*arguments, **keywords)


def test_300_slow_sockets_from_one_address_do_not_stop_a_client_at_another(
    start_server: StartServer,
) -> None:
    server = start_server()  # `boxoffice demo && boxoffice serve`, as the README says
    sockets = _open_slow_sockets(server.port, SLOW_SOCKETS)
    stop, alive = threading.Event(), []
    trickler = threading.Thread(target=_trickle, args=(sockets, stop, alive), daemon=True)
    trickler.start()
    try:
        time.sleep(1)  # every slow socket has sent part of its head
        durations = [_honest_call(server.port) for _ in range(HONEST_CALLS)]
        still_open = alive[-1]
    finally:
        stop.set()
        trickler.join(10)
        for raw in sockets:
            raw.close()

    assert still_open == SLOW_SOCKETS, "the attack did not hold its sockets open meanwhile"
    assert max(durations) < ANSWER_BOUND_SECONDS, [round(d, 3) for d in durations]


def test_a_request_still_arriving_after_the_read_timeout_is_dropped(
    start_server: StartServer,
) -> None:
    server = start_server(environment={"BOXOFFICE_REQUEST_READ_TIMEOUT": "2"})
    [raw] = _open_slow_sockets(server.port, 1)
    raw.settimeout(0.2)
    started, closed_after = time.monotonic(), None
    with raw:
        for byte in HEAD:
            try:
                raw.send(bytes([byte]))
                if raw.recv(1) == b"":
                    closed_after = time.monotonic() - started
                    break
            except TimeoutError:
                continue
            except OSError:
                closed_after = time.monotonic() - started
                break

    assert closed_after is not None, "the server never dropped the slow request"
    assert 1.5 <= closed_after <= 6, closed_after


def _send_head(port: int, padding_bytes: int) -> bytes:
    """Sends a GET whose head carries `padding_bytes` of headers, 8 KiB at a time; the answer."""
    lines = [b"X-Padding-%d: %s\r\n" % (n, b"a" * 1000) for n in range(padding_bytes // 1017)]
    head = b"GET /console/ HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"".join(lines) + b"\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        try:
            for start in range(0, len(head), 8192):
                raw.sendall(head[start : start + 8192])
        except OSError:
            pass  # the server may close before the rest is sent; its answer was written first
        answer = b""
        while chunk := raw.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer and b"connection: close" not in answer.lower():
                break  # a kept-alive answer: its head is enough here
        return answer


def test_a_request_head_past_64_kib_is_refused_with_400_and_closed(
    start_server: StartServer,
) -> None:
    server = start_server()

    refused = _send_head(server.port, 1024 * 1024)
    served = _send_head(server.port, 60 * 1024)

    assert refused.startswith(b"HTTP/1.1 400 "), refused[:200]
    assert b"connection: close" in refused.lower()
    assert served.startswith(b"HTTP/1.1 ") and not served.startswith(b"HTTP/1.1 400"), served[:200]
