"""`duediligence draft`: conditions proposed from minutes, scored against registered meetings."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from duediligence.draft import draft_from_bytes, draft_minutes, proposals_json, write_draft
from duediligence.draft.minutes import normalize
from duediligence.draft.patterns import patterns
from duediligence.draft.score import load_reference, score_draft
from duediligence.errors import DueDiligenceError

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).with_name("data") / "draft"
SEED_MINUTES = ROOT / "examples" / "council-minutes-2021-02-10.txt"

#: (minutes, registered meeting, gold, meeting date)
CORPORA = {
    "seed 2021-02-10": (
        SEED_MINUTES,
        ROOT / "examples" / "council-2021-02-10.yaml",
        DATA / "council-2021-02-10.gold.yaml",
        dt.date(2021, 2, 10),
    ),
    "held-out 2023-10-12": (
        DATA / "heldout-minutes.txt",
        DATA / "heldout-meeting.yaml",
        DATA / "heldout-meeting.gold.yaml",
        dt.date(2023, 10, 12),
    ),
    "held-out 2022-07-21": (
        DATA / "heldout2-minutes.txt",
        DATA / "heldout2-meeting.yaml",
        DATA / "heldout2-meeting.gold.yaml",
        dt.date(2022, 7, 21),
    ),
}


@pytest.mark.parametrize("name", list(CORPORA))
def test_draft_meets_the_targets(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    minutes, meeting, gold, day = CORPORA[name]
    score = score_draft(draft_minutes(minutes, today=day), load_reference(meeting, gold))
    with capsys.disabled():
        print(f"\n{name} ({minutes.name})\n{score.table()}\nmissed: {', '.join(score.missed)}")
    assert score.recall >= 0.90, score.missed
    assert score.precision >= 0.80, score.false
    assert score.kind_accuracy >= 0.85
    assert score.timing_accuracy >= 0.85


def test_the_scoring_counts_each_condition_once() -> None:
    """Merging every proposal into one cannot buy recall: the matching is one-to-one."""
    minutes, meeting, gold, day = CORPORA["seed 2021-02-10"]
    draft = draft_minutes(minutes, today=day)
    first = draft.consultations[0]
    lump = first.proposals[0]
    for other in first.proposals[1:]:
        lump.sentences.extend(other.sentences)
    first.proposals = [lump]
    score = score_draft(draft, load_reference(meeting, gold))
    assert score.found <= 1 + sum(len(s.proposals) for s in draft.consultations[1:])
    assert score.recall < 0.5


def test_every_pattern_matches_the_sentence_it_was_made_from() -> None:
    for name, pattern_set in patterns().items():
        for pattern in pattern_set.patterns:
            assert pattern.search(normalize(pattern.example)), (name, pattern.regex.pattern)


def test_seed_draft_reads_the_meeting_and_its_consultations() -> None:
    draft = draft_minutes(SEED_MINUTES, today=dt.date(2026, 12, 4))
    assert draft.council == "東村山市個人情報保護運営審議会"
    assert draft.meeting_name == "令和2年度第6回"
    assert draft.meeting_date == dt.date(2021, 2, 10)
    numbers = [(s.number, s.department, s.decision) for s in draft.consultations]
    assert numbers[:2] == [
        ("令和2年度諮問第15号", "収納課", "approved_with_conditions"),
        ("令和2年度諮問第16号", "新型コロナウイルスワクチン接種事業PT", "approved_with_conditions"),
    ]
    # the camera report asked for a yearly count; the other two reports asked nothing
    assert [s.title for s in draft.consultations[2:]] == [
        "市役所本庁舎及びいきいきプラザへの防犯カメラ設置"
    ]
    report = draft.consultations[2].proposals
    assert [(p.kind, p.due) for p in report] == [("report_back", dt.date(2021, 3, 31))]


def test_json_has_the_documented_fields(admin) -> None:
    result = admin("draft", str(SEED_MINUTES), "--json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    fields = {"consultation", "kind", "text", "line", "due", "department", "vendor", "confidence"}
    assert records and all(fields <= set(r) for r in records)
    lines = SEED_MINUTES.read_text(encoding="utf-8").splitlines()
    for record in records:
        source = normalize("".join(lines[record["line"] - 1 : record["line"] + 3]))  # page breaks
        assert normalize(record["text"])[:12] in source, record
    assert {r["confidence"] for r in records} <= {"high", "medium", "low"}
    report = [r for r in records if r["kind"] == "report_back" and r["due"] == "next_meeting"]
    assert report and report[0]["department"] == "収納課"


MINUTES_WITHOUT_CONDITIONS = """\
| 会議の名称 | 令和6年度第1回個人情報保護審議会 | | |
| 開催日時 | 令和6年5月20日(月) | | |
| 会議次第 | ・令和6年度諮問第1号 「広報紙の配送業務委託」(秘書広報課) ・令和6年度諮問第2号 「健診結果通知の印刷業務委託」(健康推進課) | | |

(1) 諮問審議

○「広報紙の配送業務委託」について、諮問どおり行うことを「可」とする。

※委員意見及び秘書広報課の回答

- 配送先の名簿は受託者に渡すのか。
 - 渡さない。配送は地区ごとの部数のみを伝える。
- 市民の方への周知は丁寧にお願いしたい。
- 特に意見はない。本件については可とする。

○「健診結果通知の印刷業務委託」について、諮問どおり行うことを「可」とする。

※委員意見及び健康推進課の回答

- 昨年と同じ受託者という理解で良いか。
 - お見込みのとおりである。
"""


def test_approvals_without_conditions_propose_none(tmp_path: Path) -> None:
    draft = draft_from_bytes(
        MINUTES_WITHOUT_CONDITIONS.encode(), filename="m.txt", today=dt.date(2024, 5, 1)
    )
    assert [(s.title, s.decision) for s in draft.consultations] == [
        ("広報紙の配送業務委託", "approved"),
        ("健診結果通知の印刷業務委託", "approved"),
    ]
    assert draft.proposals == []


def test_continued_deliberation_is_the_councils_step_not_a_condition() -> None:
    minutes, *_ = CORPORA["held-out 2023-10-12"]
    draft = draft_minutes(minutes, today=dt.date(2023, 10, 12))
    continued = next(s for s in draft.consultations if s.decision == "continued")
    assert [p.text for p in continued.proposals] == [
        "次回までに、保存期間と廃棄方法を整理した資料を提出していただきたい。"
    ]
    assert continued.proposals[0].due == "next_meeting"


def test_shift_jis_minutes_give_the_same_draft() -> None:
    text = SEED_MINUTES.read_text(encoding="utf-8")
    utf8 = draft_from_bytes(text.encode("utf-8"), filename="m.txt", today=dt.date(2021, 2, 10))
    sjis = draft_from_bytes(text.encode("cp932"), filename="m.txt", today=dt.date(2021, 2, 10))
    assert proposals_json(sjis) == proposals_json(utf8)


def test_word_minutes_give_the_same_draft(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    for line in SEED_MINUTES.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "minutes.docx"
    document.save(path)
    word = draft_minutes(path, today=dt.date(2021, 2, 10))
    text = draft_minutes(SEED_MINUTES, today=dt.date(2021, 2, 10))
    assert [(p.kind, p.text) for p in word.proposals] == [(p.kind, p.text) for p in text.proposals]


def test_control_characters_from_word_or_pdf_text_never_reach_the_workbook(
    tmp_path: Path,
) -> None:
    from duediligence.draft.extract import extract
    from duediligence.draft.minutes import minutes_from_text

    text = MINUTES_WITHOUT_CONDITIONS.replace(
        "市民の方への周知は丁寧にお願いしたい。", "従事者の\x1b[31m名簿を\x07提出してほしい。"
    )
    draft = extract(minutes_from_text(text), today=dt.date(2024, 5, 1))
    assert [(p.kind, p.text) for p in draft.proposals] == [
        ("roster", "従事者の[31m名簿を提出してほしい。")
    ]
    write_draft(draft, tmp_path / "d.xlsx", source="m.docx")  # openpyxl refuses ESC: none left


def test_a_text_pdf_is_read(tmp_path: Path) -> None:
    path = tmp_path / "minutes.pdf"
    path.write_bytes(_pdf_with_text("Minutes of the council meeting"))
    draft = draft_minutes(path, today=dt.date(2024, 1, 1))
    assert draft.sections == []  # read (no Japanese structure in it), not refused


@pytest.mark.parametrize(
    ("name", "data", "key"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "draft.not_minutes"),
        ("minutes.txt", b"", "draft.empty"),
        ("scan.pdf", None, "draft.no_text"),
        ("archive.docx", b"PK\x03\x04" + b"\x00" * 64, "draft.not_minutes"),
    ],
)
def test_what_is_not_minutes_gets_one_line_and_nothing_written(
    admin, tmp_path: Path, name: str, data: bytes | None, key: str
) -> None:
    path = tmp_path / name
    path.write_bytes(_pdf_with_text("") if data is None else data)
    out = tmp_path / "draft.xlsx"
    result = admin("draft", str(path), "--out", str(out))
    assert result.exit_code == 1
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in result.output
    assert name in message
    assert not out.exists()
    with pytest.raises(DueDiligenceError) as caught:
        draft_minutes(path, today=dt.date(2024, 1, 1))
    assert caught.value.key == key


def test_the_draft_workbook_imports_once_the_blanks_are_filled(admin, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "draft.xlsx"
    result = admin("draft", str(SEED_MINUTES), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "3 件の諮問" in result.output
    refused = admin("import", str(out))
    assert refused.exit_code != 0
    assert "所管課!" in refused.output  # the owners the draft could not know
    assert json.loads(admin("status", "--json").stdout) == []  # nothing half-imported

    book = load_workbook(out)
    conditions = book["付帯条件"]
    headings = [c.value for c in conditions[1]]
    assert {"確度", "出典(行)", "議事録の原文"} <= set(headings)
    confidence = headings.index("確度") + 1
    assert {conditions.cell(row=r, column=confidence).value for r in range(2, 10)} <= {
        "高",
        "中",
        "低",
    }
    _fill_blanks(book)
    book.save(out)
    imported = admin("import", str(out), "--as", "U01JIMU0001")
    assert imported.exit_code == 0, imported.output
    shown = json.loads(admin("status", "--json").stdout)
    draft = draft_minutes(SEED_MINUTES, today=dt.date(2021, 2, 10))
    assert sorted(item["text"] for item in shown) == sorted(p.text for p in draft.proposals)
    assert {item["consultation"] for item in shown} == {"R2-15", "R2-16", "R2-6-RPT-01"}


def test_the_draft_yaml_carries_confidence_as_comments_and_imports_filled(
    admin, tmp_path: Path
) -> None:
    out = tmp_path / "draft.yaml"
    assert admin("draft", str(SEED_MINUTES), "--out", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert re.search(r"# 確度: (高|中|低) · 出典: \d+", text)
    doc = yaml.safe_load(text)
    for department in doc["departments"]:
        department["owners"] = ["U0OWNER001"]
    doc["next_meeting"] = dt.date(2021, 5, 19)
    for consultation in doc["consultations"]:
        for condition in consultation["conditions"]:
            if "due" not in condition and "trigger" not in condition:
                condition["due"] = "令和3年3月31日"
    out.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    imported = admin("import", str(out), "--as", "U01JIMU0001")
    assert imported.exit_code == 0, imported.output


# -- helpers ---------------------------------------------------------------------------


def _fill_blanks(book) -> None:
    """What the secretariat adds to a draft: owners, the next meeting, the dates not said."""
    departments = book["所管課"]
    owners = _column(departments, "担当者")
    for row in range(2, departments.max_row + 1):
        if departments.cell(row=row, column=1).value:
            departments.cell(row=row, column=owners, value="U0OWNER001")
    book["会議"].cell(
        row=2, column=_column(book["会議"], "次回開催日"), value=dt.datetime(2021, 5, 19)
    )
    conditions = book["付帯条件"]
    due, trigger = _column(conditions, "期限"), _column(conditions, "きっかけ")
    for row in range(2, conditions.max_row + 1):
        if not conditions.cell(row=row, column=1).value:
            continue
        if (
            conditions.cell(row=row, column=due).value is None
            and not conditions.cell(row=row, column=trigger).value
        ):
            conditions.cell(row=row, column=due, value="令和3年3月31日")


def _column(sheet, heading: str) -> int:
    return [str(c.value) for c in sheet[1]].index(heading) + 1


def _pdf_with_text(text: str) -> bytes:
    """A one-page PDF whose text layer holds *text* (none when empty: a scan)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode() if text else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
