"""Queries for retention and purge: how long each kind is kept, and what was erased.

* ``retention_rules``: years evidence of a kind is kept after its condition closed, as
  set by an import (``retention:``); kinds without a row use ``DD_RETENTION_YEARS``.
* ``evidence_purges``: one row per evidence file erased, with the purge run (the id of
  its ``purge_run`` event). The evidence row itself stays: its sha256, size and name
  are the proof of what was held; only the bytes and the names in rosters go.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from ..model import Condition, Evidence, Status
from .core import CoreStore, _condition, _evidence
from .dialect import Migration

# The SQL run to reach this module's schema version (see store/__init__.py for the order).
SCHEMA = Migration(
    portable="""
    CREATE TABLE retention_rules (
        kind TEXT PRIMARY KEY,
        years INTEGER NOT NULL,
        set_by TEXT NOT NULL,
        set_at TEXT NOT NULL
    );
    CREATE TABLE evidence_purges (
        evidence INTEGER PRIMARY KEY REFERENCES evidence(id),
        run INTEGER NOT NULL,
        purged_at TEXT NOT NULL
    );
    CREATE INDEX evidence_purges_run ON evidence_purges(run);
"""
)

#: the events that close a condition (the latest one dates the close)
CLOSING_ACTIONS = ("reported", "waived", "withdrawn", "accepted")
_CLOSED = (str(Status.REPORTED), str(Status.WAIVED), str(Status.WITHDRAWN))


class RetentionQueries(CoreStore):
    def recent_evidence_hashes(self, limit: int = 20) -> list[str]:
        """The newest evidence still kept: an erased file is not expected on disk."""
        if not any(step is SCHEMA for step in type(self).MIGRATIONS):
            return super().recent_evidence_hashes(limit)  # a store of an older schema
        rows = self._execute(
            "SELECT e.sha256 FROM evidence e LEFT JOIN evidence_purges p ON p.evidence = e.id "
            "WHERE p.evidence IS NULL ORDER BY e.id DESC LIMIT ?",
            (int(limit),),
        ).fetchall()
        return list(dict.fromkeys(r[0] for r in rows))

    def retention_rules(self) -> dict[str, int]:
        rows = self._rows("SELECT kind, years FROM retention_rules ORDER BY kind")
        return {r["kind"]: int(r["years"]) for r in rows}

    def set_retention_rule(self, kind: str, years: int, *, by: str, at: dt.datetime) -> bool:
        """Set one kind's rule; True when it changed (the caller records the event)."""
        current = self.retention_rules().get(kind)
        if current == years:
            return False
        self._execute(
            "INSERT INTO retention_rules (kind, years, set_by, set_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(kind) DO UPDATE SET years = excluded.years, set_by = excluded.set_by, "
            "set_at = excluded.set_at",
            (kind, years, by, at.isoformat()),
        )
        return True

    def closed_conditions(self) -> list[tuple[Condition, dt.datetime]]:
        """Every finished condition with the moment it closed (its latest closing event)."""
        marks = ",".join("?" * len(_CLOSED))
        conditions = [
            _condition(r)
            for r in self._records(
                f"SELECT * FROM conditions WHERE status IN ({marks}) "
                "OR (status = 'accepted' AND report_back = 0) ORDER BY id",
                _CLOSED,
            )
        ]
        closing = ",".join("?" * len(CLOSING_ACTIONS))
        closed_at: dict[str, dt.datetime] = {}
        for row in self._execute(
            f"SELECT subject, at FROM events WHERE action IN ({closing})", CLOSING_ACTIONS
        ).fetchall():
            moment = dt.datetime.fromisoformat(row[1])
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.UTC)
            if row[0] not in closed_at or moment > closed_at[row[0]]:
                closed_at[row[0]] = moment
        return [(c, closed_at[c.id]) for c in conditions if c.finished and c.id in closed_at]

    def unpurged_evidence(self, condition_id: str) -> list[Evidence]:
        rows = self._rows(
            "SELECT e.* FROM evidence e LEFT JOIN evidence_purges p ON p.evidence = e.id "
            "WHERE e.condition = ? AND p.evidence IS NULL ORDER BY e.id",
            (condition_id,),
        )
        return [_evidence(r) for r in rows]

    def mark_purged(self, evidence_id: int, *, run: int, at: dt.datetime) -> None:
        self._execute(
            "INSERT INTO evidence_purges (evidence, run, purged_at) VALUES (?, ?, ?)",
            (evidence_id, run, at.isoformat()),
        )

    def purged_evidence_ids(self) -> set[int]:
        return {int(r[0]) for r in self._execute("SELECT evidence FROM evidence_purges").fetchall()}

    def sha256_still_kept(self, sha256: str) -> bool:
        """Whether an evidence row not purged still refers to these bytes (deduplicated blobs)."""
        row = self._execute(
            "SELECT 1 FROM evidence e LEFT JOIN evidence_purges p ON p.evidence = e.id "
            "WHERE e.sha256 = ? AND p.evidence IS NULL LIMIT 1",
            (sha256,),
        ).fetchone()
        return row is not None

    def purged_sha256s(self) -> list[str]:
        """The bytes every reference of which is purged: they must not be on disk."""
        rows = self._execute(
            "SELECT DISTINCT e.sha256 FROM evidence e JOIN evidence_purges p ON p.evidence = e.id "
            "WHERE NOT EXISTS (SELECT 1 FROM evidence k LEFT JOIN evidence_purges q "
            "ON q.evidence = k.id WHERE k.sha256 = e.sha256 AND q.evidence IS NULL)"
        ).fetchall()
        return [r[0] for r in rows]

    def names_held(self, condition_id: str) -> int:
        """How many names the roster and pledge tables hold for *condition_id*."""
        people = self._execute(
            "SELECT count(*) FROM check_roster_people WHERE roster IN "
            "(SELECT id FROM check_rosters WHERE condition = ?)",
            (condition_id,),
        ).fetchone()[0]
        pledges = self._execute(
            "SELECT count(*) FROM check_pledges WHERE condition = ? AND name != ''",
            (condition_id,),
        ).fetchone()[0]
        return int(people) + int(pledges)

    def erase_names(self, condition_id: str) -> int:
        """Delete the roster rows and blank the pledges' names of one condition; how many."""
        count = self.names_held(condition_id)
        self._execute(
            "DELETE FROM check_roster_people WHERE roster IN "
            "(SELECT id FROM check_rosters WHERE condition = ?)",
            (condition_id,),
        )
        # Findings may quote a row's name; the roster's version and sizes stay.
        self._execute(
            "UPDATE check_rosters SET findings = '[]' WHERE condition = ?", (condition_id,)
        )
        self._execute(
            "UPDATE check_pledges SET name = '', person = 'erased:' || id "
            "WHERE condition = ? AND name != ''",
            (condition_id,),
        )
        return count

    def events_with(self, action: str, **data: Any) -> list[Mapping[str, Any]]:
        """Events of one action whose payload has these values (a purge run's deletions)."""
        rows = self._rows("SELECT * FROM events WHERE action = ? ORDER BY id", (action,))
        found = []
        for row in rows:
            payload = json.loads(row["data"])
            if all(payload.get(k) == v for k, v in data.items()):
                found.append({**row, "data": payload})
        return found
