"""A fake Bot Framework connector on 127.0.0.1: what the Teams bot sends, recorded.

It answers the connector calls the SDK makes (create / update an activity,
create a 1:1 conversation, get a member), serves file downloads (a
``downloadUrl``), takes file-consent uploads (PUT to an ``uploadUrl``) and
serves a JSON Web Key Set for the signed-token test. Every request is recorded
so tests assert on what the bot actually sent.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

WAIT = 15.0


@dataclass
class Call:
    verb: str
    path: str
    headers: dict[str, str]
    body: Any

    @property
    def conversation(self) -> str:
        parts = self.path.split("/")
        return unquote(parts[3]) if len(parts) > 3 else ""

    def cards(self) -> list[dict[str, Any]]:
        """The Adaptive Cards (and other attachments' content) in this activity."""
        if not isinstance(self.body, dict):
            return []
        return [a.get("content") or {} for a in self.body.get("attachments") or []]

    def text(self) -> str:
        """Everything visible in the activity, as one string (for `in` assertions)."""
        return json.dumps(self.body, ensure_ascii=False)


class FakeConnector:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.blobs: dict[str, bytes] = {}  # path -> bytes served at GET
        self.uploads: dict[str, bytes] = {}  # path -> bytes PUT there
        self.members: dict[str, dict[str, Any]] = {}  # Teams user id -> member record
        self.jwks: dict[str, Any] = {"keys": []}
        self._ids = itertools.count(1)
        self._changed = threading.Condition()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake._handle(self, "GET")

            def do_POST(self) -> None:
                fake._handle(self, "POST")

            def do_PUT(self) -> None:
                fake._handle(self, "PUT")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    # -- set-up ------------------------------------------------------------------

    def add_file(self, name: str, content: bytes) -> str:
        """Serve *content*; the downloadUrl Teams would put in a file.download.info."""
        path = f"/files/{next(self._ids)}/{name}"
        self.blobs[path] = content
        return self.url + path

    # -- assertions --------------------------------------------------------------

    def sent(self, conversation: str | None = None) -> list[Call]:
        """Activities the bot created (optionally in one conversation)."""
        with self._changed:
            return [
                c
                for c in self.calls
                if c.verb == "POST"
                and c.path.endswith("/activities")
                and (conversation is None or c.conversation == conversation)
            ]

    def updated(self) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.verb == "PUT" and "/activities/" in c.path]

    def of(self, verb: str, prefix: str) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.verb == verb and c.path.startswith(prefix)]

    def wait_for(self, predicate: Callable[[], Any], what: str = "") -> Any:
        with self._changed:
            result = self._changed.wait_for(predicate, timeout=WAIT)
        assert result, (
            f"timed out waiting for {what}; calls: {[(c.verb, c.path) for c in self.calls]}"
        )
        return result

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- serving -----------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler, verb: str) -> None:
        path = urlsplit(request.path).path
        raw = request.rfile.read(int(request.headers.get("content-length") or 0))
        headers = {k.lower(): v for k, v in request.headers.items()}
        body: Any = raw
        if raw and "json" in headers.get("content-type", ""):
            body = json.loads(raw)
        with self._changed:
            self.calls.append(Call(verb, path, headers, body))
            self._changed.notify_all()
        if verb == "GET" and path in self.blobs:
            return self._send(request, 200, self.blobs[path], "application/octet-stream")
        if verb == "GET" and path == "/keys":
            return self._json(request, self.jwks)
        if verb == "PUT" and path.startswith("/upload/"):
            self.uploads[path] = raw
            return self._json(request, {"id": "item-1", "name": path.rsplit("/", 1)[-1]})
        parts = path.split("/")
        if verb == "POST" and path == "/v3/conversations":
            member = (body.get("members") or [{}])[0].get("id", "")
            return self._json(request, {"id": f"a:personal-{member}"})
        if verb == "POST" and path.endswith("/activities"):
            return self._json(request, {"id": f"act-{next(self._ids)}"})
        if verb == "PUT" and "/activities/" in path:
            return self._json(request, {"id": unquote(parts[-1])})
        if verb == "GET" and "/members/" in path:
            member = self.members.get(unquote(parts[-1]))
            if member is None:
                return self._json(request, {"error": {"code": "MemberNotFound"}}, status=404)
            return self._json(request, member)
        self._json(request, {"error": {"code": "NotFound", "message": path}}, status=404)

    def _json(self, request: BaseHTTPRequestHandler, data: Any, status: int = 200) -> None:
        self._send(request, status, json.dumps(data).encode(), "application/json")

    @staticmethod
    def _send(request: BaseHTTPRequestHandler, status: int, data: bytes, kind: str) -> None:
        request.send_response(status)
        request.send_header("content-type", kind)
        request.send_header("content-length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)
