"""Text stays text in every workbook the project writes (formula injection, OWASP).

A vendor called ``=HYPERLINK("http://x")株式会社`` or ``@SUM(A1)`` comes from an
import file or an upload, i.e. from someone outside the secretariat. openpyxl
turns any string starting with ``=`` into a live formula (and ``#N/A`` into an
error value), and Excel re-reads ``= + - @``, a tab or a CR at the start of a
cell as a formula as soon as somebody edits it. So every string we write goes
through here: it is stored as a string cell (``t="inlineStr"``) and, when it
starts like a formula, also with Excel's *quote prefix* (the leading ``'`` a
clerk would type), so the council sees exactly the name that was given, never
its result. The text itself is not changed, except that control characters
a worksheet cannot hold are dropped (as the Word document drops them), so a
stray ``\x01`` in a reason never stops the report pack.

Use :func:`safe_value` for each value of a write-only sheet's row (or
:func:`safe_row` for a whole row), :func:`clean_text` on a value before you
build a cell from it yourself and :func:`guard_cell` after styling that cell, and :func:`save_workbook` to save an ordinary (not write-only)
workbook: it guards every cell first, so nothing written that way can slip
through. openpyxl is imported only when a cell is actually built.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

#: what makes Excel (or LibreOffice) read a cell as a formula: OWASP's list
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

__all__ = [
    "FORMULA_START",
    "clean_text",
    "guard_cell",
    "guard_workbook",
    "looks_like_formula",
    "safe_row",
    "safe_value",
    "save_workbook",
]


def clean_text(value: Any) -> Any:
    """*value* without the control characters openpyxl refuses; anything but text as it is."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet would take *text* for a formula (or an error value)."""
    return text.startswith(FORMULA_START) or (text.startswith("#") and _is_error_code(text))


def guard_cell(cell: Any) -> Any:
    """Make *cell* (an openpyxl Cell) a plain text cell if it holds text; return it.

    Idempotent and cheap for cells that are already safe, so it can run over a
    whole sheet.
    """
    value = cell._value  # the bound value: .value would also be the formula text
    if isinstance(value, str) and (cell.data_type in ("f", "e") or looks_like_formula(value)):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def safe_value(sheet: Any, value: Any) -> Any:
    """*value* ready for ``sheet.append``: unchanged unless it is text that looks like a formula.

    Such text comes back as a text cell with the quote prefix set. Plain text,
    numbers, dates and cells already built are returned as they are (styling
    every cell of a 10,000-row pack would triple the time it takes to write).
    """
    value = clean_text(value)
    if isinstance(value, str) and looks_like_formula(value):
        from openpyxl.cell import WriteOnlyCell

        return guard_cell(WriteOnlyCell(sheet, value=value))
    if _is_cell(value):
        return guard_cell(value)
    return value


def safe_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """:func:`safe_value` for each of *values*."""
    return [safe_value(sheet, value) for value in values]


def guard_workbook(book: Any) -> Any:
    """Guard every cell of an ordinary workbook (not write-only); return it."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                guard_cell(cell)
    return book


def save_workbook(book: Any, target: str | Path | IO[bytes]) -> None:
    """Save *book* to a path or a binary stream, every text cell written as text."""
    if not getattr(book, "write_only", False):
        guard_workbook(book)
    book.save(str(target) if isinstance(target, Path) else target)


def _is_error_code(text: str) -> bool:
    from openpyxl.cell.cell import ERROR_CODES

    return text in ERROR_CODES


def _is_cell(value: Any) -> bool:
    return hasattr(value, "data_type") and hasattr(value, "_value")
