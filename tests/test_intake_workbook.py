"""The meeting workbook: template, import naming cells, export and round trip."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import MEETING_NIGHT, SAMPLE, SECRETARIAT

from duediligence import ImportFormatError
from duediligence.importer import import_file
from duediligence.intake.export import export_meeting
from duediligence.intake.write import write_template
from duediligence.store import Store

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_XLSX = ROOT / "examples" / "council-2021-02-10.xlsx"
LATER = MEETING_NIGHT + dt.timedelta(days=20)

# The vaccination system approval (令和2年度諮問第16号): its first five conditions.
YAML_R2_16 = textwrap.dedent(
    """\
    council: 東村山市個人情報保護運営審議会
    meeting: {id: R2-6, name: 令和2年度第6回, date: 令和3年2月10日}
    next_meeting: {id: R3-1, name: 令和3年度第1回, date: 2021-05-19}
    secretariat: [U01JIMU0001]
    departments:
      - name: 新型コロナウイルスワクチン接種事業PT
        owners: [U03VACC0001, U03VACC0002]
        head: U03VACC0900
    consultations:
      - id: R2-16
        number: 令和2年度諮問第16号
        title: (仮称)新型コロナウイルスワクチン接種に係るシステム使用委託
        department: 新型コロナウイルスワクチン接種事業PT
        decision: approved_with_conditions
        vendors:
          - name: 株式会社サンプル人材サービス
            role: contractor
          - name: サンプル予約システムズ株式会社
            role: subcontractor
            certifications:
              - {scheme: ISMS, number: IS 700002, first_registered: 2015-11-20}
        conditions:
          - id: R2-16-01
            kind: spec_amendment
            text: 問い合わせ業務で作成したメモの保管・廃棄の方法を、従事者向けの仕様書・マニュアルに明記する
            vendor: 株式会社サンプル人材サービス
            due: 令和3年2月24日
          - id: R2-16-03
            kind: roster
            text: コールセンターに出入りする受託従事者のリストを提出させる
            vendor: 株式会社サンプル人材サービス
            due: 2021-02-24
            recurrence: on_change
          - id: R2-16-04
            kind: confirmation
            text: コールセンターへのスマートフォン等IT機器の持込禁止を従事者に徹底していることを確認する
            vendor: 株式会社サンプル人材サービス
            due: 令和3年3月10日
            report_back: false
          - id: R2-16-07
            kind: report_back
            text: 年度を跨いで保存する場合は審議会に報告する
            vendor: サンプル予約システムズ株式会社
            trigger: fiscal_year_end_check
            due_after_event_days: 20
          - id: R2-16-10
            kind: other
            text: マイナンバーと接種情報の紐付けが運用上必要となる場合は、審議会に報告又は諮問する
            due: next_meeting
    """
)

SHEET_ROWS: dict[str, list[list[Any]]] = {
    "会議": [
        [
            "東村山市個人情報保護運営審議会",
            "R2-6",
            "令和2年度第6回",
            "令和3年2月10日",  # 和暦 text in a date column
            "R3-1",
            "令和3年度第1回",
            dt.datetime(2021, 5, 19),  # an Excel date
            "U01JIMU0001",
        ]
    ],
    "所管課": [["新型コロナウイルスワクチン接種事業PT", "U03VACC0001\nU03VACC0002", "U03VACC0900"]],
    "諮問": [
        [
            "R2-16",
            "令和2年度諮問第16号",
            "(仮称)新型コロナウイルスワクチン接種に係るシステム使用委託",
            "新型コロナウイルスワクチン接種事業PT",
            "条件付き可",
        ]
    ],
    "委託先": [
        ["R2-16", "株式会社サンプル人材サービス", "受託者"],
        [
            "R2-16",
            "サンプル予約システムズ株式会社",
            "再委託先",
            "ISMS",
            "IS 700002",
            None,
            "2015-11-20",
        ],
    ],
    "付帯条件": [
        [
            "R2-16-01",
            "R2-16",
            "仕様書の修正",
            "問い合わせ業務で作成したメモの保管・廃棄の方法を、従事者向けの仕様書・マニュアルに明記する",
            "株式会社サンプル人材サービス",
            "令和3年2月24日",
        ],
        [
            "R2-16-03",
            "R2-16",
            "名簿",
            "コールセンターに出入りする受託従事者のリストを提出させる",
            "株式会社サンプル人材サービス",
            "2021-02-24",
            None,
            "要",
            "変更時",
        ],
        [
            "R2-16-04",
            "R2-16",
            "confirmation",  # the YAML code works as well as the label
            "コールセンターへのスマートフォン等IT機器の持込禁止を従事者に徹底していることを確認する",
            "株式会社サンプル人材サービス",
            "令和3年3月10日",
            None,
            "不要",
        ],
        [
            "R2-16-07",
            "R2-16",
            "審議会への報告",
            "年度を跨いで保存する場合は審議会に報告する",
            "サンプル予約システムズ株式会社",
            None,
            None,
            None,
            None,
            "年度末の確認",
            20,
        ],
        [
            "R2-16-10",
            "R2-16",
            "その他",
            "マイナンバーと接種情報の紐付けが運用上必要となる場合は、審議会に報告又は諮問する",
            None,
            "次回審議会",
        ],
    ],
}


def fill(template: Path, out: Path, rows: dict[str, list[list[Any]]]) -> Path:
    """Fill the template as a clerk would: over the example row, then the rows below."""
    book = openpyxl.load_workbook(template)
    for sheet, values in rows.items():
        ws = book[sheet]
        for column in range(1, ws.max_column + 1):
            ws.cell(row=2, column=column).value = None
        for number, row in enumerate(values, start=2):
            for column, value in enumerate(row, start=1):
                ws.cell(row=number, column=column).value = value
    book.save(out)
    return out


def snapshot(store: Store) -> dict[str, Any]:
    """Everything an import writes, apart from the event log."""
    return {
        "meetings": store.meetings(),
        "departments": store.departments(),
        "consultations": store.consultations(),
        "conditions": store.conditions(),
        "certifications": store.certifications(),
        "secretariat": store.secretariat(),
        "triggers": store.condition_triggers(),
    }


@pytest.fixture
def template(tmp_path: Path) -> Path:
    return write_template(tmp_path / "条件登録.xlsx")


def test_template_has_the_sheets_lists_and_formats(template: Path) -> None:
    book = openpyxl.load_workbook(template)
    assert book.sheetnames == ["会議", "所管課", "諮問", "委託先", "付帯条件", "記入方法"]
    conditions = book["付帯条件"]
    assert [c.value for c in conditions[1]][:6] == [
        "確認事項ID",
        "諮問ID",
        "種別",
        "内容",
        "事業者",
        "期限",
    ]
    assert conditions.freeze_panes == "A2"
    assert conditions["C2"].value == "誓約書"  # the example row
    lists = {str(v.sqref): v.formula1 for v in conditions.data_validations.dataValidation}
    assert "名簿" in lists["C2:C1000"] and "審議会への報告" in lists["C2:C1000"]
    assert lists["E2:E1000"] == "'委託先'!$B$2:$B$1000"
    assert lists["G2:G1000"] == "'所管課'!$A$2:$A$1000"
    assert "年度末の確認" in lists["J2:J1000"] and lists["H2:H1000"] == '"要,不要"'
    consultations = book["諮問"]
    decisions = {str(v.sqref): v.formula1 for v in consultations.data_validations.dataValidation}
    assert "条件付き可" in decisions["E2:E1000"]
    assert decisions["D2:D1000"] == "'所管課'!$A$2:$A$1000"
    assert book["会議"]["D2"].is_date and "ggge" in book["会議"]["D2"].number_format
    assert book["委託先"]["G2"].is_date
    assert conditions.column_dimensions["D"].width >= 40
    assert "付帯条件!D7" in book["記入方法"]["A1"].value + "\n".join(
        str(r[0].value) for r in book["記入方法"].iter_rows()
    )


def test_untouched_template_says_the_meeting_is_missing(store: Store, template: Path) -> None:
    with pytest.raises(ImportFormatError) as err:
        import_file(store, template, actor=SECRETARIAT, now=MEETING_NIGHT)
    assert "会議!A2" in err.value.render("ja")
    assert store.meetings() == []


def test_filled_workbook_imports_as_the_equivalent_yaml(tmp_path: Path, template: Path) -> None:
    yaml_path = tmp_path / "r2-16.yaml"
    yaml_path.write_text(YAML_R2_16, encoding="utf-8")
    from_yaml = Store.open(tmp_path / "yaml.db")
    from_book = Store.open(tmp_path / "book.db")
    yaml_result = import_file(from_yaml, yaml_path, actor=SECRETARIAT, now=MEETING_NIGHT)
    book = fill(template, tmp_path / "r2-16.xlsx", SHEET_ROWS)
    book_result = import_file(from_book, book, actor=SECRETARIAT, now=MEETING_NIGHT)
    assert book_result.created == yaml_result.created
    assert len(book_result.created) == 5
    # The wording of the due dates is kept too, except where the cell held an Excel date.
    assert snapshot(from_book) == snapshot(from_yaml)
    assert from_book.condition("R2-16-10").due == dt.date(2021, 5, 19)
    assert from_book.condition("R2-16-04").report_back is False


def test_one_bad_cell_is_named_and_nothing_is_written(tmp_path: Path, template: Path) -> None:
    rows = {k: [list(r) for r in v] for k, v in SHEET_ROWS.items()}
    rows["付帯条件"][4][5] = "そのうち"  # 付帯条件!F6: an unreadable due date
    store = Store.open(tmp_path / "dd.db")
    import_file(store, SAMPLE, actor="U01JIMU0001", now=MEETING_NIGHT)
    before = (snapshot(store), len(store.events()))
    with pytest.raises(ImportFormatError) as err:
        import_file(
            store, fill(template, tmp_path / "bad.xlsx", rows), actor=SECRETARIAT, now=LATER
        )
    message = err.value.render("ja")
    assert "bad.xlsx 付帯条件!F6: 「期限」の日付を読めません" in message, message
    assert len(err.value.problems) == 1
    assert "付帯条件!F6" in err.value.render("en") and "cannot" in err.value.render("en").lower()
    assert (snapshot(store), len(store.events())) == before


def test_unknown_kind_and_department_say_what_to_write(tmp_path: Path, template: Path) -> None:
    rows = {k: [list(r) for r in v] for k, v in SHEET_ROWS.items()}
    rows["付帯条件"][0][2] = "名薄"
    rows["諮問"][0][3] = "新型コロナウイルスワクチン接種PT"
    with pytest.raises(ImportFormatError) as err:
        import_file(
            Store.open(tmp_path / "dd.db"),
            fill(template, tmp_path / "bad.xlsx", rows),
            actor=SECRETARIAT,
            now=MEETING_NIGHT,
        )
    message = err.value.render("ja")
    assert (
        "付帯条件!C2: 「種別」の値「名薄」は使えません。使える値: 名簿 (roster) / 誓約書" in message
    )
    assert (
        "諮問!D2: 所管課「新型コロナウイルスワクチン接種PT」は所管課シートにありません。" in message
    )
    assert "「新型コロナウイルスワクチン接種事業PT」のことですか?" in message


def test_dates_as_excel_dates_wareki_iso_and_words(tmp_path: Path, template: Path) -> None:
    rows = {k: [list(r) for r in v] for k, v in SHEET_ROWS.items()}
    rows["付帯条件"][0][5] = dt.datetime(2021, 3, 31)
    rows["付帯条件"][1][5] = "R3.3.31"
    rows["付帯条件"][2][5] = "令和２年度末"
    rows["付帯条件"][4][5] = 44286  # a date typed into a cell formatted as a number
    store = Store.open(tmp_path / "dd.db")
    import_file(
        store, fill(template, tmp_path / "d.xlsx", rows), actor=SECRETARIAT, now=MEETING_NIGHT
    )
    dues = {c.id: c.due for c in store.conditions()}
    assert dues["R2-16-01"] == dues["R2-16-03"] == dues["R2-16-04"] == dt.date(2021, 3, 31)
    assert dues["R2-16-10"] == dt.date(2021, 3, 31)


@pytest.mark.parametrize("suffix", [".xlsx", ".yaml"])
def test_export_then_import_of_the_seed_changes_nothing(tmp_path: Path, suffix: str) -> None:
    store = Store.open(tmp_path / "dd.db")
    import_file(store, SAMPLE, actor=SECRETARIAT, now=MEETING_NIGHT)
    before = (snapshot(store), len(store.events()))
    out = tmp_path / f"R2-6{suffix}"
    doc = export_meeting(store, "R2-6", out)
    assert sum(len(c["conditions"]) for c in doc["consultations"]) == 27
    result = import_file(store, out, actor=SECRETARIAT, now=LATER)
    assert result.created == [] and result.updated == [] and result.other_changes == []
    assert len(result.unchanged) == 27
    assert snapshot(store) == before[0]
    assert [e.action for e in store.events()[before[1] :]] == ["imported"]


def test_export_leaves_out_what_happened_since(sample, tmp_path: Path) -> None:
    store = sample.store
    store.add_secretariat([SECRETARIAT])
    sample.extend(
        "R2-15-01", actor=SECRETARIAT, new_due=dt.date(2021, 4, 30), reason="延長", now=LATER
    )
    sample.waive("R2-15-12", actor=SECRETARIAT, reason="不要になった", now=LATER)
    out = export_meeting(store, "R2-6", tmp_path / "R2-6.yaml")
    text = (tmp_path / "R2-6.yaml").read_text(encoding="utf-8")
    assert "waived" not in text and "2021-04-30" not in text and "延長" not in text
    assert out["consultations"][0]["conditions"][0]["due"] == "令和3年3月10日"
    import_file(store, tmp_path / "R2-6.yaml", actor=SECRETARIAT, now=LATER)
    assert store.condition("R2-15-01").due == dt.date(2021, 4, 30)  # the extension stands
    assert store.condition("R2-15-12").status.value == "waived"


def test_an_edited_export_records_one_event_per_changed_field(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "dd.db")
    import_file(store, SAMPLE, actor=SECRETARIAT, now=MEETING_NIGHT)
    out = export_meeting(store, "R2-6", tmp_path / "R2-6.xlsx") and tmp_path / "R2-6.xlsx"
    book = openpyxl.load_workbook(out)
    ws = book["付帯条件"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "R2-15-10")
    row[3].value = "委託仕様書第15条に、事故発生時は直ちに(遅くとも1時間以内に)報告する旨を盛り込む"
    row[5].value = "令和3年3月19日"
    row[6].value = "総務課"
    book["所管課"]["C2"].value = "U02SHUNO901"
    book.save(out)
    before = len(store.events())
    result = import_file(store, out, actor=SECRETARIAT, now=LATER)
    assert result.updated == ["R2-15-10"]
    changed = [e for e in store.events()[before:] if e.action == "updated"]
    fields = sorted((e.subject, e.data["field"]) for e in changed)
    assert fields == [
        ("R2-15-10", "department"),
        ("R2-15-10", "due"),
        ("R2-15-10", "text"),
        ("department:収納課", "head"),
    ]
    due = next(e for e in changed if e.data["field"] == "due")
    assert due.data["changes"]["due"] == ["2021-03-10", "2021-03-19"]
    assert store.condition("R2-15-10").department == "総務課"


def test_the_example_workbook_is_the_seed_meeting(tmp_path: Path) -> None:
    from_yaml = Store.open(tmp_path / "yaml.db")
    from_book = Store.open(tmp_path / "book.db")
    import_file(from_yaml, SAMPLE, actor=SECRETARIAT, now=MEETING_NIGHT)
    import_file(from_book, EXAMPLE_XLSX, actor=SECRETARIAT, now=MEETING_NIGHT)
    assert snapshot(from_book) == snapshot(from_yaml)


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "dd.db")
    evil = YAML_R2_16.replace(
        "text: 年度を跨いで保存する場合は審議会に報告する", 'text: "=HYPERLINK(\\"http://x\\")"'
    )
    (tmp_path / "e.yaml").write_text(evil, encoding="utf-8")
    import_file(store, tmp_path / "e.yaml", actor=SECRETARIAT, now=MEETING_NIGHT)
    export_meeting(store, "R2-6", tmp_path / "e.xlsx")
    cell = next(
        r[3]
        for r in openpyxl.load_workbook(tmp_path / "e.xlsx")["付帯条件"].iter_rows(min_row=2)
        if r[0].value == "R2-16-07"
    )
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    result = import_file(store, tmp_path / "e.xlsx", actor=SECRETARIAT, now=LATER)
    assert result.updated == []


def test_hostile_names_are_exported_as_text_and_round_trip(tmp_path: Path) -> None:
    from test_formula_injection import _assert_only_text, _hostile_yaml

    store = Store.open(tmp_path / "dd.db")
    import_file(store, _hostile_yaml(tmp_path), actor=SECRETARIAT, now=MEETING_NIGHT)
    before = snapshot(store)
    export_meeting(store, "R2-6", tmp_path / "h.xlsx")
    strings = _assert_only_text((tmp_path / "h.xlsx").read_bytes())
    assert "=1+1" in strings and '=HYPERLINK("http://x")株式会社' in strings
    _assert_only_text(write_template(tmp_path / "t.xlsx").read_bytes())
    result = import_file(store, tmp_path / "h.xlsx", actor=SECRETARIAT, now=LATER)
    assert result.updated == [] and snapshot(store) == before


def test_cli_template_import_and_export(admin, tmp_path: Path) -> None:
    out = tmp_path / "条件登録.xlsx"
    result = admin("template", "meeting", "--out", str(out))
    assert result.exit_code == 0 and out.exists()
    book = fill(out, tmp_path / "filled.xlsx", SHEET_ROWS)
    result = admin("import", str(book), "--as", SECRETARIAT)
    assert result.exit_code == 0, result.output
    assert "新規 5 件" in result.output
    result = admin("export", "meeting", "R2-6", "--out", str(tmp_path / "back.yaml"))
    assert result.exit_code == 0 and "確認事項 5 件" in result.output
    again = admin("import", str(tmp_path / "back.yaml"), "--as", SECRETARIAT)
    assert "変更なし 5 件" in again.output
    bad = admin("export", "meeting", "R2-6", "--out", str(tmp_path / "back.csv"))
    assert bad.exit_code == 1 and ".xlsx" in bad.stderr
    unknown = admin("export", "meeting", "R9-9", "--out", str(tmp_path / "x.yaml"))
    assert unknown.exit_code == 1 and "R9-9" in unknown.stderr


def test_yaml_import_suggests_the_closest_department(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        YAML_R2_16.replace(
            "    department: 新型コロナウイルスワクチン接種事業PT\n",
            "    department: ワクチン接種事業PT\n",
        ),
        encoding="utf-8",
    )
    with pytest.raises(ImportFormatError) as err:
        import_file(store, path, actor=SECRETARIAT, now=MEETING_NIGHT)
    assert "「新型コロナウイルスワクチン接種事業PT」のことですか?" in err.value.render("ja")
    assert "Did you mean '新型コロナウイルスワクチン接種事業PT'?" in err.value.render("en")
