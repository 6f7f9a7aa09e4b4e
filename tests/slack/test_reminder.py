"""Reminder DMs built from outbox entries, rendered for Slack and for the console."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.core import Core
from bot.render import slack as block_kit
from bot.render.text import render
from duediligence.config import Settings
from duediligence.importer import import_file
from duediligence.store import Store

from .conftest import MEETING_NIGHT, SAMPLE, SECRETARIAT, SHUNO_OWNER, TOKYO, Harness


def core_at(tmp_path: Path, moment: dt.datetime, lang: str = "ja") -> Core:
    db = str(tmp_path / "dd.db")
    if not Path(db).exists():
        store = Store.open(db)
        import_file(store, SAMPLE, actor=SECRETARIAT, now=MEETING_NIGHT)
        store.close()
    settings = Settings(db=db, evidence_dir=str(tmp_path / "ev"), tz=TOKYO, lang=lang)
    return Core(settings, clock=lambda: moment)


def test_reminder_before_due_has_dates_expectation_and_buttons(tmp_path: Path) -> None:
    core = core_at(tmp_path, dt.datetime(2021, 3, 3, 9, 0, tzinfo=TOKYO))
    reply = core.reminder_reply(
        "reminder", {"condition": "R2-15-08", "stage": "before", "days_before": 28}
    )
    assert reply.text == "確認事項 R2-15-08 の期限まであと 28 日です。"
    fields = {f.label: f.value for s in reply.sections for f in s.fields}
    assert fields["期限"] == "令和3年3月31日(2021-03-31)"
    assert "雇用形態" in fields["求める資料"]
    assert fields["事業者"] == "株式会社サンプル収納サービス"
    assert "令和2年度諮問第15号" in fields["諮問"]
    assert [b.action for b in reply.buttons] == ["upload_help", "extension_request", "details"]
    blocks = block_kit.message(reply)["blocks"]
    actions = [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert actions == ["upload_help", "extension_request", "details"]
    assert "2021-03-31" in render(reply)
    core.close()


def test_overdue_escalation_certificate_and_english(tmp_path: Path) -> None:
    core = core_at(tmp_path, dt.datetime(2021, 3, 15, 9, 0, tzinfo=TOKYO))
    overdue = core.reminder_reply(
        "reminder", {"condition": "R2-15-01", "stage": "overdue_3", "days_overdue": 5}
    )
    assert "5 日過ぎています" in overdue.text
    due_day = core.reminder_reply("reminder", {"condition": "R2-15-11", "stage": "due_day"})
    assert due_day.text == "確認事項 R2-15-11 は本日が期限です。"
    escalation = core.reminder_reply("escalation", {"condition": "R2-15-01", "days_overdue": 5})
    assert "所属長" in escalation.text and "収納課" in escalation.text
    assert [b.action for b in escalation.buttons] == ["details"]
    cert = core.reminder_reply(
        "certificate_expiry",
        {
            "vendor": "株式会社サンプル収納サービス",
            "scheme": "ISMS",
            "number": "IS 500001",
            "expires": "2021-04-30",
            "days_to_expiry": 46,
            "stage": "cert_90",
        },
    )
    assert cert.text == (
        "株式会社サンプル収納サービス の ISMS 認証の有効期限 令和3年4月30日(2021-04-30) "
        "まであと 46 日です。更新後の登録証の写しを提出してください。"
    )
    # the upload button points at the vendor's open certificate-renewal condition
    assert {b.value for b in cert.buttons} == {"R2-15-13"}
    mark = core.reminder_reply(
        "certificate_expiry",
        {
            "vendor": "株式会社サンプル収納サービス",
            "scheme": "PrivacyMark",
            "expires": "2021-05-31",
        },
    )
    assert {b.value for b in mark.buttons} == {"R2-15-14"}
    english = core.reminder_reply("reminder", {"condition": "R2-15-01"}, "en")
    assert english.text == "Condition R2-15-01 is 5 days overdue. Please act now."
    fields = {f.label: f.value for s in english.sections for f in s.fields}
    assert fields["Due"] == "2021-03-10 (令和3年3月10日)"
    core.close()


def test_digest_has_counts_by_department_and_overdue_items(tmp_path: Path) -> None:
    core = core_at(tmp_path, dt.datetime(2021, 3, 15, 9, 0, tzinfo=TOKYO))
    digest = core.reminder_reply("digest", {})
    assert digest.text == (
        "週次ダイジェスト(令和3年3月15日): 期限超過 11 件 / 今週期限 3 件 / 確認待ち 0 件 / 報告待ち 0 件"
    )
    assert not digest.private
    overdue, due_week, pointer = digest.sections
    assert overdue.title == "期限超過(11 件)"
    assert "収納課: 6" in overdue.text and "新型コロナウイルスワクチン接種事業PT: 5" in overdue.text
    assert overdue.items[0] == "R2-16-01 新型コロナウイルスワクチン接種事業PT 19日超過"
    assert overdue.items[-1] == "ほか 6 件(/dd-status overdue で確認できます)"  # a phone screenful
    assert due_week.title.startswith("今週が期限(3 件")
    assert "/dd-status" in pointer.text
    english = core.reminder_reply("digest", {}, "en")
    assert english.text.startswith("Weekly digest (2021-03-15): 11 overdue")
    core.close()


def test_unknown_condition_in_payload_is_a_clear_error(tmp_path: Path) -> None:
    core = core_at(tmp_path, dt.datetime(2021, 3, 15, 9, 0, tzinfo=TOKYO))
    with pytest.raises(Exception, match="R9-99"):
        core.reminder_reply("reminder", {"condition": "R9-99"})
    core.close()


def test_reminder_buttons_work_in_slack(slack: Harness) -> None:
    how = slack.click(SHUNO_OWNER, "upload_help", "R2-15-08", channel="D" + SHUNO_OWNER)
    assert "ドラッグ&amp;ドロップ" in slack.answer_at(how)
    details = slack.click(SHUNO_OWNER, "details", "R2-15-08", channel="D" + SHUNO_OWNER)
    assert "令和3年3月31日" in slack.answer_at(details)
    other = slack.click("U03VACC0001", "details", "R2-15-08", channel="DX")
    assert "担当課のものではない" in slack.answer_at(other)
