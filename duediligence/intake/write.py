"""Write the meeting workbook: the blank template (one grey example row per sheet) or an export.

Every data sheet gets Japanese headings in a frozen first row, widths that fit
the text, date columns formatted as dates (shown in 和暦, still real Excel
dates), and drop-down lists: kind, decision, role, recurrence, trigger and
要/不要 from fixed lists; department, vendor and consultation id from the
sheets that define them, so a clerk picks what exists instead of retyping it.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

from ..messages import t
from ..safe_cell import clean_text, guard_cell, save_workbook
from .export import Document
from .layout import (
    CONDITIONS,
    CONSULTATIONS,
    DATA_SHEETS,
    DEPARTMENTS,
    HOWTO,
    LAST_ROW,
    MEETING,
    VENDORS,
    Cells,
    Choice,
    Column,
    Sheet,
)

WAREKI_FORMAT = '[$-411]ggge"年"m"月"d"日";@'
HEADER_FILL = "DDEBF7"
EXAMPLE_GREY = "808080"
_MIN_WIDTH, _MAX_WIDTH = 8, 60

#: The example the template carries (the generic meeting of shared/import-format.md).
EXAMPLE: Document = {
    "council": "〇〇市個人情報保護審議会",
    "meeting": {"id": "R5-3", "name": "令和5年度第3回", "date": dt.date(2023, 10, 12)},
    "next_meeting": {"id": "R5-4", "name": "令和5年度第4回", "date": dt.date(2024, 1, 18)},
    "secretariat": ["U01JIMU0001"],
    "departments": [
        {
            "name": "市民課",
            "owners": ["U01AAAAAAA", "suzuki@city.example.lg.jp"],
            "head": "U01BBBBBBB",
        }
    ],
    "consultations": [
        {
            "id": "R5-07",
            "number": "令和5年度諮問第7号",
            "title": "窓口予約システム運用保守業務委託",
            "department": "市民課",
            "decision": "approved_with_conditions",
            "vendors": [
                {
                    "name": "株式会社サンプル",
                    "role": "contractor",
                    "certifications": [
                        {
                            "scheme": "PrivacyMark",
                            "number": "10000000(05)",
                            "first_registered": dt.date(2010, 6, 1),
                            "last_renewed": dt.date(2022, 6, 1),
                            "expires": dt.date(2024, 5, 31),
                        }
                    ],
                }
            ],
            "conditions": [
                {
                    "id": "R5-07-1",
                    "kind": "pledge",
                    "text": "従事者全員から退職後を含む秘密保持の誓約書を徴取し、写しを提出する",
                    "vendor": "株式会社サンプル",
                    "due": "令和5年12月末",
                }
            ],
        }
    ],
}


def sheet_rows(doc: Document) -> dict[str, list[dict[str, Any]]]:
    """The document as rows of cell values, per sheet (labels in Japanese, as the lists offer)."""
    meeting = doc.get("meeting") or {}
    following = doc.get("next_meeting")
    if isinstance(following, dt.date):
        following = {"date": following}
    following = following or {}
    rows: dict[str, list[dict[str, Any]]] = {sheet.name: [] for sheet in DATA_SHEETS}
    rows[MEETING.name].append(
        {
            "council": doc.get("council"),
            "id": meeting.get("id"),
            "name": meeting.get("name"),
            "date": meeting.get("date"),
            "next_id": following.get("id"),
            "next_name": following.get("name"),
            "next_date": following.get("date"),
            "secretariat": ", ".join(doc.get("secretariat") or []),
        }
    )
    for department in doc.get("departments") or []:
        rows[DEPARTMENTS.name].append(
            {
                "name": department["name"],
                "owners": ", ".join(department.get("owners") or []),
                "head": department.get("head"),
            }
        )
    for consultation in doc.get("consultations") or []:
        cid = consultation["id"]
        rows[CONSULTATIONS.name].append(
            {
                "id": cid,
                "number": consultation.get("number"),
                "title": consultation.get("title"),
                "department": consultation.get("department"),
                "decision": _label(CONSULTATIONS.column("decision"), consultation.get("decision")),
            }
        )
        for vendor in consultation.get("vendors") or []:
            base = {
                "consultation": cid,
                "name": vendor["name"],
                "role": _label(VENDORS.column("role"), vendor.get("role")),
            }
            for cert in vendor.get("certifications") or [{}]:
                rows[VENDORS.name].append(base | dict(cert))
        for condition in consultation.get("conditions") or []:
            rows[CONDITIONS.name].append(
                {
                    "id": condition["id"],
                    "consultation": cid,
                    "kind": _label(CONDITIONS.column("kind"), condition.get("kind")),
                    "text": condition.get("text"),
                    "vendor": condition.get("vendor"),
                    "due": _due_cell(condition.get("due")),
                    "department": condition.get("department"),
                    "report_back": t(
                        "intake.yes" if condition.get("report_back", True) else "intake.no", "ja"
                    ),
                    "recurrence": _label(
                        CONDITIONS.column("recurrence"), condition.get("recurrence", "none")
                    ),
                    "trigger": _label(CONDITIONS.column("trigger"), condition.get("trigger")),
                    "days": condition.get("due_after_event_days"),
                }
            )
    return rows


def example_rows() -> dict[str, list[Any]]:
    """The template's example row of each sheet, as cell values (the reader skips it)."""
    return {
        sheet.name: [rows[0].get(c.key) for c in sheet.columns]
        for sheet, rows in ((s, sheet_rows(EXAMPLE)[s.name]) for s in DATA_SHEETS)
    }


def write_template(path: str | Path, *, lang: str = "ja") -> Path:
    """The blank registration workbook: headings, lists, formats and one example row per sheet."""
    return write_workbook(Path(path), EXAMPLE, lang=lang, example=True)


def build_workbook(doc: Document, *, lang: str = "ja", example: bool = False) -> Any:
    """*doc* as the registration workbook, in memory (the draft adds columns before saving)."""
    from openpyxl import Workbook  # lazy: only workbooks need it

    book = Workbook()
    book.remove(book.active)
    rows = sheet_rows(doc)
    for sheet in DATA_SHEETS:
        _data_sheet(book, sheet, rows[sheet.name], lang=lang, example=example)
    _howto_sheet(book, lang)
    return book


def write_workbook(path: Path, doc: Document, *, lang: str = "ja", example: bool = False) -> Path:
    """Write *doc* as the registration workbook (atomically: a temporary file renamed)."""
    return save_atomically(build_workbook(doc, lang=lang, example=example), path)


def save_atomically(book: Any, path: Path) -> Path:
    """Save *book* through safe_cell to a temporary file, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp")
    save_workbook(book, temp)  # every text cell as text (duediligence.safe_cell)
    temp.replace(path)
    return path


def _data_sheet(
    book: Any, sheet: Sheet, rows: list[dict[str, Any]], *, lang: str, example: bool
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    ws = book.create_sheet(sheet.name)
    for index, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=index, value=column.heading)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(sheet.columns, start=1):
            cell = ws.cell(row=number, column=index)
            put(cell, row.get(column.key))
            if isinstance(cell.value, dt.date):
                cell.number_format = WAREKI_FORMAT if lang == "ja" else "yyyy-mm-dd"
            if column.width >= 40:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if example:
                cell.font = Font(italic=True, color=EXAMPLE_GREY)
    ws.freeze_panes = "A2"
    for column in sheet.columns:
        letter = sheet.letter(column.key)
        values = [column.heading] + [_shown(row.get(column.key)) for row in rows]
        ws.column_dimensions[letter].width = column.width or _fit(values)
        if column.cells in (Cells.DATE, Cells.DUE):
            # A column style, so rows a clerk adds below are dates too.
            ws.column_dimensions[letter].number_format = (
                WAREKI_FORMAT if lang == "ja" else "yyyy-mm-dd"
            )
        _validation(ws, sheet, column, letter, lang)


def _validation(ws: Any, sheet: Sheet, column: Column, letter: str, lang: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    if column.choice is not None:
        labels = _labels(column.choice)
        formula = '"' + ",".join(labels) + '"'
        shown = "、".join(labels)
    elif column.cells is Cells.YES_NO:
        labels = [t("intake.yes", "ja"), t("intake.no", "ja")]
        formula = '"' + ",".join(labels) + '"'
        shown = "、".join(labels)
    elif column.lists is not None:
        other = next(s for s in DATA_SHEETS if s.name == column.lists[0])
        source = other.letter(column.lists[1])
        formula = f"'{other.name}'!${source}$2:${source}${LAST_ROW}"
        shown = t("intake.sheet." + other.record, lang)
    else:
        return
    validation = DataValidation(type="list", formula1=formula, allow_blank=not column.required)
    validation.error = t("intake.choose", lang, choices=shown)
    validation.errorTitle = column.heading
    validation.showErrorMessage = True
    ws.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}{LAST_ROW}")


def _howto_sheet(book: Any, lang: str) -> None:
    from openpyxl.styles import Font

    from .layout import DECISIONS, KINDS, RECURRENCES, ROLES, TRIGGERS

    ws = book.create_sheet(HOWTO)
    for line in t("intake.howto", lang).split("\n"):
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append([])
    ws.append([t("intake.howto.lists", lang)])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    for heading, choice in (
        ("intake.col.kind", KINDS),
        ("intake.col.decision", DECISIONS),
        ("intake.col.role", ROLES),
        ("intake.col.recurrence", RECURRENCES),
        ("intake.col.trigger", TRIGGERS),
    ):
        ws.append([f"{t(heading, 'ja')}: " + "、".join(f"{lbl}({v})" for lbl, v in _pairs(choice))])
    ws.append(
        [f"{t('intake.col.report_back', 'ja')}: {t('intake.yes', 'ja')}、{t('intake.no', 'ja')}"]
    )
    from ..kinds import evidence_rule, kind_label

    ws.append([])
    for kind in KINDS.values:
        ws.append([f"{kind_label(kind, 'ja')}: {evidence_rule(kind, lang)}"])
    ws.column_dimensions["A"].width = 110


def put(cell: Any, value: Any) -> None:
    """Write a value as data, never as a formula: see :mod:`duediligence.safe_cell`."""
    if value is None or value == "":
        return
    cell.value = clean_text(value)
    guard_cell(cell)


def _labels(choice: Choice) -> list[str]:
    return [label for label, _ in _pairs(choice)]


def _pairs(choice: Choice) -> list[tuple[str, str]]:
    return [(t(choice.prefix + value, "ja"), value) for value in choice.values]


def _label(column: Column, code: Any) -> str | None:
    if code is None or column.choice is None:
        return None
    return t(column.choice.prefix + str(code), "ja")


def _due_cell(due: Any) -> Any:
    """A registered due: ISO text becomes an Excel date, next_meeting the words 次回審議会."""
    if due is None:
        return None
    if isinstance(due, dt.date):
        return due
    text = str(due)
    if text == "next_meeting":
        return t("intake.next_meeting", "ja")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return text
    return day if day.isoformat() == text else text


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return "令和10年10月10日"
    return str(value)


def _fit(values: list[str]) -> float:
    """Width in Excel's units: East Asian characters count double."""
    widest = max(
        (
            sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
            for value in values
            for line in value.split("\n")
        ),
        default=0,
    )
    return max(_MIN_WIDTH, min(_MAX_WIDTH, widest + 2))
