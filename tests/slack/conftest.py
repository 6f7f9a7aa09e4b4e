"""The real bolt App over real HTTP, against a fake Slack Web API on 127.0.0.1.

``FakeSlack`` answers the Web API methods the bot calls, serves file downloads,
takes ``files_upload_v2`` uploads, receives ``response_url`` posts and records every request, so tests assert on
what the bot actually sent. ``Harness`` signs requests with the signing secret
and posts them to the app served by uvicorn on a free local port.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest
from conftest import fresh_pg_database

from bot.config import BotSettings
from bot.serve import http_server, listening_socket
from bot.slack_app import SlackBot, build_app
from duediligence.config import Settings
from duediligence.importer import import_file
from duediligence.store import Store

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "council-2021-02-10.yaml"
TOKYO = ZoneInfo("Asia/Tokyo")
MEETING_NIGHT = dt.datetime(2021, 2, 10, 19, 40, tzinfo=TOKYO)
NOW = dt.datetime(2021, 3, 15, 10, 0, tzinfo=TOKYO)  # R2-16-01..03 and the 3/10 items are overdue

BOT_TOKEN = "xoxb-test-bot-token"
SIGNING_SECRET = "test-signing-secret"
SECRETARIAT = "U01JIMU0001"
SHUNO_OWNER = "U02SHUNO001"
SHUNO_BY_EMAIL = "U02SHUNO002"  # shuno@city.example.lg.jp, linked through users.lookupByEmail
SHUNO_HEAD = "U02SHUNO900"
VACC_OWNER = "U03VACC0001"
STRANGER = "U09NOBODY01"
SECRETARIAT_CHANNEL = "C0SECRETARIAT"
MAX_UPLOAD = 64 * 1024
WAIT = 15.0  # seconds to wait for the app's background work before a test fails


@dataclass
class Call:
    method: str  # "chat.postMessage", "GET /files/...", "response"
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class Failure:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    when: Callable[[dict[str, Any]], bool] = lambda body: True


class FakeSlack:
    """A small Slack Web API on 127.0.0.1 (or another loopback address) recording every call."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.calls: list[Call] = []
        self.files: dict[str, dict[str, Any]] = {}
        self.blobs: dict[str, bytes] = {}
        self.uploads: dict[str, bytes] = {}  # file id -> bytes POSTed to its upload_url
        self.emails = {"shuno@city.example.lg.jp": SHUNO_BY_EMAIL}
        self.failures: dict[str, list[Failure]] = {}
        self.holds: dict[str, threading.Event] = {}  # method -> released when set
        self.delays: dict[str, float] = {}  # method -> seconds each call takes (a slow Slack)
        self.socket_mode_url: Callable[[], str] | None = None  # apps.connections.open's answer
        self._changed = threading.Condition()
        self._ts = itertools.count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake._handle(self, "GET")

            def do_POST(self) -> None:
                fake._handle(self, "POST")

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.url = f"http://{host}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    # -- set-up from tests -----------------------------------------------------

    def add_file(
        self,
        file_id: str,
        name: str,
        content: bytes,
        *,
        host: str | None = None,
        size: int | None = -1,
    ) -> None:
        base = host or self.url
        info: dict[str, Any] = {
            "id": file_id,
            "name": name,
            "title": name,
            "mimetype": "application/pdf",
            "url_private": f"{base}/files-pri/T1-{file_id}/{name}",
            "url_private_download": f"{base}/files-pri/T1-{file_id}/download/{name}",
        }
        if size is not None:
            info["size"] = len(content) if size == -1 else size
        self.files[file_id] = info
        self.blobs[file_id] = content

    def fail(self, method: str, failure: Failure) -> None:
        self.failures.setdefault(method, []).append(failure)

    # -- assertions ------------------------------------------------------------

    def of(self, method: str) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, predicate: Callable[[list[Call]], Any], what: str = "") -> Any:
        """Block until *predicate* over the recorded calls is truthy (the app works after ack)."""
        with self._changed:
            result = self._changed.wait_for(lambda: predicate(list(self.calls)), timeout=WAIT)
        assert result, (
            f"timed out waiting for {what or predicate}; calls: {[c.method for c in self.calls]}"
        )
        return result

    def wait_call(
        self, method: str, where: Callable[[Call], bool] = lambda c: True, count: int = 1
    ) -> list[Call]:
        def found(calls: list[Call]) -> list[Call] | None:
            hits = [c for c in calls if c.method == method and where(c)]
            return hits if len(hits) >= count else None

        return self.wait_for(found, f"{count} × {method}")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- serving ---------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler, verb: str) -> None:
        parts = urlsplit(request.path)
        raw = request.rfile.read(int(request.headers.get("content-length") or 0))
        if parts.path.startswith("/upload/"):  # files_upload_v2's step 2: raw bytes
            return self._receive_upload(request, parts.path, raw)
        body: dict[str, Any] = dict(parse_qsl(parts.query))
        if raw:
            if "json" in (request.headers.get("content-type") or ""):
                body.update(json.loads(raw))
            else:
                body.update(parse_qsl(raw.decode()))
        headers = {k.lower(): v for k, v in request.headers.items()}
        if parts.path.startswith("/api/"):
            method = parts.path[len("/api/") :]
        elif parts.path.startswith("/files-pri/"):
            method = "download"
        elif parts.path.startswith("/response/"):
            method = "response"
        else:
            method = f"{verb} {parts.path}"
        with self._changed:
            self.calls.append(Call(method, parts.path, headers, body))
            failures = self.failures.get(method) or []
            failure = next((f for f in failures if f.when(body)), None)
            if failure is not None:
                failures.remove(failure)
            self._changed.notify_all()
        if method in self.delays:
            time.sleep(self.delays[method])
        hold = self.holds.get(method)
        if hold is not None:
            hold.wait(WAIT)  # a request in flight, for tests that kill the caller mid-call
        if failure is not None:
            return self._send(request, failure.status, failure.body, failure.headers)
        if method == "download":
            return self._download(request, parts.path)
        self._send(request, 200, self._answer(method, body))

    def _answer(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "user_id": "UBOT",
                "bot_id": "BBOT",
                "team_id": "T1",
                "team": "city",
                "user": "ddbot",
                "url": "https://city.slack.com/",
            }
        if method == "chat.postMessage":
            return {
                "ok": True,
                "channel": body.get("channel"),
                "ts": f"1615770000.{next(self._ts):06d}",
            }
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"1615770000.{next(self._ts):06d}"}
        if method == "conversations.open":
            users = str(body.get("users") or "")
            return {"ok": True, "channel": {"id": "D" + users}}
        if method == "users.lookupByEmail":
            user = self.emails.get(str(body.get("email")))
            return (
                {"ok": True, "user": {"id": user}}
                if user
                else {"ok": False, "error": "users_not_found"}
            )
        if method == "files.getUploadURLExternal":
            file_id = f"FUP{next(self._ts):04d}"
            return {"ok": True, "file_id": file_id, "upload_url": f"{self.url}/upload/v1/{file_id}"}
        if method == "files.completeUploadExternal":
            files = json.loads(str(body.get("files") or "[]"))
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        if method == "apps.connections.open" and self.socket_mode_url is not None:
            return {"ok": True, "url": self.socket_mode_url()}  # see fake_socket_mode.py
        if method == "files.info":
            info = self.files.get(str(body.get("file")))
            return {"ok": True, "file": info} if info else {"ok": False, "error": "file_not_found"}
        return {"ok": True}

    def _receive_upload(self, request: BaseHTTPRequestHandler, path: str, raw: bytes) -> None:
        file_id = path.rstrip("/").split("/")[-1]
        headers = {k.lower(): v for k, v in request.headers.items()}
        with self._changed:
            self.uploads[file_id] = raw
            self.calls.append(Call("upload", path, headers, {"file_id": file_id, "size": len(raw)}))
            self._changed.notify_all()
        data = f"OK - {len(raw)}".encode()
        request.send_response(200)
        request.send_header("content-type", "text/plain")
        request.send_header("content-length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)

    def _download(self, request: BaseHTTPRequestHandler, path: str) -> None:
        file_id = path.split("/")[2].removeprefix("T1-")
        content = self.blobs.get(file_id)
        if content is None:
            return self._send(request, 404, {"ok": False})
        request.send_response(200)
        request.send_header("content-type", "application/octet-stream")
        request.send_header("content-length", str(len(content)))
        request.end_headers()
        request.wfile.write(content)

    @staticmethod
    def _send(
        request: BaseHTTPRequestHandler,
        status: int,
        body: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> None:
        data = json.dumps(body).encode()
        request.send_response(status)
        request.send_header("content-type", "application/json; charset=utf-8")
        request.send_header("content-length", str(len(data)))
        for key, value in (headers or {}).items():
            request.send_header(key, value)
        request.end_headers()
        request.wfile.write(data)


class TrackingExecutor(ThreadPoolExecutor):
    """The app's listener pool, able to say when every listener has finished."""

    def __init__(self) -> None:
        super().__init__(max_workers=8, thread_name_prefix="ddbot-test")
        self._idle = threading.Condition()
        self._pending = 0
        self.submitted_from: list[str] = []  # the thread that handed each listener over

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._idle:
            self._pending += 1
            self.submitted_from.append(threading.current_thread().name)

        def run() -> Any:
            try:
                return fn(*args, **kwargs)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

        return super().submit(run)

    def wait_idle(self) -> None:
        with self._idle:
            assert self._idle.wait_for(lambda: self._pending == 0, timeout=WAIT), (
                "listeners still running"
            )


def sign(body: str, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class Harness:
    """The running app: send it signed Slack requests, read what it did."""

    def __init__(
        self, bot: SlackBot, url: str, fake: FakeSlack, db: str, sleeps: list[float]
    ) -> None:
        self.bot = bot
        self.url = url
        self.fake = fake
        self.db = db
        self.sleeps = sleeps
        self.http = httpx.Client(timeout=30)
        self._ids = itertools.count(1)

    # -- raw HTTP ----------------------------------------------------------------

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        ts = int(time.time()) if timestamp is None else timestamp
        sent = {
            "content-type": content_type,
            "x-slack-request-timestamp": str(ts),
            "x-slack-signature": signature or sign(body, ts),
            **(headers or {}),
        }
        return self.http.post(f"{self.url}/slack/events", content=body.encode(), headers=sent)

    def post_form(self, fields: dict[str, str], **kwargs: Any) -> httpx.Response:
        body = httpx.QueryParams(fields).__str__()
        return self.post(body, "application/x-www-form-urlencoded", **kwargs)

    # -- Slack payloads ----------------------------------------------------------

    def response_url(self) -> str:
        return f"{self.fake.url}/response/{next(self._ids)}"

    def command(
        self, user: str, text: str = "", command: str = "/dd-status", channel: str = "C0GENERAL"
    ) -> str:
        """Send the slash command; returns its response_url (where the answer will arrive)."""
        url = self.response_url()
        response = self.post_form(
            {
                "token": "legacy",
                "team_id": "T1",
                "channel_id": channel,
                "user_id": user,
                "command": command,
                "text": text,
                "response_url": url,
                "trigger_id": "trigger-1",
            }
        )
        assert response.status_code == 200, response.text
        return url

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        body = json.dumps(
            event_callback(event, event_id or f"Ev{next(self._ids):08d}"), ensure_ascii=False
        )
        response = self.post(body, "application/json", headers=headers)
        assert response.status_code == 200, response.text
        return response

    def dm(
        self, user: str, text: str, files: list[str] | None = None, **kwargs: Any
    ) -> httpx.Response:
        return self.event(dm_message(user, text, next(self._ids), files), **kwargs)

    def click(
        self,
        user: str,
        action_id: str,
        value: str,
        *,
        channel: str = SECRETARIAT_CHANNEL,
        selected: bool = False,
    ) -> str:
        url = self.response_url()
        action = selection(action_id, value) if selected else button(action_id, value)
        payload = block_actions(
            user, action, channel=channel, url=url, trigger_id=f"trigger-{next(self._ids)}"
        )
        response = self.post_form({"payload": json.dumps(payload, ensure_ascii=False)})
        assert response.status_code == 200, response.text
        return url

    def submit_view(
        self, user: str, callback: str, values: dict[str, str], metadata: str
    ) -> httpx.Response:
        payload = {
            "type": "view_submission",
            "team": {"id": "T1"},
            "user": {"id": user},
            "api_app_id": "A1",
            "view": {
                "id": "V1",
                "type": "modal",
                "callback_id": callback,
                "private_metadata": metadata,
                "state": {
                    "values": {
                        k: {k: {"type": "plain_text_input", "value": v}} for k, v in values.items()
                    }
                },
            },
        }
        return self.post_form({"payload": json.dumps(payload, ensure_ascii=False)})

    # -- reading results -----------------------------------------------------------

    def settle(self) -> None:
        """Wait until every listener started by the requests sent so far has finished."""
        assert self.bot.listeners.wait_released(WAIT), "a request still holds its listeners"
        executor = self.bot.executor
        assert isinstance(executor, TrackingExecutor)
        executor.wait_idle()

    @contextmanager
    def store(self) -> Iterator[Store]:
        db = Store.open(self.db)
        try:
            yield db
        finally:
            db.close()

    def answer_at(self, response_url: str) -> str:
        """The text of everything posted to *response_url* (blocks included)."""
        path = urlsplit(response_url).path
        calls = self.fake.wait_call("response", lambda c: c.path == path)
        return text_of(calls[0].body)

    def close(self) -> None:
        self.http.close()


def dm_message(user: str, text: str, n: int, files: list[str] | None = None) -> dict[str, Any]:
    """A message event in the bot's DM (with files: a file_share)."""
    event: dict[str, Any] = {
        "type": "message",
        "channel": "D" + user,
        "channel_type": "im",
        "user": user,
        "text": text,
        "ts": f"1615770000.{n:06d}",
    }
    if files:
        event.update(subtype="file_share", files=[{"id": f} for f in files])
    return event


def event_callback(event: dict[str, Any], event_id: str) -> dict[str, Any]:
    """The Events API envelope Slack wraps an event in (HTTP body or Socket Mode payload)."""
    return {
        "token": "legacy",
        "team_id": "T1",
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "event": event,
        "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
    }


def button(action_id: str, value: str) -> dict[str, Any]:
    return {"action_id": action_id, "block_id": "b1", "type": "button", "value": value}


def selection(action_id: str, value: str) -> dict[str, Any]:
    return {
        "action_id": action_id,
        "block_id": "b1",
        "type": "static_select",
        "selected_option": {"value": value, "text": {"type": "plain_text", "text": value}},
    }


def block_actions(
    user: str, action: dict[str, Any], *, channel: str, url: str, trigger_id: str
) -> dict[str, Any]:
    """A button press or menu choice on a message in *channel*."""
    return {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": user},
        "api_app_id": "A1",
        "trigger_id": trigger_id,
        "channel": {"id": channel},
        "container": {"type": "message", "channel_id": channel},
        "message": {"ts": "1615770000.000001"},
        "response_url": url,
        "actions": [action],
    }


def text_of(body: dict[str, Any]) -> str:
    """The visible text of a Slack message body (text plus every block's text)."""
    blocks = body.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return "\n".join([str(body.get("text") or ""), json.dumps(blocks, ensure_ascii=False)])


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    server = FakeSlack()
    yield server
    server.close()


@pytest.fixture
def meeting_file() -> Path:
    return SAMPLE


@pytest.fixture
def make_bot(
    tmp_path: Path, fake: FakeSlack, meeting_file: Path, db_url: str
) -> Iterator[Callable[..., Harness]]:
    """Start the app (importing the sample meeting first) in a given language.

    The first app uses the test's database (``db_url``: SQLite, or PostgreSQL in a
    ``both_engines`` module's second run); each further one a fresh database of the same engine.
    """
    started: list[tuple[Harness, Any, threading.Thread]] = []
    extra = ExitStack()

    def start(
        lang: str = "ja",
        status_command: str = "/dd-status",
        clock: Callable[[], dt.datetime] | None = None,
        **core: Any,
    ) -> Harness:
        if not started:
            db = db_url
        elif db_url.startswith("postgresql"):
            db = extra.enter_context(
                fresh_pg_database(db_url.split("&options=")[0].split("?options=")[0])
            )
        else:
            db = str(tmp_path / f"dd-{len(started)}.db")
        store = Store.open(db)
        import_file(store, meeting_file, actor=SECRETARIAT, now=MEETING_NIGHT)
        store.close()
        settings = BotSettings(
            core=Settings(
                db=db,
                evidence_dir=str(tmp_path / "evidence"),
                tz=TOKYO,
                lang=lang,
                secretariat_users=frozenset({SECRETARIAT}),
                max_upload_bytes=MAX_UPLOAD,
                **core,  # any other Settings field a test needs (busy_seconds, …)
            ),
            bot_token=BOT_TOKEN,
            signing_secret=SIGNING_SECRET,
            api_url=f"{fake.url}/api/",
            secretariat_channel=SECRETARIAT_CHANNEL,
            status_command=status_command,
        )
        sleeps: list[float] = []
        bot = build_app(
            settings, clock=clock or (lambda: NOW), sleep=sleeps.append, executor=TrackingExecutor()
        )
        sock = listening_socket("127.0.0.1", 0)
        server = http_server(bot, host="127.0.0.1", port=0)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        harness = Harness(bot, f"http://127.0.0.1:{sock.getsockname()[1]}", fake, db, sleeps)
        started.append((harness, server, thread))
        return harness

    yield start
    for harness, server, thread in started:
        server.should_exit = True
        thread.join(timeout=WAIT)
        harness.close()
        harness.bot.close()
    extra.close()


@pytest.fixture
def slack(make_bot: Callable[..., Harness]) -> Harness:
    return make_bot("ja")
