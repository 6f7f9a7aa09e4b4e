"""Read one meeting's YAML file (see README, "Import format") into the store.

A file is checked completely before anything is written: every problem is
reported with its line, and a file with any problem writes nothing. Importing
the same file again changes nothing; an edited file updates what changed and
logs each change as an event. Conditions are never deleted by an import, and
their status is never touched by one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

from .dates import parse_due
from .errors import DueDateError, ImportFormatError
from .model import (
    BodyKind,
    Certification,
    Condition,
    Consultation,
    Council,
    Decision,
    Department,
    DueRule,
    Kind,
    Meeting,
    Recurrence,
    Status,
    Vendor,
    VendorRole,
)
from .store import Store
from .suggest import Closest
from .text_files import decode_text_file

SLACK_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
NEXT_MEETING = "next_meeting"
#: the largest meeting file (YAML or workbook) read: the seed meeting is 12 KB
MAX_IMPORT_BYTES = 20 * 1024 * 1024
_XLSX_MAGIC = b"PK\x03\x04"

#: Where a problem is: a YAML line number, or a workbook cell such as "付帯条件!D7".
Location = int | str | None
Problem = tuple[Location, str, dict[str, Any]]


# -- YAML with line numbers ---------------------------------------------------


class _Map(dict[str, Any]):
    line: int | str = 0
    key_lines: dict[str, Any]


class _Seq(list[Any]):
    line: int | str = 0
    item_lines: list[Any]


class _Loader(yaml.SafeLoader):
    """SafeLoader that remembers where every mapping, key and list item was."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    result = _Map()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key = str(key)
        if key in result:
            raise _DuplicateKey(key, key_node.start_mark.line + 1)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> _Seq:
    result = _Seq(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)  # type: ignore[arg-type]
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)  # type: ignore[arg-type]


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int) -> None:
        super().__init__(key)
        self.key = key
        self.line = line


# -- the parsed file ----------------------------------------------------------


@dataclass
class MeetingFile:
    """Everything one file says, validated and typed, ready to be applied."""

    filename: str
    sha256: str
    council: str
    meeting: Meeting
    next_meeting: Meeting | None
    departments: list[Department]
    consultations: list[Consultation]
    conditions: list[Condition]
    secretariat: list[str] = field(default_factory=list)
    body: Council | None = None  # when the file says what kind of body approved
    #: (consultation, sub-contractor, the vendor it works under)
    chains: list[tuple[str, str, str]] = field(default_factory=list)
    #: years each kind's evidence is kept after its condition closed (``retention:``)
    retention: dict[str, int] = field(default_factory=dict)
    extra: dict[str, dict[str, Any]] = field(
        default_factory=dict
    )  # per-condition fields for extensions


@dataclass
class ImportResult:
    filename: str
    meeting: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    other_changes: list[str] = field(default_factory=list)


class _Checker:
    """Collects problems instead of stopping at the first, so a clerk can fix them all at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, line: Location, key: str, **params: Any) -> None:
        self.problems.append((line, key, params))

    def mapping(self, value: Any, name: str, line: int | None) -> _Map | None:
        if isinstance(value, _Map):
            return value
        self.add(line, "import.type", field=name, expected="import.expected.mapping")
        return None

    def seq(self, value: Any, name: str, line: int | None) -> _Seq | None:
        if isinstance(value, _Seq):
            return value
        self.add(line, "import.type", field=name, expected="import.expected.list")
        return None

    def allowed(self, data: _Map, allowed: set[str], where: str) -> None:
        for key in data:
            if key not in allowed:
                self.add(data.key_lines.get(key), "import.unknown_field", field=f"{where}{key}")

    def text(self, data: _Map, key: str, where: str, *, required: bool = True) -> str | None:
        line = data.key_lines.get(key, data.line)
        if key not in data or data[key] is None:
            if required:
                self.add(
                    line,
                    "import.missing" if key not in data else "import.empty",
                    field=f"{where}{key}",
                )
            return None
        value = data[key]
        if isinstance(value, _Map | _Seq | bool):
            self.add(line, "import.type", field=f"{where}{key}", expected="import.expected.text")
            return None
        text = str(value).strip()
        if not text and required:
            self.add(line, "import.empty", field=f"{where}{key}")
            return None
        return text

    def choice(self, data: _Map, key: str, enum: Any, default: Any, where: str) -> Any:
        if key not in data or data[key] is None:
            return default
        value = str(data[key]).strip()
        try:
            return enum(value)
        except ValueError:
            self.add(
                data.key_lines.get(key),
                "import.bad_choice",
                field=f"{where}{key}",
                value=value,
                choices=" | ".join(e.value for e in enum),
            )
            return default

    def date(
        self, data: _Map, key: str, where: str, *, today: dt.date, required: bool
    ) -> dt.date | None:
        if key not in data or data[key] is None:
            if required:
                self.add(
                    data.key_lines.get(key, data.line), "import.missing", field=f"{where}{key}"
                )
            return None
        return self.date_value(data[key], f"{where}{key}", data.key_lines.get(key), today=today)

    def date_value(
        self, value: Any, name: str, line: int | None, *, today: dt.date
    ) -> dt.date | None:
        try:
            return parse_due(value if isinstance(value, dt.date) else str(value), today=today)
        except DueDateError as err:
            self.add(line, "import.bad_date", field=name, detail=err)
            return None

    def users(self, value: Any, name: str, line: int | None) -> list[str]:
        items = value if isinstance(value, _Seq) else [value]
        lines = value.item_lines if isinstance(value, _Seq) else [line]
        found: list[str] = []
        for item, item_line in zip(items, lines, strict=False):
            user = str(item).strip() if item is not None else ""
            if SLACK_ID.match(user):
                found.append(user)
            elif EMAIL.match(user):
                found.append(user.lower())
            else:
                self.add(item_line, "import.bad_user", value=user)
        return found


_TOP = {
    "council",
    "body",
    "reports_to",
    "meeting",
    "next_meeting",
    "departments",
    "consultations",
    "secretariat",
    "retention",
}
_MEETING = {"id", "name", "date"}
_DEPARTMENT = {"name", "owners", "head"}
_CONSULTATION = {"id", "number", "title", "department", "decision", "vendors", "conditions"}
_VENDOR = {"name", "role", "certifications", "parent"}
_CERT = {"scheme", "number", "scope", "first_registered", "last_renewed", "expires"}
_CONDITION = {"id", "kind", "text", "vendor", "due", "report_back", "recurrence", "department"}

#: Extensions (issue-specific fields such as triggers) register extra condition fields here:
#: name -> validator(checker, condition_mapping, where) returning the value to keep.
CONDITION_EXTENSIONS: dict[str, Callable[[_Checker, _Map, str], Any]] = {}


def load(path: str | Path, *, today: dt.date) -> MeetingFile:
    """Read and check *path*; raise ImportFormatError listing every problem."""
    path = Path(path)
    name = path.name
    try:
        with path.open("rb") as source:  # never more than the limit in memory (or /dev/zero)
            raw = source.read(MAX_IMPORT_BYTES + 1)
    except OSError as err:
        raise ImportFormatError(
            name, [(None, "import.yaml", {"detail": err.strerror or str(err)})]
        ) from None
    _refuse_oversize(raw, name)
    if raw.startswith(_XLSX_MAGIC) or path.suffix.lower() in (".xlsx", ".xlsm"):
        from .intake.read import parse_workbook  # lazy: openpyxl only for workbooks

        return parse_workbook(raw, filename=name, today=today)
    return parse(raw, filename=name, today=today)


def location_key(location: Location) -> tuple[int, int, int, int]:
    """Problems in reading order: YAML lines, then workbook cells by sheet, row, column."""
    if location is None:
        return (0, 0, 0, 0)
    if isinstance(location, int):
        return (0, location, 0, 0)
    from .intake.layout import cell_order

    return (1, *cell_order(location))


def parse(raw: bytes | str, *, today: dt.date, filename: str = "<input>") -> MeetingFile:
    """Check one meeting's YAML text; raise ImportFormatError listing every problem."""
    data_bytes = raw.encode() if isinstance(raw, str) else raw
    _refuse_oversize(data_bytes, filename)
    sha = hashlib.sha256(data_bytes).hexdigest()
    source = raw if isinstance(raw, str) else decode_text_file(raw)
    if source is None:  # e.g. EUC-JP, or a binary file named .yaml
        raise ImportFormatError(filename, [(None, "import.encoding", {})])
    try:
        doc = yaml.load(source, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except _DuplicateKey as dup:
        raise ImportFormatError(
            filename, [(dup.line, "import.duplicate_key", {"field": dup.key})]
        ) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        detail = getattr(err, "problem", None) or str(err)
        raise ImportFormatError(filename, [(line, "import.yaml", {"detail": detail})]) from None
    except RecursionError:  # [[[[…]]]] thousands deep: PyYAML's parser recurses per level
        raise ImportFormatError(filename, [(None, "import.too_deep", {})]) from None

    if not isinstance(doc, _Map):
        raise ImportFormatError(filename, [(1, "import.not_mapping", {})])
    try:
        return check_document(doc, filename=filename, sha256=sha, today=today)
    except RecursionError:
        raise ImportFormatError(filename, [(None, "import.too_deep", {})]) from None


#: control characters (tab, LF, CR excepted) and bidirectional overrides: a vendor called
#: "\x1b[2J…" would clear the secretariat's terminal, "\u202e" shows a name reversed
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def _refuse_invisible(
    check: _Checker, node: Any, field: str, line: Location, seen: set[int] | None = None
) -> None:
    """Add a problem for every text value holding an invisible character; change nothing.

    A YAML alias is the same object as its anchor, so each list or mapping is
    walked once: a billion-laughs file stays a few thousand steps, not 9**9.
    """
    seen = set() if seen is None else seen
    if isinstance(node, (_Map, _Seq)):
        if id(node) in seen:
            return
        seen.add(id(node))
    if isinstance(node, _Map):
        lines = getattr(node, "key_lines", {})
        for key, value in node.items():
            _refuse_invisible(check, value, key, lines.get(key, line), seen)
    elif isinstance(node, _Seq):
        lines = getattr(node, "item_lines", [])
        for number, value in enumerate(node):
            where = lines[number] if number < len(lines) else line
            _refuse_invisible(check, value, field, where, seen)
    elif isinstance(node, str) and (found := _INVISIBLE.search(node)):
        check.add(line, "import.invisible", field=field, char=f"U+{ord(found.group()):04X}")


def _refuse_oversize(data: bytes, filename: str) -> None:
    """One meeting fits in a few hundred KB; refuse a huge file before parsing any of it."""
    if len(data) > MAX_IMPORT_BYTES:
        from .evidence import human_size

        limit = human_size(MAX_IMPORT_BYTES)
        raise ImportFormatError(filename, [(None, "import.too_large", {"limit": limit})])


def check_document(
    doc: _Map,
    *,
    filename: str,
    sha256: str,
    today: dt.date,
    check: _Checker | None = None,
) -> MeetingFile:
    """Validate a document tree (from YAML or a workbook) into a MeetingFile, all or nothing.

    *check* may already hold problems its reader found (a workbook row naming an
    unknown consultation); they are reported together with these.
    """
    check = check or _Checker()
    _refuse_invisible(check, doc, "", getattr(doc, "line", 1))
    sha = sha256
    top: Location = doc.line if isinstance(doc.line, str) else 1
    check.allowed(doc, _TOP | set(), "")

    council = check.text(doc, "council", "") or ""
    body: Council | None = None
    if "body" in doc or "reports_to" in doc:
        kind = check.choice(doc, "body", BodyKind, BodyKind.COUNCIL, "")
        reports_to = check.text(doc, "reports_to", "", required=False)
        if reports_to and reports_to == council:
            check.add(doc.key_lines.get("reports_to"), "import.reports_to_self", name=council)
        body = Council(name=council, body=kind, reports_to=reports_to or None)

    meeting: Meeting | None = None
    m = (
        check.mapping(doc.get("meeting"), "meeting", doc.key_lines.get("meeting", 1))
        if "meeting" in doc
        else None
    )
    if "meeting" not in doc:
        check.add(top, "import.missing", field="meeting")
    if m is not None:
        check.allowed(m, _MEETING, "meeting.")
        mid = check.text(m, "id", "meeting.")
        mdate = check.date(m, "date", "meeting.", today=today, required=True)
        if mid and mdate:
            meeting = Meeting(
                id=mid,
                council=council,
                date=mdate,
                name=check.text(m, "name", "meeting.", required=False) or "",
            )
    meeting_date = meeting.date if meeting else today

    next_meeting: Meeting | None = None
    if doc.get("next_meeting") is not None:
        nm = doc["next_meeting"]
        line = doc.key_lines.get("next_meeting")
        if isinstance(nm, _Map):
            check.allowed(nm, _MEETING, "next_meeting.")
            nm_date = check.date(nm, "date", "next_meeting.", today=meeting_date, required=True)
            nm_id = check.text(nm, "id", "next_meeting.", required=False)
            if nm_date:
                next_meeting = Meeting(
                    id=nm_id or f"{council}:{nm_date.isoformat()}",
                    council=council,
                    date=nm_date,
                    name=check.text(nm, "name", "next_meeting.", required=False) or "",
                )
        else:
            nm_date = check.date_value(nm, "next_meeting", line, today=meeting_date)
            if nm_date:
                next_meeting = Meeting(
                    id=f"{council}:{nm_date.isoformat()}", council=council, date=nm_date
                )

    secretariat: list[str] = []
    if doc.get("secretariat") is not None:
        secretariat = check.users(
            doc["secretariat"], "secretariat", doc.key_lines.get("secretariat")
        )

    retention = _retention(check, doc)

    departments: dict[str, Department] = {}
    if "departments" not in doc:
        check.add(top, "import.missing", field="departments")
    deps = (
        check.seq(doc.get("departments"), "departments", doc.key_lines.get("departments"))
        if "departments" in doc
        else None
    )
    for item, item_line in zip(deps or [], (deps.item_lines if deps else []), strict=False):
        d = check.mapping(item, "departments[]", item_line)
        if d is None:
            continue
        check.allowed(d, _DEPARTMENT, "departments.")
        name = check.text(d, "name", "departments.")
        if "owners" not in d or not d["owners"]:
            check.add(
                d.key_lines.get("owners", d.line), "import.missing", field="departments.owners"
            )
            owners: list[str] = []
        else:
            owners = check.users(d["owners"], "departments.owners", d.key_lines.get("owners"))
        head = None
        if d.get("head") is not None:
            heads = check.users(d["head"], "departments.head", d.key_lines.get("head"))
            head = heads[0] if heads else None
        if name:
            if name in departments:
                check.add(d.key_lines.get("name"), "import.duplicate_department", name=name)
            departments[name] = Department(name=name, owners=tuple(owners), head=head)

    consultations: list[Consultation] = []
    conditions: list[Condition] = []
    extra: dict[str, dict[str, Any]] = {}
    chains: list[tuple[str, str, str]] = []
    seen_consultations: dict[str, int] = {}
    seen_conditions: dict[str, int] = {}
    if "consultations" not in doc:
        check.add(top, "import.missing", field="consultations")
    cons = (
        check.seq(doc.get("consultations"), "consultations", doc.key_lines.get("consultations"))
        if "consultations" in doc
        else None
    )
    for item, item_line in zip(cons or [], (cons.item_lines if cons else []), strict=False):
        c = check.mapping(item, "consultations[]", item_line)
        if c is None:
            continue
        check.allowed(c, _CONSULTATION, "consultations.")
        cid = check.text(c, "id", "consultations.")
        if cid:
            if cid in seen_consultations:
                check.add(
                    c.key_lines.get("id"),
                    "import.duplicate_id",
                    what="what.consultation",
                    id=cid,
                    first=seen_consultations[cid],
                )
            seen_consultations.setdefault(cid, c.key_lines.get("id", c.line))
        title = check.text(c, "title", "consultations.")
        department = check.text(c, "department", "consultations.")
        if department and department not in departments:
            check.add(
                c.key_lines.get("department"),
                "import.unknown_department",
                name=department,
                hint=Closest(department, tuple(departments)),
            )
        decision = check.choice(
            c, "decision", Decision, Decision.APPROVED_WITH_CONDITIONS, "consultations."
        )
        parents: list[tuple[str, str, int | None]] = []
        vendors = _vendors(check, c, meeting_date, parents)
        vendor_names = {v.name for v in vendors}
        if cid:
            chains += _chains(check, cid, vendor_names, parents)
        if cid and title and department:
            consultations.append(
                Consultation(
                    id=cid,
                    title=title,
                    department=department,
                    decision=decision,
                    meeting=meeting.id if meeting else "",
                    number=check.text(c, "number", "consultations.", required=False) or "",
                    vendors=tuple(vendors),
                )
            )
        conds = (
            check.seq(c.get("conditions"), "conditions", c.key_lines.get("conditions"))
            if c.get("conditions") is not None
            else None
        )
        for citem, cline in zip(conds or [], (conds.item_lines if conds else []), strict=False):
            k = check.mapping(citem, "conditions[]", cline)
            if k is None:
                continue
            check.allowed(k, _CONDITION | set(CONDITION_EXTENSIONS), "conditions.")
            condition_id = check.text(k, "id", "conditions.")
            if condition_id:
                if condition_id in seen_conditions:
                    check.add(
                        k.key_lines.get("id"),
                        "import.duplicate_id",
                        what="what.condition",
                        id=condition_id,
                        first=seen_conditions[condition_id],
                    )
                seen_conditions.setdefault(condition_id, k.key_lines.get("id", k.line))
            kind = check.choice(k, "kind", Kind, None, "conditions.")
            if "kind" not in k:
                check.add(k.line, "import.missing", field="conditions.kind")
            text = check.text(k, "text", "conditions.")
            vendor = check.text(k, "vendor", "conditions.", required=False)
            if vendor and vendor not in vendor_names:
                check.add(
                    k.key_lines.get("vendor"),
                    "import.unknown_vendor",
                    name=vendor,
                    hint=Closest(vendor, tuple(sorted(vendor_names))),
                )
            owner = check.text(k, "department", "conditions.", required=False) or department
            if owner and owner not in departments and k.get("department") is not None:
                check.add(
                    k.key_lines.get("department"),
                    "import.unknown_department",
                    name=owner,
                    hint=Closest(owner, tuple(departments)),
                )
            report_back = True
            if k.get("report_back") is not None:
                if isinstance(k["report_back"], bool):
                    report_back = k["report_back"]
                else:
                    check.add(
                        k.key_lines.get("report_back"),
                        "import.type",
                        field="conditions.report_back",
                        expected="import.expected.bool",
                    )
            recurrence = check.choice(k, "recurrence", Recurrence, Recurrence.NONE, "conditions.")
            extras = {
                name: validate(check, k, "conditions.")
                for name, validate in CONDITION_EXTENSIONS.items()
                if name in k
            }
            due, due_text, due_rule = _due(
                check,
                k,
                meeting_date,
                next_meeting,
                needs_due=not any(v is not None for v in extras.values()),
            )
            if condition_id and kind and text and owner and cid:
                conditions.append(
                    Condition(
                        id=condition_id,
                        consultation=cid,
                        kind=kind,
                        text=text,
                        department=owner,
                        status=Status.OPEN,
                        due=due,
                        due_text=due_text,
                        due_rule=due_rule,
                        vendor=vendor,
                        report_back=report_back,
                        recurrence=recurrence,
                        series=condition_id,
                    )
                )
                if extras:
                    extra[condition_id] = extras

    if check.problems or meeting is None:
        if meeting is None and not check.problems:
            check.add(top, "import.missing", field="meeting")
        check.problems.sort(key=lambda p: location_key(p[0]))
        raise ImportFormatError(filename, check.problems)
    return MeetingFile(
        filename=filename,
        sha256=sha,
        council=council,
        meeting=meeting,
        next_meeting=next_meeting,
        departments=list(departments.values()),
        consultations=consultations,
        conditions=conditions,
        secretariat=secretariat,
        body=body,
        chains=chains,
        extra=extra,
        retention=retention,
    )


def _retention(check: _Checker, doc: _Map) -> dict[str, int]:
    """``retention: {roster: 3, pledge: 10}``: years each kind's evidence is kept after close."""
    if doc.get("retention") is None:
        return {}
    line = doc.key_lines.get("retention")
    rules = check.mapping(doc["retention"], "retention", line)
    found: dict[str, int] = {}
    for kind, years in (rules or {}).items():
        if kind not in {str(k) for k in Kind}:
            check.add(line, "import.retention_kind", kind=kind)
        elif isinstance(years, bool) or not isinstance(years, int) or years < 1:
            check.add(line, "import.retention", kind=kind)
        else:
            found[str(kind)] = years
    return found


def _vendors(
    check: _Checker,
    c: _Map,
    meeting_date: dt.date,
    parents: list[tuple[str, str, int | None]] | None = None,
) -> list[Vendor]:
    vendors: list[Vendor] = []
    if c.get("vendors") is None:
        return vendors
    seq = check.seq(c["vendors"], "vendors", c.key_lines.get("vendors"))
    for item, line in zip(seq or [], (seq.item_lines if seq else []), strict=False):
        v = check.mapping(item, "vendors[]", line)
        if v is None:
            continue
        check.allowed(v, _VENDOR, "vendors.")
        name = check.text(v, "name", "vendors.")
        role = check.choice(v, "role", VendorRole, VendorRole.CONTRACTOR, "vendors.")
        certs: list[Certification] = []
        if v.get("certifications") is not None:
            cseq = check.seq(
                v["certifications"], "certifications", v.key_lines.get("certifications")
            )
            for citem, cline in zip(cseq or [], (cseq.item_lines if cseq else []), strict=False):
                cm = check.mapping(citem, "certifications[]", cline)
                if cm is None:
                    continue
                check.allowed(cm, _CERT, "certifications.")
                scheme = check.text(cm, "scheme", "certifications.")
                dates = {
                    key: check.date(cm, key, "certifications.", today=meeting_date, required=False)
                    for key in ("first_registered", "last_renewed", "expires")
                }
                if scheme and name:
                    certs.append(
                        Certification(
                            vendor=name,
                            scheme=scheme,
                            number=check.text(cm, "number", "certifications.", required=False)
                            or "",
                            scope=check.text(cm, "scope", "certifications.", required=False) or "",
                            **dates,
                        )
                    )
        if name:
            vendors.append(Vendor(name=name, role=role, certifications=tuple(certs)))
            parent = check.text(v, "parent", "vendors.", required=False)
            if parent and parents is not None:
                parents.append((name, parent, v.key_lines.get("parent")))
    return vendors


def _chains(
    check: _Checker, cid: str, names: set[str], parents: list[tuple[str, str, int | None]]
) -> list[tuple[str, str, str]]:
    """(consultation, vendor, parent) of each sub-contractor: the parent a vendor of the same
    consultation, no vendor its own ancestor (元請 → 再委託先 → 再々委託先, any depth)."""
    above = {name: parent for name, parent, _ in parents}
    found: list[tuple[str, str, str]] = []
    for name, parent, line in parents:
        if parent not in names:
            check.add(line, "import.unknown_parent", name=parent, vendor=name)
            continue
        seen, current = {name}, parent
        while current in above and current not in seen:
            seen.add(current)
            current = above[current]
        if current in seen or parent == name:
            check.add(line, "import.parent_cycle", vendor=name)
            continue
        found.append((cid, name, parent))
    return found


def _due(
    check: _Checker,
    k: _Map,
    meeting_date: dt.date,
    next_meeting: Meeting | None,
    *,
    needs_due: bool,
) -> tuple[dt.date | None, str, DueRule]:
    if k.get("due") is None:
        if needs_due:
            check.add(k.key_lines.get("due", k.line), "import.missing", field="conditions.due")
        return None, "", DueRule.DATE
    raw = k["due"]
    line = k.key_lines.get("due")
    text = raw.isoformat() if isinstance(raw, dt.date) else str(raw).strip()
    if text == NEXT_MEETING:
        if next_meeting is None:
            check.add(line, "import.no_next_meeting")
            return None, text, DueRule.NEXT_MEETING
        return next_meeting.date, text, DueRule.NEXT_MEETING
    return check.date_value(raw, "conditions.due", line, today=meeting_date), text, DueRule.DATE


# -- applying -----------------------------------------------------------------

_CONDITION_FIELDS = (
    "consultation",
    "kind",
    "text",
    "vendor",
    "department",
    "report_back",
    "recurrence",
)


def apply(store: Store, parsed: MeetingFile, *, actor: str, now: dt.datetime) -> ImportResult:
    """Write *parsed* in one transaction, logging every creation and change."""
    result = ImportResult(filename=parsed.filename, meeting=parsed.meeting.id)
    problems: list[Problem] = []
    with store.transaction():
        for meeting in filter(None, (parsed.meeting, parsed.next_meeting)):
            existing = store.find_meeting(meeting.id)
            if existing and existing.council != meeting.council:
                problems.append(
                    (None, "import.meeting_mismatch", {"id": meeting.id, "other": existing.council})
                )
        for consultation in parsed.consultations:
            owner_meeting = store.consultation_meeting(consultation.id)
            if owner_meeting and owner_meeting != parsed.meeting.id:
                problems.append(
                    (
                        None,
                        "import.id_taken",
                        {
                            "what": "what.consultation",
                            "id": consultation.id,
                            "other": owner_meeting,
                        },
                    )
                )
        for condition in parsed.conditions:
            existing_condition = store.find_condition(condition.id)
            if existing_condition:
                other = store.consultation_meeting(existing_condition.consultation)
                if other and other != parsed.meeting.id:
                    problems.append(
                        (
                            None,
                            "import.id_taken",
                            {"what": "what.condition", "id": condition.id, "other": other},
                        )
                    )
        if problems:
            raise ImportFormatError(parsed.filename, problems)

        store.save_council(parsed.council)
        for kind, years in sorted(parsed.retention.items()):
            if store.set_retention_rule(kind, years, by=actor, at=now):
                store.append_event(
                    "records:retention",
                    "retention_set",
                    actor=actor,
                    at=now,
                    data={"kind": kind, "years": years, "file": parsed.filename},
                )
        if parsed.body is not None:
            before_body = store.find_council(parsed.council)
            if before_body != parsed.body:
                store.save_body(parsed.body)
                store.append_event(
                    f"council:{parsed.council}",
                    "updated",
                    actor=actor,
                    at=now,
                    data={"changes": {"body": [_plain(before_body), _plain(parsed.body)]}},
                )
                result.other_changes.append(f"council:{parsed.council}")
        for meeting in filter(None, (parsed.meeting, parsed.next_meeting)):
            _record_change(
                store,
                f"meeting:{meeting.id}",
                store.find_meeting(meeting.id),
                meeting,
                actor,
                now,
                result,
            )
            store.save_meeting(meeting)
        store.add_secretariat(parsed.secretariat)
        for department in parsed.departments:
            _record_change(
                store,
                f"department:{department.name}",
                store.find_department(department.name),
                department,
                actor,
                now,
                result,
            )
            store.save_department(department)
        for consultation in parsed.consultations:
            before = store.find_consultation(consultation.id)
            _record_change(
                store, f"consultation:{consultation.id}", before, consultation, actor, now, result
            )
            store.save_consultation(consultation)
        for consultation_id, vendor, parent in parsed.chains:
            if store.vendor_parent(consultation_id, vendor) != parent:
                store.save_vendor_parent(consultation_id, vendor, parent)
                store.append_event(
                    f"consultation:{consultation_id}",
                    "subcontractor_placed",
                    actor=actor,
                    at=now,
                    data={"vendor": vendor, "parent": parent},
                )
        for condition in parsed.conditions:
            existing_condition = store.find_condition(condition.id)
            if existing_condition is None:
                store.insert_condition(condition, at=now)
                store.append_event(
                    condition.id,
                    "created",
                    actor=actor,
                    at=now,
                    data={
                        "file": parsed.filename,
                        "due": condition.due.isoformat() if condition.due else None,
                    },
                )
                result.created.append(condition.id)
                continue
            changes = _condition_changes(existing_condition, condition)
            if changes:
                store.update_condition(
                    condition.id, at=now, **{k: new for k, (_, new) in changes.items()}
                )
                for field_name, group in _per_field(changes).items():
                    store.append_event(
                        condition.id,
                        "updated",
                        actor=actor,
                        at=now,
                        data={
                            "file": parsed.filename,
                            "field": field_name,
                            "changes": {k: [_plain(o), _plain(n)] for k, (o, n) in group.items()},
                        },
                    )
                result.updated.append(condition.id)
            else:
                result.unchanged.append(condition.id)
        for hook in APPLY_HOOKS:
            hook(store, parsed, actor, now)
        store.append_event(
            f"import:{parsed.meeting.id}",
            "imported",
            actor=actor,
            at=now,
            data={
                "file": parsed.filename,
                "sha256": parsed.sha256,
                "created": len(result.created),
                "updated": len(result.updated),
                "unchanged": len(result.unchanged),
            },
        )
    return result


#: Extensions that store extra per-condition fields run inside the import's transaction.
APPLY_HOOKS: list[Callable[[Store, MeetingFile, str, dt.datetime], None]] = []


def import_file(store: Store, path: str | Path, *, actor: str, now: dt.datetime) -> ImportResult:
    return apply(store, load(path, today=now.date()), actor=actor, now=now)


def _condition_changes(old: Condition, new: Condition) -> dict[str, tuple[Any, Any]]:
    changes = {
        name: (getattr(old, name), getattr(new, name))
        for name in _CONDITION_FIELDS
        if getattr(old, name) != getattr(new, name)
    }
    # The due date follows the file only when the file's wording changed (or the meeting it
    # names moved), so a re-import never undoes an extension the secretariat granted.
    if new.due_text != old.due_text:
        changes.update(due=(old.due, new.due), due_text=(old.due_text, new.due_text))
        if new.due_rule != old.due_rule:
            changes["due_rule"] = (old.due_rule, new.due_rule)
    elif old.due_rule is DueRule.NEXT_MEETING and new.due != old.due:
        changes["due"] = (old.due, new.due)
    return changes


def _per_field(changes: dict[str, tuple[Any, Any]]) -> dict[str, dict[str, tuple[Any, Any]]]:
    """One event per field a person changed: the due date, its wording and rule are one field."""
    grouped: dict[str, dict[str, tuple[Any, Any]]] = {}
    for name, change in changes.items():
        key = "due" if name in ("due", "due_text", "due_rule") else name
        grouped.setdefault(key, {})[name] = change
    return grouped


def _record_change(
    store: Store,
    subject: str,
    before: Any,
    after: Any,
    actor: str,
    now: dt.datetime,
    result: ImportResult,
) -> None:
    if before is None:
        store.append_event(subject, "created", actor=actor, at=now, data={})
        return
    if subject.startswith("consultation:"):
        before = replace(before, vendors=tuple(sorted(before.vendors, key=lambda v: v.name)))
        after = replace(after, vendors=tuple(sorted(after.vendors, key=lambda v: v.name)))
    diff = {
        f.name: [_plain(getattr(before, f.name)), _plain(getattr(after, f.name))]
        for f in fields(after)
        if getattr(before, f.name) != getattr(after, f.name)
    }
    if subject.startswith("consultation:") and "vendors" in diff:
        # Vendors and certifications are only ever added or updated by an import.
        merged = {v.name: v for v in before.vendors} | {v.name: v for v in after.vendors}
        if tuple(sorted(merged.values(), key=lambda v: v.name)) == before.vendors:
            diff.pop("vendors")
    for name, change in diff.items():
        store.append_event(
            subject, "updated", actor=actor, at=now, data={"field": name, "changes": {name: change}}
        )
    if diff:
        result.other_changes.append(subject)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, str):
        return str(value)
    return value


# Registers the trigger / due_after_event_days condition fields (see docs/checks.md).
from .checks import triggers as _triggers  # noqa: E402, F401
