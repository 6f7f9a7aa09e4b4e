"""The draft as the secretariat reviews it: the intake workbook, an import YAML, or JSON.

The draft is an import document with blanks (owners, dates the minutes do not
give, the next meeting): the importer refuses it until they are filled, which
is the point — nothing reaches the tracker that nobody has read. Each proposed
condition carries its confidence and the lines it came from: extra columns in
the workbook (the reader ignores columns it does not know), comments in YAML.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from ..errors import DueDiligenceError
from ..messages import t
from . import messages as _messages  # noqa: F401  (registers the draft's words)
from .extract import Confidence, Draft, Proposal, Section

__all__ = ["draft_document", "proposals_json", "write_draft", "summary"]

Document = dict[str, Any]


def draft_document(draft: Draft) -> Document:
    """The draft as an import document; unknown values are left out for the secretariat."""
    meeting_id = _meeting_id(draft.meeting_name) or "MEETING"
    meeting: Document = {"id": meeting_id}
    if draft.meeting_name:
        meeting["name"] = draft.meeting_name
    if draft.meeting_date:
        meeting["date"] = draft.meeting_date
    departments = list(dict.fromkeys(s.department for s in draft.consultations if s.department))
    doc: Document = {
        "council": draft.council or "",
        "meeting": meeting,
        "departments": [{"name": name, "owners": []} for name in departments],
        "consultations": [],
    }
    reports = 0
    for index, section in enumerate(draft.consultations, start=1):
        if section.report:
            reports += 1
            cid = f"{meeting_id}-RPT-{reports:02d}"
        else:
            cid = _consultation_id(section.number) or f"{meeting_id}-{index:02d}"
        doc["consultations"].append(_consultation(section, cid))
    return doc


def _consultation(section: Section, cid: str) -> Document:
    record: Document = {"id": cid}
    if section.number:
        record["number"] = section.number
    record["title"] = re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", section.title)
    if section.department:
        record["department"] = section.department
    record["decision"] = section.decision or "approved"
    if section.vendors:
        record["vendors"] = [{"name": name, "role": "contractor"} for name in section.vendors]
    record["conditions"] = [
        _condition(p, f"{cid}-{n:02d}") for n, p in enumerate(section.proposals, start=1)
    ]
    return record


def _condition(proposal: Proposal, cid: str) -> Document:
    record: Document = {"id": cid, "kind": proposal.kind, "text": proposal.text}
    if proposal.vendor:
        record["vendor"] = proposal.vendor
    if proposal.trigger:
        record["trigger"] = proposal.trigger
        if proposal.days:
            record["due_after_event_days"] = proposal.days
    elif proposal.due is not None:
        record["due"] = proposal.due
    if proposal.recurrence:
        record["recurrence"] = proposal.recurrence
    return record


def _meeting_id(name: str | None) -> str | None:
    """令和2年度第6回 -> R2-6."""
    return _short_id(r"(令和|平成)(元|\d+)年度第(\d+)回", name)


def _consultation_id(number: str | None) -> str | None:
    """令和2年度諮問第15号 -> R2-15, as the sample meeting names them."""
    return _short_id(r"(令和|平成)(元|\d+)年度諮問第(\d+)号", number)


def _short_id(pattern: str, text: str | None) -> str | None:
    found = re.match(pattern, text or "")
    if not found:
        return None
    era = "R" if found[1] == "令和" else "H"
    year = "1" if found[2] == "元" else found[2]
    return f"{era}{year}-{found[3]}"


# -- what to show next to each proposal ------------------------------------------------


def _rows(draft: Draft, doc: Document) -> dict[str, Proposal]:
    """Condition id -> its proposal, in the order the document lists them."""
    out: dict[str, Proposal] = {}
    for section, record in zip(draft.consultations, doc["consultations"], strict=True):
        for proposal, condition in zip(section.proposals, record["conditions"], strict=True):
            out[condition["id"]] = proposal
    return out


def confidence_label(confidence: Confidence, lang: str) -> str:
    return t(f"draft.confidence.{confidence.value}", lang)


def summary(draft: Draft, lang: str = "ja") -> str:
    """N 件の諮問、M 件の条件案、低信頼 K 件: the line the CLI and the chat reply print."""
    proposals = draft.proposals
    return t(
        "draft.summary",
        lang,
        consultations=len(draft.consultations),
        proposals=len(proposals),
        low=sum(1 for p in proposals if p.confidence is Confidence.LOW),
    )


def proposals_json(draft: Draft) -> list[Document]:
    """The proposals for scripts: one flat record each (see docs/draft.md for the fields)."""
    doc = draft_document(draft)
    rows = _rows(draft, doc)
    out = []
    for record in doc["consultations"]:
        for condition in record["conditions"]:
            proposal = rows[condition["id"]]
            due = proposal.due.isoformat() if isinstance(proposal.due, dt.date) else proposal.due
            out.append(
                {
                    "id": condition["id"],
                    "consultation": record["id"],
                    "consultation_title": record["title"],
                    "kind": proposal.kind,
                    "text": proposal.text,
                    "line": proposal.line,
                    "lines": proposal.lines,
                    "due": due,
                    "trigger": proposal.trigger,
                    "recurrence": proposal.recurrence,
                    "department": record.get("department"),
                    "vendor": proposal.vendor,
                    "confidence": proposal.confidence.value,
                }
            )
    return out


# -- files -------------------------------------------------------------------------------


def write_draft(draft: Draft, out: Path, *, source: str, lang: str = "ja") -> Document:
    """Write the draft to *out* (.xlsx or .yaml / .yml), atomically."""
    suffix = check_out(out)
    doc = draft_document(draft)
    if suffix == ".xlsx":
        _write_workbook(draft, doc, out, source=source, lang=lang)
    else:
        from ..intake.export import write_atomically

        write_atomically(out, draft_yaml(draft, doc, source=source, lang=lang).encode("utf-8"))
    return doc


def check_out(out: Path) -> str:
    """The suffix of *out* when a draft can be written there (checked before any reading)."""
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".yaml", ".yml"):
        raise DueDiligenceError("draft.out_format", path=str(out))
    return suffix


def draft_yaml(draft: Draft, doc: Document, *, source: str, lang: str = "ja") -> str:
    from ..intake.export import yaml_text

    rows = _rows(draft, doc)
    lines = [t("draft.yaml.header", lang, source=source)]
    for line in yaml_text(doc).splitlines():
        found = re.match(r"^(\s*)- id: (\S+)$", line)
        proposal = rows.get(found[2]) if found else None
        if found and proposal is not None:
            lines.append(
                found[1]
                + t(
                    "draft.yaml.proposal",
                    lang,
                    confidence=confidence_label(proposal.confidence, lang),
                    lines=", ".join(str(n) for n in proposal.lines),
                )
            )
        lines.append(line)
    return "\n".join(lines) + "\n"


def _write_workbook(draft: Draft, doc: Document, out: Path, *, source: str, lang: str) -> None:
    from openpyxl.styles import Alignment, Font

    from ..intake.layout import CONDITIONS, HOWTO
    from ..intake.write import build_workbook, save_atomically

    book = build_workbook(doc, lang=lang)
    rows = _rows(draft, doc)
    ws = book[CONDITIONS.name]
    first = len(CONDITIONS.columns) + 1
    headings = ("draft.col.confidence", "draft.col.lines", "draft.col.source")
    for offset, (key, width) in enumerate(zip(headings, (8, 12, 80), strict=True)):
        cell = ws.cell(row=1, column=first + offset, value=t(key, lang))
        cell.font = Font(bold=True)
        ws.column_dimensions[cell.column_letter].width = width
    for row in range(2, ws.max_row + 1):
        proposal = rows.get(str(ws.cell(row=row, column=1).value))
        if proposal is None:
            continue
        ws.cell(row=row, column=first, value=confidence_label(proposal.confidence, lang))
        ws.cell(row=row, column=first + 1, value=", ".join(str(n) for n in proposal.lines))
        source_cell = ws.cell(row=row, column=first + 2, value="\n".join(proposal.sentences))
        source_cell.alignment = Alignment(wrap_text=True, vertical="top")
    howto = book[HOWTO]
    howto.insert_rows(1)
    howto.cell(row=1, column=1, value=t("draft.howto", lang, source=source)).font = Font(bold=True)
    book.active = book.sheetnames.index(CONDITIONS.name)
    save_atomically(book, out)
