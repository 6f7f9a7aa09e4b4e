"""The meeting workbook's sheets and columns, shared by the writer and the reader.

Each data sheet has its headings in row 1 and one record per row below. A
column knows the importer field it fills (the YAML path, so a problem the
importer finds can name the column), how its cells are read, and which
drop-down list it offers. Headings are Japanese, as the secretariat's 台帳 is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from ..checks.triggers import Trigger
from ..model import Decision, Kind, Recurrence, VendorRole


class Cells(StrEnum):
    """How a column's cells are read."""

    TEXT = "text"
    DATE = "date"  # an Excel date, or text parse_due reads
    DUE = "due"  # a date, text, or 次回審議会
    USERS = "users"  # Slack ids / e-mails separated by commas or line breaks
    CHOICE = "choice"  # a label from the drop-down (or the code the YAML uses)
    YES_NO = "yes_no"  # 要 / 不要
    DAYS = "days"  # a whole number


@dataclass(frozen=True, slots=True)
class Choice:
    """The values of a drop-down: codes and the message-key prefix of their labels."""

    prefix: str
    values: tuple[str, ...]


KINDS = Choice("kind.", tuple(k.value for k in Kind))
DECISIONS = Choice("decision.", tuple(d.value for d in Decision))
RECURRENCES = Choice("recurrence.", tuple(r.value for r in Recurrence))
ROLES = Choice("report.role.", tuple(r.value for r in VendorRole))
TRIGGERS = Choice("checks.trigger.", tuple(t.value for t in Trigger))


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # the field within its record (id, name, date, …)
    path: str  # the importer's field name, e.g. "conditions.due"
    header: str  # message key of the heading
    cells: Cells = Cells.TEXT
    choice: Choice | None = None
    #: another sheet's column whose values this column's drop-down offers
    lists: tuple[str, str] | None = None
    required: bool = False
    width: int = 0  # 0: fit the text

    @property
    def heading(self) -> str:
        from ..messages import t

        return t(self.header, "ja")


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str  # the sheet's title, as Excel shows it
    record: str  # meeting, departments, consultations, vendors, conditions
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def letter(self, key: str) -> str:
        return _letter([c.key for c in self.columns].index(key) + 1)


MEETING = Sheet(
    "会議",
    "meeting",
    (
        Column("council", "council", "intake.col.council", required=True),
        Column("id", "meeting.id", "intake.col.meeting_id", required=True),
        Column("name", "meeting.name", "intake.col.meeting_name"),
        Column("date", "meeting.date", "intake.col.meeting_date", Cells.DATE, required=True),
        Column("next_id", "next_meeting.id", "intake.col.next_id"),
        Column("next_name", "next_meeting.name", "intake.col.next_name"),
        Column("next_date", "next_meeting.date", "intake.col.next_date", Cells.DATE),
        Column("secretariat", "secretariat", "intake.col.secretariat", Cells.USERS),
    ),
)
DEPARTMENTS = Sheet(
    "所管課",
    "departments",
    (
        Column("name", "departments.name", "intake.col.department", required=True),
        Column("owners", "departments.owners", "intake.col.owners", Cells.USERS, required=True),
        Column("head", "departments.head", "intake.col.head", Cells.USERS),
    ),
)
CONSULTATIONS = Sheet(
    "諮問",
    "consultations",
    (
        Column("id", "consultations.id", "intake.col.consultation_id", required=True),
        Column("number", "consultations.number", "intake.col.number"),
        Column("title", "consultations.title", "intake.col.title", required=True, width=50),
        Column(
            "department",
            "consultations.department",
            "intake.col.department",
            lists=("所管課", "name"),
            required=True,
        ),
        Column(
            "decision", "consultations.decision", "intake.col.decision", Cells.CHOICE, DECISIONS
        ),
    ),
)
VENDORS = Sheet(
    "委託先",
    "vendors",
    (
        Column(
            "consultation",
            "vendors.consultation",
            "intake.col.consultation_id",
            lists=("諮問", "id"),
            required=True,
        ),
        Column("name", "vendors.name", "intake.col.vendor", required=True),
        Column("role", "vendors.role", "intake.col.role", Cells.CHOICE, ROLES),
        Column("scheme", "certifications.scheme", "intake.col.scheme"),
        Column("number", "certifications.number", "intake.col.cert_number"),
        Column("scope", "certifications.scope", "intake.col.scope"),
        Column(
            "first_registered",
            "certifications.first_registered",
            "intake.col.first_registered",
            Cells.DATE,
        ),
        Column(
            "last_renewed", "certifications.last_renewed", "intake.col.last_renewed", Cells.DATE
        ),
        Column("expires", "certifications.expires", "intake.col.expires", Cells.DATE),
    ),
)
CONDITIONS = Sheet(
    "付帯条件",
    "conditions",
    (
        Column("id", "conditions.id", "intake.col.condition_id", required=True),
        Column(
            "consultation",
            "conditions.consultation",
            "intake.col.consultation_id",
            lists=("諮問", "id"),
            required=True,
        ),
        Column("kind", "conditions.kind", "intake.col.kind", Cells.CHOICE, KINDS, required=True),
        Column("text", "conditions.text", "intake.col.text", required=True, width=60),
        Column("vendor", "conditions.vendor", "intake.col.vendor", lists=("委託先", "name")),
        Column("due", "conditions.due", "intake.col.due", Cells.DUE),
        Column(
            "department",
            "conditions.department",
            "intake.col.owner",
            lists=("所管課", "name"),
        ),
        Column("report_back", "conditions.report_back", "intake.col.report_back", Cells.YES_NO),
        Column(
            "recurrence",
            "conditions.recurrence",
            "intake.col.recurrence",
            Cells.CHOICE,
            RECURRENCES,
        ),
        Column("trigger", "conditions.trigger", "intake.col.trigger", Cells.CHOICE, TRIGGERS),
        Column("days", "conditions.due_after_event_days", "intake.col.days", Cells.DAYS),
    ),
)

DATA_SHEETS: tuple[Sheet, ...] = (MEETING, DEPARTMENTS, CONSULTATIONS, VENDORS, CONDITIONS)
HOWTO = "記入方法"
SHEET_ORDER = {sheet.name: index for index, sheet in enumerate(DATA_SHEETS)} | {HOWTO: 9}
BY_PATH = {column.path: (sheet, column) for sheet in DATA_SHEETS for column in sheet.columns}
NEXT_MEETING_WORDS = ("次回審議会", "次回会議", "次回", "next_meeting", "nextmeeting")
YES_WORDS = ("要", "はい", "yes", "true", "○", "◯", "1")
NO_WORDS = ("不要", "いいえ", "no", "false", "×", "0")
#: how many rows the drop-down lists and date formats cover
LAST_ROW = 1000

_CELL = re.compile(r"^(?P<sheet>.+)!(?P<col>[A-Z]+)(?P<row>\d+)$")


def cell_ref(sheet: str, column: int, row: int) -> str:
    """付帯条件!D7: how a problem names the cell to fix."""
    return f"{sheet}!{_letter(column)}{row}"


def cell_order(ref: str) -> tuple[int, int, int]:
    """Sort key of a cell reference: sheet (in workbook order), row, column."""
    match = _CELL.match(ref)
    if match is None:
        return (99, 0, 0)
    column = 0
    for char in match["col"]:
        column = column * 26 + ord(char) - 64
    return (SHEET_ORDER.get(match["sheet"], 50), int(match["row"]), column)


def _letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
