"""The real Teams SDK app over real HTTP, against a fake Bot Framework connector on 127.0.0.1.

``Harness`` posts activities (messages, ``Action.Execute`` invokes, file-consent
answers) to ``/api/messages`` exactly as Teams would; the activities' service
URL is the fake connector, so every reply the SDK sends lands there. JWT
validation is off only through the SDK's own local-testing switch
(``DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS``); outbound calls carry a token
from the SDK's ``token`` option instead of Entra ID.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import jwt
import pytest

from bot.config import BotSettings, TeamsSettings
from bot.msteams.app import TeamsBot, build_teams_bot, http_server
from bot.serve import listening_socket
from duediligence.config import Settings
from duediligence.importer import import_file
from duediligence.store import Store

from .fake_connector import WAIT, FakeConnector

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "council-2021-02-10.yaml"
TOKYO = ZoneInfo("Asia/Tokyo")
MEETING_NIGHT = dt.datetime(2021, 2, 10, 19, 40, tzinfo=TOKYO)
NOW = dt.datetime(2021, 3, 15, 10, 0, tzinfo=TOKYO)

APP_ID = "00000000-0000-0000-0000-0000000000b0"
TENANT = "11111111-1111-1111-1111-111111111111"
SECRETARIAT = "U01JIMU0001"  # the sample's secretariat, used here as an AAD object id
SHUNO_OWNER = "U02SHUNO001"
SHUNO_BY_EMAIL = "aad-shuno-0002"  # shuno@city.example.lg.jp, linked through the connector
STRANGER = "aad-nobody-0009"
CHANNEL = "19:secretariat@thread.tacv2"
MAX_UPLOAD = 64 * 1024


def bot_token(scope: str, tenant_id: str | None = None) -> str:
    """What the SDK's ``token`` option returns: a JWT the fake connector accepts."""
    claims = {
        "aud": "https://api.botframework.com",
        "appid": APP_ID,
        "exp": int(time.time()) + 3600,
    }
    return jwt.encode(claims, "local-test-key-for-the-fake-connector", algorithm="HS256")


@dataclass
class Harness:
    bot: TeamsBot
    url: str
    fake: FakeConnector
    db: str
    http: httpx.Client

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)

    # -- activities ------------------------------------------------------------

    def base(
        self, user: str, *, scope: str = "personal", conversation: str | None = None
    ) -> dict[str, Any]:
        conversation = conversation or (CHANNEL if scope == "channel" else f"a:personal-{user}")
        return {
            "id": f"act-in-{next(self._ids)}",
            "channelId": "msteams",
            "serviceUrl": self.fake.url,
            "timestamp": "2021-03-15T01:00:00.000Z",
            "from": {"id": f"29:{user}", "aadObjectId": user, "name": user},
            "recipient": {"id": f"28:{APP_ID}", "name": "ddbot"},
            "conversation": {"id": conversation, "conversationType": scope, "tenantId": TENANT},
            "channelData": {"tenant": {"id": TENANT}},
        }

    def post(
        self, activity: dict[str, Any], headers: dict[str, str] | None = None
    ) -> httpx.Response:
        return self.http.post(f"{self.url}/api/messages", json=activity, headers=headers or {})

    def say(self, user: str, text: str, *, scope: str = "personal", **extra: Any) -> dict[str, Any]:
        activity = {**self.base(user, scope=scope), "type": "message", "text": text, **extra}
        response = self.post(activity)
        assert response.status_code == 200, response.text
        return activity

    def upload(
        self, user: str, name: str, content: bytes, text: str = "", *, scope: str = "personal"
    ) -> dict[str, Any]:
        url = self.fake.add_file(name, content)
        attachment = {
            "contentType": "application/vnd.microsoft.teams.file.download.info",
            "name": name,
            "contentUrl": f"https://city.sharepoint.com/personal/{name}",
            "content": {
                "downloadUrl": url,
                "uniqueId": f"u-{name}",
                "fileType": name.rsplit(".", 1)[-1],
            },
        }
        return self.say(user, text, scope=scope, attachments=[attachment])

    def press(
        self,
        user: str,
        data: dict[str, Any],
        *,
        card: str = "",
        scope: str = "personal",
        conversation: str | None = None,
    ) -> dict[str, Any]:
        """An Action.Execute press on the card posted as activity *card*; the invoke's response body."""
        activity = {
            **self.base(user, scope=scope, conversation=conversation),
            "type": "invoke",
            "name": "adaptiveCard/action",
            "replyToId": card,
            "value": {
                "action": {"type": "Action.Execute", "verb": data.get("action"), "data": data},
                "trigger": "manual",
            },
        }
        response = self.post(activity)
        assert response.status_code == 200, response.text
        return response.json()

    # -- reading results -------------------------------------------------------

    def personal(self, user: str) -> list[dict[str, Any]]:
        """The cards the bot sent into *user*'s personal chat, oldest first."""
        return [card for call in self.fake.sent(f"a:personal-{user}") for card in call.cards()]

    @contextmanager
    def store(self) -> Iterator[Store]:
        db = Store.open(self.db)
        try:
            yield db
        finally:
            db.close()


def visible(card: dict[str, Any]) -> str:
    """The text runs, facts and button titles of a card, one string."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("text", "title", "value"):
                if isinstance(node.get(key), str):
                    out.append(node[key])
            for value in node.values():
                if isinstance(value, list | dict):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return "\n".join(out)


def buttons(card: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Execute" and node.get("verb") != "refresh":
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card.get("body") or [])
    return found


@pytest.fixture
def fake() -> Iterator[FakeConnector]:
    server = FakeConnector()
    server.members = {
        f"29:{SHUNO_BY_EMAIL}": {
            "id": f"29:{SHUNO_BY_EMAIL}",
            "aadObjectId": SHUNO_BY_EMAIL,
            "email": "shuno@city.example.lg.jp",
            "name": "収納 太郎",
        },
    }
    yield server
    server.close()


@pytest.fixture
def make_teams(
    tmp_path: Path, fake: FakeConnector, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Harness]]:
    started: list[tuple[Harness, Any]] = []

    def start(
        *,
        authenticated: bool = False,
        cloud: Any = None,
        clock: Callable[[], dt.datetime] | None = None,
        local: bool = False,
    ) -> Harness:
        if not authenticated:  # the SDK's own switch for local testing, read by the SDK
            monkeypatch.setenv("DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS", "true")
        else:
            monkeypatch.delenv("DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS", raising=False)
        db = str(tmp_path / f"teams-{len(started)}.db")
        store = Store.open(db)
        import_file(store, SAMPLE, actor=SECRETARIAT, now=MEETING_NIGHT)
        store.close()
        settings = BotSettings(
            core=Settings(
                db=db,
                evidence_dir=str(tmp_path / "evidence"),
                tz=TOKYO,
                lang="ja",
                secretariat_users=frozenset({SECRETARIAT}),
                max_upload_bytes=MAX_UPLOAD,
            ),
            teams=TeamsSettings(
                app_id="" if local else APP_ID,
                tenant_id=TENANT,
                secretariat_channel=CHANNEL,
                service_url=fake.url,
                file_hosts=("sharepoint.com", fake.url.split("//", 1)[1]),
            ),
        )
        bot = build_teams_bot(
            settings, clock=clock or (lambda: NOW), token=None if local else bot_token, cloud=cloud
        )
        sock = listening_socket("127.0.0.1", 0)
        server = http_server(bot, host="127.0.0.1", port=0)
        asyncio.run_coroutine_threadsafe(server.serve(sockets=[sock]), bot.loop)
        deadline = time.monotonic() + WAIT
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.01)
        assert server.started, "the Teams app did not start"
        harness = Harness(
            bot,
            f"http://127.0.0.1:{sock.getsockname()[1]}",
            fake,
            db,
            httpx.Client(timeout=WAIT * 2),
        )
        started.append((harness, server))
        return harness

    yield start
    for harness, server in started:
        server.should_exit = True
        deadline = time.monotonic() + WAIT
        while (
            server.started and not getattr(server, "_closed", False) and time.monotonic() < deadline
        ):
            if not any(t for t in asyncio.all_tasks(harness.bot.loop) if not t.done()):
                break
            time.sleep(0.02)
        harness.http.close()
        harness.bot.close()


@pytest.fixture
def teams(make_teams: Callable[..., Harness]) -> Harness:
    return make_teams()
