"""One imported meeting written back as the registration it is, in YAML or as a workbook.

The export holds what the meeting decided and what the secretariat later
amended — never what happened since (statuses, evidence, extensions, the
occurrences a yearly item opened): it is the registration, not a status
report. Importing it again therefore changes nothing, and an edited export
imports as exactly the edits it holds. A condition's due date is written as it
was registered (its wording), so an extension granted since survives the
re-import, as it does with the original file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from ..errors import DueDiligenceError
from ..model import Condition, Consultation, DueRule, Meeting, Recurrence, VendorRole
from ..store import ConditionFilter, Store

Document = dict[str, Any]


def registration(store: Store, meeting_id: str) -> Document:
    """The import document of meeting *meeting_id*, from what the store holds now."""
    meeting = store.meeting(meeting_id)
    consultations = store.consultations(meeting=meeting.id)
    conditions = {c.id: _heads(store, c.id) for c in consultations}
    doc: Document = {"council": meeting.council, "meeting": _meeting(meeting)}
    following = _next_meeting(store, meeting)
    if following is not None:
        synthetic = following.id == f"{following.council}:{following.date.isoformat()}"
        doc["next_meeting"] = following.date if synthetic else _meeting(following)
    if store.secretariat():
        doc["secretariat"] = store.secretariat()
    names = dict.fromkeys(
        [c.department for c in consultations]
        + [k.department for ks in conditions.values() for k in ks]
    )
    doc["departments"] = [_department(store, name) for name in names]
    doc["consultations"] = [
        _consultation(store, c, conditions[c.id], meeting) for c in consultations
    ]
    return doc


def count_conditions(doc: Document) -> int:
    return sum(len(c.get("conditions", [])) for c in doc["consultations"])


def yaml_text(doc: Document) -> str:
    """The document as the YAML the importer reads (keys in the documented order)."""
    return yaml.dump(
        doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False
    )


def write_yaml(doc: Document, path: Path) -> Path:
    text = yaml_text(doc)
    header = f"# duediligence export meeting {doc['meeting']['id']}\n"
    write_atomically(path, (header + text).encode("utf-8"))
    return path


def export_meeting(store: Store, meeting_id: str, out: Path, *, lang: str = "ja") -> Document:
    """Write meeting *meeting_id* to *out*: .xlsx (the workbook) or .yaml / .yml."""
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".yaml", ".yml"):
        raise DueDiligenceError("intake.export_format", path=str(out))
    doc = registration(store, meeting_id)
    if suffix == ".xlsx":
        from .write import write_workbook

        write_workbook(out, doc, lang=lang)
    else:
        write_yaml(doc, out)
    return doc


# -- the records ------------------------------------------------------------------


def _heads(store: Store, consultation: str) -> list[Condition]:
    """The registered conditions: first occurrences only (later ones opened by themselves)."""
    found = store.conditions(ConditionFilter(consultation=consultation))
    return sorted((c for c in found if c.occurrence == 1 and c.id == (c.series or c.id)), key=_id)


def _id(condition: Condition) -> str:
    return condition.id


def _meeting(meeting: Meeting) -> Document:
    doc: Document = {"id": meeting.id}
    if meeting.name:
        doc["name"] = meeting.name
    doc["date"] = meeting.date
    return doc


def _next_meeting(store: Store, meeting: Meeting) -> Meeting | None:
    later = [m for m in store.meetings(meeting.council) if m.date > meeting.date]
    return later[0] if later else None


def _department(store: Store, name: str) -> Document:
    department = store.department(name)
    doc: Document = {"name": department.name, "owners": list(department.owners)}
    if department.head:
        doc["head"] = department.head
    return doc


def _consultation(
    store: Store, consultation: Consultation, conditions: list[Condition], meeting: Meeting
) -> Document:
    doc: Document = {"id": consultation.id}
    if consultation.number:
        doc["number"] = consultation.number
    doc["title"] = consultation.title
    doc["department"] = consultation.department
    doc["decision"] = str(consultation.decision)
    if consultation.vendors:
        doc["vendors"] = [
            {
                "name": v.name,
                "role": str(v.role or VendorRole.CONTRACTOR),
                **(
                    {"certifications": [_certification(c) for c in v.certifications]}
                    if v.certifications
                    else {}
                ),
            }
            for v in consultation.vendors
        ]
    doc["conditions"] = [_condition(store, c, consultation) for c in conditions]
    return doc


def _certification(cert: Any) -> Document:
    doc: Document = {"scheme": cert.scheme}
    for key in ("number", "scope", "first_registered", "last_renewed", "expires"):
        value = getattr(cert, key)
        if value:
            doc[key] = value
    return doc


def _condition(store: Store, condition: Condition, consultation: Consultation) -> Document:
    doc: Document = {"id": condition.id, "kind": str(condition.kind), "text": condition.text}
    if condition.vendor:
        doc["vendor"] = condition.vendor
    trigger = store.condition_trigger(condition.id)
    if trigger is None:
        doc["due"] = _due(condition)
    if not condition.report_back:
        doc["report_back"] = False
    if condition.recurrence is not Recurrence.NONE:
        doc["recurrence"] = str(condition.recurrence)
    if condition.department != consultation.department:
        doc["department"] = condition.department
    if trigger is not None:
        doc["trigger"] = trigger.trigger
        doc["due_after_event_days"] = trigger.days
    return doc


def _due(condition: Condition) -> Any:
    """The due date as registered: its wording, an ISO date, or next_meeting."""
    if condition.due_text:
        return condition.due_text
    if condition.due_rule is DueRule.NEXT_MEETING:
        return "next_meeting"
    return condition.due.isoformat() if condition.due else None


class _Dumper(yaml.SafeDumper):
    """Block style, unicode, and dates written as dates."""


def _date_representer(dumper: yaml.SafeDumper, value: dt.date) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_Dumper.add_representer(dt.date, _date_representer)


def write_atomically(path: Path, data: bytes) -> None:
    """*data* into *path* through a temporary file, so a reader never sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_bytes(data)
    temp.replace(path)
