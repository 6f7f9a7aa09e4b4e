"""Rosters (名簿): the template, real xlsx and Shift_JIS/UTF-8 csv uploads, row checks, diffs."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from conftest import MEETING_NIGHT, SECRETARIAT, SHUNO_OWNER, AdminCli

from duediligence import EvidenceError
from duediligence.checks import roster
from duediligence.tracker import Tracker

pytestmark = pytest.mark.both_engines

LATER = MEETING_NIGHT + dt.timedelta(days=7)
ROSTER_ITEM = "R2-15-08"
HEADER = ["氏名", "所属", "役割", "雇用形態", "従事開始日", "従事終了日"]
GOOD = [
    ["山田 太郎", "東京支社", "個人情報取扱責任者", "正社員", dt.date(2021, 4, 1), None],
    ["佐藤 花子", "東京支社", "連絡調整責任者", "正社員", dt.date(2021, 4, 1), None],
    ["鈴木 一郎", "コールセンター", "業務従事者", "派遣", dt.date(2021, 4, 1), None],
]
NAMES = ("山田", "佐藤", "鈴木", "高橋")


def xlsx(rows: list[list[object]], header: list[str] = HEADER, title: str | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(rows: list[list[object]]) -> str:
    def cell(v: object) -> str:
        return v.strftime("%Y/%m/%d") if isinstance(v, dt.date) else ("" if v is None else str(v))

    return "\r\n".join(",".join(cell(v) for v in row) for row in [HEADER, *rows]) + "\r\n"


@pytest.fixture
def run(admin: AdminCli) -> AdminCli:
    admin.now = "2021-02-17T10:00:00+09:00"
    return admin.import_sample()


# -- the template ----------------------------------------------------------------


def test_template_has_the_columns_and_drop_downs(run, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "meibo.xlsx"
    result = run("template", "roster", "--out", str(out))
    assert result.exit_code == 0 and str(out) in result.output
    book = load_workbook(out)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == HEADER
    lists = sorted(v.formula1 for v in sheet.data_validations.dataValidation)
    assert lists == [
        '"個人情報取扱責任者,連絡調整責任者,業務従事者"',
        '"正社員,契約社員,派遣,アルバイト,その他"',
    ]
    # The blank template is a readable roster: it only lacks people.
    codes = [
        f.code
        for f in roster.check_roster(
            out.read_bytes(), filename="t", today=dt.date(2021, 2, 17)
        ).findings
    ]
    assert "checks.roster.empty" in codes


def test_a_filled_template_passes(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = roster.write_template(tmp_path / "t.xlsx")
    book = load_workbook(path)
    for row in GOOD:
        book.worksheets[0].append(row)
    book.save(path)
    check = roster.check_roster(path.read_bytes(), filename="t.xlsx", today=dt.date(2021, 2, 17))
    assert check.ok, [f.render() for f in check.findings]
    assert check.by_role == {"個人情報取扱責任者": 1, "連絡調整責任者": 1, "業務従事者": 1}
    assert check.by_employment == {"正社員": 2, "派遣": 1}
    assert check.people[0].started == dt.date(2021, 4, 1)
    assert [p.row for p in check.people] == [2, 3, 4]  # findings name the rows a clerk sees


# -- reading every encoding Excel writes --------------------------------------------


@pytest.mark.parametrize("encoding", ["cp932", "shift_jis", "utf-8-sig", "utf-8"])
def test_csv_in_any_excel_encoding_reads_the_same(encoding: str) -> None:
    rows = [*GOOD, ["高橋 咲子", "本社", "業務従事者", "アルバイト", "令和3年4月1日", ""]]
    data = csv_text(rows).encode(encoding)
    check = roster.check_roster(data, filename="m.csv", today=dt.date(2021, 2, 17))
    assert check.ok, [f.render() for f in check.findings]
    assert [p.name for p in check.people] == ["山田 太郎", "佐藤 花子", "鈴木 一郎", "高橋 咲子"]
    assert [p.started for p in check.people] == [dt.date(2021, 4, 1)] * 4
    assert check.by_employment == {"正社員": 2, "派遣": 1, "アルバイト": 1}


def test_cp932_only_characters_survive() -> None:
    rows = [*GOOD, ["髙橋 﨑子", "本社", "業務従事者", "アルバイト", None, None]]
    data = csv_text(rows).encode("cp932")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    check = roster.check_roster(data, filename="m.csv", today=dt.date(2021, 2, 17))
    assert check.people[3].name == "髙橋 﨑子"


def test_undecodable_and_old_excel_files_are_refused() -> None:
    with pytest.raises(EvidenceError) as err:
        roster.check_roster(b"\x81\x20,\x81\x20\r\n", filename="x.csv", today=dt.date(2021, 2, 17))
    assert err.value.key == "checks.file.encoding"
    with pytest.raises(EvidenceError) as err:
        roster.check_roster(b"\xd0\xcf\x11\xe0rest", filename="x.xls", today=dt.date(2021, 2, 17))
    assert err.value.key == "checks.file.xls"
    with pytest.raises(EvidenceError) as err:
        roster.check_roster(
            "名前なし,役割\r\n".encode("cp932"), filename="x.csv", today=dt.date(2021, 2, 17)
        )
    assert err.value.key == "checks.file.no_header"


# -- row checks ---------------------------------------------------------------------


def test_missing_role_and_bad_employment_are_flagged_by_row_xlsx() -> None:
    rows = [
        GOOD[0],
        ["鈴木 一郎", "コールセンター", "業務従事者", "嘱託", dt.date(2021, 4, 1), None],
        ["田中 三郎", "コールセンター", "", "正社員", "来月から", None],
        ["", "コールセンター", "業務従事者", "正社員", None, None],
        ["伊藤 四郎", "本社", "業務従事者", "契約社員", dt.date(2021, 4, 1), dt.date(2021, 3, 1)],
        ["山田　太郎", "本社", "業務従事者", "正社員", None, None],
    ]
    check = roster.check_roster(
        xlsx(rows, title="受託者従事者名簿"), filename="m.xlsx", today=dt.date(2021, 2, 17)
    )
    found = {(f.code, f.row, f.value) for f in check.findings}
    # the title is row 1 and the header row 2, so the data starts on row 3 as in Excel
    assert found == {
        ("checks.roster.bad_employment", 4, "嘱託"),
        ("checks.roster.missing_value", 5, ""),
        ("checks.roster.bad_date", 5, "来月から"),
        ("checks.roster.missing_value", 6, ""),
        ("checks.roster.end_before_start", 7, ""),
        ("checks.roster.duplicate_name", 8, "3"),
        ("checks.roster.missing_role", None, "連絡調整責任者"),
    }
    messages = "\n".join(f.render() for f in check.findings)
    assert "4行目: 雇用形態「嘱託」は使えません" in messages
    assert "連絡調整責任者が名簿にいません" in messages
    assert not any(name in messages for name in NAMES)  # findings point at rows, never names


def test_missing_columns_are_reported_once() -> None:
    data = "氏名,所属\r\n山田 太郎,本社\r\n".encode("cp932")
    check = roster.check_roster(data, filename="m.csv", today=dt.date(2021, 2, 17))
    assert [(f.code, f.field) for f in check.findings] == [
        ("checks.roster.missing_column", "役割"),
        ("checks.roster.missing_column", "雇用形態"),
    ]


def test_aliases_people_write_are_understood() -> None:
    rows = [
        ["山田 太郎", "", "取得個人情報取扱責任者", "正社員", None, None],
        ["佐藤 花子", "", "連絡調整責任者", "派遣社員", None, None],
        ["鈴木 一郎", "", "業務担当者", "パート", None, None],
    ]
    check = roster.check_roster(xlsx(rows), filename="m.xlsx", today=dt.date(2021, 2, 17))
    assert check.ok
    assert check.by_employment == {"正社員": 1, "派遣": 1, "アルバイト": 1}


# -- submitting through the CLI ---------------------------------------------------------


def test_submit_flags_rows_privately_and_keeps_names_out_of_events(run, tmp_path: Path) -> None:
    path = tmp_path / "meibo.csv"
    rows = [GOOD[0], ["鈴木 一郎", "コールセンター", "業務従事者", "嘱託", None, None]]
    path.write_bytes(csv_text(rows).encode("cp932"))
    result = run("roster", "submit", ROSTER_ITEM, str(path), "--as", SHUNO_OWNER)
    assert result.exit_code == 0, result.output
    assert "第1版" in result.output
    assert "3行目: 雇用形態「嘱託」は使えません" in result.output
    assert "連絡調整責任者が名簿にいません" in result.output

    shown = json.loads(run("show", ROSTER_ITEM, "--json").output)
    assert shown["status"] == "submitted"
    assert {(c["code"], c["row"]) for c in shown["checks"]} == {
        ("checks.roster.bad_employment", 3),
        ("checks.roster.missing_role", None),
    }
    assert shown["roster"] == {
        "version": 1,
        "people": 2,
        "by_role": {"個人情報取扱責任者": 1, "業務従事者": 1},
        "by_employment": {"正社員": 1},
    }
    log = run("events", "--json").output
    assert not any(name in log for name in NAMES)
    assert not any(name in json.dumps(shown, ensure_ascii=False) for name in NAMES)


def test_roster_check_command_stores_nothing(run, tmp_path: Path) -> None:
    path = tmp_path / "meibo.xlsx"
    path.write_bytes(xlsx(GOOD))
    result = run("roster", "check", str(path))
    assert result.exit_code == 0 and "記載内容に問題はありません" in result.output
    assert json.loads(run("show", ROSTER_ITEM, "--json").output)["status"] == "open"
    path.write_bytes(xlsx(GOOD[:1]))
    assert run("roster", "check", str(path)).exit_code == 2


def test_second_version_says_who_joined_and_left(sample: Tracker) -> None:
    first = roster.submit_roster(
        sample, ROSTER_ITEM, xlsx(GOOD), filename="v1.xlsx", actor=SHUNO_OWNER, now=LATER
    )
    assert first.version.version == 1 and first.diff is None
    changed = [
        GOOD[0],
        GOOD[1],
        ["高橋 次郎", "コールセンター", "業務従事者", "契約社員", None, None],
    ]
    data = csv_text(changed).encode("cp932")
    second = roster.submit_roster(
        sample, ROSTER_ITEM, data, filename="v2.csv", actor=SHUNO_OWNER, now=LATER
    )
    assert second.version.version == 2
    assert second.diff is not None
    assert (second.diff.joined, second.diff.left) == (("高橋 次郎",), ("鈴木 一郎",))
    text = roster.private_summary(second)
    assert "前回から追加: 高橋 次郎" in text and "前回から削除: 鈴木 一郎" in text
    last = sample.store.events(ROSTER_ITEM)[-1]
    assert (last.action, last.data["joined"], last.data["left"], last.data["version"]) == (
        "roster_checked",
        1,
        1,
        2,
    )
    assert [e.filename for e in sample.store.evidence_of(ROSTER_ITEM)] == ["v1.xlsx", "v2.csv"]


def test_only_roster_conditions_and_their_owners_take_rosters(sample: Tracker) -> None:
    from duediligence import PermissionDenied

    with pytest.raises(EvidenceError):
        roster.submit_roster(
            sample, "R2-15-01", xlsx(GOOD), filename="m.xlsx", actor=SHUNO_OWNER, now=LATER
        )
    with pytest.raises(PermissionDenied):
        roster.submit_roster(
            sample, ROSTER_ITEM, xlsx(GOOD), filename="m.xlsx", actor=SECRETARIAT, now=LATER
        )
    assert sample.store.latest_roster("R2-15", "株式会社サンプル収納サービス") is None
