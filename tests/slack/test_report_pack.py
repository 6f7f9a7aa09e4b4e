"""The report pack on request: `/dd-status report`, the DM, the App Home button; secretariat only.

The pack is uploaded with files_upload_v2 to the secretariat channel (the fake
Slack records the three steps), and the bytes that arrive are opened with
python-docx and openpyxl.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from .conftest import (
    SECRETARIAT,
    SECRETARIAT_CHANNEL,
    SHUNO_OWNER,
    STRANGER,
    Failure,
    FakeSlack,
    Harness,
    text_of,
)
from .test_upload import elements

pytestmark = pytest.mark.both_engines

PACK_NAMES = {"report-pack-R3-1.docx", "report-pack-R3-1.xlsx", "report-pack-R3-1.md"}
PACK_SIZE = 23  # conditions of R2-6 to report at R3-1 (as `duediligence report` says)
JA_TITLE = "令和3年度第1回審議会 付帯意見等への対応状況について"


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Where temporary directories go during the test, to see that the pack's is removed."""
    where = tmp_path / "scratch"
    where.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(where))
    yield where


def uploaded(fake: FakeSlack) -> dict[str, tuple[str, bytes]]:
    """Title -> (channel, bytes) of every file completed with files.completeUploadExternal."""
    found: dict[str, tuple[str, bytes]] = {}
    for call in fake.of("files.completeUploadExternal"):
        for file in json.loads(call.body["files"]):
            found[file["title"]] = (call.body["channel_id"], fake.uploads[file["id"]])
    return found


def pack_bytes(fake: FakeSlack) -> dict[str, bytes]:
    """The uploaded files by kind (docx / xlsx / md), recognised by their content."""
    kinds: dict[str, bytes] = {}
    for _, content in uploaded(fake).values():
        if content.startswith(b"PK"):
            kind = "docx" if b"word/document.xml" in content else "xlsx"
        else:
            kind = "md"
        kinds[kind] = content
    return kinds


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def home_click(slack: Harness, user: str, value: str) -> None:
    """Press a button on the App Home: no channel and no response_url, as Slack sends it."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": user},
        "api_app_id": "A1",
        "trigger_id": "trigger-home",
        "container": {"type": "view", "view_id": "VHOME"},
        "view": {"id": "VHOME", "type": "home"},
        "actions": [
            {"action_id": "report_pack", "block_id": "b1", "type": "button", "value": value}
        ],
    }
    response = slack.post_form({"payload": json.dumps(payload, ensure_ascii=False)})
    assert response.status_code == 200, response.text


def test_secretariat_report_uploads_the_pack_to_the_secretariat_channel(
    slack: Harness, scratch: Path
) -> None:
    answer = slack.answer_at(slack.command(SECRETARIAT, "report"))
    slack.settle()
    assert f"令和3年度第1回 の報告資料(報告対象 {PACK_SIZE} 件)を作成し" in answer
    assert slack.fake.of("response")[0].body["response_type"] == "ephemeral"

    asked = slack.fake.of("files.getUploadURLExternal")
    assert {c.body["filename"] for c in asked} == PACK_NAMES
    assert len(slack.fake.of("upload")) == 3
    [complete] = slack.fake.of("files.completeUploadExternal")
    assert complete.body["channel_id"] == SECRETARIAT_CHANNEL
    comment = complete.body["initial_comment"]
    assert "令和3年度第1回(令和3年5月19日)審議会の報告資料です。" in comment
    assert f"報告対象 {PACK_SIZE}件" in comment and f"未提出 {PACK_SIZE}件" in comment
    files = uploaded(slack.fake)
    assert {channel for channel, _ in files.values()} == {SECRETARIAT_CHANNEL}
    assert "令和3年度第1回 報告資料(Word)" in files
    for call in asked:  # what was announced is what arrived
        assert int(call.body["length"]) in {len(content) for _, content in files.values()}

    pack = pack_bytes(slack.fake)
    assert set(pack) == {"docx", "xlsx", "md"}
    assert JA_TITLE in docx_text(pack["docx"])
    workbook = openpyxl.load_workbook(io.BytesIO(pack["xlsx"]))
    rows = list(workbook["付帯意見等一覧"].iter_rows(values_only=True))
    ids = [row[5] for row in rows[1:]]
    assert len(ids) == PACK_SIZE and "R2-15-01" in ids and "R2-16-01" in ids
    assert "東村山市税等クレジットカード収納代行業務委託" in {row[1] for row in rows[1:]}
    assert JA_TITLE in pack["md"].decode()

    assert list(scratch.iterdir()) == []  # the temporary directory is gone after the upload
    with slack.store() as store:
        built = [e for e in store.events("meeting:R3-1") if e.action == "report_pack_built"]
        assert [e.actor for e in built] == [SECRETARIAT]


@pytest.mark.parametrize("user", [SHUNO_OWNER, STRANGER])
def test_anyone_else_is_refused_and_nothing_is_built(
    slack: Harness, scratch: Path, user: str
) -> None:
    answer = slack.answer_at(slack.command(user, "報告資料"))
    slack.settle()
    assert "報告資料の作成は事務局だけが行えます" in answer
    assert slack.fake.of("response")[0].body["response_type"] == "ephemeral"
    assert slack.fake.of("files.getUploadURLExternal") == []
    assert slack.fake.of("files.completeUploadExternal") == []
    assert list(scratch.iterdir()) == []
    with slack.store() as store:
        assert [e for e in store.events("meeting:R3-1") if e.action == "report_pack_built"] == []


def test_app_home_button_builds_the_next_meetings_pack(slack: Harness) -> None:
    slack.event({"type": "app_home_opened", "user": SECRETARIAT, "tab": "home"})
    slack.event({"type": "app_home_opened", "user": SHUNO_OWNER, "tab": "home"})
    slack.settle()
    views = {c.body["user_id"]: c.body["view"] for c in slack.fake.of("views.publish")}
    buttons = [e for e in elements(views[SECRETARIAT]) if e["action_id"] == "report_pack"]
    assert [(b["text"]["text"], b["value"]) for b in buttons] == [("報告資料を作成", "R3-1")]
    assert "次回の審議会: 令和3年度第1回" in json.dumps(views[SECRETARIAT], ensure_ascii=False)
    assert not any(e["action_id"] == "report_pack" for e in elements(views[SHUNO_OWNER]))

    home_click(slack, SECRETARIAT, "R3-1")
    slack.settle()
    [complete] = slack.fake.of("files.completeUploadExternal")
    assert complete.body["channel_id"] == SECRETARIAT_CHANNEL
    assert len(json.loads(complete.body["files"])) == 3
    confirmations = [
        text_of(c.body)
        for c in slack.fake.of("chat.postMessage")
        if c.body["channel"] == "D" + SECRETARIAT
    ]
    assert any("令和3年度第1回 の報告資料" in text for text in confirmations)

    home_click(slack, SHUNO_OWNER, "R3-1")  # a forged press from staff changes nothing
    slack.settle()
    assert len(slack.fake.of("files.completeUploadExternal")) == 1


def test_unknown_meeting_lists_the_known_ones(slack: Harness, scratch: Path) -> None:
    answer = slack.answer_at(slack.command(SECRETARIAT, "report R9-9"))
    slack.settle()
    assert "会議「R9-9」は登録されていません" in answer
    assert "R2-6" in answer and "令和2年度第6回" in answer
    assert "R3-1" in answer and "令和3年度第1回(令和3年5月19日)" in answer
    assert "report R3-1" in answer  # how to ask again
    assert slack.fake.of("files.getUploadURLExternal") == []
    assert list(scratch.iterdir()) == []


def test_a_meeting_named_in_the_dm_builds_its_pack(slack: Harness) -> None:
    slack.dm(SECRETARIAT, "報告資料 令和3年度第1回")
    slack.settle()
    [complete] = slack.fake.of("files.completeUploadExternal")
    assert complete.body["channel_id"] == SECRETARIAT_CHANNEL
    names = {c.body["filename"] for c in slack.fake.of("files.getUploadURLExternal")}
    assert names == PACK_NAMES
    dm = [c for c in slack.fake.of("chat.postMessage") if c.body["channel"] == "D" + SECRETARIAT]
    assert "事務局チャンネルに投稿しました" in text_of(dm[-1].body)


def test_a_refused_upload_is_reported_and_the_files_are_removed(
    slack: Harness, scratch: Path
) -> None:
    slack.fake.fail(
        "files.completeUploadExternal", Failure(200, {"ok": False, "error": "not_in_channel"})
    )
    answer = slack.answer_at(slack.command(SECRETARIAT, "report"))
    slack.settle()
    assert "事務局チャンネルに投稿できませんでした" in answer
    assert "投稿しました" not in answer
    assert list(scratch.iterdir()) == []


def test_english(make_bot: Callable[..., Harness]) -> None:
    slack = make_bot("en")
    answer = slack.answer_at(slack.command(SECRETARIAT, "report r3-1"))
    slack.settle()
    assert f"Built the report pack for 令和3年度第1回 ({PACK_SIZE} items)" in answer
    [complete] = slack.fake.of("files.completeUploadExternal")
    comment = complete.body["initial_comment"]
    assert "Report pack for the council meeting 令和3年度第1回 (2021-05-19)." in comment
    assert f"{PACK_SIZE} items" in comment
    assert "令和3年度第1回 report pack (Word)" in uploaded(slack.fake)
    text = docx_text(pack_bytes(slack.fake)["docx"])
    assert "follow-up of the conditions attached by the council" in text
