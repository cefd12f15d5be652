"""Issue 10 item 8: Content-Length with Transfer-Encoding is refused, and nothing runs after it.

A proxy framing by Content-Length and a server framing by chunks disagree on where such a
request ends: the bytes after the chunked body would run as a second request (a desync). The
server answers 400 and closes; the smuggled request, a real createOrder, never runs.
"""

from __future__ import annotations

import json
import socket

from tests.hostile.conftest import LOGIN_A, PASSWORD_A, POS_A, Target, basic

READ_BOUND_SECONDS = 10


def _exchange(port: int, request: bytes) -> bytes:
    """Sends `request` and reads until the server closes (bounded), everything it answered."""
    with socket.create_connection(("127.0.0.1", port), timeout=READ_BOUND_SECONDS) as raw:
        raw.sendall(request)
        answer = b""
        while chunk := raw.recv(65536):
            answer += chunk
        return answer


def _create_order_request(host: str, framing: bytes) -> bytes:
    body = json.dumps({"pointOfSalesId": POS_A}).encode()
    return (
        b"POST /tnseb/backend-apis/externalOrderFacade/v1_33/createOrder HTTP/1.1\r\n"
        b"Host: " + host.encode() + b"\r\nContent-Type: application/json\r\n"
        b"Authorization: "
        + basic(LOGIN_A, PASSWORD_A).encode()
        + b"\r\n"
        + framing
        + b"Content-Length: %d\r\n\r\n" % len(body)
        + body
    )


def test_content_length_with_transfer_encoding_is_refused_and_closes_the_connection(
    target: Target,
) -> None:
    port = target.server.port
    before = target.snapshot()
    smuggled = _create_order_request(f"127.0.0.1:{port}", b"")
    body = b"0\r\n\r\n" + smuggled
    request = (
        b"POST /tnseb/backend-apis/externalOrderService/v1_33/getOrderDetails HTTP/1.1"
        b"\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\nTransfer-Encoding: chunked\r\n\r\n" % len(body) + body
    )

    answer = _exchange(port, request)  # returns only once the server has closed

    assert answer.startswith(b"HTTP/1.1 400 "), answer[:200]
    assert answer.count(b"HTTP/1.1 ") == 1, "a second request was read from the connection"
    assert b"connection: close" in answer.lower()
    assert target.snapshot() == before, "the smuggled createOrder ran"


def test_either_framing_alone_still_works(target: Target) -> None:
    port = target.server.port
    by_length = _create_order_request(f"127.0.0.1:{port}", b"Connection: close\r\n")
    head, body = by_length.split(b"\r\n\r\n", 1)
    head = head.replace(b"Content-Length: %d" % len(body), b"Transfer-Encoding: chunked")
    by_chunks = head + b"\r\n\r\n" + b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"

    for request in (by_length, by_chunks):
        answer = _exchange(port, request)

        assert answer.startswith(b"HTTP/1.1 200 "), answer[:300]
        assert b'"statusCode":"success"' in answer.replace(b" ", b"")
