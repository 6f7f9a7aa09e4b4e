"""Evidence by upload: a file dropped in the DM is fetched with the bot token and stored."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from .conftest import (
    BOT_TOKEN,
    MAX_UPLOAD,
    SECRETARIAT_CHANNEL,
    SHUNO_OWNER,
    STRANGER,
    VACC_OWNER,
    Harness,
    text_of,
)

pytestmark = pytest.mark.both_engines

ROSTER = "氏名,役割,雇用形態\n山田太郎,個人情報取扱責任者,正社員\n".encode() * 50


def elements(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The interactive elements (buttons, menus) of a posted message."""
    blocks = body["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def dm_replies(slack: Harness, user: str, count: int = 1) -> list[str]:
    calls = slack.fake.wait_call(
        "chat.postMessage", lambda c: c.body.get("channel") == "D" + user, count
    )
    return [text_of(c.body) for c in calls]


def test_upload_naming_the_condition_becomes_evidence(slack: Harness) -> None:
    slack.fake.add_file("F001", "roster.csv", ROSTER)
    slack.dm(SHUNO_OWNER, "R2-15-08 の名簿です", files=["F001"])
    slack.settle()

    card = slack.fake.wait_call(
        "chat.postMessage", lambda c: c.body.get("channel") == SECRETARIAT_CHANNEL
    )[0]
    reply = dm_replies(slack, SHUNO_OWNER)[0]
    assert "roster.csv" in reply and "R2-15-08" in reply

    download = slack.fake.of("download")[0]
    assert download.headers["authorization"] == f"Bearer {BOT_TOKEN}"
    with slack.store() as store:
        evidence = store.evidence_of("R2-15-08")
        assert [e.sha256 for e in evidence] == [hashlib.sha256(ROSTER).hexdigest()]
        assert evidence[0].uploaded_by == SHUNO_OWNER and evidence[0].size == len(ROSTER)
        assert store.condition("R2-15-08").status == "submitted"
        assert store.card(f"review:R2-15-08:{evidence[0].id}").channel == SECRETARIAT_CHANNEL

    card_text = text_of(card.body)
    assert "roster.csv" in card_text and "R2-15-08" in card_text
    assert "山田太郎" not in card_text and SHUNO_OWNER not in card_text  # no contents, no uploader
    assert {b["action_id"] for b in elements(card.body)} == {"review_accept", "review_return"}


def test_only_open_condition_is_chosen_without_asking(slack: Harness) -> None:
    # 総務課 has exactly one condition, owned by U04SOMU0001
    slack.fake.add_file("F002", "report.pdf", b"%PDF-1.4 report")
    slack.dm("U04SOMU0001", "", files=["F002"])
    reply = dm_replies(slack, "U04SOMU0001")[0]
    assert "R2-RPT-01-1" in reply
    with slack.store() as store:
        assert store.condition("R2-RPT-01-1").status == "submitted"


def test_several_open_conditions_ask_with_a_menu(slack: Harness) -> None:
    slack.fake.add_file("F003", "memo.docx", b"memo rules")
    slack.dm(VACC_OWNER, "マニュアルです", files=["F003"])
    menu = slack.fake.wait_call(
        "chat.postMessage", lambda c: c.body.get("channel") == "D" + VACC_OWNER
    )[0]
    select = elements(menu.body)[0]
    assert select["type"] == "static_select"
    option = next(o for o in select["options"] if o["value"].endswith(":R2-16-01"))
    assert slack.fake.of("download") == []  # nothing fetched before the choice

    slack.click(
        VACC_OWNER, "choose_condition", option["value"], channel="D" + VACC_OWNER, selected=True
    )
    slack.fake.wait_call("chat.postMessage", lambda c: c.body.get("channel") == SECRETARIAT_CHANNEL)
    with slack.store() as store:
        assert [e.filename for e in store.evidence_of("R2-16-01")] == ["memo.docx"]
    # choosing again does nothing more
    slack.click(
        VACC_OWNER, "choose_condition", option["value"], channel="D" + VACC_OWNER, selected=True
    )
    assert "選択済み" in dm_replies(slack, VACC_OWNER, 3)[2]
    with slack.store() as store:
        assert len(store.evidence_of("R2-16-01")) == 1


class Foreign:
    """Another host (127.0.0.2) that records whatever reaches it."""

    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []
        foreign = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                foreign.requests.append({k.lower(): v for k, v in self.headers.items()})
                self.send_response(200)
                self.send_header("content-length", "4")
                self.end_headers()
                self.wfile.write(b"evil")

        self.server = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
        self.url = f"http://127.0.0.2:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_download_url_on_another_host_gets_no_token(
    slack: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    foreign = Foreign()
    try:
        caplog.set_level(logging.WARNING, logger="bot.slack.files")
        slack.fake.add_file("F004", "roster.csv", ROSTER, host=foreign.url)
        slack.dm(SHUNO_OWNER, "R2-15-08", files=["F004"])
        reply = dm_replies(slack, SHUNO_OWNER)[0]
        assert "Slack以外" in reply
        assert foreign.requests == []
        assert all("authorization" not in r for r in foreign.requests)
        with slack.store() as store:
            assert store.evidence_of("R2-15-08") == []
            assert store.condition("R2-15-08").status == "open"
        assert any("refused to download" in r.getMessage() for r in caplog.records)
    finally:
        foreign.close()


def test_oversized_upload_changes_nothing(slack: Harness) -> None:
    slack.fake.add_file("F005", "huge.zip", b"x" * (MAX_UPLOAD + 1))
    slack.dm(SHUNO_OWNER, "R2-15-08", files=["F005"])
    assert "上限" in dm_replies(slack, SHUNO_OWNER)[0]
    assert slack.fake.of("download") == []  # refused on files.info's size, before any byte


def test_oversized_stream_without_a_size_is_cut_off(slack: Harness) -> None:
    slack.fake.add_file("F006", "huge.xlsx", b"x" * (MAX_UPLOAD * 2), size=None)
    slack.dm(SHUNO_OWNER, "R2-15-08", files=["F006"])
    assert "上限" in dm_replies(slack, SHUNO_OWNER)[0]
    with slack.store() as store:
        assert store.evidence_of("R2-15-08") == []
        assert store.condition("R2-15-08").status == "open"


def test_empty_upload_changes_nothing(slack: Harness) -> None:
    slack.fake.add_file("F007", "empty.pdf", b"")
    slack.dm(SHUNO_OWNER, "R2-15-08", files=["F007"])
    assert "空" in dm_replies(slack, SHUNO_OWNER)[0]
    with slack.store() as store:
        assert store.evidence_of("R2-15-08") == []


def test_upload_from_someone_who_owns_nothing_changes_nothing(slack: Harness) -> None:
    slack.fake.add_file("F008", "roster.csv", ROSTER)
    slack.dm(STRANGER, "R2-15-08", files=["F008"])
    assert "所管課の担当者だけ" in dm_replies(slack, STRANGER)[0]
    slack.fake.add_file("F009", "roster.csv", ROSTER)
    slack.dm(VACC_OWNER, "R2-15-08", files=["F009"])
    assert "あなたの担当課のものではない" in dm_replies(slack, VACC_OWNER)[0]
    assert slack.fake.of("download") == []
    with slack.store() as store:
        assert store.evidence_of("R2-15-08") == []


def test_message_and_file_shared_for_one_file_store_it_once(slack: Harness) -> None:
    slack.fake.add_file("F010", "roster.csv", ROSTER)
    slack.dm(SHUNO_OWNER, "R2-15-08", files=["F010"])
    slack.event(
        {
            "type": "file_shared",
            "file_id": "F010",
            "user_id": SHUNO_OWNER,
            "channel_id": "D" + SHUNO_OWNER,
        }
    )
    slack.fake.wait_call("chat.postMessage", lambda c: c.body.get("channel") == SECRETARIAT_CHANNEL)
    slack.settle()
    assert len(slack.fake.of("files.info")) == 1
    with slack.store() as store:
        assert len(store.evidence_of("R2-15-08")) == 1


def test_english_confirmation(make_bot) -> None:  # type: ignore[no-untyped-def]
    slack = make_bot("en")
    slack.fake.add_file("F011", "roster.csv", ROSTER)
    slack.dm(SHUNO_OWNER, "for r2-15-08", files=["F011"])
    assert "Received 'roster.csv'" in dm_replies(slack, SHUNO_OWNER)[0]
