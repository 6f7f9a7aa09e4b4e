"""Minutes sent to the bot's DM by the secretariat come back as a draft workbook in that DM."""

from __future__ import annotations

import io
import json
from pathlib import Path

from duediligence import Store

from .conftest import SECRETARIAT, SHUNO_OWNER, Harness
from .test_checks_roster import dm_to

SEED_MINUTES = Path(__file__).resolve().parents[2] / "examples" / "council-minutes-2021-02-10.txt"


def test_minutes_in_the_secretariat_dm_come_back_as_a_draft_workbook(slack: Harness) -> None:
    from openpyxl import load_workbook

    events_before = _events(slack)
    slack.fake.add_file("FMIN1", "議事録.txt", SEED_MINUTES.read_bytes())
    slack.dm(SECRETARIAT, "議事録です", files=["FMIN1"])
    slack.settle()

    [complete] = slack.fake.of("files.completeUploadExternal")
    assert complete.body["channel_id"] == "D" + SECRETARIAT  # the same DM, not a channel
    assert "3 件の諮問、" in complete.body["initial_comment"]
    assert "条件案" in complete.body["initial_comment"]
    [file] = json.loads(complete.body["files"])
    book = load_workbook(io.BytesIO(slack.fake.uploads[file["id"]]))
    assert {"会議", "所管課", "諮問", "委託先", "付帯条件"} <= set(book.sheetnames)
    rows = list(book["付帯条件"].iter_rows(min_row=2, values_only=True))
    assert len([r for r in rows if r[0]]) >= 30
    assert "下書きを作成しました" in dm_to(slack, SECRETARIAT)[-1]
    assert _events(slack) == events_before  # nothing registered, nothing stored


def test_a_file_that_is_not_minutes_gets_one_line(slack: Harness) -> None:
    slack.fake.add_file("FMIN2", "photo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    slack.dm(SECRETARIAT, "議事録です", files=["FMIN2"])
    slack.settle()
    assert slack.fake.of("files.completeUploadExternal") == []
    reply = dm_to(slack, SECRETARIAT)[-1]
    assert "photo.png" in reply and "Word" in reply


def test_a_department_owner_cannot_draft_from_minutes(slack: Harness) -> None:
    slack.fake.add_file("FMIN3", "議事録.txt", SEED_MINUTES.read_bytes())
    slack.dm(SHUNO_OWNER, "議事録です", files=["FMIN3"])
    slack.settle()
    assert slack.fake.of("files.completeUploadExternal") == []
    assert "下書き" not in dm_to(slack, SHUNO_OWNER)[-1]


def _events(slack: Harness) -> int:
    store = Store.open(slack.db)
    try:
        return len(store.events())
    finally:
        store.close()


def test_minutes_over_the_upload_limit_are_refused_before_download(slack: Harness) -> None:
    from .conftest import MAX_UPLOAD

    slack.fake.add_file("FMIN4", "議事録.txt", b"x", size=MAX_UPLOAD + 1)
    slack.dm(SECRETARIAT, "議事録です", files=["FMIN4"])
    slack.settle()
    assert slack.fake.of("files.completeUploadExternal") == []
    reply = dm_to(slack, SECRETARIAT)[-1]
    assert "議事録.txt" in reply and "大きすぎます" in reply and "分割" in reply
