"""The bot over Socket Mode, end to end: bolt's handler and slack_sdk's builtin WebSocket
client against a fake Slack on 127.0.0.1 (Web API + WebSocket), nothing patched.

The handler is the one ``ddbot serve`` builds (:func:`bot.serve.socket_mode_handler`);
envelopes are pushed over the socket as Slack pushes them, and the app must
acknowledge each with its ``envelope_id`` and answer through the Web API or the
``response_url``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.config import BotSettings
from bot.serve import mode, socket_mode_handler
from bot.slack_app import SlackBot, build_app
from duediligence.config import Settings
from duediligence.importer import import_file
from duediligence.reminders import plan_reminder_ids
from duediligence.store import Store

from .conftest import (
    BOT_TOKEN,
    MAX_UPLOAD,
    MEETING_NIGHT,
    NOW,
    ROOT,
    SAMPLE,
    SECRETARIAT,
    SECRETARIAT_CHANNEL,
    SHUNO_OWNER,
    TOKYO,
    FakeSlack,
    TrackingExecutor,
    block_actions,
    button,
    dm_message,
    event_callback,
    text_of,
)
from .fake_socket_mode import FakeSocketMode
from .test_upload import ROSTER, elements

APP_TOKEN = "xapp-1-A1-test-app-level-token"
PLANNED = dt.datetime(2021, 3, 11, 9, 0, tzinfo=TOKYO)  # a Thursday: R2-15-01 is one day overdue
PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY")


@dataclass
class SocketBot:
    """The app connected over Socket Mode: push envelopes, read what it did."""

    bot: SlackBot
    handler: SocketModeHandler
    ws: FakeSocketMode
    fake: FakeSlack
    db: str

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)

    def command(self, user: str, text: str = "") -> tuple[str, str]:
        """A slash_commands envelope; returns (envelope_id, response_url)."""
        url = f"{self.fake.url}/response/{next(self._ids)}"
        payload = {
            "token": "legacy",
            "team_id": "T1",
            "team_domain": "city",
            "channel_id": "C0GENERAL",
            "channel_name": "general",
            "user_id": user,
            "command": "/dd-status",
            "text": text,
            "api_app_id": "A1",
            "is_enterprise_install": "false",
            "response_url": url,
            "trigger_id": f"trigger-{next(self._ids)}",
        }
        return self.ws.send_envelope("slash_commands", payload, accepts_response_payload=True), url

    def dm(
        self,
        user: str,
        text: str,
        files: list[str] | None = None,
        *,
        event_id: str | None = None,
        retry_attempt: int = 0,
    ) -> str:
        """An events_api envelope carrying a message in the bot's DM."""
        event = dm_message(user, text, next(self._ids), files)
        payload = event_callback(event, event_id or f"Ev{next(self._ids):08d}")
        return self.ws.send_envelope("events_api", payload, retry_attempt=retry_attempt)

    def click(self, user: str, action_id: str, value: str) -> tuple[str, str]:
        """An interactive envelope (a button in the secretariat channel); (envelope_id, url)."""
        url = f"{self.fake.url}/response/{next(self._ids)}"
        payload = block_actions(
            user,
            button(action_id, value),
            channel=SECRETARIAT_CHANNEL,
            url=url,
            trigger_id=f"trigger-{next(self._ids)}",
        )
        return self.ws.send_envelope("interactive", payload), url

    def acked(self, envelope_id: str) -> dict[str, Any]:
        """Wait for the ack, then for the listeners it started."""
        ack = self.ws.wait_ack(envelope_id)
        self.settle()
        return ack

    def settle(self) -> None:
        executor = self.bot.executor
        assert isinstance(executor, TrackingExecutor)
        executor.wait_idle()

    def answer_at(self, url: str) -> str:
        path = url.removeprefix(self.fake.url)
        return text_of(self.fake.wait_call("response", lambda c: c.path == path)[0].body)

    def store(self) -> Store:
        return Store.open(self.db)


@pytest.fixture
def socket_bot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> Iterator[SocketBot]:
    """The sample meeting, the app built as ``serve`` builds it, connected in Socket Mode.

    Afterwards every thread it started has stopped, the WebSocket saw no protocol
    error, and nothing (bolt, slack_sdk, a listener) logged an error on the way.
    """
    for variable in PROXY_VARIABLES:  # slack_sdk would tunnel through one: stay on 127.0.0.1
        monkeypatch.delenv(variable, raising=False)
    before = set(threading.enumerate())
    db = str(tmp_path / "dd.db")
    store = Store.open(db)
    import_file(store, SAMPLE, actor=SECRETARIAT, now=MEETING_NIGHT)
    store.close()
    fake = FakeSlack()
    ws = FakeSocketMode()
    fake.socket_mode_url = ws.issue_url
    settings = BotSettings(
        core=Settings(
            db=db,
            evidence_dir=str(tmp_path / "evidence"),
            tz=TOKYO,
            lang="ja",
            secretariat_users=frozenset({SECRETARIAT}),
            max_upload_bytes=MAX_UPLOAD,
        ),
        bot_token=BOT_TOKEN,
        app_token=APP_TOKEN,
        signing_secret="",  # not needed in Socket Mode, so not set
        api_url=f"{fake.url}/api/",
        secretariat_channel=SECRETARIAT_CHANNEL,
    )
    assert mode(settings) == "socket"
    bot = build_app(settings, clock=lambda: NOW, sleep=lambda _: None, executor=TrackingExecutor())
    handler = socket_mode_handler(bot, settings)
    try:
        handler.connect()
        yield SocketBot(bot, handler, ws, fake, db)
    finally:
        ws.close()  # the client's reader sees the end at once instead of its 3 s recv timeout
        handler.close()
        bot.close()
        fake.close()
        left = [t for t in set(threading.enumerate()) - before if t.is_alive()]
        assert not left, f"threads left running: {left}"
    assert ws.errors == [], ws.errors
    logged = [caplog.get_records(when) for when in ("setup", "call", "teardown")]
    errors = [r.getMessage() for records in logged for r in records if r.levelno >= logging.ERROR]
    assert errors == [], errors


def test_connects_with_the_app_level_token(socket_bot: SocketBot) -> None:
    opened = socket_bot.fake.of("apps.connections.open")
    assert len(opened) == 1
    assert opened[0].headers["authorization"] == f"Bearer {APP_TOKEN}"
    connection = socket_bot.ws.wait_connected()
    assert connection.ticket == "ticket-1"
    socket_bot.ws.wait_ping(connection)  # the client pings right after the upgrade; we pong
    assert socket_bot.handler.client.is_connected()


def test_status_command_is_acked_on_the_socket_and_answered_privately(
    socket_bot: SocketBot,
) -> None:
    socket_bot.ws.wait_connected()
    envelope_id, url = socket_bot.command(SECRETARIAT)
    ack = socket_bot.acked(envelope_id)
    assert ack["envelope_id"] == envelope_id
    answer = socket_bot.answer_at(url)
    assert "確認事項 計 27 件(期限超過 11 件)" in answer
    assert "収納課" in answer and "R2-16-01" in answer
    assert socket_bot.fake.of("response")[0].body["response_type"] == "ephemeral"
    assert socket_bot.fake.of("chat.postMessage") == []  # private: nothing in a channel


def test_status_in_the_dm_over_events_api_answered_once_despite_a_retry(
    socket_bot: SocketBot,
) -> None:
    socket_bot.ws.wait_connected()
    envelope_id = socket_bot.dm(SHUNO_OWNER, "状況", event_id="Ev0STATUS01")
    assert socket_bot.acked(envelope_id) == {"envelope_id": envelope_id}
    posted = socket_bot.fake.wait_call(
        "chat.postMessage", lambda c: c.body.get("channel") == "D" + SHUNO_OWNER
    )
    answer = text_of(posted[0].body)
    assert "あなたの担当の確認事項" in answer
    assert "R2-15-01" in answer and "R2-16-01" not in answer  # only the owner's department
    assert posted[0].headers["authorization"] == f"Bearer {BOT_TOKEN}"  # bot token for the API

    # Slack redelivers an event it thinks was lost: a new envelope, the same event_id.
    retry = socket_bot.dm(SHUNO_OWNER, "状況", event_id="Ev0STATUS01", retry_attempt=1)
    assert socket_bot.acked(retry) == {"envelope_id": retry}
    assert len(socket_bot.fake.of("chat.postMessage")) == 1


def test_accept_by_a_non_secretariat_user_is_refused_over_interactive(
    socket_bot: SocketBot,
) -> None:
    socket_bot.ws.wait_connected()
    socket_bot.fake.add_file("F100", "roster.csv", ROSTER)
    socket_bot.acked(socket_bot.dm(SHUNO_OWNER, "R2-15-08 の名簿です", files=["F100"]))
    card = socket_bot.fake.wait_call(
        "chat.postMessage", lambda c: c.body.get("channel") == SECRETARIAT_CHANNEL
    )[0]
    key = next(e["value"] for e in elements(card.body) if e["action_id"] == "review_accept")
    store = socket_bot.store()
    try:
        events_before = [e.action for e in store.events("R2-15-08")]
    finally:
        store.close()

    envelope_id, url = socket_bot.click(SHUNO_OWNER, "review_accept", key)
    assert socket_bot.acked(envelope_id) == {"envelope_id": envelope_id}
    assert "事務局だけ" in socket_bot.answer_at(url)
    assert socket_bot.fake.of("chat.update") == []
    store = socket_bot.store()
    try:
        assert store.condition("R2-15-08").status == "submitted"
        assert [e.action for e in store.events("R2-15-08")] == events_before
    finally:
        store.close()


def test_reconnects_when_slack_asks_and_keeps_answering(socket_bot: SocketBot) -> None:
    """Slack sends ``disconnect`` before it rotates a connection; the bot must follow."""
    first = socket_bot.ws.wait_connected()
    socket_bot.ws.send_json({"type": "disconnect", "reason": "refresh_requested"})
    second = socket_bot.ws.wait_connected(2)
    socket_bot.ws.drop(first)  # Slack closes the old connection once the new one is up
    assert second.ticket == "ticket-2"  # a fresh URL from apps.connections.open
    opened = socket_bot.fake.of("apps.connections.open")
    assert [c.headers["authorization"] for c in opened] == [f"Bearer {APP_TOKEN}"] * 2
    envelope_id, url = socket_bot.command(SECRETARIAT, "overdue")
    socket_bot.acked(envelope_id)
    assert [m["envelope_id"] for m in second.messages] == [envelope_id]  # on the new socket
    assert first.messages == []
    assert "R2-16-01" in socket_bot.answer_at(url)


def test_ddbot_serve_in_socket_mode_answers_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    """The real ``ddbot serve`` process (its worker included), stopped as an operator stops it.

    Ctrl-C arrives while the worker is still delivering a reminder (held by the fake):
    the bot must leave the socket first, so Slack stops handing it envelopes it would
    acknowledge and then drop, and only then wait for the worker and the listeners.
    """
    db = str(tmp_path / "dd.db")
    store = Store.open(db)
    import_file(store, SAMPLE, actor=SECRETARIAT, now=MEETING_NIGHT)
    # Reminders planned on a past business morning, so the scheduler has one to deliver
    # whatever the real clock says (a weekend or a holiday in Tokyo plans nothing new).
    assert plan_reminder_ids(store, PLANNED)
    store.close()
    fake = FakeSlack()
    ws = FakeSocketMode()
    fake.socket_mode_url = ws.issue_url
    in_flight = fake.holds["chat.postMessage"] = threading.Event()
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARIABLES}
    env.update(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_APP_TOKEN=APP_TOKEN,
        SLACK_SIGNING_SECRET="",
        SLACK_API_URL=f"{fake.url}/api/",
        DD_DB=db,
        DD_EVIDENCE_DIR=str(tmp_path / "evidence"),
        DD_SECRETARIAT_USERS=SECRETARIAT,
        DD_SECRETARIAT_CHANNEL=SECRETARIAT_CHANNEL,
        DD_LANG="ja",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        connection = ws.wait_connected()
        url = f"{fake.url}/response/1"
        envelope_id = ws.send_envelope(
            "slash_commands",
            {
                "team_id": "T1",
                "channel_id": "C0GENERAL",
                "user_id": SECRETARIAT,
                "command": "/dd-status",
                "text": "",
                "api_app_id": "A1",
                "response_url": url,
                "trigger_id": "trigger-1",
            },
            accepts_response_payload=True,
        )
        assert ws.wait_ack(envelope_id) == {"envelope_id": envelope_id}
        answer = text_of(fake.wait_call("response", lambda c: c.path == "/response/1")[0].body)
        assert "確認事項 計 27 件" in answer
        fake.wait_call("chat.postMessage")  # the scheduler's first reminder, held in flight
        process.send_signal(signal.SIGINT)  # Ctrl-C
        ws.wait_closed(connection)
        assert process.poll() is None  # still delivering: the socket went first
        in_flight.set()
        _, stderr = process.communicate(timeout=30)
    finally:
        in_flight.set()
        if process.poll() is None:
            process.kill()
            process.communicate()
        ws.close()
        fake.close()
    assert "Traceback" not in stderr and " ERROR " not in stderr, stderr
    assert "worker started" in stderr and "connecting to Slack in Socket Mode" in stderr
    assert "worker stopped" in stderr
    assert process.returncode == 1 and "Aborted!" in stderr  # click's answer to Ctrl-C
    assert ws.errors == [], ws.errors
