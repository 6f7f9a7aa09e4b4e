"""Queries for supervising outsourcing (委託先の監督) beyond a council's conditions.

* ``evidence.effective`` / ``evidence.valid_until``: evidence that holds for a
  term (a certificate, an insurance policy, a contract, a pledge with a term).
  The latest file of a condition is what counts; once its ``valid_until`` has
  passed, the condition reopens (see :mod:`duediligence.validity`).
* ``councils.body`` / ``councils.reports_to``: the approving body is a council
  (審議会), a committee (委員会) or an internal decision (決裁); a body that is not
  a council may report what it approved to one.
* The outbox learns two kinds: ``evidence_expiry`` (60/30/7 days before a
  document lapses) and ``alert`` (sent at once, whatever the hour: an incident).
  SQLite cannot widen a CHECK constraint in place, so there the table is rebuilt;
  PostgreSQL swaps the constraint.
* ``incidents`` (next version): a leak, loss or unauthorised access an owner
  reported; its first report, final report and recurrence prevention are conditions.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from ..model import BodyKind, Condition, Council, Evidence, Incident, IncidentKind
from .core import CoreStore, _condition, _evidence
from .dialect import Migration

# The SQL run to reach this module's schema version (see store/__init__.py for the order).
SCHEMA = Migration(
    portable="""
    ALTER TABLE evidence ADD COLUMN effective TEXT;
    ALTER TABLE evidence ADD COLUMN valid_until TEXT;
    CREATE INDEX evidence_valid_until ON evidence(valid_until);
    ALTER TABLE councils ADD COLUMN body TEXT NOT NULL DEFAULT 'council';
    ALTER TABLE councils ADD COLUMN reports_to TEXT;
""",
    sqlite="""
    CREATE TABLE outbox_rebuilt (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        dedupe_key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL
            CHECK (kind IN ('reminder', 'escalation', 'certificate_expiry', 'digest', 'question',
                            'evidence_expiry', 'alert')),
        subject TEXT NOT NULL,
        condition TEXT REFERENCES conditions(id),
        occurrence TEXT NOT NULL DEFAULT '',
        due TEXT,
        stage TEXT NOT NULL,
        recipient TEXT NOT NULL,
        payload TEXT NOT NULL DEFAULT '{}',
        send_after TEXT NOT NULL,
        send_after_utc TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        claimed_at TEXT,
        sent_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    INSERT INTO outbox_rebuilt SELECT * FROM outbox;
    DROP TABLE outbox;
    ALTER TABLE outbox_rebuilt RENAME TO outbox;
    CREATE INDEX outbox_status_send ON outbox(status, send_after_utc);
    CREATE INDEX outbox_failed ON outbox(updated_at) WHERE status = 'failed';
    CREATE INDEX outbox_condition_stage ON outbox(condition, due, stage);
""",
    postgresql="""
    ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
    ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
        CHECK (kind IN ('reminder', 'escalation', 'certificate_expiry', 'digest', 'question',
                        'evidence_expiry', 'alert'));
""",
)

# The next version: incidents (漏えい等) reported on an outsourcing.
INCIDENTS = """
    CREATE TABLE incidents (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        consultation TEXT NOT NULL REFERENCES consultations(id),
        vendor TEXT,
        kind TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        conditions TEXT NOT NULL DEFAULT '[]',
        reported_by TEXT NOT NULL,
        reported_at TEXT NOT NULL
    );
    CREATE INDEX incidents_consultation ON incidents(consultation, id);
"""

# The next version: the sub-contracting chain, and the approvals that extend it.
CHAIN = """
    CREATE TABLE vendor_chain (
        consultation TEXT NOT NULL REFERENCES consultations(id),
        vendor TEXT NOT NULL REFERENCES vendors(name),
        parent TEXT NOT NULL REFERENCES vendors(name),
        PRIMARY KEY (consultation, vendor)
    );
    CREATE TABLE subcontract_requests (
        condition TEXT PRIMARY KEY REFERENCES conditions(id),
        consultation TEXT NOT NULL REFERENCES consultations(id),
        subcontractor TEXT NOT NULL,
        parent TEXT NOT NULL,
        inherit TEXT NOT NULL DEFAULT '[]',
        applied_at TEXT
    );
"""

# The next version: checklists (required contract clauses, the yearly inspection) and answers.
CHECKLISTS = """
    CREATE TABLE checklist_items (
        checklist TEXT NOT NULL,
        position INTEGER NOT NULL,
        item TEXT NOT NULL,
        label_ja TEXT NOT NULL,
        label_en TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (checklist, item)
    );
    CREATE TABLE checklist_answers (
        condition TEXT NOT NULL REFERENCES conditions(id),
        item TEXT NOT NULL,
        answer TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        recorded_by TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (condition, item)
    );
"""

#: conditions whose latest evidence may lapse: the owner is done with them
_DONE = "('accepted', 'reported')"

# The latest file of each condition, with a term, on a condition whose series goes no further.
_CURRENT = """
    SELECT c.*, e.id AS evidence_id FROM conditions c
    JOIN evidence e ON e.id = (SELECT max(x.id) FROM evidence x WHERE x.condition = c.id)
    WHERE e.valid_until IS NOT NULL AND c.status IN {done}
      AND NOT EXISTS (
        SELECT 1 FROM conditions n WHERE n.series = c.series AND n.occurrence > c.occurrence
      )
"""


class SupervisionQueries(CoreStore):
    """SQL for evidence with a term and for the kind of approving body."""

    # -- evidence with a term ------------------------------------------------

    def set_evidence_validity(
        self, evidence_id: int, *, effective: dt.date | None, valid_until: dt.date | None
    ) -> None:
        self._execute(
            "UPDATE evidence SET effective = ?, valid_until = ? WHERE id = ?",
            (
                effective.isoformat() if effective else None,
                valid_until.isoformat() if valid_until else None,
                evidence_id,
            ),
        )

    def evidence_by_id(self, evidence_id: int) -> Evidence | None:
        row = self._one("SELECT * FROM evidence WHERE id = ?", (evidence_id,))
        return _evidence(row) if row else None

    def evidence_lapsing(self, start: dt.date, end: dt.date) -> list[tuple[Condition, Evidence]]:
        """Done conditions whose latest file holds until a day from *start* to *end*."""
        return self._current(" AND e.valid_until >= ? AND e.valid_until <= ?", start, end)

    def evidence_lapsed(self, today: dt.date) -> list[tuple[Condition, Evidence]]:
        """Done conditions whose latest file held only until before *today*."""
        return self._current(" AND e.valid_until < ?", today)

    def _current(self, clause: str, *days: dt.date) -> list[tuple[Condition, Evidence]]:
        rows = self._rows(
            _CURRENT.format(done=_DONE) + clause + " ORDER BY e.valid_until, c.id",
            [d.isoformat() for d in days],
        )
        found = []
        for row in rows:
            evidence = self.evidence_by_id(int(row["evidence_id"]))
            assert evidence is not None
            found.append((_condition(row), evidence))
        return found

    # -- incidents ------------------------------------------------------------

    def add_incident(
        self,
        *,
        consultation: str,
        vendor: str | None,
        kind: IncidentKind,
        description: str,
        conditions: Sequence[str],
        reported_by: str,
        reported_at: dt.datetime,
    ) -> Incident:
        cur = self._execute(
            "INSERT INTO incidents (consultation, vendor, kind, description, conditions, "
            "reported_by, reported_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                consultation,
                vendor,
                str(kind),
                description,
                json.dumps(list(conditions)),
                reported_by,
                reported_at.isoformat(),
            ),
        )
        found = self.incident(int(cur.fetchone()[0]))
        assert found is not None
        return found

    def incident(self, incident_id: int) -> Incident | None:
        row = self._one("SELECT * FROM incidents WHERE id = ?", (incident_id,))
        return _incident(row) if row else None

    def incidents(self, consultation: str | None = None) -> list[Incident]:
        if consultation is None:
            rows = self._rows("SELECT * FROM incidents ORDER BY id")
        else:
            rows = self._rows(
                "SELECT * FROM incidents WHERE consultation = ? ORDER BY id", (consultation,)
            )
        return [_incident(r) for r in rows]

    # -- the sub-contracting chain ---------------------------------------------

    def save_vendor_parent(self, consultation: str, vendor: str, parent: str) -> None:
        self._execute(
            "INSERT INTO vendor_chain (consultation, vendor, parent) VALUES (?, ?, ?) "
            "ON CONFLICT(consultation, vendor) DO UPDATE SET parent = excluded.parent",
            (consultation, vendor, parent),
        )

    def vendor_parent(self, consultation: str, vendor: str) -> str | None:
        row = self._one(
            "SELECT parent FROM vendor_chain WHERE consultation = ? AND vendor = ?",
            (consultation, vendor),
        )
        return row["parent"] if row else None

    def vendor_parents(self, consultation: str) -> dict[str, str]:
        rows = self._rows(
            "SELECT vendor, parent FROM vendor_chain WHERE consultation = ? ORDER BY vendor",
            (consultation,),
        )
        return {r["vendor"]: r["parent"] for r in rows}

    def save_subcontract_request(
        self,
        condition: str,
        consultation: str,
        subcontractor: str,
        parent: str,
        inherit: Sequence[str],
    ) -> None:
        self._execute(
            "INSERT INTO subcontract_requests (condition, consultation, subcontractor, parent, "
            "inherit) VALUES (?, ?, ?, ?, ?) ON CONFLICT(condition) DO UPDATE SET "
            "subcontractor = excluded.subcontractor, parent = excluded.parent, "
            "inherit = excluded.inherit",
            (condition, consultation, subcontractor, parent, json.dumps(list(inherit))),
        )

    def subcontract_request(self, condition: str) -> dict[str, Any] | None:
        row = self._one("SELECT * FROM subcontract_requests WHERE condition = ?", (condition,))
        if row is None:
            return None
        return {**row, "inherit": json.loads(row["inherit"])}

    def mark_subcontract_applied(self, condition: str, at: dt.datetime) -> None:
        self._execute(
            "UPDATE subcontract_requests SET applied_at = ? WHERE condition = ?",
            (at.isoformat(), condition),
        )

    def add_consultation_vendor(self, consultation: str, vendor: str, role: str) -> None:
        """A vendor joins a consultation after the import (an approved sub-contractor)."""
        self._execute("INSERT INTO vendors (name) VALUES (?) ON CONFLICT DO NOTHING", (vendor,))
        position = self._one(
            "SELECT coalesce(max(position), -1) + 1 AS next FROM consultation_vendors "
            "WHERE consultation = ?",
            (consultation,),
        )
        self._execute(
            "INSERT INTO consultation_vendors (consultation, vendor, role, position) "
            "VALUES (?, ?, ?, ?) ON CONFLICT(consultation, vendor) DO NOTHING",
            (consultation, vendor, role, int(position["next"]) if position else 0),
        )

    # -- checklists (contract clauses, inspections) ------------------------------

    def checklist_items(self, checklist: str) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT item AS key, label_ja, label_en FROM checklist_items WHERE checklist = ? "
            "ORDER BY position",
            (checklist,),
        )

    def replace_checklist_items(
        self, checklist: str, items: Sequence[tuple[str, str, str]]
    ) -> None:
        self._execute("DELETE FROM checklist_items WHERE checklist = ?", (checklist,))
        for position, (item, ja, en) in enumerate(items):
            self._execute(
                "INSERT INTO checklist_items (checklist, position, item, label_ja, label_en) "
                "VALUES (?, ?, ?, ?, ?)",
                (checklist, position, item, ja, en),
            )

    def save_checklist_answers(
        self,
        condition: str,
        answers: Sequence[tuple[str, str, str]],
        *,
        actor: str,
        at: dt.datetime,
    ) -> None:
        for item, answer, note in answers:
            self._execute(
                "INSERT INTO checklist_answers (condition, item, answer, note, recorded_by, "
                "recorded_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(condition, item) DO UPDATE "
                "SET answer = excluded.answer, note = excluded.note, "
                "recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
                (condition, item, answer, note, actor, at.isoformat()),
            )

    def checklist_answers(self, condition: str) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT item AS key, answer, note FROM checklist_answers WHERE condition = ? "
            "ORDER BY item",
            (condition,),
        )

    # -- the approving body ----------------------------------------------------

    def save_body(self, council: Council) -> None:
        """Record what kind of body *council* is (the row is saved by ``save_council``)."""
        self._execute(
            "INSERT INTO councils (name) VALUES (?) ON CONFLICT DO NOTHING", (council.name,)
        )
        self._execute(
            "UPDATE councils SET body = ?, reports_to = ? WHERE name = ?",
            (str(council.body), council.reports_to, council.name),
        )

    def find_council(self, name: str) -> Council | None:
        row = self._one("SELECT * FROM councils WHERE name = ?", (name,))
        return _council(row) if row else None

    def council_of_meeting(self, meeting_id: str) -> Council | None:
        row = self._one(
            "SELECT k.* FROM councils k JOIN meetings m ON m.council = k.name WHERE m.id = ?",
            (meeting_id,),
        )
        return _council(row) if row else None

    def bodies_reporting_to(self, council: str) -> list[Council]:
        rows = self._rows("SELECT * FROM councils WHERE reports_to = ? ORDER BY name", (council,))
        return [_council(r) for r in rows]


def _incident(row: dict[str, Any]) -> Incident:
    return Incident(
        id=int(row["id"]),
        consultation=row["consultation"],
        kind=IncidentKind(row["kind"]),
        reported_by=row["reported_by"],
        reported_at=dt.datetime.fromisoformat(row["reported_at"]),
        vendor=row["vendor"],
        description=row["description"],
        conditions=tuple(json.loads(row["conditions"])),
    )


def _council(row: dict[str, Any]) -> Council:
    return Council(name=row["name"], body=BodyKind(row["body"]), reports_to=row["reports_to"])
