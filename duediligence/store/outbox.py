"""Queries for the reminder outbox (planned deliveries, claimed and marked sent by the bot).

The library decides *what is due to whom and when* and writes it here; a sender
(the bot's scheduler) claims entries, delivers them and marks them sent or
failed. Nothing here sends anything.

* One row per delivery, unique on ``dedupe_key`` = subject | occurrence | stage |
  recipient, so planning twice (or after a restart) inserts nothing new.
* Life of a row: ``pending`` → ``sending`` (claimed) → ``sent``, or back to
  ``pending`` with a later ``send_after`` after a failure while attempts remain,
  else ``failed``. A claim left ``sending`` longer than ``stale_after`` (a crashed
  sender) is claimed again. A due reminder whose condition no longer awaits its
  owner, or whose due date changed since planning, is ``cancelled`` at claim time.
* Times are aware ISO strings: ``send_after`` in the office's time zone (what a
  person reads), every other time in UTC; ``send_after_utc`` orders and compares.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..errors import NotFound
from ..model import Certification, Condition, DueRule, Kind, Status
from .core import CoreStore, _certification, _condition, _date

# The SQL run to reach this module's schema version (see store/__init__.py for the order).
SCHEMA = """
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        dedupe_key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL
            CHECK (kind IN ('reminder', 'escalation', 'certificate_expiry', 'digest', 'question')),
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
    CREATE INDEX outbox_status_send ON outbox(status, send_after_utc);
    CREATE INDEX outbox_failed ON outbox(updated_at) WHERE status = 'failed';
    CREATE INDEX outbox_condition_stage ON outbox(condition, due, stage);
    CREATE INDEX conditions_chase ON conditions(status, due, due_rule, kind, id);
"""


class DeliveryKind(StrEnum):
    REMINDER = "reminder"  # to each owner of the department
    ESCALATION = "escalation"  # to the department head
    CERTIFICATE_EXPIRY = "certificate_expiry"  # a vendor's ISMS / Privacy Mark runs out
    DIGEST = "digest"  # the weekly overview for the secretariat
    QUESTION = "question"  # a yes/no put to the owners (the fiscal-year-end check)
    EVIDENCE_EXPIRY = "evidence_expiry"  # a document with a term lapses soon (60/30/7 days)
    ALERT = "alert"  # sent at once, whatever the hour: an incident for the secretariat
    NOTICE = "notice"  # a department told that a meeting amended or withdrew its item


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Delivery:
    """One message the planner wants sent; becomes an :class:`OutboxEntry` once stored."""

    kind: DeliveryKind
    subject: str  # a condition id, "cert:<vendor>:<scheme>", or an ISO week ("2021-W19")
    occurrence: str  # what the stage counts toward: "<occurrence>:<due>", an expiry, a week
    stage: str  # before_14, due_day, overdue_3, escalation_5, cert_90, digest …
    recipient: str  # a Slack user id or e-mail exactly as stored; "secretariat" for the digest
    send_after: dt.datetime  # aware: the send hour on a business day
    payload: Mapping[str, Any] = field(default_factory=dict)
    condition: str | None = None
    due: dt.date | None = (
        None  # the condition's due date, the certificate's expiry, the week's Monday
    )

    @property
    def dedupe_key(self) -> str:
        return "|".join((self.subject, self.occurrence, self.stage, self.recipient))


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """A stored delivery and where it is in its life."""

    id: int
    dedupe_key: str
    kind: DeliveryKind
    subject: str
    condition: str | None
    occurrence: str
    due: dt.date | None
    stage: str
    recipient: str
    payload: dict[str, Any]
    send_after: dt.datetime
    status: DeliveryStatus
    attempts: int
    last_error: str | None
    claimed_at: dt.datetime | None
    sent_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


#: statuses whose conditions reminders chase (the owner has to act)
CHASED: tuple[Status, ...] = tuple(s for s in Status if s.awaiting_owner)
_CHUNK = (
    400  # (due, rule, kind, stage) groups per query: 5 variables each, well under SQLite's limit
)
_ACTOR = "scheduler"
_COLUMNS = (
    "dedupe_key, kind, subject, condition, occurrence, due, stage, recipient, payload, "
    "send_after, send_after_utc, created_at, updated_at"
)
_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_BATCH = 500  # rows per INSERT: 6,500 parameters, well under SQLite's limit
_JSON = json.JSONEncoder(ensure_ascii=False, default=str)


class OutboxQueries(CoreStore):
    """SQL for the reminder outbox (planned deliveries, claimed and marked sent by the bot)."""

    # -- what the planner reads ------------------------------------------

    def reminder_due_groups(
        self, *, due_before: dt.date, statuses: Sequence[Status] = CHASED
    ) -> list[tuple[dt.date, DueRule, Kind]]:
        """Distinct (due, due rule, kind) of chased conditions due before *due_before*.

        Read from the ``conditions_chase`` index alone, so the planner never loads every
        condition to find the few whose reminder falls today.
        """
        marks = ",".join("?" * len(statuses))
        rows = self._execute(
            f"SELECT DISTINCT due, due_rule, kind FROM conditions WHERE status IN ({marks}) "
            "AND due IS NOT NULL AND due < ?",
            [str(s) for s in statuses] + [due_before.isoformat()],
        ).fetchall()
        return [(dt.date.fromisoformat(d), DueRule(r), Kind(k)) for d, r, k in rows]

    def conditions_without_stage(
        self,
        wanted: Iterable[tuple[dt.date, DueRule, Kind, str]],
        *,
        statuses: Sequence[Status] = CHASED,
    ) -> list[tuple[Condition, str]]:
        """Chased conditions of each (due, rule, kind) group with no outbox row yet for *stage*."""
        wanted = list(wanted)
        found: list[tuple[Condition, str]] = []
        marks = ",".join("?" * len(statuses))
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            values = ",".join("(?, ?, ?, ?)" for _ in chunk)
            params: list[Any] = []
            for due, rule, kind, stage in chunk:
                params += [due.isoformat(), str(rule), str(kind), stage]
            rows = self._records(
                f"WITH wanted(due, due_rule, kind, stage) AS (VALUES {values}) "
                "SELECT c.*, w.stage AS wanted_stage FROM wanted w "
                f"JOIN conditions c{self.sql.indexed_by('conditions_chase')} "
                f"ON c.status IN ({marks}) AND c.due = w.due AND c.due_rule = w.due_rule "
                "AND c.kind = w.kind WHERE NOT EXISTS (SELECT 1 FROM outbox o "
                "WHERE o.condition = c.id AND o.due = c.due AND o.stage = w.stage) "
                "ORDER BY c.due, c.id",
                params + [str(s) for s in statuses],
            )
            found += [(_condition(r), r["wanted_stage"]) for r in rows]
        return found

    def certificates_expiring(self, start: dt.date, end: dt.date) -> list[Certification]:
        """Certifications whose ``expires`` falls from *start* to *end* inclusive."""
        rows = self._rows(
            "SELECT * FROM certifications WHERE expires >= ? AND expires <= ? "
            "ORDER BY expires, vendor, scheme",
            (start.isoformat(), end.isoformat()),
        )
        return [_certification(r) for r in rows]

    def vendor_departments(self, vendor: str) -> list[str]:
        """Departments supervising *vendor*: its approved consultations and its open conditions."""
        rows = self._rows(
            "SELECT c.department FROM consultation_vendors v JOIN consultations c "
            "ON c.id = v.consultation WHERE v.vendor = ? AND c.decision IN "
            "('approved', 'approved_with_conditions') "
            "UNION SELECT department FROM conditions WHERE vendor = ? "
            "AND status NOT IN ('reported', 'waived', 'withdrawn') ORDER BY 1",
            (vendor, vendor),
        )
        return [r["department"] for r in rows]

    # -- planning --------------------------------------------------------

    def enqueue_outbox(
        self, deliveries: Iterable[Delivery], *, now: dt.datetime
    ) -> list[OutboxEntry]:
        """Insert each delivery unless its dedupe key is already there; return the new ones."""
        return self._entries_by_id(
            [entry_id for entry_id, _ in self.add_to_outbox(deliveries, now=now)]
        )

    def add_to_outbox(
        self, deliveries: Iterable[Delivery], *, now: dt.datetime
    ) -> list[tuple[int, DeliveryKind]]:
        """As :meth:`enqueue_outbox`, returning only each new row's id and kind.

        *deliveries* is consumed one at a time, so a planner yielding tens of thousands
        of reminders (a hosted service's first tick) never holds them, or their stored
        entries, in memory at once.
        """
        at = _utc(now)
        new: list[tuple[int, DeliveryKind]] = []
        times: dict[dt.datetime, tuple[str, str]] = {}  # one send hour serves thousands of rows
        batch: list[tuple[Any, ...]] = []
        last_payload: Mapping[str, Any] | None = None
        encoded = ""

        def flush() -> None:
            # One multi-row INSERT … RETURNING per batch: a first tick on a hosted service
            # writes tens of thousands of rows, and per-row statements dominated its time.
            rows = self._insert_returning(
                f"INSERT INTO outbox ({_COLUMNS})",
                _ROW,
                batch,
                "ON CONFLICT DO NOTHING RETURNING id, kind",
            )
            new.extend((int(entry_id), DeliveryKind(kind)) for entry_id, kind in rows)
            batch.clear()

        with self.transaction():
            for d in deliveries:
                if d.send_after not in times:
                    times[d.send_after] = (_aware(d.send_after).isoformat(), _utc(d.send_after))
                local, utc = times[d.send_after]
                if d.payload is not last_payload:  # owners of one condition share one payload
                    last_payload, encoded = d.payload, _JSON.encode(dict(d.payload))
                batch.append(
                    (
                        d.dedupe_key,
                        str(d.kind),
                        d.subject,
                        d.condition,
                        d.occurrence,
                        d.due.isoformat() if d.due else None,
                        d.stage,
                        d.recipient,
                        encoded,
                        local,
                        utc,
                        at,
                        at,
                    )
                )
                if len(batch) >= _BATCH:
                    flush()
            if batch:
                flush()
        new.sort()
        return new

    # -- sending ---------------------------------------------------------

    def claim_outbox(
        self,
        now: dt.datetime,
        *,
        limit: int = 50,
        stale_after: dt.timedelta = dt.timedelta(minutes=15),
        max_attempts: int | None = None,
    ) -> list[OutboxEntry]:
        """Atomically move due entries to ``sending`` and return them, oldest first.

        Claimed: ``pending`` entries whose ``send_after`` has come, and ``sending`` ones
        claimed before ``now - stale_after`` (their sender crashed). Each claim counts as
        an attempt; with *max_attempts*, a stale claim that used up its attempts is
        ``failed`` instead. Reminders for conditions that no longer await their owner, or
        whose due date (or certificate expiry) changed since planning, are ``cancelled``.
        """
        at = _utc(now)
        stale = _utc(now - stale_after)
        with self.transaction():
            cancelled = self._cancel_outdated(at)
            abandoned: list[int] = []
            if max_attempts is not None:
                abandoned = [
                    r[0]
                    for r in self._execute(
                        "SELECT id FROM outbox WHERE status = 'sending' AND claimed_at <= ? "
                        "AND attempts >= ?",
                        (stale, max_attempts),
                    ).fetchall()
                ]
                for entry_id in abandoned:
                    self._execute(
                        "UPDATE outbox SET status = 'failed', last_error = ?, updated_at = ? "
                        "WHERE id = ?",
                        ("claim abandoned (sender stopped)", at, entry_id),
                    )
            ids = [
                r[0]
                for r in self._execute(
                    "SELECT id FROM outbox WHERE (status = 'pending' AND send_after_utc <= ?) "
                    "OR (status = 'sending' AND claimed_at <= ?) "
                    f"ORDER BY send_after_utc, id LIMIT ?{self.sql.skip_locked()}",
                    (at, stale, int(limit)),
                ).fetchall()
            ]
            for entry_id in ids:
                self._execute(
                    "UPDATE outbox SET status = 'sending', claimed_at = ?, updated_at = ?, "
                    "attempts = attempts + 1 WHERE id = ?",
                    (at, at, entry_id),
                )
            if ids or cancelled or abandoned:
                self.append_event(
                    "outbox",
                    "outbox_claimed",
                    actor=_ACTOR,
                    at=now,
                    data={"claimed": ids, "cancelled": cancelled, "abandoned": abandoned},
                )
            return self._entries_by_id(ids)

    def mark_outbox_sent(self, entry_id: int, now: dt.datetime) -> OutboxEntry:
        """Record a delivery as done; the subject's history shows it. Marking twice is harmless."""
        at = _utc(now)
        with self.transaction():
            entry = self.outbox_entry(entry_id)
            if entry.status is DeliveryStatus.SENT:
                return entry
            self._execute(
                "UPDATE outbox SET status = 'sent', sent_at = ?, updated_at = ?, last_error = NULL "
                "WHERE id = ?",
                (at, at, entry_id),
            )
            self.append_event(
                entry.condition or entry.subject,
                f"{entry.kind}_sent",
                actor=_ACTOR,
                at=now,
                data={"outbox": entry_id, "stage": entry.stage, "recipient": entry.recipient},
            )
            return self.outbox_entry(entry_id)

    def mark_outbox_failed(
        self,
        entry_id: int,
        now: dt.datetime,
        error: str,
        *,
        retry_at: dt.datetime | None = None,
        max_attempts: int = 5,
    ) -> OutboxEntry:
        """A delivery did not go through: retry later while attempts remain, else ``failed``.

        Without *retry_at* the next try waits 5 minutes, doubling with each attempt
        (capped at 6 hours). A Slack ``Retry-After`` belongs in *retry_at*.
        """
        at = _utc(now)
        with self.transaction():
            entry = self.outbox_entry(entry_id)
            attempts = max(entry.attempts, 1)
            final = attempts >= max_attempts
            if final:
                self._execute(
                    "UPDATE outbox SET status = 'failed', last_error = ?, updated_at = ? WHERE id = ?",
                    (error, at, entry_id),
                )
            else:
                wait = dt.timedelta(minutes=5) * 2 ** (attempts - 1)
                later = retry_at or now + min(wait, dt.timedelta(hours=6))
                local = _aware(later).astimezone(entry.send_after.tzinfo)
                self._execute(
                    "UPDATE outbox SET status = 'pending', last_error = ?, updated_at = ?, "
                    "send_after = ?, send_after_utc = ? WHERE id = ?",
                    (error, at, local.isoformat(), _utc(local), entry_id),
                )
            self.append_event(
                entry.condition or entry.subject,
                "delivery_failed" if final else "delivery_retry",
                actor=_ACTOR,
                at=now,
                reason=error,
                data={
                    "outbox": entry_id,
                    "kind": str(entry.kind),
                    "stage": entry.stage,
                    "recipient": entry.recipient,
                    "attempts": attempts,
                },
            )
            return self.outbox_entry(entry_id)

    def prune_outbox(self, before: dt.datetime) -> int:
        """Delete entries sent or cancelled before *before*; each one's event stays in the log.

        The planner only ever re-checks stages of the last few business days, so old rows
        guard nothing. Questions are kept: an unanswered one would otherwise be asked again.
        """
        with self.transaction():
            cur = self._execute(
                "DELETE FROM outbox WHERE status IN ('sent', 'cancelled') "
                "AND send_after_utc < ? AND kind != 'question'",
                (_utc(before),),
            )
        return int(cur.rowcount)

    # -- inspection ------------------------------------------------------

    def outbox_entry(self, entry_id: int) -> OutboxEntry:
        row = self._one("SELECT * FROM outbox WHERE id = ?", (entry_id,))
        if row is None:
            raise NotFound(what="what.outbox", id=entry_id)
        return _entry(row)

    def outbox_entries(
        self,
        status: DeliveryStatus | str | None = None,
        kind: DeliveryKind | str | None = None,
        *,
        condition: str | None = None,
        limit: int | None = None,
    ) -> list[OutboxEntry]:
        """Entries in planning order, narrowed by status, kind and condition."""
        parts, params = [], []
        for column, value in (("status", status), ("kind", kind), ("condition", condition)):
            if value is not None:
                parts.append(f"{column} = ?")
                params.append(str(value))
        sql = "SELECT * FROM outbox" + (" WHERE " + " AND ".join(parts) if parts else "")
        sql += " ORDER BY id"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [_entry(r) for r in self._rows(sql, params)]

    def outbox_entries_by_id(self, ids: Sequence[int]) -> list[OutboxEntry]:
        """The entries with these ids, in id order."""
        return self._entries_by_id(ids)

    def failed_deliveries(self, since: dt.datetime) -> list[OutboxEntry]:
        """Deliveries given up on at or after *since* (for the secretariat's digest)."""
        rows = self._rows(
            "SELECT * FROM outbox WHERE status = 'failed' AND updated_at >= ? ORDER BY updated_at, id",
            (_utc(since),),
        )
        return [_entry(r) for r in rows]

    # -- internals -------------------------------------------------------

    def _entries_by_id(self, ids: Sequence[int]) -> list[OutboxEntry]:
        found: list[OutboxEntry] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = self._rows(
                f"SELECT * FROM outbox WHERE id IN ({','.join('?' * len(chunk))}) ORDER BY id",
                list(chunk),
            )
            found += [_entry(r) for r in rows]
        return found

    def _cancel_outdated(self, at: str) -> list[int]:
        """Due entries nobody should receive any more: the owner is done, or the date moved."""
        chased = [str(s) for s in CHASED]
        marks = ",".join("?" * len(chased))
        reasons: dict[int, str] = {}
        for entry_id, found, status, due in self._execute(
            "SELECT o.id, c.id, c.status, c.due FROM outbox o "
            "LEFT JOIN conditions c ON c.id = o.condition "
            "WHERE o.status = 'pending' AND o.send_after_utc <= ? "
            "AND o.kind IN ('reminder', 'escalation') "
            f"AND (c.id IS NULL OR c.status NOT IN ({marks}) OR coalesce(c.due, '') != coalesce(o.due, ''))",
            [at, *chased],
        ).fetchall():
            if found is None:
                reasons[entry_id] = "condition removed"
            elif status not in chased:
                reasons[entry_id] = f"condition is {status}"
            else:
                reasons[entry_id] = f"due date changed (now {due})"
        for (entry_id,) in self._execute(
            "SELECT o.id FROM outbox o WHERE o.status = 'pending' AND o.send_after_utc <= ? "
            "AND o.kind = 'certificate_expiry' AND NOT EXISTS (SELECT 1 FROM certifications c "
            f"WHERE c.vendor = {self.sql.json_text('o.payload', 'vendor')} "
            f"AND c.scheme = {self.sql.json_text('o.payload', 'scheme')} AND c.expires = o.due)",
            (at,),
        ).fetchall():
            reasons[entry_id] = "certificate renewed or removed"
        for (entry_id,) in self._execute(
            "SELECT o.id FROM outbox o WHERE o.status = 'pending' AND o.send_after_utc <= ? "
            "AND o.kind = 'question' AND EXISTS (SELECT 1 FROM check_fy_answers a "
            "WHERE a.series = o.condition AND a.fiscal_year = CAST(o.occurrence AS INTEGER))",
            (at,),
        ).fetchall():
            reasons[entry_id] = "question already answered"
        for (entry_id,) in self._execute(
            "SELECT o.id FROM outbox o LEFT JOIN conditions c ON c.id = o.condition "
            "WHERE o.status = 'pending' AND o.send_after_utc <= ? AND o.kind = 'evidence_expiry' "
            "AND (c.id IS NULL OR c.status NOT IN ('accepted', 'reported') OR coalesce((SELECT "
            "e.valid_until FROM evidence e WHERE e.condition = c.id ORDER BY e.id DESC LIMIT 1), "
            "'') != coalesce(o.due, ''))",
            (at,),
        ).fetchall():
            reasons[entry_id] = "evidence renewed or condition reopened"
        for entry_id, reason in reasons.items():
            self._execute(
                "UPDATE outbox SET status = 'cancelled', last_error = ?, updated_at = ? WHERE id = ?",
                (reason, at, entry_id),
            )
        return sorted(reasons)


def _aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"an aware datetime is required, got {moment!r}")
    return moment


def _utc(moment: dt.datetime) -> str:
    return _aware(moment).astimezone(dt.UTC).isoformat(timespec="seconds")


def _moment(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _entry(row: Mapping[str, Any]) -> OutboxEntry:
    return OutboxEntry(
        id=row["id"],
        dedupe_key=row["dedupe_key"],
        kind=DeliveryKind(row["kind"]),
        subject=row["subject"],
        condition=row["condition"],
        occurrence=row["occurrence"],
        due=_date(row["due"]),
        stage=row["stage"],
        recipient=row["recipient"],
        payload=json.loads(row["payload"]),
        send_after=dt.datetime.fromisoformat(row["send_after"]),
        status=DeliveryStatus(row["status"]),
        attempts=row["attempts"],
        last_error=row["last_error"],
        claimed_at=_moment(row["claimed_at"]),
        sent_at=_moment(row["sent_at"]),
        created_at=dt.datetime.fromisoformat(row["created_at"]),
        updated_at=dt.datetime.fromisoformat(row["updated_at"]),
    )
