"""Who read which evidence file, when, through which surface; and every export.

Reading evidence (a roster, a pledge) is reading personal data, and a report pack
or a backup carries records out of the tool; each is an event already (the read is
logged before the bytes are handed over). This module turns those events into the
access record the secretariat shows an auditor (``duediligence audit access``) and
the summary a council reads in the report pack: counts per department, no names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..store import Store

#: event actions that read evidence
READ_ACTIONS = ("evidence_read",)
#: event actions that carry records out of the tool (files written for someone)
EXPORT_ACTIONS = ("report_pack_built", "backup_written", "purge_certificate_written")
ACCESS_ACTIONS = READ_ACTIONS + EXPORT_ACTIONS


@dataclass(frozen=True, slots=True)
class Access:
    """One read or export, as the access record lists it."""

    event_id: int
    at: dt.datetime
    actor: str
    action: str
    subject: str  # the condition read, or ``meeting:…`` / ``records`` for an export
    department: str | None  # the condition's owning department (reads only)
    filename: str
    sha256: str
    surface: str  # cli | slack | console | teams | … ; "" for events written before it was kept

    @property
    def is_read(self) -> bool:
        return self.action in READ_ACTIONS


def access_log(
    store: Store,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    condition: str | None = None,
    user: str | None = None,
) -> list[Access]:
    """Every read and export, oldest first, narrowed by time, condition or person.

    *user* matches every name the person goes by (a Slack id and its linked e-mails).
    """
    actors = sorted(store.identities(user)) if user else None
    if condition is not None:
        store.condition(condition)  # an unknown id is refused, not answered with nothing
    rows = store.access_events(
        ACCESS_ACTIONS, since=since, until=until, subject=condition, actors=actors
    )
    return [
        Access(
            event_id=row.id,
            at=row.at,
            actor=row.actor,
            action=row.action,
            subject=row.subject,
            department=department,
            filename=str(row.data.get("filename") or ", ".join(row.data.get("files") or [])),
            sha256=str(row.data.get("sha256") or ""),
            surface=str(row.data.get("surface") or ""),
        )
        for row, department in rows
    ]


@dataclass(frozen=True, slots=True)
class DepartmentAccess:
    department: str
    reads: int  # evidence reads of this department's conditions
    by_owners: int  # of which by the department's own staff
    by_secretariat: int  # of which by the secretariat
    files: int  # distinct files read
    readers: int  # distinct people who read (a number, never their names)


@dataclass(frozen=True, slots=True)
class AccessSummary:
    """What the council is told: reads per department and exports, for a period."""

    since: dt.date | None
    until: dt.date
    departments: tuple[DepartmentAccess, ...]
    exports: int  # report packs, backups and certificates written

    @property
    def reads(self) -> int:
        return sum(d.reads for d in self.departments)


def access_summary(
    store: Store, *, since: dt.datetime | None, until: dt.datetime, secretariat: frozenset[str]
) -> AccessSummary:
    """Count the reads per department between *since* and *until*; names stay out."""
    records = access_log(store, since=since, until=until)
    owners = {d.name: set(d.owners) | ({d.head} if d.head else set()) for d in store.departments()}
    staff = secretariat | set(store.secretariat())
    table: dict[str, dict[str, set[str] | int]] = {}
    exports = 0
    for record in records:
        if not record.is_read:
            exports += 1
            continue
        department = record.department or "-"
        row = table.setdefault(
            department,
            {"reads": 0, "owners": 0, "secretariat": 0, "files": set(), "readers": set()},
        )
        names = store.identities(record.actor)
        row["reads"] += 1  # type: ignore[operator]
        if names & owners.get(department, set()):
            row["owners"] += 1  # type: ignore[operator]
        elif names & staff:
            row["secretariat"] += 1  # type: ignore[operator]
        row["files"].add(record.sha256)  # type: ignore[union-attr]
        row["readers"].add(record.actor)  # type: ignore[union-attr]
    departments = tuple(
        DepartmentAccess(
            department=name,
            reads=int(row["reads"]),  # type: ignore[arg-type]
            by_owners=int(row["owners"]),  # type: ignore[arg-type]
            by_secretariat=int(row["secretariat"]),  # type: ignore[arg-type]
            files=len(row["files"]),  # type: ignore[arg-type]
            readers=len(row["readers"]),  # type: ignore[arg-type]
        )
        for name, row in sorted(table.items())
    )
    return AccessSummary(
        since=since.date() if since else None,
        until=until.date(),
        departments=departments,
        exports=exports,
    )
