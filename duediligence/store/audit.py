"""Queries for the record of the record: the event chain (and, later, access and retention).

* ``event_chain``: one row per event, its chain hash (see :mod:`duediligence.audit.chain`).
  A separate table rather than a column so that the events written before the chain
  existed could be sealed by the migration without updating the append-only ``events``.
  It is append-only too.

The hash is computed by the library (:func:`~duediligence.audit.chain.event_hash`) on
the row as stored; SQL only keeps it, so another backend produces the same chain.
"""

from __future__ import annotations

import datetime as dt
import heapq
import os
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..audit.chain import GENESIS, event_hash
from ..model import Event
from .core import CoreStore, _event
from .dialect import Migration


def _seal_existing(store: CoreStore) -> None:
    """Chain every event already in the log, oldest first (run once, by the migration)."""
    previous = GENESIS
    rows = store._execute(
        "SELECT id, subject, action, actor, at, reason, data FROM events ORDER BY id"
    ).fetchall()
    sealed = []
    for event_id, subject, action, actor, at, reason, data in rows:
        previous = event_hash(previous, event_id, subject, action, actor, at, reason, data)
        sealed.append((event_id, previous))
    store._executemany("INSERT INTO event_chain (event, hash) VALUES (?, ?)", sealed)


# The step run to reach this module's schema version (see store/__init__.py for the order).
SCHEMA = Migration(
    portable="""
    CREATE TABLE event_chain (
        event INTEGER PRIMARY KEY,
        hash TEXT NOT NULL
    );
    CREATE INDEX events_action ON events(action, id);
""",
    sqlite="""
    CREATE TRIGGER event_chain_append_only_update BEFORE UPDATE ON event_chain
        BEGIN SELECT RAISE(ABORT, 'the event chain is append-only'); END;
    CREATE TRIGGER event_chain_append_only_delete BEFORE DELETE ON event_chain
        BEGIN SELECT RAISE(ABORT, 'the event chain is append-only'); END;
""",
    postgresql="""
    CREATE FUNCTION dd_event_chain_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the event chain is append-only'; END; $$;
    CREATE TRIGGER event_chain_append_only BEFORE UPDATE OR DELETE ON event_chain
        FOR EACH ROW EXECUTE FUNCTION dd_event_chain_append_only();
""",
    then=_seal_existing,
)

#: the batch the chain is read in: memory stays flat however long the log is
_BATCH = 5000

ChainRow = tuple[
    int, str | None, str | None, str | None, str | None, str | None, str | None, str | None
]


class AuditQueries(CoreStore):
    """Every event appended through here is chained in the same transaction."""

    def append_event(
        self,
        subject: str,
        action: str,
        *,
        actor: str,
        at: dt.datetime,
        reason: str = "",
        data: Mapping[str, Any] | None = None,
    ) -> int:
        if not self._chained():
            return super().append_event(
                subject, action, actor=actor, at=at, reason=reason, data=data
            )
        with self.transaction():
            event_id = super().append_event(
                subject, action, actor=actor, at=at, reason=reason, data=data
            )
            row = self._execute(
                "SELECT subject, action, actor, at, reason, data FROM events WHERE id = ?",
                (event_id,),
            ).fetchone()
            self._execute(
                "INSERT INTO event_chain (event, hash) VALUES (?, ?)",
                (event_id, event_hash(self.chain_head_hash(), event_id, *row)),
            )
        return event_id

    def _chained(self) -> bool:
        """Whether this store's schema has the chain (a store of an older schema has not)."""
        cls = type(self)
        known = cls.__dict__.get("_has_chain")
        if known is None:
            known = any(step is SCHEMA for step in cls.MIGRATIONS)
            cls._has_chain = known  # type: ignore[attr-defined]
        return bool(known)

    def chain_head_hash(self) -> str:
        """The hash of the newest chained event (the genesis value on an empty log)."""
        row = self._execute("SELECT hash FROM event_chain ORDER BY event DESC LIMIT 1").fetchone()
        return row[0] if row else GENESIS

    def chain_rows(self, start: int = 0) -> Iterator[ChainRow]:
        """Every event and chain row from id *start* on, in id order.

        (id, subject, action, actor, at, reason, data, stored hash): an event without a
        chain row has a None hash, a chain row whose event is gone has None fields.
        Read in id-ordered batches (keyset pagination), so it runs the same on any engine.
        """
        orphans = [
            (int(event), None, None, None, None, None, None, hash_)
            for event, hash_ in self._execute(
                "SELECT c.event, c.hash FROM event_chain c LEFT JOIN events e ON e.id = c.event "
                "WHERE e.id IS NULL AND c.event >= ? ORDER BY c.event",
                (start,),
            ).fetchall()
        ]
        return heapq.merge(self._event_batches(start), orphans, key=lambda row: row[0])

    def _event_batches(self, start: int) -> Iterator[ChainRow]:
        after = start - 1
        while batch := self._execute(
            "SELECT e.id, e.subject, e.action, e.actor, e.at, e.reason, e.data, c.hash "
            "FROM events e LEFT JOIN event_chain c ON c.event = e.id "
            f"WHERE e.id > ? ORDER BY e.id LIMIT {_BATCH}",
            (after,),
        ).fetchall():
            after = batch[-1][0]
            yield from batch

    def chain_tail_start(self, last: int) -> tuple[int, str]:
        """Where to start checking the *last* events, and the hash the one before ends with."""
        row = self._execute(
            "SELECT id FROM events ORDER BY id DESC LIMIT 1 OFFSET ?", (max(last, 1) - 1,)
        ).fetchone()
        if row is None:
            return 0, GENESIS
        before = self._execute(
            "SELECT hash FROM event_chain WHERE event < ? ORDER BY event DESC LIMIT 1", (row[0],)
        ).fetchone()
        return int(row[0]), (before[0] if before else GENESIS)

    def access_events(
        self,
        actions: Sequence[str],
        *,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        subject: str | None = None,
        actors: Sequence[str] | None = None,
    ) -> list[tuple[Event, str | None]]:
        """Events with one of *actions*, oldest first, each with its condition's department."""
        sql = (
            "SELECT e.*, c.department AS department FROM events e "
            "LEFT JOIN conditions c ON c.id = e.subject "
            f"WHERE e.action IN ({','.join('?' * len(actions))})"
        )
        params: list[Any] = list(actions)
        if subject is not None:
            sql += " AND e.subject = ?"
            params.append(subject)
        if actors:
            sql += f" AND e.actor IN ({','.join('?' * len(actors))})"
            params.extend(actors)
        rows = [(_event(r), r["department"]) for r in self._rows(sql + " ORDER BY e.id", params)]
        # Times are compared as moments, not as text: events carry their own UTC offset.
        return [
            (event, department)
            for event, department in rows
            if (since is None or _moment(event.at) >= _moment(since))
            and (until is None or _moment(event.at) <= _moment(until))
        ]

    def chain_hash_of(self, event_id: int) -> str | None:
        """The stored chain hash of one event (what a certificate quotes)."""
        row = self._execute("SELECT hash FROM event_chain WHERE event = ?", (event_id,)).fetchone()
        return row[0] if row else None

    def snapshot_to(self, path: str | os.PathLike[str]) -> None:
        """A consistent copy of a SQLite database into *path* (the online backup API)."""
        import sqlite3

        target = sqlite3.connect(str(path))
        try:
            self._engine.conn.backup(target)
        finally:
            target.close()

    def event_count(self) -> int:
        return int(self._execute("SELECT count(*) FROM events").fetchone()[0])

    def evidence_files(self) -> list[tuple[int, str, int]]:
        """(evidence id, sha256, size) of every stored file the verifier should find.

        A file erased by a purge is recorded as erased (its deletion event is in the
        chain), so it is not expected on disk.
        """
        rows = self._execute(
            "SELECT e.id, e.sha256, e.size FROM evidence e "
            "LEFT JOIN evidence_purges p ON p.evidence = e.id "
            "WHERE p.evidence IS NULL ORDER BY e.id"
        ).fetchall()
        return [(int(i), s, int(n)) for i, s, n in rows]


def _moment(value: dt.datetime) -> dt.datetime:
    """A comparable moment: a time written without an offset is taken as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
