"""Contract clauses confirmed item by item, and the yearly inspection: each finding opens a
follow-up with its own due date; the item lists are data an organisation may replace."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from conftest import ROOT, SECRETARIAT, TOKYO, AdminCli

from duediligence import PermissionDenied, Status
from duediligence.checklists import (
    DEFAULT_CLAUSES,
    DEFAULT_INSPECTION,
    Answer,
    Checklist,
    ChecklistError,
    items,
    parse_item,
    record,
    summary,
)
from duediligence.importer import import_file
from duediligence.model import Kind, Recurrence
from duediligence.tracker import Tracker

pytestmark = pytest.mark.both_engines

SUPERVISION = ROOT / "examples" / "supervision-cloud.yaml"
OWNER = "U05SHIMIN01"
CLAUSES = "ISC-R5-04-1"
INSPECTION = "ISC-R5-04-2"
IMPORTED = dt.datetime(2023, 7, 10, 18, 0, tzinfo=TOKYO)
WORKED = dt.datetime(2023, 8, 1, 10, 0, tzinfo=TOKYO)


@pytest.fixture
def cloud(tracker: Tracker) -> Tracker:
    import_file(tracker.store, SUPERVISION, actor=SECRETARIAT, now=IMPORTED)
    return tracker


def attach(t: Tracker, condition: str, name: str = "contract.pdf") -> None:
    t.submit_evidence(condition, io.BytesIO(b"%PDF"), filename=name, actor=OWNER, now=WORKED)


def all_clauses(**overrides: str) -> dict[str, tuple[Answer, str]]:
    given = {item.key: f"第{n}条" for n, item in enumerate(DEFAULT_CLAUSES, start=5)} | overrides
    return {k: parse_item(Checklist.CLAUSES, v) for k, v in given.items()}


def test_a_missing_clause_is_a_finding_with_an_amendment_to_follow(cloud: Tracker) -> None:
    attach(cloud, CLAUSES)
    result = record(cloud, CLAUSES, all_clauses(incident="なし"), actor=OWNER, now=WORKED)
    assert result.findings == ("incident",)
    assert result.follow_ups == (f"{CLAUSES}-F-incident",)
    follow = cloud.store.condition(result.follow_ups[0])
    assert follow.kind is Kind.SPEC_AMENDMENT and follow.status is Status.OPEN
    assert follow.due == dt.date(2023, 8, 31) and follow.department == "市民課"
    assert "事故発生時の報告" in follow.text and CLAUSES in follow.text
    lines = summary(cloud.store, cloud.store.condition(CLAUSES))
    assert "秘密保持: 第5条" in lines and "事故発生時の報告: なし(追加が必要)" in lines
    assert "Confidentiality: 第5条" in summary(cloud.store, cloud.store.condition(CLAUSES), "en")
    logged = cloud.store.events(CLAUSES)[-1]
    assert logged.action == "clauses_recorded" and logged.data["findings"] == ["incident"]


def test_clauses_need_the_contract_every_item_and_an_article(cloud: Tracker) -> None:
    with pytest.raises(ChecklistError) as err:
        record(cloud, CLAUSES, all_clauses(), actor=OWNER, now=WORKED)
    assert "契約書の写し" in err.value.render()
    attach(cloud, CLAUSES)
    partial = all_clauses()
    partial.pop("audit")
    with pytest.raises(ChecklistError) as err:
        record(cloud, CLAUSES, partial, actor=OWNER, now=WORKED)
    assert "audit" in err.value.render()
    with pytest.raises(ChecklistError):
        parse_item(Checklist.CLAUSES, "はい")  # a clause is confirmed by its article
    with pytest.raises(PermissionDenied):
        record(cloud, CLAUSES, all_clauses(), actor="U09NOBODY01", now=WORKED)
    assert cloud.store.checklist_answers(CLAUSES) == []
    assert cloud.store.find_condition(f"{CLAUSES}-F-incident") is None


def test_an_inspection_finding_opens_a_corrective_action(cloud: Tracker) -> None:
    attach(cloud, INSPECTION, "inspection-2023.pdf")
    given = {item.key: "はい" for item in DEFAULT_INSPECTION}
    given["media"] = "いいえ USBメモリの持出し記録がない"
    given["subcontracting"] = "該当なし"
    answers = {k: parse_item(Checklist.INSPECTION, v) for k, v in given.items()}
    result = record(cloud, INSPECTION, answers, actor=OWNER, now=WORKED)
    assert result.follow_ups == (f"{INSPECTION}-C-media",)
    action = cloud.store.condition(result.follow_ups[0])
    assert action.kind is Kind.CORRECTIVE_ACTION and "USBメモリの持出し記録がない" in action.text
    # the inspection itself comes round every year once it is closed
    cloud.accept(INSPECTION, actor=SECRETARIAT, now=WORKED)
    cloud.mark_reported(INSPECTION, actor=SECRETARIAT, meeting="ISC-R5-3", now=WORKED)
    nxt = cloud.store.condition(f"{INSPECTION}#2")
    assert nxt.recurrence is Recurrence.YEARLY and nxt.due == dt.date(2025, 2, 28)


def test_answers_are_read_as_people_write_them() -> None:
    assert parse_item(Checklist.INSPECTION, "いいえ：鍵の管理簿がない") == (
        Answer.NO,
        "鍵の管理簿がない",
    )
    assert parse_item(Checklist.INSPECTION, "○") == (Answer.YES, "")
    assert parse_item(Checklist.INSPECTION, "n/a not used") == (Answer.NA, "not used")
    assert parse_item(Checklist.CLAUSES, "第12条第2項") == (Answer.YES, "第12条第2項")
    assert parse_item(Checklist.CLAUSES, "missing") == (Answer.NO, "")
    with pytest.raises(ChecklistError):
        parse_item(Checklist.INSPECTION, "たぶん")


def test_the_list_is_data_and_the_cli_records(admin: AdminCli, tmp_path: Path) -> None:
    assert admin("import", str(SUPERVISION), "--as", SECRETARIAT).exit_code == 0
    shown = admin("checklist", "show", "clauses").output
    assert "confidentiality: 秘密保持" in shown and len(shown.splitlines()) == len(DEFAULT_CLAUSES)
    own = tmp_path / "clauses.yaml"
    own.write_text(
        "- {key: confidentiality, ja: 秘密保持, en: Confidentiality}\n"
        "- {key: incident, ja: 事故報告(24時間以内), en: Incident within 24 hours}\n",
        encoding="utf-8",
    )
    assert admin("checklist", "load", "clauses", str(own), "--as", SECRETARIAT).exit_code == 0
    assert admin("checklist", "show", "clauses").output.splitlines() == [
        "confidentiality: 秘密保持",
        "incident: 事故報告(24時間以内)",
    ]
    contract = tmp_path / "contract.pdf"
    contract.write_bytes(b"%PDF contract")
    assert admin("evidence", "add", CLAUSES, str(contract), "--as", OWNER).exit_code == 0
    done = admin(
        "checklist", "record", CLAUSES, "--answer", "confidentiality=第8条",
        "--answer", "incident=なし", "--as", OWNER,
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "指摘 1 件" in done.output and f"{CLAUSES}-F-incident [仕様書の修正]" in done.output
    bad = admin("checklist", "record", CLAUSES, "--answer", "incident=たぶん", "--as", OWNER)
    assert bad.exit_code == 1
    empty = tmp_path / "empty.yaml"
    empty.write_text("[]\n", encoding="utf-8")
    assert admin("checklist", "load", "inspection", str(empty), "--as", SECRETARIAT).exit_code == 1


def test_default_lists_come_from_the_guide(store) -> None:
    assert [i.key for i in items(store, Checklist.CLAUSES)][:3] == [
        "confidentiality",
        "subcontracting",
        "purpose",
    ]
    assert len(items(store, Checklist.INSPECTION)) == 6


def test_the_pack_reports_the_answers(cloud: Tracker, tmp_path: Path) -> None:
    from duediligence.report import build_pack

    attach(cloud, CLAUSES)
    record(cloud, CLAUSES, all_clauses(incident="なし"), actor=OWNER, now=WORKED)
    pack = build_pack(
        cloud.store, "ISC-R5-3", tmp_path / "pack", now=dt.datetime(2023, 10, 2, 9, tzinfo=TOKYO)
    )
    markdown = pack.markdown.read_text(encoding="utf-8")
    assert "条項の確認結果" in markdown and "事故発生時の報告: なし(追加が必要)" in markdown
    assert "秘密保持: 第5条" in markdown
    assert f"{CLAUSES}-F-incident" in markdown  # the amendment is an item of its own
    inspection = next(i for i in pack.content.items if i.condition.id == INSPECTION)
    assert inspection.answers == ()  # not done yet: no answers, its status says so
