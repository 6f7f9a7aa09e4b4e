"""Slack mention and link syntax in every field that reaches a message pings nobody.

The sample meeting is imported with ``<!channel>``, ``<!here>``, ``<!everyone>``,
a user, a channel, a user group and a disguised link appended to every text it
carries (council, meeting names, departments, consultation numbers and titles,
vendors, certificate numbers and scopes, condition texts). Then people use the
bot as usual: status for the secretariat and an owner, the DM status, App Home,
an upload whose file name and message carry the same syntax, a return and an
extension request whose reasons do, the report pack, and a month of reminders,
escalations and digests. Every request the bot made to Slack is then searched:
the syntax only ever arrives escaped (``&lt;!channel&gt;``).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config import BotSettings
from bot.core import Core
from bot.delivery.build import build_sender
from bot.scheduler import tick
from duediligence.config import Settings

from .conftest import (
    BOT_TOKEN,
    SAMPLE,
    SECRETARIAT,
    SECRETARIAT_CHANNEL,
    SHUNO_OWNER,
    TOKYO,
    Harness,
    dm_message,
    event_callback,
)
from .test_upload import ROSTER, elements

EVIL = (
    "<!channel><!here><!everyone><@U0EVIL0001><#C0EVIL0001>"
    "<!subteam^S0EVIL0001><https://evil.example/login|ログイン>"
)
RAW = ("<!channel", "<!here", "<!everyone", "<@U0EVIL", "<#C0EVIL", "<!subteam", "<https://evil")
ESCAPED = "&lt;!channel&gt;"
TEXT_FIELDS = {"council", "name", "title", "number", "text", "vendor", "department", "scope"}


def _poison(node: Any, key: str = "") -> Any:
    """Every text field (and every reference to one, so names still match) gets EVIL."""
    if isinstance(node, dict):
        return {k: _poison(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [_poison(v, key) for v in node]
    if key in TEXT_FIELDS and isinstance(node, str):
        return node + EVIL
    return node


@pytest.fixture
def meeting_file(tmp_path: Path) -> Path:
    doc = _poison(yaml.safe_load(SAMPLE.read_text(encoding="utf-8")))
    path = tmp_path / "poisoned.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


#: shown verbatim by Slack (never parsed for mentions or links), or never shown at all
_LITERAL_KEYS = {"value", "private_metadata", "action_id", "block_id", "callback_id", "title"}


def _rendered(node: Any) -> list[str]:
    """The strings of a request Slack parses as mrkdwn: text, fields, comments, fallbacks.

    ``plain_text`` objects, file titles and button values are shown as they are
    (or not at all), so the raw syntax in them pings nobody and is not collected.
    """
    if isinstance(node, str):
        if node[:1] in "[{":
            try:
                return _rendered(json.loads(node))  # blocks / files / view sent as JSON text
            except ValueError:
                pass
        return [node]
    if isinstance(node, list):
        return [text for item in node for text in _rendered(item)]
    if isinstance(node, dict):
        if node.get("type") == "plain_text":
            return []
        return [
            text
            for key, value in node.items()
            if key not in _LITERAL_KEYS
            for text in _rendered(value)
        ]
    return []


def _every_request(slack: Harness) -> list[tuple[str, str]]:
    return [(c.method, "\n".join(_rendered(c.body))) for c in slack.fake.calls if c.body]


def _month_of_ticks(slack: Harness, tmp_path: Path) -> None:
    settings = BotSettings(
        core=Settings(
            db=slack.db,
            evidence_dir=str(tmp_path / "evidence"),
            tz=TOKYO,
            secretariat_users=frozenset({SECRETARIAT}),
        ),
        bot_token=BOT_TOKEN,
        api_url=f"{slack.fake.url}/api/",
        secretariat_channel=SECRETARIAT_CHANNEL,
    )
    day = dt.date(2021, 3, 1)
    moment = [dt.datetime.combine(day, dt.time(9, 30), TOKYO)]
    core = Core(settings.core, clock=lambda: moment[0], status_command=settings.status_command)
    try:
        sender = build_sender(settings, core, sleep=lambda _: None)
        while day <= dt.date(2021, 3, 31):
            moment[0] = dt.datetime.combine(day, dt.time(9, 30), TOKYO)
            tick(sender, moment[0])
            day += dt.timedelta(days=1)
    finally:
        core.close()


def test_mention_and_link_syntax_from_every_field_arrives_escaped(
    slack: Harness, tmp_path: Path
) -> None:
    answers = [
        slack.answer_at(slack.command(SECRETARIAT, "")),
        slack.answer_at(slack.command(SECRETARIAT, "overdue")),
        slack.answer_at(slack.command(SHUNO_OWNER, "")),
    ]
    assert all(ESCAPED in answer for answer in answers)
    slack.dm(SHUNO_OWNER, "状況")
    slack.event({"type": "app_home_opened", "user": SHUNO_OWNER, "tab": "home"})
    slack.event({"type": "app_home_opened", "user": SECRETARIAT, "tab": "home"})

    slack.fake.add_file("F900", f"{EVIL}.csv", ROSTER)
    slack.dm(SHUNO_OWNER, f"R2-15-08 {EVIL} の名簿です", files=["F900"])
    slack.settle()
    card = next(
        c
        for c in reversed(slack.fake.of("chat.postMessage"))
        if c.body["channel"] == SECRETARIAT_CHANNEL
    )
    key = next(e["value"] for e in elements(card.body) if e["action_id"] == "review_return")
    slack.click(SECRETARIAT, "review_return", key)
    slack.settle()
    slack.submit_view(SECRETARIAT, "review_return", {"reason": f"記載漏れ {EVIL}"}, key)
    slack.click(SHUNO_OWNER, "extension_request", "R2-15-01", channel="D" + SHUNO_OWNER)
    slack.settle()
    slack.submit_view(
        SHUNO_OWNER,
        "extension_request",
        {"new_due": "令和3年4月30日", "reason": f"回答待ち {EVIL}"},
        "R2-15-01",
    )
    slack.settle()
    slack.answer_at(slack.command(SECRETARIAT, "report"))
    slack.settle()
    _month_of_ticks(slack, tmp_path)

    requests = _every_request(slack)
    methods = {method for method, _ in requests}
    assert {"chat.postMessage", "views.publish", "views.open", "response"} <= methods
    for method, body in requests:
        for raw in RAW:
            assert raw not in body, f"{method} carries {raw!r} unescaped: {body[:400]}"
    messages = [body for method, body in requests if method == "chat.postMessage"]
    reached = sum(ESCAPED in body for body in messages)
    assert reached >= 10  # reminders, the review card, the digest, the owner's notices …
    with slack.store() as store:  # and the data itself is kept exactly as given
        assert store.condition("R2-15-08").vendor.endswith(EVIL)
        assert f"記載漏れ {EVIL}" in [e.reason for e in store.events("R2-15-08")]
        assert store.condition("R2-15-08").status == "returned"


def test_a_locked_database_makes_slack_retry_and_the_retry_works(make_bot: Any) -> None:
    """Another process holds the write lock: the event is refused with 503 (no traceback,
    nothing changed) so Slack sends it again; the retry, once the lock is gone, is handled."""
    slack = make_bot(busy_seconds=0.5)
    slack.fake.add_file("F901", "meibo.csv", ROSTER)
    body = json.dumps(
        event_callback(dm_message(SHUNO_OWNER, "R2-15-08 の名簿です", 901, ["F901"]), "Ev901"),
        ensure_ascii=False,
    )
    holder = sqlite3.connect(slack.db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # e.g. a backup, or a second CLI mid-import
    try:
        refused = slack.post(body, "application/json")
        slack.settle()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert refused.status_code == 503
    with slack.store() as store:
        assert store.condition("R2-15-08").status == "open"
        assert store.evidence_of("R2-15-08") == []
    retried = slack.post(body, "application/json", headers={"x-slack-retry-num": "1"})
    assert retried.status_code == 200
    slack.settle()
    with slack.store() as store:
        assert store.condition("R2-15-08").status == "submitted"
