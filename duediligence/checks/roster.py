"""名簿: the roster template, reading and checking an uploaded roster, and version diffs.

The council asked for a roster naming the 個人情報取扱責任者, the 連絡調整責任者 and
every worker with their employment type, resent whenever people change. An
upload is read (xlsx, or csv in any encoding Excel writes), checked row by row,
stored as the next version for its consultation and vendor, and compared with
the previous version; when people changed, the pledge coverage is re-opened.

Names are personal data: they are stored only in the roster tables and go back
to the uploader in :class:`RosterSubmission`; events and findings carry row
numbers and counts only.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..business_calendar import BusinessCalendar
from ..errors import EvidenceError
from ..messages import t
from ..model import Condition, Evidence, Kind
from ..safe_cell import save_workbook
from .findings import Finding
from .records import RosterEntry, RosterVersion
from .tables import Cell, cell_text, normalize, parse_cell_date, read_table

if TYPE_CHECKING:
    from ..store import Store
    from ..tracker import Tracker

PRIVACY_OFFICER = "個人情報取扱責任者"
LIAISON = "連絡調整責任者"
WORKER = "業務従事者"
ROLES: tuple[str, ...] = (PRIVACY_OFFICER, LIAISON, WORKER)
REQUIRED_ROLES: tuple[str, ...] = (PRIVACY_OFFICER, LIAISON)
EMPLOYMENT_TYPES: tuple[str, ...] = ("正社員", "契約社員", "派遣", "アルバイト", "その他")
COLUMNS: tuple[str, ...] = ("氏名", "所属", "役割", "雇用形態", "従事開始日", "従事終了日")

#: header text (normalised) -> column; the template's headers first, then what people also write
HEADERS: dict[str, str] = {
    "氏名": "name",
    "名前": "name",
    "所属": "affiliation",
    "所属部署": "affiliation",
    "役割": "role",
    "雇用形態": "employment",
    "従事開始日": "started",
    "開始日": "started",
    "従事終了日": "ended",
    "終了日": "ended",
}
_REQUIRED_COLUMNS = {"name": "氏名", "role": "役割", "employment": "雇用形態"}
_ROLE_ALIASES = {
    "取得個人情報取扱責任者": PRIVACY_OFFICER,
    "従事者": WORKER,
    "業務担当者": WORKER,
    "担当者": WORKER,
}
_EMPLOYMENT_ALIASES = {
    "派遣社員": "派遣",
    "パート": "アルバイト",
    "パート・アルバイト": "アルバイト",
}


@dataclass(frozen=True, slots=True)
class RosterCheck:
    """What a roster file says and what is wrong with it."""

    people: tuple[RosterEntry, ...]
    findings: tuple[Finding, ...]
    by_role: dict[str, int] = field(default_factory=dict)
    by_employment: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.findings

    def counts(self) -> dict[str, object]:
        return {
            "people": len(self.people),
            "by_role": dict(self.by_role),
            "by_employment": dict(self.by_employment),
            "problems": len(self.findings),
        }


@dataclass(frozen=True, slots=True)
class RosterDiff:
    """Who joined and who left between two roster versions (names: for the owner only)."""

    joined: tuple[str, ...] = ()
    left: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.joined or self.left)


@dataclass(frozen=True, slots=True)
class RosterSubmission:
    """The answer to an uploaded roster, meant for the uploader alone."""

    condition: str
    evidence: Evidence
    version: RosterVersion
    check: RosterCheck
    diff: RosterDiff | None  # None for the first version
    reopened: tuple[str, ...] = ()  # pledge conditions whose coverage the change re-opened


# -- the template -------------------------------------------------------------


def write_template(path: str | Path, *, lang: str = "ja") -> Path:
    """Write the roster template (.xlsx) with drop-down lists for role and employment type."""
    from openpyxl import Workbook  # lazy: only the template and xlsx uploads need it
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    book = Workbook()
    sheet = book.active
    sheet.title = "名簿"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for letter, width in zip("ABCDEF", (18, 20, 22, 12, 14, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    for letter, choices in (("C", ROLES), ("D", EMPLOYMENT_TYPES)):
        validation = DataValidation(
            type="list", formula1='"' + ",".join(choices) + '"', allow_blank=False
        )
        validation.error = t("checks.template.choose", lang, choices="、".join(choices))
        validation.showErrorMessage = True
        sheet.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}1000")
    for letter in "EF":
        # A column style, not 999 empty cells: rows a clerk (or openpyxl's append) adds start at 2.
        sheet.column_dimensions[letter].number_format = "yyyy/mm/dd"
    notes = book.create_sheet("記入方法")
    for line in t("checks.template.notes", lang).split("\n"):
        notes.append([line])
    notes.append([])
    notes.append(["役割", *ROLES])
    notes.append(["雇用形態", *EMPLOYMENT_TYPES])
    notes.column_dimensions["A"].width = 90
    path.parent.mkdir(parents=True, exist_ok=True)
    save_workbook(book, path)
    return path


# -- reading and checking -------------------------------------------------------


def check_roster(data: bytes, *, filename: str, today: dt.date) -> RosterCheck:
    """Read a roster and check every row; raise EvidenceError only if it is not a table."""
    table = read_table(data, filename=filename, headers=HEADERS, key_column="name")
    findings: list[Finding] = [
        Finding("checks.roster.missing_column", field=header)
        for column, header in _REQUIRED_COLUMNS.items()
        if column not in table.columns
    ]
    people: list[RosterEntry] = []
    first_row: dict[str, int] = {}
    for number, record in table.rows:
        name = cell_text(record.get("name"))
        role = _choice(record, "role", table.columns, number, findings)
        employment = _choice(record, "employment", table.columns, number, findings)
        started = _date(record, "started", "従事開始日", number, findings, today)
        ended = _date(record, "ended", "従事終了日", number, findings, today)
        if started and ended and ended < started:
            findings.append(Finding("checks.roster.end_before_start", row=number))
        if not name:
            findings.append(Finding("checks.roster.missing_value", row=number, field="氏名"))
            continue
        entry = RosterEntry(
            row=number,
            name=name,
            affiliation=cell_text(record.get("affiliation")),
            role=role,
            employment=employment,
            started=started,
            ended=ended,
        )
        if entry.key in first_row:
            findings.append(
                Finding("checks.roster.duplicate_name", row=number, value=str(first_row[entry.key]))
            )
            continue
        first_row[entry.key] = number
        people.append(entry)
    if not people:
        findings.append(Finding("checks.roster.empty"))
    roles = Counter(p.role for p in people if p.role)
    if "role" in table.columns:
        findings += [
            Finding("checks.roster.missing_role", value=role)
            for role in REQUIRED_ROLES
            if not roles[role]
        ]
    employment_counts = Counter(p.employment for p in people if p.employment)
    return RosterCheck(
        people=tuple(people),
        findings=tuple(findings),
        by_role={r: roles[r] for r in ROLES if roles[r]},
        by_employment={e: employment_counts[e] for e in EMPLOYMENT_TYPES if employment_counts[e]},
    )


_CHOICES: dict[str, tuple[str, tuple[str, ...], dict[str, str], str]] = {
    "role": ("役割", ROLES, _ROLE_ALIASES, "checks.roster.bad_role"),
    "employment": (
        "雇用形態",
        EMPLOYMENT_TYPES,
        _EMPLOYMENT_ALIASES,
        "checks.roster.bad_employment",
    ),
}


def _choice(
    record: dict[str, Cell],
    column: str,
    columns: frozenset[str],
    row: int,
    findings: list[Finding],
) -> str | None:
    """The cell as one of the allowed values (aliases folded), or None with a finding."""
    if column not in columns:
        return None  # already reported once as a missing column
    header, choices, aliases, bad = _CHOICES[column]
    raw = cell_text(record.get(column))
    if not raw:
        findings.append(Finding("checks.roster.missing_value", row=row, field=header))
        return None
    value = aliases.get(normalize(raw), normalize(raw))
    if value not in choices:
        findings.append(Finding(bad, row=row, field=header, value=raw))
        return None
    return value


def _date(
    record: dict[str, Cell],
    column: str,
    header: str,
    row: int,
    findings: list[Finding],
    today: dt.date,
) -> dt.date | None:
    raw = record.get(column)
    if not cell_text(raw):
        return None
    day = parse_cell_date(raw, today=today)
    if day is None:
        findings.append(
            Finding("checks.roster.bad_date", row=row, field=header, value=cell_text(raw))
        )
    return day


def diff_rosters(before: list[RosterEntry], after: list[RosterEntry]) -> RosterDiff:
    """Who is on *after* but not *before* (joined) and the reverse (left), by name."""
    old = {p.key: p.name for p in before}
    new = {p.key: p.name for p in after}
    return RosterDiff(
        joined=tuple(name for key, name in new.items() if key not in old),
        left=tuple(name for key, name in old.items() if key not in new),
    )


# -- submitting -----------------------------------------------------------------


def submit_roster(
    tracker: Tracker,
    condition_id: str,
    data: bytes,
    *,
    filename: str,
    actor: str,
    now: dt.datetime,
    calendar: BusinessCalendar | None = None,
) -> RosterSubmission:
    """Check *data*, store it as the condition's evidence and as the next roster version.

    A file that is not a readable table is refused; a readable one with
    problems is kept (the secretariat sees the findings) and the problems go
    back to the uploader. A changed roster re-opens the pledge coverage.
    """
    calendar = calendar or tracker.calendar
    from .pledges import reopen_coverage  # pledges reads rosters, so import late

    store = tracker.store
    condition = store.condition(condition_id)
    if condition.kind is not Kind.ROSTER:
        raise EvidenceError("checks.roster.wrong_kind", id=condition_id)
    check = check_roster(data, filename=filename, today=now.date())
    vendor = condition.vendor or ""
    with store.transaction():
        evidence = tracker.store_evidence(
            condition_id, io.BytesIO(data), filename=filename, actor=actor, now=now
        )
        previous = store.latest_roster(condition.consultation, vendor)
        diff = (
            diff_rosters(store.roster_people(previous.id), list(check.people)) if previous else None
        )
        version = store.add_roster(
            condition=condition_id,
            consultation=condition.consultation,
            vendor=vendor,
            evidence=evidence.id,
            findings=[f.as_dict() for f in check.findings],
            people=check.people,
            submitted_by=actor,
            submitted_at=now,
        )
        store.append_event(
            condition_id,
            "roster_checked",
            actor=actor,
            at=now,
            data={
                "version": version.version,
                "evidence_id": evidence.id,
                **check.counts(),
                "joined": len(diff.joined) if diff else None,
                "left": len(diff.left) if diff else None,
            },
        )
        reopened: tuple[str, ...] = ()
        if diff is not None and diff.changed:
            reopened = reopen_coverage(
                store,
                condition.consultation,
                vendor,
                joined=len(diff.joined),
                left=len(diff.left),
                actor=actor,
                now=now,
                calendar=calendar,
            )
    return RosterSubmission(
        condition=condition_id,
        evidence=evidence,
        version=version,
        check=check,
        diff=diff,
        reopened=reopened,
    )


def roster_findings(store: Store, condition: Condition) -> list[Finding]:
    """The findings of the latest roster uploaded for *condition* (for ``show --json``)."""
    versions = store.rosters_of_condition(condition.id)
    return [Finding.from_dict(f) for f in versions[-1].findings] if versions else []


def private_summary(result: RosterSubmission | RosterCheck, lang: str = "ja") -> str:
    """The text the uploader gets in private: counts, row problems, who joined and left."""
    check = result.check if isinstance(result, RosterSubmission) else result
    lines: list[str] = []
    if isinstance(result, RosterSubmission):
        lines.append(
            t("checks.roster.received", lang, id=result.condition, version=result.version.version)
        )
    sep = "、" if lang == "ja" else ", "
    lines.append(
        t(
            "checks.roster.counts",
            lang,
            people=len(check.people),
            roles=sep.join(f"{k} {v}" for k, v in check.by_role.items()) or "-",
            employment=sep.join(f"{k} {v}" for k, v in check.by_employment.items()) or "-",
        )
    )
    if check.findings:
        lines.append(t("checks.roster.problems", lang, count=len(check.findings)))
        lines += [f"  - {f.render(lang)}" for f in check.findings]
    else:
        lines.append(t("checks.roster.no_problems", lang))
    if isinstance(result, RosterSubmission) and result.diff is not None:
        diff = result.diff
        if diff.changed:
            lines.append(t("checks.roster.joined", lang, names=sep.join(diff.joined) or "-"))
            lines.append(t("checks.roster.left", lang, names=sep.join(diff.left) or "-"))
        else:
            lines.append(t("checks.roster.unchanged", lang))
        if result.reopened:
            lines.append(t("checks.roster.reopened", lang, ids=", ".join(result.reopened)))
    return "\n".join(lines)
