"""A small TCP proxy for fault tests: it can vanish, lose answers or hold bytes back."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time


class TcpProxy:
    """Forwards 127.0.0.1:port to 127.0.0.1:target_port, one pair of threads per connection.

    `stop()` closes the listening socket and every open connection (the far side sees its
    connection reset, as when a database goes away); `start()` listens again on the same port.
    Modes, read at every chunk: "pass"; "drop_response" (the request reaches the server, the
    first byte of its answer closes both sides: a lost response); "delay_request" and
    "delay_response" (the first chunk waits `delay_seconds` before it is forwarded).

    With `half_close` (a database's proxy) a client's end of stream is passed on at once; without
    it (an HTTP server's proxy) the server keeps the connection until it has answered, so a
    request whose client gave up is still served, as across a real network.
    """

    def __init__(self, target_port: int, port: int = 0, *, half_close: bool = True) -> None:
        self.target_port = target_port
        self.half_close = half_close
        self.port = port
        self.mode = "pass"
        self.delay_seconds = 0.0
        self.responses_received = 0
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()

    def start(self) -> TcpProxy:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone may not.
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            sockets, self._sockets = set(self._sockets), set()
        for open_socket in sockets:
            _reset(open_socket)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if self._listener is not listener:
                _reset(client)
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
                upstream.settimeout(None)
            except OSError:
                _reset(client)
                continue
            with self._lock:
                self._sockets |= {client, upstream}
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, is_request: bool) -> None:
        first = True
        try:
            while True:
                chunk = source.recv(65536)
                if not chunk:
                    break
                if not is_request:
                    self.responses_received += 1
                if first and self.mode == ("delay_request" if is_request else "delay_response"):
                    time.sleep(self.delay_seconds)
                if not is_request and self.mode == "drop_response":
                    break
                first = False
                target.sendall(chunk)
        except OSError:
            pass
        if is_request:
            # The answer side closes both sockets once the server is done.
            if self.half_close:
                with contextlib.suppress(OSError):
                    target.shutdown(socket.SHUT_WR)
            return
        with self._lock:
            self._sockets -= {source, target}
        _reset(source)
        _reset(target)


def _reset(connection: socket.socket) -> None:
    """Ends the connection at once, as a dead peer does.

    shutdown() comes first: close() alone neither wakes a thread blocked in recv() on the
    socket nor tells the far side anything while that thread holds it.
    """
    with contextlib.suppress(OSError):
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        connection.close()
