"""The spreadsheet beside the Word document: one row per condition, filters on.

Dates are real Excel dates; in Japanese they are displayed in 和暦 through
the ``ggge`` number format, so sorting and filtering still work. openpyxl is
imported only when a workbook is written, and in write-only mode, which keeps
a 10,000-row pack quick. Every value goes through :mod:`duediligence.safe_cell`,
so a vendor called ``=1+1`` is the text ``=1+1``, never a formula.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..kinds import kind_label
from ..messages import t
from ..safe_cell import clean_text, guard_cell, safe_row, safe_value, save_workbook
from . import text
from .pack import PackContent, PackItem, PackSection

WAREKI_FORMAT = '[$-411]ggge"年"m"月"d"日";@'
ISO_FORMAT = "yyyy-mm-dd"
WRAP_WIDTH = 36  # columns at least this wide wrap their text

Getter = Callable[[PackSection, PackItem, str], Any]

#: (message key of the heading, column width, value of a row)
COLUMNS: tuple[tuple[str, int, Getter], ...] = (
    ("report.col.consultation", 22, lambda s, i, lang: s.consultation.number or s.consultation.id),
    ("report.col.consultation_title", 36, lambda s, i, lang: s.consultation.title),
    ("report.col.decided", 16, lambda s, i, lang: text.approved_by(s, lang)),
    ("report.col.department", 18, lambda s, i, lang: i.condition.department),
    ("report.col.vendor", 26, lambda s, i, lang: i.condition.vendor or ""),
    ("report.col.id", 14, lambda s, i, lang: i.condition.id),
    ("report.col.kind", 16, lambda s, i, lang: kind_label(i.condition.kind, lang)),
    ("report.col.text", 60, lambda s, i, lang: i.condition.text),
    ("report.col.status", 16, lambda s, i, lang: t(f"status.{i.status}", lang)),
    ("report.col.due", 16, lambda s, i, lang: i.condition.due),
    ("report.col.original_due", 16, lambda s, i, lang: i.original_due),
    ("report.col.overdue", 10, lambda s, i, lang: t("report.yes", lang) if i.overdue else ""),
    ("report.col.done", 48, lambda s, i, lang: text.done(i, lang)),
    ("report.col.evidence", 48, lambda s, i, lang: "\n".join(e.filename for e in i.evidence)),
    ("report.col.last_received", 16, lambda s, i, lang: i.last_received),
    (
        "report.col.uploaders",
        18,
        lambda s, i, lang: "\n".join(dict.fromkeys(e.uploader for e in i.evidence)),
    ),
    ("report.col.accepted_on", 16, lambda s, i, lang: i.accepted_on),
    ("report.col.reason", 40, lambda s, i, lang: i.reason if text.shows_reason(i) else ""),
    (
        "report.col.recurrence",
        12,
        lambda s, i, lang: t(f"recurrence.{i.condition.recurrence}", lang),
    ),
    ("report.col.next", 16, lambda s, i, lang: i.next_due or _first_expiry(i)),
    ("report.col.reported_at", 14, lambda s, i, lang: i.condition.reported_at_meeting or ""),
)


def write_xlsx(content: PackContent, path: Path, *, lang: str = "ja") -> Path:
    """Write *content* as an .xlsx at *path*: a row per condition, then counts by department."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    _write_items(workbook, content, lang)
    _write_counts(workbook, content, lang)
    if content.access is not None:
        _write_access(workbook, content, lang)
    save_workbook(workbook, path)
    return path


def _write_items(workbook: Any, content: PackContent, lang: str) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(t("report.sheet.items", lang)[:31])
    for number, (_, width, _) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    rows = len(content.items)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{rows + 1}"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    date_format = WAREKI_FORMAT if lang == "ja" else ISO_FORMAT
    header = []
    for key, _, _ in COLUMNS:
        cell = WriteOnlyCell(sheet, value=t(key, lang))
        cell.font = bold
        header.append(guard_cell(cell))
    sheet.append(header)
    wrapped = [width >= WRAP_WIDTH for _, width, _ in COLUMNS]
    for section in content.sections:
        for item in section.items:
            row: list[Any] = []
            for (_, _, getter), wraps in zip(COLUMNS, wrapped, strict=True):
                value = clean_text(getter(section, item, lang))
                # Only dates and long text get a styled cell: styling every cell triples the time.
                if isinstance(value, dt.date):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = date_format
                    value = cell
                elif wraps and value:
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.alignment = wrap
                    value = cell
                row.append(safe_value(sheet, value))
            sheet.append(row)


def _write_counts(workbook: Any, content: PackContent, lang: str) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(t("report.sheet.counts", lang)[:31])
    statuses = text.STATUS_ORDER
    sheet.column_dimensions["A"].width = 28
    for number in range(2, len(statuses) + 3):
        sheet.column_dimensions[get_column_letter(number)].width = 14
    bold = Font(bold=True)

    def bold_row(values: list[Any]) -> list[Any]:
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            cell.font = bold
            cells.append(guard_cell(cell))
        return cells

    sheet.append(
        bold_row(
            [t("report.col.department", lang)]
            + [t(f"status.{s}", lang) for s in statuses]
            + [t("report.col.total", lang)]
        )
    )
    table = content.counts_by_department()
    for department, counts in table.items():
        numbers = [counts[s] for s in statuses]
        sheet.append(safe_row(sheet, [department, *numbers, sum(numbers)]))
    totals = content.counts_by_status()
    numbers = [totals[s] for s in statuses]
    sheet.append(bold_row([t("report.col.total", lang), *numbers, sum(numbers)]))


def _write_access(workbook: Any, content: PackContent, lang: str) -> None:
    """Reads per department since the previous meeting: numbers only, no names."""
    summary = content.access
    assert summary is not None
    sheet = workbook.create_sheet(t("report.access.heading", lang)[:31])
    sheet.column_dimensions["A"].width = 28
    sheet.append([text.access_intro(content, lang)])
    columns = ("department", "reads", "owners", "secretariat", "files", "readers")
    sheet.append([t(f"report.access.col.{c}", lang) for c in columns])
    for row in summary.departments:
        sheet.append(
            safe_row(
                sheet,
                [
                    row.department,
                    row.reads,
                    row.by_owners,
                    row.by_secretariat,
                    row.files,
                    row.readers,
                ],
            )
        )


def _first_expiry(item: PackItem) -> dt.date | None:
    return min((expires for _, expires in item.certificates), default=None)
