"""Read the spreadsheets departments actually send: xlsx, or csv in whatever Excel wrote.

Excel on a Japanese PC saves "CSV" as Shift_JIS (cp932) and "CSV UTF-8" with a
BOM; other tools write UTF-8 without one. We try them in that safe order
(BOM → strict UTF-8 → cp932) rather than guessing from statistics. Rows keep
the number a clerk sees in Excel, so a finding can say "row 7".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..dates import parse_due
from ..errors import DueDateError, EvidenceError
from ..evidence import human_size
from ..text_files import decode_text_file
from ..zip_guard import MAX_UNPACKED, unpacks_within

Cell = str | dt.date | None

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
#: PDF, PNG, JPEG, GIF, TIFF: a scan, whatever its name says
_SCAN_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")
_HEADER_SCAN_ROWS = 20
_SLASHED = re.compile(r"^(\d{4})[/.\-年](\d{1,2})[/.\-月](\d{1,2})日?$")
_WAREKI = re.compile(r"^(明治|大正|昭和|平成|令和|[MTSHR]\d)")


@dataclass(frozen=True, slots=True)
class Table:
    """Data rows under a recognised header: (row number, {column: cell})."""

    columns: frozenset[str]
    rows: tuple[tuple[int, dict[str, Cell]], ...]


def decode_text(data: bytes, filename: str = "") -> str:
    """Text of a csv as Excel writes it: UTF-8 (with or without BOM), UTF-16, or cp932."""
    text = decode_text_file(data)
    if text is None:
        raise EvidenceError("checks.file.encoding", filename=filename)
    return text


def normalize(text: str) -> str:
    """NFKC without any spaces: how headers and choices are compared."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def parse_cell_date(value: Cell, *, today: dt.date) -> dt.date | None:
    """A date cell (Excel date, 2021/4/1, 2021-04-01, 令和3年4月1日); None if unreadable.

    Relative words (来月, 2週間後) are refused: a roster states dates, it does not
    count from the day it happens to be uploaded.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    if m := _SLASHED.match(text):
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    if not _WAREKI.match(text):
        return None
    try:
        return parse_due(text, today=today)
    except DueDateError:
        return None


def read_table(data: bytes, *, filename: str, headers: Mapping[str, str], key_column: str) -> Table:
    """Rows of the first sheet (xlsx) or the csv, under the first row naming *key_column*.

    *headers* maps a normalised header text to a column name; unknown headers
    are ignored. Raise EvidenceError if the file is not a readable table.
    """
    if data.startswith(_OLE_MAGIC):
        raise EvidenceError("checks.file.xls", filename=filename)
    if data.startswith(_SCAN_MAGIC):  # a scan or PDF named .xlsx / .csv
        raise EvidenceError("checks.file.not_a_table", filename=filename)
    raw = _xlsx_rows(data, filename) if data.startswith(_XLSX_MAGIC) else _csv_rows(data, filename)
    for index, (_, cells) in enumerate(raw[:_HEADER_SCAN_ROWS]):
        mapping = {
            position: headers[normalize(_strip_note(cell_text(cell)))]
            for position, cell in enumerate(cells)
            if normalize(_strip_note(cell_text(cell))) in headers
        }
        if key_column in mapping.values():
            rows = []
            for number, row_cells in raw[index + 1 :]:
                record = {
                    column: row_cells[position] if position < len(row_cells) else None
                    for position, column in mapping.items()
                }
                if any(cell_text(v) for v in record.values()):
                    rows.append((number, record))
            return Table(columns=frozenset(mapping.values()), rows=tuple(rows))
    raise EvidenceError("checks.file.no_header", filename=filename)


def _strip_note(header: str) -> str:
    """'氏名(必須)' and '※雇用形態' are still the 氏名 and 雇用形態 columns."""
    return re.sub(r"[(（][^)）]*[)）]", "", header).replace("※", "").replace("*", "")


def _csv_rows(data: bytes, filename: str) -> list[tuple[int, list[Cell]]]:
    text = decode_text(data, filename)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(number, list(row)) for number, row in enumerate(reader, start=1)]
    except csv.Error as err:
        raise EvidenceError("checks.file.unreadable", filename=filename, detail=str(err)) from None


def _xlsx_rows(data: bytes, filename: str) -> list[tuple[int, list[Cell]]]:
    import openpyxl  # lazy: only rosters and pledge lists need it

    if not unpacks_within(data):
        raise EvidenceError(
            "checks.file.zip_bomb", filename=filename, limit=human_size(MAX_UNPACKED)
        )
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged file
        raise EvidenceError(
            "checks.file.unreadable", filename=filename, detail=type(err).__name__
        ) from None
    sheet = book.worksheets[0]
    rows: list[tuple[int, list[Cell]]] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        rows.append((number, [_xlsx_cell(v) for v in values]))
    return rows


def _xlsx_cell(value: Any) -> Cell:
    if value is None or isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
