"""The report pack for a council meeting: Word, Excel and Markdown, and marking a meeting reported.

Built from the sample meeting (令和2年度第6回) with conditions driven through the
Tracker; the generated files are opened with python-docx and openpyxl and read back.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import openpyxl
import pytest
from conftest import AdminCli

from duediligence.errors import NotFound, PermissionDenied
from duediligence.evidence import BlobStore
from duediligence.importer import import_file
from duediligence.model import Certification, Meeting, Status
from duediligence.report import ReportPack, build_pack, mark_pack_reported
from duediligence.store import Store
from duediligence.tracker import Tracker

pytestmark = pytest.mark.both_engines

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "council-2021-02-10.yaml"
TOKYO = ZoneInfo("Asia/Tokyo")
IMPORTED = dt.datetime(2021, 2, 10, 19, 40, tzinfo=TOKYO)
WORKED = dt.datetime(2021, 3, 5, 10, 0, tzinfo=TOKYO)
PACKED = dt.datetime(2021, 5, 12, 9, 0, tzinfo=TOKYO)
AFTER_MEETING = dt.datetime(2021, 5, 19, 17, 0, tzinfo=TOKYO)
SECRETARIAT = "U01JIMU0001"
SHUNO_OWNER = "U02SHUNO001"
SOMU_OWNER = "U04SOMU0001"
VENDOR = "株式会社サンプル収納サービス"
ROSTER_PERSON = "山田 太郎"
ROSTER_NUMBER = "EMP-4471-Q"
ROSTER_FILE = "R2-15-08_roster.csv"
ACCEPT_NOTE = "名簿の提出を受け、全員の役割と雇用形態を確認した。"
RETURN_REASON = "障害対応時の紙媒体の扱いが記載されていない"
EXTEND_REASON = "受託者との仕様協議に時間を要するため"
WAIVE_REASON = "当該条項は契約書案から削除された"
TITLE = "令和3年度第1回審議会 付帯意見等への対応状況について（報告）"


@pytest.fixture
def worked(tmp_path: Path) -> Tracker:
    """The sample meeting three weeks on: one of each state the pack must describe."""
    store = Store.open(tmp_path / "report.db")
    tracker = Tracker(store, BlobStore(tmp_path / "evidence"))
    import_file(store, SAMPLE, actor=SECRETARIAT, now=IMPORTED)
    roster = f"役割,氏名,社員番号\n個人情報取扱責任者,{ROSTER_PERSON},{ROSTER_NUMBER}\n".encode()
    tracker.submit_evidence(
        "R2-15-08", [roster], filename=ROSTER_FILE, actor=SHUNO_OWNER, now=WORKED
    )
    tracker.accept("R2-15-08", actor=SECRETARIAT, now=WORKED, note=ACCEPT_NOTE)
    tracker.submit_evidence(
        "R2-15-01", [b"answer v1"], filename="kaitou.pdf", actor=SHUNO_OWNER, now=WORKED
    )
    tracker.return_("R2-15-01", actor=SECRETARIAT, reason=RETURN_REASON, now=WORKED)
    tracker.extend(
        "R2-15-02",
        actor=SECRETARIAT,
        new_due=dt.date(2021, 6, 30),
        reason=EXTEND_REASON,
        now=WORKED,
    )
    tracker.waive("R2-15-12", actor=SECRETARIAT, reason=WAIVE_REASON, now=WORKED)
    tracker.submit_evidence(
        "R2-15-03", [b"hdd answer"], filename="hdd.pdf", actor=SHUNO_OWNER, now=WORKED
    )
    tracker.submit_evidence(
        "R2-RPT-01-1", [b"12 requests"], filename="kensu.pdf", actor=SOMU_OWNER, now=WORKED
    )
    tracker.accept("R2-RPT-01-1", actor=SECRETARIAT, now=WORKED)
    with store.transaction():
        store.save_certification(
            Certification(vendor=VENDOR, scheme="ISMS", expires=dt.date(2022, 3, 15))
        )
    yield tracker
    store.close()


@pytest.fixture
def pack(worked: Tracker, tmp_path: Path) -> ReportPack:
    return build_pack(worked.store, None, tmp_path / "out", now=PACKED)


def _expected_ids(store: Store) -> set[str]:
    return {c.id for c in store.conditions() if c.report_back}


def _blocks(document: docx.document.Document) -> dict[str, list[str]]:
    """Heading 2 text's condition id -> the paragraphs under it."""
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Heading 2":
            condition_id = paragraph.text.rsplit("［", 1)[1].rstrip("］")
            current = blocks.setdefault(condition_id, [])
        elif paragraph.style.name == "Heading 1":
            current = None
        elif current is not None:
            current.append(paragraph.text)
    return blocks


def _zip_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(
            archive.read(n).decode("utf-8")
            for n in archive.namelist()
            if n.endswith((".xml", ".rels"))
        )


# -- the Word document ---------------------------------------------------------------------


def test_default_meeting_is_the_next_one_and_every_reportable_condition_is_in(
    pack: ReportPack, worked: Tracker
) -> None:
    assert pack.meeting.id == "R3-1"
    assert set(pack.condition_ids) == _expected_ids(worked.store)
    assert len(pack.condition_ids) == 23
    assert "R2-15-05" not in pack.condition_ids  # report_back: false
    assert all(p.exists() and p.stat().st_size > 0 for p in pack.paths)
    assert [p.suffix for p in pack.paths] == [".docx", ".xlsx", ".md"]


def test_docx_title_date_headings_and_one_entry_per_condition(pack: ReportPack) -> None:
    document = docx.Document(str(pack.docx))
    paragraphs = document.paragraphs
    assert paragraphs[0].text == "令和3年5月12日"
    assert paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert paragraphs[1].text == "東村山市個人情報保護運営審議会"
    titles = [p.text for p in paragraphs if p.style.name == "Title"]
    assert titles == [TITLE]
    sections = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert sections == [
        "1　令和2年度諮問第15号　東村山市税等クレジットカード収納代行業務委託",
        "2　令和2年度諮問第16号　(仮称)新型コロナウイルスワクチン接種に係るシステム使用委託",
        "3　R2-RPT-01　市役所本庁舎及びいきいきプラザへの防犯カメラ設置(報告)",
    ]
    blocks = _blocks(document)
    assert list(blocks) == list(pack.condition_ids)
    texts = [p.text for p in paragraphs]
    assert "【所管課】収納課" in texts
    assert f"【受託者等】{VENDOR}（受託者）" in texts
    assert "【審議】令和2年度第6回（令和3年2月10日）　条件付き可" in texts
    assert any(t.startswith("報告対象 23件（確認済 2件、") for t in texts)


def test_docx_says_what_was_done_and_why_items_are_still_open(pack: ReportPack) -> None:
    blocks = _blocks(docx.Document(str(pack.docx)))

    accepted = blocks["R2-15-08"]
    assert f"【対応内容】{ACCEPT_NOTE}（確認日 令和3年3月5日）" in accepted
    assert f"【受領資料】{ROSTER_FILE}（令和3年3月5日受領、収納課）" in accepted
    assert "【状況】確認済" in accepted
    assert "【次回】変更があった場合に再提出" in accepted
    assert not any(line.startswith("【期限】") for line in accepted)

    returned = blocks["R2-15-01"]
    assert "【状況】差戻し（期限超過）" in returned
    assert f"【未了の理由】{RETURN_REASON}" in returned
    assert "【期限】令和3年3月10日" in returned
    assert "【受領資料】kaitou.pdf（令和3年3月5日受領、収納課）" in returned

    extended = blocks["R2-15-02"]
    assert "【状況】未提出" in extended
    assert f"【未了の理由】{EXTEND_REASON}" in extended
    assert "【新たな期限】令和3年6月30日（当初期限 令和3年3月31日）" in extended
    assert "【受領資料】なし" in extended

    assert "【状況】提出済(確認待ち)" in blocks["R2-15-03"]
    assert any(
        line.startswith("【対応内容】令和3年3月5日に資料の提出") for line in blocks["R2-15-03"]
    )

    waived = blocks["R2-15-12"]
    assert "【状況】免除" in waived
    assert f"【免除の理由】{WAIVE_REASON}" in waived

    assert "【次回】令和4年3月31日（毎年）" in blocks["R2-RPT-01-1"]
    assert "【次回】ISMS 有効期限 令和4年3月15日" in blocks["R2-15-13"]
    assert "【対象事業者】サンプル予約システムズ株式会社" in blocks["R2-16-05"]


def test_docx_is_a4_with_page_numbers_and_a_japanese_font(pack: ReportPack) -> None:
    document = docx.Document(str(pack.docx))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.left_margin.mm) == 30
    footer = section.footer._element.xml
    assert 'w:fldCharType="begin"' in footer and "PAGE" in footer
    qn = docx.oxml.ns.qn
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        fonts = document.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) in ("ＭＳ 明朝", "ＭＳ ゴシック")
        assert fonts.get(qn("w:eastAsiaTheme")) is None
    assert document.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "ＭＳ 明朝"


# -- the workbook ------------------------------------------------------------------------------


def test_xlsx_has_a_row_per_condition_with_real_dates_and_filters(pack: ReportPack) -> None:
    workbook = openpyxl.load_workbook(pack.xlsx)
    assert workbook.sheetnames == ["付帯意見等一覧", "所管課別集計"]
    sheet = workbook["付帯意見等一覧"]
    header = [c.value for c in sheet[1]]
    assert header[:9] == [
        "諮問番号",
        "諮問名",
        "審議した会議",
        "所管課",
        "事業者",
        "ID",
        "種別",
        "付帯意見等",
        "状況",
    ]
    rows = {
        row[header.index("ID")].value: {h: c for h, c in zip(header, row, strict=True)}
        for row in sheet.iter_rows(min_row=2)
    }
    assert list(rows) == list(pack.condition_ids)
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}24"
    assert sheet.column_dimensions["H"].width == 60
    assert sheet.freeze_panes == "A2"

    returned = rows["R2-15-01"]
    assert returned["状況"].value == "差戻し"
    assert returned["期限"].value == dt.datetime(2021, 3, 10)
    assert "ggge" in returned["期限"].number_format
    assert returned["期限超過"].value == "○"
    assert returned["未了・免除の理由"].value == RETURN_REASON
    extended = rows["R2-15-02"]
    assert extended["期限"].value == dt.datetime(2021, 6, 30)
    assert extended["当初期限"].value == dt.datetime(2021, 3, 31)
    accepted = rows["R2-15-08"]
    assert accepted["状況"].value == "確認済"
    assert accepted["受領資料"].value == ROSTER_FILE
    assert accepted["提出者"].value == SHUNO_OWNER
    assert accepted["確認日"].value == dt.datetime(2021, 3, 5)
    assert rows["R2-RPT-01-1"]["次回"].value == dt.datetime(2022, 3, 31)
    assert rows["R2-15-12"]["状況"].value == "免除"


def test_xlsx_counts_by_department_and_status(pack: ReportPack) -> None:
    sheet = openpyxl.load_workbook(pack.xlsx)["所管課別集計"]
    table = [[c.value for c in row] for row in sheet.iter_rows()]
    header = table[0]
    assert header[0] == "所管課" and header[-1] == "計"
    by_department = {row[0]: dict(zip(header[1:], row[1:], strict=True)) for row in table[1:]}
    assert by_department["収納課"]["確認済"] == 1
    assert by_department["収納課"]["差戻し"] == 1
    assert by_department["収納課"]["免除"] == 1
    assert by_department["収納課"]["提出済(確認待ち)"] == 1
    assert by_department["収納課"]["計"] == 14
    assert by_department["新型コロナウイルスワクチン接種事業PT"]["計"] == 8
    assert by_department["総務課"]["確認済"] == 1
    assert by_department["計"]["計"] == 23


# -- Markdown, privacy, language -------------------------------------------------------------


def test_markdown_for_chat_and_mail(pack: ReportPack) -> None:
    text = pack.markdown.read_text(encoding="utf-8")
    assert text.startswith(f"# {TITLE}\n")
    assert "令和3年5月12日" in text
    headings = [line for line in text.splitlines() if line.startswith("### ")]
    assert len(headings) == 23
    for condition_id in pack.condition_ids:
        assert sum(condition_id + "］" in h for h in headings) == 1
    assert f"- **未了の理由**: {RETURN_REASON}" in text


def test_no_roster_contents_in_any_output(pack: ReportPack) -> None:
    for path in pack.paths:
        raw = _zip_text(path) if path.suffix in (".docx", ".xlsx") else path.read_text("utf-8")
        assert ROSTER_FILE in raw  # the metadata is there ...
        assert ROSTER_PERSON not in raw and ROSTER_NUMBER not in raw  # ... the contents are not
    cells = [
        str(c.value)
        for ws in openpyxl.load_workbook(pack.xlsx).worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    ]
    assert not any(ROSTER_PERSON in value for value in cells)


def test_english_pack_uses_iso_dates(worked: Tracker, tmp_path: Path) -> None:
    pack = build_pack(worked.store, "R3-1", tmp_path / "en", now=PACKED, lang="en")
    document = docx.Document(str(pack.docx))
    assert document.paragraphs[0].text == "2021-05-12"
    assert any("follow-up of the conditions" in p.text for p in document.paragraphs)
    sheet = openpyxl.load_workbook(pack.xlsx).worksheets[0]
    assert sheet["A1"].value == "Consultation"
    due_column = [c.value for c in sheet[1]].index("Due") + 1
    assert sheet.cell(2, due_column).number_format == "yyyy-mm-dd"


def test_unknown_or_missing_meeting_is_refused(worked: Tracker, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        build_pack(worked.store, "R9-9", tmp_path / "x", now=PACKED)
    with pytest.raises(NotFound) as raised:
        build_pack(worked.store, None, tmp_path / "x", now=dt.datetime(2030, 1, 1, tzinfo=TOKYO))
    assert "審議会の予定" in raised.value.render("ja")
    assert not (tmp_path / "x").exists() or not any((tmp_path / "x").iterdir())


def test_writers_are_imported_lazily() -> None:
    code = (
        "import sys, duediligence.report, duediligence.cli; "
        "print('docx' in sys.modules, 'openpyxl' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# -- marking a meeting reported ----------------------------------------------------------------


def test_mark_reported_marks_exactly_the_accepted_items_of_the_pack(
    pack: ReportPack, worked: Tracker
) -> None:
    store = worked.store
    # Accepted after the pack went out: the council was told it was still under review.
    worked.accept("R2-15-03", actor=SECRETARIAT, now=PACKED + dt.timedelta(days=1))
    events_before = len(store.events())

    result = mark_pack_reported(worked, "R3-1", actor=SECRETARIAT, now=AFTER_MEETING)

    assert [c.id for c in result.marked] == ["R2-15-08", "R2-RPT-01-1"]
    assert all(
        c.status is Status.REPORTED and c.reported_at_meeting == "R3-1" for c in result.marked
    )
    assert store.condition("R2-15-03").status is Status.ACCEPTED
    assert [s.condition.id for s in result.skipped] == ["R2-15-03"]
    assert result.skipped[0].accepted_after_packing
    assert store.condition("R2-15-01").status is Status.RETURNED
    for condition_id in ("R2-15-08", "R2-RPT-01-1"):
        reported = [e for e in store.events(condition_id) if e.action == "reported"]
        assert len(reported) == 1 and reported[0].data["meeting"] == "R3-1"
    assert store.condition("R2-RPT-01-1#2").due == dt.date(2022, 3, 31)  # the next year's report
    new_events = store.events()[events_before:]
    assert sum(e.action == "reported" for e in new_events) == 2

    again = mark_pack_reported(worked, "R3-1", actor=SECRETARIAT, now=AFTER_MEETING)
    assert again.marked == ()


def test_mark_reported_is_all_or_nothing(pack: ReportPack, worked: Tracker) -> None:
    store = worked.store
    # A database-level failure on the second item must undo the first.
    store.db.execute(
        "CREATE TEMP TRIGGER refuse_second BEFORE UPDATE OF status ON conditions "
        "WHEN NEW.id = 'R2-RPT-01-1' AND NEW.status = 'reported' "
        "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    with pytest.raises(Exception, match="disk full"):
        mark_pack_reported(worked, "R3-1", actor=SECRETARIAT, now=AFTER_MEETING)
    assert store.condition("R2-15-08").status is Status.ACCEPTED
    assert not [e for e in store.events("R2-15-08") if e.action == "reported"]


def test_mark_reported_needs_the_secretariat_and_a_pack(worked: Tracker, tmp_path: Path) -> None:
    with pytest.raises(NotFound) as raised:
        mark_pack_reported(worked, "R3-1", actor=SECRETARIAT, now=AFTER_MEETING)
    assert raised.value.key == "error.report.no_pack"
    build_pack(worked.store, "R3-1", tmp_path / "out", now=PACKED)
    with pytest.raises(PermissionDenied):
        mark_pack_reported(worked, "R3-1", actor=SHUNO_OWNER, now=AFTER_MEETING)
    assert worked.store.condition("R2-15-08").status is Status.ACCEPTED


def test_later_packs_drop_reported_and_already_reported_waivers(
    pack: ReportPack, worked: Tracker, tmp_path: Path
) -> None:
    store = worked.store
    mark_pack_reported(worked, "R3-1", actor=SECRETARIAT, now=AFTER_MEETING)
    rebuilt = build_pack(store, "R3-1", tmp_path / "again", now=AFTER_MEETING)
    # The R3-1 pack stays whole, and now also lists next year's report, opened on marking.
    assert set(rebuilt.condition_ids) == {*pack.condition_ids, "R2-RPT-01-1#2"}
    assert "【状況】報告済（R3-1）" in _blocks(docx.Document(str(rebuilt.docx)))["R2-15-08"]

    with store.transaction():
        store.save_meeting(
            Meeting(id="R3-2", council=pack.meeting.council, date=dt.date(2021, 8, 20))
        )
    later = build_pack(store, "R3-2", tmp_path / "later", now=AFTER_MEETING)
    assert "R2-15-08" not in later.condition_ids  # reported at R3-1
    assert "R2-15-12" not in later.condition_ids  # waived, and the R3-1 pack said so
    assert "R2-RPT-01-1#2" in later.condition_ids  # next year's report is open
    assert "R2-15-01" in later.condition_ids
    events = [e for e in store.events("meeting:R3-2") if e.action == "report_pack_built"]
    assert len(events) == 1 and events[0].data["items"] == len(later.condition_ids)


# -- the command line ------------------------------------------------------------------------


def test_cli_report_and_mark_reported(tmp_path: Path, admin: AdminCli) -> None:
    def run(*args: str, now: str) -> str:
        result = admin(*args, now=now)
        assert result.exit_code == 0, result.output
        return result.output

    run("import", str(SAMPLE), "--as", SECRETARIAT, now="2021-02-10T19:40")
    answer = tmp_path / "answer.pdf"
    answer.write_bytes(b"written answer")
    run("evidence", "add", "R2-15-07", str(answer), "--as", SHUNO_OWNER, now="2021-03-01T10:00")
    run("accept", "R2-15-07", "--as", SECRETARIAT, now="2021-03-02T10:00")

    refused = admin(
        "mark-reported", "--meeting", "R3-1", "--as", SECRETARIAT, now="2021-05-19T17:00"
    )
    assert refused.exit_code == 1 and "報告資料はまだ作成されていません" in refused.output

    out = tmp_path / "pack"
    built = run("report", "--out", str(out), now="2021-05-12T09:00")
    assert "令和3年度第1回 の報告資料を作成しました（23件）" in built
    assert (out / "report-pack-R3-1.docx").exists() and (out / "report-pack-R3-1.xlsx").exists()

    marked = run("mark-reported", "--meeting", "R3-1", "--as", SECRETARIAT, now="2021-05-19T17:00")
    assert "1 件を報告済にしました" in marked and "R2-15-07" in marked

    # With an ID the command still marks that one condition.
    run("evidence", "add", "R2-15-10", str(answer), "--as", SHUNO_OWNER, now="2021-05-20T10:00")
    run("accept", "R2-15-10", "--as", SECRETARIAT, now="2021-05-20T11:00")
    single = run(
        "mark-reported",
        "R2-15-10",
        "--meeting",
        "R3-1",
        "--as",
        SECRETARIAT,
        now="2021-05-20T12:00",
    )
    assert "R2-15-10: 確認済 → 報告済" in single


def test_a_meeting_with_nothing_to_report_gets_an_empty_pack(
    worked: Tracker, tmp_path: Path
) -> None:
    # The sample's consultations were decided at R2-6 itself: nothing can be reported there yet.
    pack = build_pack(worked.store, "R2-6", tmp_path / "empty", now=IMPORTED)
    assert pack.condition_ids == ()
    texts = [p.text for p in docx.Document(str(pack.docx)).paragraphs]
    assert "報告対象の付帯意見等はありません。" in texts
    assert texts[2] == "令和2年度第6回審議会 付帯意見等への対応状況について（報告）"
    assert openpyxl.load_workbook(pack.xlsx).worksheets[0].max_row == 1
    assert worked.store.pack_record("R2-6").items == ()
