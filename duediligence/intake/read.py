"""Read a filled meeting workbook into the importer's checks, so it is refused or taken whole.

The workbook is turned into the same document tree a YAML file gives, with a
cell reference (``付帯条件!D7``) wherever the YAML reader keeps a line number;
the importer's own checks then run unchanged, so a workbook and the equivalent
YAML import to exactly the same records. Problems name the column by its
heading and the cell to fix; drop-down labels (名簿, 条件付き可, 要) and the
YAML codes (roster, approved_with_conditions, true) are both accepted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import unicodedata
from typing import Any

from ..errors import ImportFormatError
from ..evidence import human_size
from ..importer import Location, MeetingFile, _Checker, _Map, _Seq, check_document
from ..suggest import Choices, Closest, choice_code
from ..zip_guard import MAX_UNPACKED, unpacks_within
from .layout import (
    BY_PATH,
    CONDITIONS,
    CONSULTATIONS,
    DATA_SHEETS,
    DEPARTMENTS,
    MEETING,
    NEXT_MEETING_WORDS,
    NO_WORDS,
    VENDORS,
    YES_WORDS,
    Cells,
    Choice,
    Column,
    Sheet,
    cell_ref,
)

_SPLIT_USERS = re.compile(r"[,、，;；\s]+")
#: Excel's serial day numbers for 1954 … 2119: a number in a date column is one of these
_SERIALS = range(20000, 80000)

Row = tuple[int, dict[str, tuple[Any, str]]]  # row number, column key -> (value, cell)

#: the importer's wording for YAML, and the same problem said of the workbook's sheets
_SHEET_WORDING = {
    "import.unknown_department": "import.sheet.unknown_department",
    "import.unknown_vendor": "import.sheet.unknown_vendor",
}


class CellChecker(_Checker):
    """The importer's checker, speaking in column headings and cells instead of YAML paths."""

    def add(self, line: Location, key: str, **params: Any) -> None:
        field = params.get("field")
        found = BY_PATH.get(str(field)) if field is not None else None
        if found is not None:
            params["field"] = found[1].heading
            if key == "import.bad_choice" and found[1].choice is not None:
                params["choices"] = Choices(found[1].choice.prefix, found[1].choice.values)
        if key == "import.missing" and isinstance(line, str):
            key = "import.cell_empty"
        key = _SHEET_WORDING.get(key, key)
        if str(params.get("name", params.get("id", ""))) in _example_names():
            params["hint"] = "import.example_hint"
        if params.get("expected") == "import.expected.bool":
            params["expected"] = "import.expected.yes_no"
        super().add(line, key, **params)


def parse_workbook(raw: bytes, *, filename: str, today: dt.date) -> MeetingFile:
    """Check a workbook; raise ImportFormatError naming each bad cell, or return the meeting."""
    import openpyxl  # lazy: only workbooks need it

    if not unpacks_within(raw):  # duediligence.zip_guard: before openpyxl unpacks a bomb
        limit = human_size(MAX_UNPACKED)
        raise ImportFormatError(filename, [(None, "import.zip_bomb", {"limit": limit})])
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged file
        raise ImportFormatError(
            filename, [(None, "import.workbook", {"detail": type(err).__name__})]
        ) from None
    check = CellChecker()
    tables = {sheet.name: _table(book, sheet, check) for sheet in DATA_SHEETS}
    if not tables[MEETING.name] and not check.problems:
        check.add(cell_ref(MEETING.name, 1, 2), "import.no_meeting_row")
    if check.problems:  # no meeting to check anything against
        raise ImportFormatError(filename, check.problems)
    doc = _document(tables, check)
    return check_document(
        doc,
        filename=filename,
        sha256=hashlib.sha256(raw).hexdigest(),
        today=today,
        check=check,
    )


# -- sheets into rows -------------------------------------------------------------


def _table(book: Any, sheet: Sheet, check: _Checker) -> list[Row]:
    if sheet.name not in book.sheetnames:
        check.add(None, "import.no_sheet", sheet=sheet.name)
        return []
    ws = book[sheet.name]
    positions: dict[str, int] = {}
    for index, cell in enumerate(next(ws.iter_rows(min_row=1, max_row=1), ()), start=1):
        column = _column_for(sheet, cell.value)
        if column is not None and column.key not in positions:
            positions[column.key] = index
    for column in sheet.columns:
        if column.required and column.key not in positions:
            check.add(
                cell_ref(sheet.name, 1, 1),
                "import.no_column",
                sheet=sheet.name,
                column=column.heading,
            )
    example = _example(sheet)
    rows: list[Row] = []
    for number, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        record = {
            key: (
                values[index - 1] if index - 1 < len(values) else None,
                cell_ref(sheet.name, index, number),
            )
            for key, index in positions.items()
        }
        shown = {key: _plain(value) for key, (value, _) in record.items()}
        if not any(shown.values()):
            continue
        if number == 2 and all(shown[key] == example.get(key, "") for key in shown):
            continue  # the template's example row, left as it was
        rows.append((number, record))
    return rows


def _column_for(sheet: Sheet, heading: Any) -> Column | None:
    text = _fold(re.sub(r"[(（][^)）]*[)）]", "", str(heading or "")).replace("※", ""))
    for column in sheet.columns:
        full = _fold(column.heading)
        short = _fold(re.sub(r"[(（][^)）]*[)）]", "", column.heading))
        if text in (full, short, _fold(column.key), _fold(column.path)):
            return column
    return None


def _example_names() -> set[str]:
    """Names the template's example rows define (a row referring to one meant to keep it)."""
    from .write import example_rows

    rows = example_rows()
    return {
        _plain(rows[sheet.name][[c.key for c in sheet.columns].index(key)])
        for sheet, key in ((DEPARTMENTS, "name"), (CONSULTATIONS, "id"), (VENDORS, "name"))
    }


def _example(sheet: Sheet) -> dict[str, str]:
    from .write import example_rows

    values = example_rows()[sheet.name]
    return {c.key: _plain(v) for c, v in zip(sheet.columns, values, strict=True)}


# -- rows into the document ---------------------------------------------------------


def _document(tables: dict[str, list[Row]], check: _Checker) -> _Map:
    meeting_rows = tables[MEETING.name]
    doc = _map(cell_ref(MEETING.name, 1, 2))
    if meeting_rows:
        number, row = meeting_rows[0]
        doc.line = row["id"][1] if "id" in row else cell_ref(MEETING.name, 1, number)
        _put(doc, "council", row, "council", MEETING)
        doc["meeting"] = _record(row, MEETING, {"id": "id", "name": "name", "date": "date"})
        doc.key_lines["meeting"] = doc.line
        following = _record(
            row, MEETING, {"id": "next_id", "name": "next_name", "date": "next_date"}
        )
        if following:
            doc["next_meeting"] = following
            doc.key_lines["next_meeting"] = following.line
        _put(doc, "secretariat", row, "secretariat", MEETING)
        for extra, _ in meeting_rows[1:]:
            check.add(cell_ref(MEETING.name, 1, extra), "import.one_row", row=extra)
    doc["departments"] = _seq(
        cell_ref(DEPARTMENTS.name, 1, 2),
        [
            (_record(row, DEPARTMENTS, _same(DEPARTMENTS)), cell_ref(DEPARTMENTS.name, 1, n))
            for n, row in tables[DEPARTMENTS.name]
        ],
    )
    doc.key_lines["departments"] = doc["departments"].line
    consultations: dict[str, _Map] = {}
    listed = []
    for number, row in tables[CONSULTATIONS.name]:
        record = _record(row, CONSULTATIONS, _same(CONSULTATIONS))
        record["vendors"] = _seq(record.line, [])
        record["conditions"] = _seq(record.line, [])
        listed.append((record, cell_ref(CONSULTATIONS.name, 1, number)))
        if isinstance(record.get("id"), str):
            consultations.setdefault(record["id"], record)
    doc["consultations"] = _seq(cell_ref(CONSULTATIONS.name, 1, 2), listed)
    doc.key_lines["consultations"] = doc["consultations"].line
    _vendors(tables[VENDORS.name], consultations, check)
    for _, row in tables[CONDITIONS.name]:
        owner = _owner(row, CONDITIONS, consultations, check)
        if owner is not None:
            fields = {k: k for k in _same(CONDITIONS) if k not in ("consultation", "days")}
            record = _record(row, CONDITIONS, fields | {"due_after_event_days": "days"})
            owner["conditions"].append(record)
            owner["conditions"].item_lines.append(record.line)
    return doc


def _vendors(rows: list[Row], consultations: dict[str, _Map], check: _Checker) -> None:
    vendors: dict[tuple[str, str], _Map] = {}
    cert_keys = ("scheme", "number", "scope", "first_registered", "last_renewed", "expires")
    for _, row in rows:
        owner = _owner(row, VENDORS, consultations, check)
        if owner is None:
            continue
        name = _plain(row["name"][0]) if "name" in row else ""
        vendor = vendors.get((str(owner["id"]), name)) if name else None
        if vendor is None:
            vendor = _record(row, VENDORS, {"name": "name", "role": "role"})
            vendor["certifications"] = _seq(vendor.line, [])
            owner["vendors"].append(vendor)
            owner["vendors"].item_lines.append(vendor.line)
            if name:
                vendors[(str(owner["id"]), name)] = vendor
        elif "role" not in vendor and "role" in row and _plain(row["role"][0]):
            _put(vendor, "role", row, "role", VENDORS)
        if any(_plain(row[k][0]) for k in cert_keys if k in row):
            cert = _record(row, VENDORS, {k: k for k in cert_keys})
            vendor["certifications"].append(cert)
            vendor["certifications"].item_lines.append(cert.line)
    for vendor in vendors.values():
        if not vendor["certifications"]:
            del vendor["certifications"]


def _owner(
    row: dict[str, tuple[Any, str]], sheet: Sheet, consultations: dict[str, _Map], check: _Checker
) -> _Map | None:
    """The consultation a 委託先 or 付帯条件 row belongs to, or a problem naming its cell."""
    value, ref = row.get("consultation", (None, ""))
    key = _plain(value)
    if not key:
        check.add(ref or None, "import.cell_empty", field=sheet.column("consultation").heading)
        return None
    if key not in consultations:
        check.add(
            ref, "import.unknown_consultation", id=key, hint=Closest(key, tuple(consultations))
        )
        return None
    return consultations[key]


def _same(sheet: Sheet) -> dict[str, str]:
    return {c.key: c.key for c in sheet.columns}


def _record(row: dict[str, tuple[Any, str]], sheet: Sheet, fields: dict[str, str]) -> _Map:
    """A mapping of *fields* (document key -> column key) read from *row*'s cells."""
    refs = [row[c][1] for c in fields.values() if c in row]
    record = _map(refs[0] if refs else "")
    for key, column_key in fields.items():
        _put(record, key, row, column_key, sheet)
    return record


def _put(
    record: _Map, key: str, row: dict[str, tuple[Any, str]], column_key: str, sheet: Sheet
) -> None:
    if column_key not in row:
        return
    value, ref = row[column_key]
    record.key_lines[key] = ref
    converted = _convert(value, sheet.column(column_key), ref)
    if converted is not None:
        record[key] = converted


def _convert(value: Any, column: Column, ref: str) -> Any:
    """A cell's value as the YAML reader would have given it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if column.cells in (Cells.DATE, Cells.DUE):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool) and value in _SERIALS:
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        if column.cells is Cells.DUE and _fold(str(value)) in {
            _fold(w) for w in NEXT_MEETING_WORDS
        }:
            return "next_meeting"
        return _plain(value)
    if column.cells is Cells.USERS:
        items = [u for u in _SPLIT_USERS.split(_plain(value)) if u]
        seq = _Seq(items)
        seq.line = ref
        seq.item_lines = [ref] * len(items)
        return seq
    if column.cells is Cells.CHOICE and column.choice is not None:
        return _code(column.choice, _plain(value))
    if column.cells is Cells.YES_NO:
        if isinstance(value, bool):
            return value
        folded = _fold(str(value))
        if folded in {_fold(w) for w in YES_WORDS}:
            return True
        if folded in {_fold(w) for w in NO_WORDS}:
            return False
        return _plain(value)
    if column.cells is Cells.DAYS:
        if isinstance(value, bool):
            return _plain(value)
        if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
            return int(value)
        text = unicodedata.normalize("NFKC", str(value)).strip()
        return int(text) if text.isdigit() else text
    return _plain(value)


def _code(choice: Choice, text: str) -> str:
    """The code of a drop-down label in either language (名簿 → roster), or the text as is."""
    return choice_code(choice.prefix, choice.values, text) or text


def _plain(value: Any) -> str:
    """A cell as text: numbers without a trailing .0, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def _map(line: str) -> _Map:
    record = _Map()
    record.line = line
    record.key_lines = {}
    return record


def _seq(line: str, items: list[tuple[_Map, str]]) -> _Seq:
    seq = _Seq(item for item, _ in items)
    seq.line = line
    seq.item_lines = [ref for _, ref in items]
    return seq
