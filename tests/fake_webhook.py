"""A Teams Workflows webhook on 127.0.0.1 that records what it receives and answers from a script."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeWebhook:
    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []  # every POST body, including refused ones
        self.delivered: list[dict[str, Any]] = []  # bodies answered with 2xx
        self.script: list[tuple[int, dict[str, str]]] = []  # statuses to answer before 202s
        self.url = ""

    def answer(self, *statuses: int | tuple[int, dict[str, str]]) -> None:
        self.script = [s if isinstance(s, tuple) else (s, {}) for s in statuses]


@contextmanager
def running_webhook() -> Iterator[FakeWebhook]:
    hook = FakeWebhook()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
            with lock:
                hook.received.append(body)
                status, headers = hook.script.pop(0) if hook.script else (202, {})
                if status < 300:
                    hook.delivered.append(body)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook.url = f"http://127.0.0.1:{server.server_address[1]}/workflows/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()
