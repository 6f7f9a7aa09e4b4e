"""Queries for report packs: which conditions went into which council meeting's pack.

A pack is built for one meeting; the conditions it described are recorded with
the status each had when packed, so that after the meeting
``mark-reported --meeting`` marks exactly the items the council was told were
done, and nothing that was added or accepted after the pack went out. Building
the pack again for the same meeting replaces its record: the latest pack is
the one the council receives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Condition, Event, Evidence, Meeting, Status
from .core import CoreStore, _condition, _event, _evidence

# The SQL run to reach this module's schema version (see store/__init__.py for the order).
SCHEMA = """
    CREATE TABLE report_packs (
        meeting TEXT PRIMARY KEY REFERENCES meetings(id),
        built_at TEXT NOT NULL,
        built_by TEXT NOT NULL DEFAULT '',
        lang TEXT NOT NULL DEFAULT 'ja',
        items INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE report_pack_items (
        meeting TEXT NOT NULL REFERENCES report_packs(meeting),
        condition TEXT NOT NULL REFERENCES conditions(id),
        status TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (meeting, condition)
    );
    CREATE INDEX report_pack_items_condition ON report_pack_items(condition, status);
"""

#: SQLite's smallest default limit on host parameters is 999; stay well below it.
_CHUNK = 500

# Conditions a pack for meeting :meeting describes: must be reported back, belong to a
# consultation decided at an earlier meeting of the same council (or of a committee or a
# 決裁 that reports to it: 実施機関による確認結果の報告), and are not yet reported
# (or were reported at this very meeting, so a pack rebuilt afterwards still shows them).
# A waived item is shown once: not again after it appeared waived in an earlier meeting's pack;
# so is a withdrawn one (取消), listed in the next pack with its reason even if it needed no report.
_PACK_SQL = """
    SELECT c.* FROM conditions c
    JOIN consultations k ON k.id = c.consultation
    JOIN meetings dm ON dm.id = k.meeting
    WHERE (c.report_back = 1 OR c.status = 'withdrawn')
      AND (dm.council = :council
           OR dm.council IN (SELECT b.name FROM councils b WHERE b.reports_to = :council))
      AND dm.date < :date
      AND (c.status != 'reported' OR c.reported_at_meeting = :meeting)
      AND NOT (
        c.status IN ('waived', 'withdrawn') AND EXISTS (
          SELECT 1 FROM report_pack_items p JOIN meetings pm ON pm.id = p.meeting
          WHERE p.condition = c.id AND p.status = c.status AND pm.date < :date
        )
      )
    ORDER BY dm.date, k.meeting, k.id,
      (SELECT s.seq FROM conditions s WHERE s.id = c.series), c.occurrence, c.id
"""


@dataclass(frozen=True, slots=True)
class PackRecord:
    """What was recorded when a meeting's pack was last built."""

    meeting: str
    built_at: dt.datetime
    built_by: str
    lang: str
    items: tuple[tuple[str, Status], ...]  # (condition id, status when packed), in pack order


class ReportQueries(CoreStore):
    """SQL for report packs: which conditions went into which council meeting's pack."""

    def pack_conditions(self, meeting: Meeting) -> list[Condition]:
        """The conditions a pack for *meeting* describes, in report order."""
        rows = self._rows(
            _PACK_SQL,
            {"council": meeting.council, "date": meeting.date.isoformat(), "meeting": meeting.id},
        )
        return [_condition(r) for r in rows]

    def evidence_for(self, condition_ids: Iterable[str]) -> dict[str, list[Evidence]]:
        """Evidence metadata (never contents) of many conditions, oldest first."""
        found: dict[str, list[Evidence]] = {}
        for chunk in _chunks(condition_ids):
            marks = ",".join("?" * len(chunk))
            for row in self._rows(
                f"SELECT * FROM evidence WHERE condition IN ({marks}) ORDER BY id", chunk
            ):
                found.setdefault(row["condition"], []).append(_evidence(row))
        return found

    def events_for(self, subjects: Iterable[str], actions: Sequence[str]) -> dict[str, list[Event]]:
        """The events of many subjects with one of *actions*, oldest first."""
        found: dict[str, list[Event]] = {}
        action_marks = ",".join("?" * len(actions))
        for chunk in _chunks(subjects):
            marks = ",".join("?" * len(chunk))
            rows = self._rows(
                f"SELECT * FROM events WHERE subject IN ({marks}) "
                f"AND action IN ({action_marks}) ORDER BY id",
                [*chunk, *actions],
            )
            for row in rows:
                found.setdefault(row["subject"], []).append(_event(row))
        return found

    def record_pack(
        self,
        meeting_id: str,
        items: Sequence[tuple[str, Status]],
        *,
        at: dt.datetime,
        actor: str,
        lang: str,
    ) -> None:
        """Replace the record of *meeting_id*'s pack (the caller appends the event)."""
        self._execute("DELETE FROM report_pack_items WHERE meeting = ?", (meeting_id,))
        self._execute(
            "INSERT INTO report_packs (meeting, built_at, built_by, lang, items) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(meeting) DO UPDATE SET "
            "built_at = excluded.built_at, built_by = excluded.built_by, "
            "lang = excluded.lang, items = excluded.items",
            (meeting_id, at.isoformat(), actor, lang, len(items)),
        )
        self._executemany(
            "INSERT INTO report_pack_items (meeting, condition, status, position) "
            "VALUES (?, ?, ?, ?)",
            [
                (meeting_id, condition_id, str(status), position)
                for position, (condition_id, status) in enumerate(items)
            ],
        )

    def pack_record(self, meeting_id: str) -> PackRecord | None:
        """The last pack built for *meeting_id*, or None if there was none."""
        head = self._one("SELECT * FROM report_packs WHERE meeting = ?", (meeting_id,))
        if head is None:
            return None
        rows = self._execute(
            "SELECT condition, status FROM report_pack_items WHERE meeting = ? ORDER BY position",
            (meeting_id,),
        ).fetchall()
        return PackRecord(
            meeting=meeting_id,
            built_at=dt.datetime.fromisoformat(head["built_at"]),
            built_by=head["built_by"],
            lang=head["lang"],
            items=tuple((condition, Status(status)) for condition, status in rows),
        )


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    batch: list[Any] = []
    for value in values:
        batch.append(value)
        if len(batch) == _CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch
