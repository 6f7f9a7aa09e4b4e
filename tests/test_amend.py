"""Amendments a later meeting decides: add, edit, withdraw; withdrawn items and their notices."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import SAMPLE, SECRETARIAT, SHUNO_OWNER, STRANGER

from duediligence import PermissionDenied, Status, TransitionError
from duediligence.amend import Amendments, ConditionDraft, ConditionEdit
from duediligence.errors import InvalidInput, ReasonRequired
from duediligence.importer import import_file
from duediligence.intake.export import export_meeting
from duediligence.reminders import plan_reminders
from duediligence.report import build_pack
from duediligence.tracker import Tracker

pytestmark = pytest.mark.both_engines

TOKYO = ZoneInfo("Asia/Tokyo")
FIRST_MEETING = dt.datetime(2021, 5, 19, 19, 0, tzinfo=TOKYO)  # 令和3年度第1回 has decided
SOMU_OWNER = "U04SOMU0001"


@pytest.fixture
def amend(sample: Tracker) -> Amendments:
    sample.store.add_secretariat([SECRETARIAT])
    return Amendments(sample)


def _notices(store, condition_id: str) -> list:
    return [
        e
        for e in store.claim_outbox(FIRST_MEETING + dt.timedelta(minutes=5), limit=500)
        if str(e.kind) == "notice" and e.condition == condition_id
    ]


def test_edit_records_one_event_per_field_naming_the_meeting(amend: Amendments) -> None:
    store = amend.store
    changes = amend.edit(
        "R2-15-10",
        ConditionEdit(
            text="第15条に報告の期限(1時間以内)を定める", due="令和3年6月30日", department="総務課"
        ),
        meeting="R3-1",
        reason="第1回審議会で文言と期限を変更",
        actor=SECRETARIAT,
        now=FIRST_MEETING,
    )
    assert [c.field for c in changes] == ["text", "due", "department"]
    condition = store.condition("R2-15-10")
    assert (condition.due, condition.due_text, condition.department) == (
        dt.date(2021, 6, 30),
        "令和3年6月30日",
        "総務課",
    )
    events = [e for e in store.events("R2-15-10") if e.action == "amended"]
    assert [e.data["field"] for e in events] == ["text", "due", "department"]
    assert {e.data["meeting"] for e in events} == {"R3-1"}
    assert {e.reason for e in events} == {"第1回審議会で文言と期限を変更"}
    assert events[2].data["old"] == "収納課" and events[2].data["new"] == "総務課"
    amend.withdraw("R2-15-12", meeting="R3-1", reason="不要", actor=SECRETARIAT, now=FIRST_MEETING)
    # the per-status counts follow both (kept by the store, whatever the status)
    from collections import Counter

    scanned = Counter((c.department, c.status) for c in store.conditions())
    assert {(d, s): n for d, s, n in store.counts_by_department_and_status()} == dict(scanned)
    assert scanned[("収納課", Status.WITHDRAWN)] == 1
    # Both departments are told: the one that had it and the one that has it now.
    notices = _notices(store, "R2-15-10")
    assert {n.recipient for n in notices} == {SHUNO_OWNER, "shuno@city.example.lg.jp", SOMU_OWNER}
    due = next(c for c in notices[0].payload["changes"] if c["field"] == "due")
    assert due["old"]["due"] == "2021-03-10" and due["new"]["due"] == "2021-06-30"


def test_due_as_people_write_it_is_read_from_the_deciding_meeting(amend: Amendments) -> None:
    amend.edit(
        "R2-15-02",
        ConditionEdit(due="2週間後"),
        meeting="R2-6",
        reason="会議で2週間と決めた",
        actor=SECRETARIAT,
        now=FIRST_MEETING,
    )
    assert amend.store.condition("R2-15-02").due == dt.date(2021, 2, 24)


def test_bad_values_name_the_field_with_a_suggestion_and_save_nothing(amend: Amendments) -> None:
    store = amend.store
    before = (store.condition("R2-15-10"), len(store.events()))
    with pytest.raises(InvalidInput) as err:
        amend.edit(
            "R2-15-10",
            ConditionEdit(due="そのうち", department="収納家", kind="名薄"),
            meeting="R3-1",
            reason="変更",
            actor=SECRETARIAT,
            now=FIRST_MEETING,
        )
    assert set(err.value.problems) == {"due", "department", "kind"}
    message = err.value.render("ja")
    assert "所管課: 所管課「収納家」は登録されていません。「収納課」のことですか?" in message
    assert (
        "種別: 「名薄」は使えません。次から選んでください: 名簿 (roster) / 誓約書 (pledge)"
        in message
    )
    assert "期限: 期限「そのうち」を日付として読み取れません" in message
    assert (
        "department: Department '収納家' is not registered. Did you mean '収納課'?"
        in err.value.render("en")
    )
    assert (store.condition("R2-15-10"), len(store.events())) == before


def test_only_the_secretariat_amends(amend: Amendments) -> None:
    store = amend.store
    before = len(store.events())
    for actor in (SHUNO_OWNER, STRANGER):
        with pytest.raises(PermissionDenied):
            amend.withdraw("R2-15-12", meeting="R3-1", reason="x", actor=actor, now=FIRST_MEETING)
        with pytest.raises(PermissionDenied):
            amend.add(
                ConditionDraft(consultation="R2-15", kind="roster", text="t", due="3月末"),
                meeting="R3-1",
                actor=actor,
                now=FIRST_MEETING,
            )
    with pytest.raises(ReasonRequired):
        amend.withdraw("R2-15-12", meeting="R3-1", reason=" ", actor=SECRETARIAT, now=FIRST_MEETING)
    assert len(store.events()) == before and store.condition("R2-15-12").status is Status.OPEN


def test_add_a_condition_a_later_meeting_decided(amend: Amendments) -> None:
    store = amend.store
    added = amend.add(
        ConditionDraft(
            consultation="R2-15",
            kind="名簿",
            text="再委託先の従事者名簿も提出させる",
            due="令和3年7月末",
            vendor="株式会社サンプル収納サービス",
            recurrence="変更時",
        ),
        meeting="R3-1",
        reason="第1回で追加",
        actor=SECRETARIAT,
        now=FIRST_MEETING,
    )
    assert added.id == "R2-15-17" and added.due == dt.date(2021, 7, 31)
    assert str(added.recurrence) == "on_change" and added.status is Status.OPEN
    created = store.events("R2-15-17")[0]
    assert created.action == "created" and created.data["meeting"] == "R3-1"
    assert {n.recipient for n in _notices(store, "R2-15-17")} == {
        SHUNO_OWNER,
        "shuno@city.example.lg.jp",
    }
    with pytest.raises(InvalidInput) as err:
        amend.add(
            ConditionDraft(consultation="R2-15", kind="pledge", text="t", due="次回審議会"),
            meeting="R3-1",
            actor=SECRETARIAT,
            now=FIRST_MEETING,
        )
    assert "due" in err.value.problems  # no meeting after R3-1 is registered


def test_a_withdrawn_condition_is_never_chased_nor_overdue(amend: Amendments) -> None:
    store = amend.store
    tuesday = dt.datetime(2021, 3, 2, 9, 0, tzinfo=TOKYO)
    plan_reminders(store, tuesday)  # reminders already planned for R2-15-12 (due 3/19)
    withdrawn = amend.withdraw(
        "R2-15-12",
        meeting="R2-6",
        reason="条項を削除したため不要",
        actor=SECRETARIAT,
        now=tuesday,
    )
    assert withdrawn.status is Status.WITHDRAWN and withdrawn.finished
    late = dt.date(2021, 6, 1)
    assert not withdrawn.is_overdue(late)
    assert "R2-15-12" not in {c.id for c in store.conditions() if c.is_overdue(late)}
    for day in range(3, 40):
        moment = dt.datetime(2021, 3, 1, 9, 0, tzinfo=TOKYO) + dt.timedelta(days=day)
        planned = plan_reminders(store, moment)
        assert "R2-15-12" not in {e.condition for e in planned}
        claimed = store.claim_outbox(moment, limit=1000)
        assert "R2-15-12" not in {e.condition for e in claimed if str(e.kind) != "notice"}
    with pytest.raises(TransitionError):
        amend.withdraw("R2-15-12", meeting="R2-6", reason="x", actor=SECRETARIAT, now=tuesday)
    with pytest.raises(TransitionError):
        amend.edit(
            "R2-15-12",
            ConditionEdit(text="x"),
            meeting="R2-6",
            reason="x",
            actor=SECRETARIAT,
            now=tuesday,
        )


def test_the_report_pack_lists_a_withdrawn_condition_as_torikeshi(
    amend: Amendments, tmp_path: Path
) -> None:
    import docx
    import openpyxl

    reason = "仕様書(案)から当該条項を削除したため不要となった"
    amend.withdraw("R2-15-12", meeting="R2-6", reason=reason, actor=SECRETARIAT, now=FIRST_MEETING)
    # R2-15-05 needs no report back, yet a withdrawal is reported once.
    amend.withdraw(
        "R2-15-05",
        meeting="R2-6",
        reason="契約しないこととした",
        actor=SECRETARIAT,
        now=FIRST_MEETING,
    )
    pack = build_pack(amend.store, "R3-1", tmp_path / "pack", now=FIRST_MEETING)
    assert {"R2-15-12", "R2-15-05"} <= set(pack.condition_ids)
    markdown = next(p for p in pack.paths if p.suffix == ".md").read_text(encoding="utf-8")
    block = markdown.split("R2-15-12", 1)[1].split("R2-15-13", 1)[0]
    assert "取消" in block and reason in block
    assert "令和2年度第6回の決定により取り消しました" in markdown
    words = "\n".join(
        p.text for p in docx.Document(next(p for p in pack.paths if p.suffix == ".docx")).paragraphs
    )
    assert "取消" in words and reason in words
    sheet = openpyxl.load_workbook(next(p for p in pack.paths if p.suffix == ".xlsx")).worksheets[0]
    rows = {r[5]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["R2-15-12"][8] == "取消" and rows["R2-15-12"][17] == reason
    # Once listed as withdrawn, a later pack does not list it again.
    later = build_pack(amend.store, "R3-1", tmp_path / "again", now=FIRST_MEETING)
    assert "R2-15-12" in later.condition_ids  # the same meeting's pack, rebuilt
    with amend.store.transaction():
        from duediligence.model import Meeting

        amend.store.save_meeting(
            Meeting("R3-2", "東村山市個人情報保護運営審議会", dt.date(2021, 8, 18))
        )
    after = build_pack(amend.store, "R3-2", tmp_path / "next", now=FIRST_MEETING)
    assert "R2-15-12" not in after.condition_ids


def test_an_amended_meeting_still_round_trips(amend: Amendments, tmp_path: Path) -> None:
    store = amend.store
    amend.edit(
        "R2-15-10",
        ConditionEdit(due="令和3年6月30日", text="新しい文言"),
        meeting="R3-1",
        reason="変更",
        actor=SECRETARIAT,
        now=FIRST_MEETING,
    )
    amend.withdraw("R2-15-12", meeting="R3-1", reason="不要", actor=SECRETARIAT, now=FIRST_MEETING)
    export_meeting(store, "R2-6", tmp_path / "R2-6.xlsx")
    before = len(store.events())
    result = import_file(store, tmp_path / "R2-6.xlsx", actor=SECRETARIAT, now=FIRST_MEETING)
    assert result.updated == [] and [e.action for e in store.events()[before:]] == ["imported"]
    assert store.condition("R2-15-12").status is Status.WITHDRAWN
    # the original file, imported again, does not undo what the later meeting decided
    import_file(store, SAMPLE, actor=SECRETARIAT, now=FIRST_MEETING)
    assert store.condition("R2-15-12").status is Status.WITHDRAWN


def test_cli_condition_add_edit_withdraw(admin, monkeypatch: pytest.MonkeyPatch) -> None:
    admin.import_sample()
    args = ("--meeting", "R3-1", "--as", SECRETARIAT)
    monkeypatch.setenv("DD_SECRETARIAT_USERS", SECRETARIAT)
    edited = admin(
        "condition", "edit", "R2-15-10", "--due", "令和3年6月30日", "--reason", "変更", *args
    )
    assert edited.exit_code == 0, edited.output
    assert (
        "R2-15-10: 期限 令和3年3月10日 (2021-03-10) → 令和3年6月30日 (2021-06-30)" in edited.output
    )
    by_name = ("--meeting", "令和3年度第1回", "--as", SECRETARIAT)  # the meeting resolver
    withdrawn = admin("condition", "withdraw", "R2-15-12", "--reason", "不要", *by_name)
    assert withdrawn.exit_code == 0 and "取り消しました" in withdrawn.output
    added = admin(
        "condition",
        "add",
        "R2-15",
        "--kind",
        "誓約書",
        "--text",
        "追加の誓約書",
        "--due",
        "7月末",
        *args,
    )
    assert added.exit_code == 0 and "R2-15-17" in added.output
    bad = admin(
        "condition",
        "add",
        "R2-15",
        "--kind",
        "誓約",
        "--text",
        "x",
        "--due",
        "7月末",
        "--department",
        "収納家",
        *args,
    )
    assert bad.exit_code == 1
    assert "「収納課」のことですか?" in bad.stderr and "名簿 (roster)" in bad.stderr
    shown = admin("status", "--json")
    assert '"withdrawn"' in shown.output
    refused = admin(
        "condition",
        "withdraw",
        "R2-15-11",
        "--reason",
        "x",
        "--meeting",
        "R3-1",
        "--as",
        SHUNO_OWNER,
    )
    assert refused.exit_code == 1 and "事務局のみ" in refused.stderr
