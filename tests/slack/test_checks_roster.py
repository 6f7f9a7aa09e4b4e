"""Rosters in Slack: the template into the DM, a checked upload, a private summary, no names on cards."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

from .conftest import SECRETARIAT, SECRETARIAT_CHANNEL, SHUNO_OWNER, Harness, text_of
from .test_upload import elements

ROSTER_ITEM = "R2-15-08"
PLEDGE_ITEM = "R2-15-09"
HEADER = ["氏名", "所属", "役割", "雇用形態", "従事開始日", "従事終了日"]
GOOD = [
    ["山田 太郎", "東京支社", "個人情報取扱責任者", "正社員", dt.date(2021, 4, 1), None],
    ["佐藤 花子", "東京支社", "連絡調整責任者", "正社員", dt.date(2021, 4, 1), None],
    ["鈴木 一郎", "コールセンター", "業務従事者", "派遣", dt.date(2021, 4, 1), None],
]
NAMES = ("山田", "佐藤", "鈴木", "高橋")


def xlsx(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def dm_to(slack: Harness, user: str) -> list[str]:
    """Everything posted to *user*'s DM so far, in order."""
    return [
        text_of(c.body)
        for c in slack.fake.of("chat.postMessage")
        if c.body["channel"] == "D" + user
    ]


def channel_cards(slack: Harness) -> list[dict[str, Any]]:
    return [
        c.body
        for c in slack.fake.of("chat.postMessage")
        if c.body["channel"] == SECRETARIAT_CHANNEL
    ]


def upload(slack: Harness, user: str, file_id: str, name: str, content: bytes, text: str) -> str:
    """Drop a file in *user*'s DM with *text*; the bot's last DM answer."""
    slack.fake.add_file(file_id, name, content)
    slack.dm(user, text, files=[file_id])
    slack.settle()
    return dm_to(slack, user)[-1]


def review_key(card: dict[str, Any]) -> str:
    return next(e["value"] for e in elements(card) if e["action_id"] == "review_accept")


def test_roster_upload_gets_a_private_summary_and_a_card_without_names(slack: Harness) -> None:
    rows = [
        ["山田 太郎", "東京支社", "個人情報取扱責任者", "正社員", dt.date(2021, 4, 1), None],
        ["佐藤 花子", "東京支社", "業務従事者", "業務委託", dt.date(2021, 4, 1), None],
        ["鈴木 一郎", "コールセンター", "業務従事者", "派遣社員", dt.date(2021, 4, 1), None],
    ]
    reply = upload(slack, SHUNO_OWNER, "FR1", "meibo.xlsx", xlsx(rows), f"{ROSTER_ITEM} の名簿です")

    assert "meibo.xlsx" in reply and "第1版" in reply
    assert "3行目: 雇用形態「業務委託」は使えません" in reply  # row as Excel shows it
    assert "連絡調整責任者が名簿にいません" in reply  # a responsible role is missing
    assert "記載 3人" in reply and "派遣 1" in reply  # 派遣社員 read as 派遣
    assert "名簿の様式" in reply  # the template, offered with the fix request

    [card] = channel_cards(slack)
    card_text = text_of(card)
    assert ROSTER_ITEM in card_text and "第1版 3人" in card_text
    assert "要確認 2件" in card_text and "3行目" in card_text
    assert not any(name in card_text for name in NAMES)
    assert SHUNO_OWNER not in card_text
    with slack.store() as store:
        assert store.condition(ROSTER_ITEM).status == "submitted"
        assert [e.action for e in store.events(ROSTER_ITEM)][-1] == "roster_checked"
        assert all(
            name not in json.dumps(e.data, ensure_ascii=False)
            for e in store.events()
            for name in NAMES
        )


def test_template_button_uploads_the_xlsx_into_the_dm(slack: Harness) -> None:
    from openpyxl import load_workbook

    slack.click(SHUNO_OWNER, "roster_template", ROSTER_ITEM, channel="D" + SHUNO_OWNER)
    slack.settle()
    [complete] = slack.fake.of("files.completeUploadExternal")
    assert complete.body["channel_id"] == "D" + SHUNO_OWNER
    assert ROSTER_ITEM in complete.body["initial_comment"]
    [file] = json.loads(complete.body["files"])
    assert file["title"] == "名簿の様式"
    sheet = load_workbook(io.BytesIO(slack.fake.uploads[file["id"]])).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADER


def test_details_offer_the_template_to_the_owner(slack: Harness) -> None:
    url = slack.click(SHUNO_OWNER, "details", ROSTER_ITEM, channel="D" + SHUNO_OWNER)
    answer = slack.answer_at(url)
    assert "roster_template" in answer and "名簿はまだ提出されていません" in answer


def test_new_roster_version_tells_the_owner_who_changed_and_reopens_pledges(
    slack: Harness,
) -> None:
    upload(slack, SHUNO_OWNER, "FR1", "meibo.xlsx", xlsx(GOOD), ROSTER_ITEM)
    pledges = "氏名,退職後を含む\r\n山田 太郎,はい\r\n佐藤 花子,はい\r\n鈴木 一郎,はい\r\n"
    reply = upload(slack, SHUNO_OWNER, "FP1", "seiyaku.csv", pledges.encode("cp932"), PLEDGE_ITEM)
    assert "3人分の誓約書を記録しました" in reply and "3/3人" in reply
    slack.click(SECRETARIAT, "review_accept", review_key(channel_cards(slack)[-1]))
    slack.settle()
    with slack.store() as store:
        assert store.condition(PLEDGE_ITEM).status == "accepted"  # covered: no reason needed

    second = [*GOOD[:2], ["高橋 次郎", "コールセンター", "業務従事者", "契約社員", None, None]]
    reply = upload(slack, SHUNO_OWNER, "FR2", "meibo2.xlsx", xlsx(second), ROSTER_ITEM)
    assert "第2版" in reply
    assert "前回から追加: 高橋 次郎" in reply and "前回から削除: 鈴木 一郎" in reply
    assert f"{PLEDGE_ITEM}#2" in reply  # the pledge coverage re-opened

    card_text = text_of(channel_cards(slack)[-1])
    assert "追加 1人・削除 1人" in card_text and "第2版 3人" in card_text
    assert not any(name in card_text for name in NAMES)
    with slack.store() as store:
        reopened = store.condition(f"{PLEDGE_ITEM}#2")
        assert reopened.status == "open" and reopened.due is not None
        assert any(e.action == "coverage_reopened" for e in store.events(PLEDGE_ITEM))

    url = slack.click(SHUNO_OWNER, "details", f"{PLEDGE_ITEM}#2", channel="D" + SHUNO_OWNER)
    details = slack.answer_at(url)
    assert "2/3人" in details and "名簿4行目の方の誓約書がありません" in details
    assert "高橋" not in details
