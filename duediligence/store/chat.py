"""Queries for what the chat transports must remember: handled Slack event ids, review cards, pending uploads.

* ``chat_deliveries``: ids of deliveries already handled (a Slack ``event_id``, or
  ``file:<id>`` for an upload announced by two events), so a retry is handled once.
* ``chat_cards``: where a review or extension card was posted (channel, ts), so the
  card can be updated in place, and who decided it, so a second click cannot act twice.
* ``chat_pending_uploads``: a file dropped in the DM whose condition the uploader must
  still choose from a menu.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import Condition
from .core import ConditionFilter, CoreStore, _condition, _where

# The SQL run to reach this module's schema version (see store/__init__.py for the order).
SCHEMA = """
    CREATE TABLE chat_deliveries (
        id TEXT PRIMARY KEY,
        at TEXT NOT NULL
    );
    CREATE TABLE chat_cards (
        key TEXT PRIMARY KEY,
        subject TEXT NOT NULL,
        channel TEXT,
        ts TEXT,
        created_at TEXT NOT NULL,
        decided_by TEXT,
        decided_at TEXT,
        decision TEXT
    );
    CREATE INDEX chat_cards_subject ON chat_cards(subject);
    CREATE TABLE chat_pending_uploads (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        actor TEXT NOT NULL,
        file_id TEXT NOT NULL,
        filename TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        used_at TEXT
    );
"""


@dataclass(frozen=True, slots=True)
class Card:
    """A message the secretariat acts on (review or extension), and its decision if any."""

    key: str
    subject: str
    channel: str | None
    ts: str | None
    decided_by: str | None = None
    decision: str | None = None


@dataclass(frozen=True, slots=True)
class PendingUpload:
    id: int
    actor: str
    file_id: str
    filename: str
    used: bool


class ChatQueries(CoreStore):
    """SQL for what the chat transports must remember: handled Slack event ids, review cards, pending uploads."""

    # -- the status query's "due soon" -------------------------------------

    def conditions_due_between(
        self, start: dt.date, end: dt.date, where: ConditionFilter | None = None
    ) -> list[Condition]:
        """Conditions matching *where* due from *start* to *end* inclusive, soonest first."""
        clause, params = _where(where or ConditionFilter())
        clause += (" AND " if clause else " WHERE ") + "due >= ? AND due <= ?"
        params += [start.isoformat(), end.isoformat()]
        sql = f"SELECT * FROM conditions{clause} ORDER BY due, id"
        if where and where.limit:
            sql += f" LIMIT {int(where.limit)}"
        return [_condition(r) for r in self._rows(sql, params)]

    # -- deliveries (Slack retries) ----------------------------------------

    def claim_delivery(self, delivery_id: str, *, at: dt.datetime) -> bool:
        """True the first time *delivery_id* is seen; False for a retry or a twin event."""
        cur = self._execute(
            "INSERT INTO chat_deliveries (id, at) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (delivery_id, at.isoformat()),
        )
        return cur.rowcount == 1

    def forget_deliveries(self, before: dt.datetime) -> int:
        """Drop handled ids older than *before*: Slack retries an event within minutes, not days."""
        with self.transaction():
            cur = self._execute(
                f"DELETE FROM chat_deliveries WHERE {self.sql.timestamp('at')} "
                f"< {self.sql.timestamp('?')}",
                (before.isoformat(),),
            )
        return int(cur.rowcount)

    # -- cards -------------------------------------------------------------

    def save_card(
        self, key: str, *, subject: str, channel: str | None, ts: str | None, at: dt.datetime
    ) -> None:
        """Remember where a card was posted (an undecided card keeps its decision columns)."""
        self._execute(
            "INSERT INTO chat_cards (key, subject, channel, ts, created_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET channel = excluded.channel, ts = excluded.ts",
            (key, subject, channel, ts, at.isoformat()),
        )

    def card(self, key: str) -> Card | None:
        row = self._one("SELECT * FROM chat_cards WHERE key = ?", (key,))
        if row is None:
            return None
        return Card(
            key=row["key"],
            subject=row["subject"],
            channel=row["channel"],
            ts=row["ts"],
            decided_by=row["decided_by"],
            decision=row["decision"],
        )

    def decide_card(
        self, key: str, *, subject: str, actor: str, decision: str, at: dt.datetime
    ) -> bool:
        """Mark the card decided; False if someone already decided it (the second click)."""
        self._execute(
            "INSERT INTO chat_cards (key, subject, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (key, subject, at.isoformat()),
        )
        cur = self._execute(
            "UPDATE chat_cards SET decided_by = ?, decided_at = ?, decision = ? "
            "WHERE key = ? AND decided_at IS NULL",
            (actor, at.isoformat(), decision, key),
        )
        return cur.rowcount == 1

    def open_cards(self, subject: str) -> list[Card]:
        """Undecided cards about *subject* (e.g. older review cards to close after a decision)."""
        rows = self._rows(
            "SELECT key FROM chat_cards WHERE subject = ? AND decided_at IS NULL ORDER BY created_at",
            (subject,),
        )
        return [c for r in rows if (c := self.card(r["key"])) is not None]

    # -- pending uploads ----------------------------------------------------

    def add_pending_upload(
        self, *, actor: str, file_id: str, filename: str, at: dt.datetime
    ) -> int:
        cur = self._execute(
            "INSERT INTO chat_pending_uploads (actor, file_id, filename, created_at) "
            "VALUES (?, ?, ?, ?) RETURNING id",
            (actor, file_id, filename, at.isoformat()),
        )
        return int(cur.fetchone()[0])

    def pending_upload(self, pending_id: int) -> PendingUpload | None:
        row = self._one("SELECT * FROM chat_pending_uploads WHERE id = ?", (pending_id,))
        if row is None:
            return None
        return PendingUpload(
            id=row["id"],
            actor=row["actor"],
            file_id=row["file_id"],
            filename=row["filename"],
            used=row["used_at"] is not None,
        )

    def use_pending_upload(self, pending_id: int, *, at: dt.datetime) -> bool:
        """Consume a pending upload once; False if it was already chosen."""
        cur = self._execute(
            "UPDATE chat_pending_uploads SET used_at = ? WHERE id = ? AND used_at IS NULL",
            (at.isoformat(), pending_id),
        )
        return cur.rowcount == 1
