"""Slack's Socket Mode WebSocket endpoint, faked on 127.0.0.1 with the standard library only.

``FakeSlack``'s ``apps.connections.open`` hands out :meth:`FakeSocketMode.issue_url`
(a ``ws://`` URL with a one-time ticket, as Slack's ``wss://…/link/?ticket=…``).
The client connects, upgrades per RFC 6455 and gets Slack's ``hello``; tests then
push envelopes (:meth:`FakeSocketMode.send_envelope`) as Slack does and wait for
the acknowledgement the app sends back with the same ``envelope_id``. Frames from
the client must be masked, frames from the server are not; pings are answered
with pongs and a close frame with a close frame. Anything that breaks the
protocol is kept in :attr:`FakeSocketMode.errors` for the test to assert on.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import itertools
import json
import socket
import struct
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455, section 1.3
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA
WAIT = 15.0  # seconds before a wait fails the test


def accept_key(key: str) -> str:
    """``Sec-WebSocket-Accept`` for a client's ``Sec-WebSocket-Key``."""
    return base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()


def frame(opcode: int, payload: bytes) -> bytes:
    """One unmasked, final frame, as a server sends it."""
    head = bytes([0x80 | opcode])
    size = len(payload)
    if size <= 125:
        head += bytes([size])
    elif size <= 0xFFFF:
        head += struct.pack("!BH", 126, size)
    else:
        head += struct.pack("!BQ", 127, size)
    return head + payload


@dataclass
class Connection:
    """One upgraded client socket and what it sent."""

    sock: socket.socket
    ticket: str
    messages: list[dict[str, Any]] = field(default_factory=list)  # text frames, parsed
    pings: list[bytes] = field(default_factory=list)
    closed: bool = False
    send_lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, opcode: int, payload: bytes) -> None:
        with self.send_lock:
            self.sock.sendall(frame(opcode, payload))


class FakeSocketMode:
    """A WebSocket server speaking Slack's Socket Mode envelopes."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.listener = socket.create_server((host, 0))
        self.port = self.listener.getsockname()[1]
        self.tickets: list[str] = []  # issued by apps.connections.open, each usable once
        self.connections: list[Connection] = []
        self.messages: list[dict[str, Any]] = []  # every text message from the client, in order
        self.errors: list[str] = []  # protocol violations seen
        self._ids = itertools.count(1)
        self._changed = threading.Condition()
        self._threads: list[threading.Thread] = []
        self._sockets: list[socket.socket] = []  # every accepted socket, upgraded or not
        self._stopping = False
        self._spawn(self._accept_loop, "fake-socket-mode-accept")

    # -- used by the fake Web API ----------------------------------------------------

    def issue_url(self) -> str:
        """A fresh one-time URL, what ``apps.connections.open`` returns."""
        with self._changed:
            ticket = f"ticket-{next(self._ids)}"
            self.tickets.append(ticket)
        return f"ws://{self.host}:{self.port}/link/?ticket={ticket}&app_id=A1"

    # -- used by tests -----------------------------------------------------------------

    def wait_connected(self, count: int = 1) -> Connection:
        """The newest connection, once *count* have completed the handshake."""
        with self._changed:
            ok = self._changed.wait_for(lambda: len(self.connections) >= count, timeout=WAIT)
            assert ok, f"no Socket Mode connection #{count}; errors: {self.errors}"
            return self.connections[count - 1]

    def send_envelope(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool = False,
        retry_attempt: int = 0,
    ) -> str:
        """Push one envelope over the newest open connection; returns its ``envelope_id``."""
        envelope_id = f"env-{next(self._ids):04d}-{kind}"
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": accepts_response_payload,
        }
        if kind == "events_api":
            envelope.update(
                retry_attempt=retry_attempt, retry_reason="timeout" if retry_attempt else ""
            )
        self.send_json(envelope)
        return envelope_id

    def send_json(self, message: dict[str, Any]) -> None:
        with self._changed:
            live = [c for c in self.connections if not c.closed]
        assert live, "no open Socket Mode connection"
        live[-1].send(TEXT, json.dumps(message, ensure_ascii=False).encode())

    def wait_ack(self, envelope_id: str) -> dict[str, Any]:
        """The client's acknowledgement of *envelope_id* (``{"envelope_id": …[, "payload"]}``)."""

        def ack() -> dict[str, Any] | None:
            return next((m for m in self.messages if m.get("envelope_id") == envelope_id), None)

        with self._changed:
            found = self._changed.wait_for(ack, timeout=WAIT)
        assert found, f"envelope {envelope_id} was not acknowledged; got {self.messages}"
        return found

    def drop(self, connection: Connection) -> None:
        """Close *connection* from the server's side, as Slack does after a refresh."""
        self._mark_closed(connection)
        with contextlib.suppress(OSError):  # already gone
            connection.sock.shutdown(socket.SHUT_RDWR)  # ends the reader blocked in recv()

    def wait_closed(self, connection: Connection) -> None:
        """Until *connection* has ended (the client closes its socket without a close frame)."""
        with self._changed:
            assert self._changed.wait_for(lambda: connection.closed, timeout=WAIT), "still open"

    def wait_ping(self, connection: Connection) -> None:
        """Until the client has pinged on *connection* (it does right after the handshake)."""
        with self._changed:
            assert self._changed.wait_for(lambda: connection.pings, timeout=WAIT), "no ping"

    def close(self) -> None:
        """Stop accepting, drop every connection and join every thread this server started."""
        self._stopping = True
        socket.create_connection((self.host, self.port)).close()  # wakes accept() to see that
        self._threads[0].join(WAIT)
        self.listener.close()
        with self._changed:
            for connection in self.connections:
                connection.closed = True
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):  # already gone
                sock.shutdown(socket.SHUT_RDWR)  # ends the reader blocked in recv()
        for thread in self._threads:
            thread.join(WAIT)
            assert not thread.is_alive(), f"{thread.name} did not stop"

    # -- serving -------------------------------------------------------------------------

    def _spawn(self, target: Any, name: str, *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while not self._stopping:
            sock, _ = self.listener.accept()
            if self._stopping:
                sock.close()
                return
            with self._changed:
                self._sockets.append(sock)
            self._spawn(self._serve, f"fake-socket-mode-{sock.fileno()}", sock)

    def _serve(self, sock: socket.socket) -> None:
        reader = _Reader(sock)
        connection = None
        try:
            connection = self._handshake(sock, reader)
            if connection is not None:
                self._read_frames(connection, reader)
        except OSError:
            pass  # the client went away (it closes without a close frame), or close() ended it
        finally:
            if connection is not None:
                self._mark_closed(connection)
            sock.close()

    def _handshake(self, sock: socket.socket, reader: _Reader) -> Connection | None:
        head = reader.until(b"\r\n\r\n").decode("latin-1")
        request_line, *lines = head.split("\r\n")
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            if name:
                headers[name.strip().lower()] = value.strip()
        verb, target, _version = (request_line.split(" ") + ["", "", ""])[:3]
        parts = urlsplit(target)
        ticket = (parse_qs(parts.query).get("ticket") or [""])[0]
        problem = None
        if verb != "GET" or parts.path.rstrip("/") != "/link":
            problem = f"bad request line {request_line!r}"
        elif headers.get("upgrade", "").lower() != "websocket":
            problem = "no Upgrade: websocket"
        elif "upgrade" not in headers.get("connection", "").lower():
            problem = "no Connection: Upgrade"
        elif headers.get("sec-websocket-version") != "13":
            problem = "Sec-WebSocket-Version is not 13"
        elif len(base64.b64decode(headers.get("sec-websocket-key", ""))) != 16:
            problem = "Sec-WebSocket-Key is not 16 bytes"
        with self._changed:
            if problem is None and ticket not in self.tickets:
                problem = f"unknown or reused ticket {ticket!r}"
            if problem is None:
                self.tickets.remove(ticket)
        if problem is not None:
            with self._changed:
                self.errors.append(problem)
                self._changed.notify_all()
            sock.sendall(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
            return None
        sock.sendall(
            (
                "HTTP/1.1 101 Switching Protocols\r\n"
                "Upgrade: websocket\r\n"
                "Connection: Upgrade\r\n"
                f"Sec-WebSocket-Accept: {accept_key(headers['sec-websocket-key'])}\r\n\r\n"
            ).encode()
        )
        connection = Connection(sock, ticket)
        hello = {
            "type": "hello",
            "num_connections": 1,
            "debug_info": {"host": "applink-fake", "approximate_connection_time": 18060},
            "connection_info": {"app_id": "A1"},
        }
        connection.send(TEXT, json.dumps(hello).encode())
        with self._changed:
            self.connections.append(connection)
            self._changed.notify_all()
        return connection

    def _read_frames(self, connection: Connection, reader: _Reader) -> None:
        while True:
            b1, b2 = reader.exactly(2)
            opcode, masked, size = b1 & 0x0F, b2 & 0x80, b2 & 0x7F
            if size == 126:
                (size,) = struct.unpack("!H", reader.exactly(2))
            elif size == 127:
                (size,) = struct.unpack("!Q", reader.exactly(8))
            mask = reader.exactly(4) if masked else b""
            data = reader.exactly(size)
            if not masked:
                self._error(f"unmasked frame from the client (opcode {opcode})")
            else:
                data = bytes(byte ^ mask[i % 4] for i, byte in enumerate(data))
            if not b1 & 0x80:
                self._error("fragmented frame from the client")
            if opcode == PING:
                with self._changed:
                    connection.pings.append(data)
                    self._changed.notify_all()
                connection.send(PONG, data)
            elif opcode == PONG:
                continue
            elif opcode == TEXT:
                message = json.loads(data.decode("utf-8"))
                with self._changed:
                    connection.messages.append(message)
                    self.messages.append(message)
                    self._changed.notify_all()
            elif opcode == CLOSE:
                connection.send(CLOSE, data[:2])
                self._mark_closed(connection)
                return
            else:
                self._error(f"unexpected opcode {opcode}")

    def _error(self, problem: str) -> None:
        with self._changed:
            self.errors.append(problem)
            self._changed.notify_all()

    def _mark_closed(self, connection: Connection) -> None:
        with self._changed:
            connection.closed = True
            self._changed.notify_all()


class _Reader:
    """Buffered exact reads from a socket; EOF raises ConnectionError."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def _fill(self) -> None:
        chunk = self.sock.recv(4096)
        if not chunk:
            raise ConnectionError("closed by the peer")
        self.buffer += chunk

    def exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._fill()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def until(self, marker: bytes) -> bytes:
        while marker not in self.buffer:
            if len(self.buffer) > 65536:
                raise ConnectionError("handshake too long")
            self._fill()
        data, _, self.buffer = self.buffer.partition(marker)
        return data
