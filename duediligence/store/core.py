"""The core of the store: opening, migrations, transactions, and the domain records.

The ``store`` package is the only code that speaks SQL. Everything else asks
it for records and hands it changes. The same queries run on SQLite (the
embedded default) and PostgreSQL: each is written once in the subset both
accept (see :mod:`.dialect`), and an engine (:mod:`.sqlite`, :mod:`.postgres`)
runs it. Writes run inside :meth:`CoreStore.transaction` so a state change and
its event land together or not at all. The event log is append-only: triggers
refuse UPDATE and DELETE on it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Self

from ..errors import NotFound, SchemaError
from ..model import (
    Certification,
    Condition,
    Consultation,
    Decision,
    Department,
    DueRule,
    Event,
    Evidence,
    Kind,
    Meeting,
    Recurrence,
    Status,
    Vendor,
    VendorRole,
)
from ..suggest import Closest, ConditionHint
from .dialect import Dialect, Migration
from .url import DatabaseTarget, parse_database_url

DEFAULT_DB = "./duediligence.db"

# Schema version 1: the core model. Later versions live beside the queries that use them.
SCHEMA = Migration(
    portable="""
    CREATE TABLE councils (name TEXT PRIMARY KEY);
    CREATE TABLE meetings (
        id TEXT PRIMARY KEY,
        council TEXT NOT NULL REFERENCES councils(name),
        name TEXT NOT NULL DEFAULT '',
        date TEXT NOT NULL
    );
    CREATE INDEX meetings_council_date ON meetings(council, date);
    CREATE TABLE departments (name TEXT PRIMARY KEY, head TEXT);
    CREATE TABLE department_owners (
        department TEXT NOT NULL REFERENCES departments(name),
        "user" TEXT NOT NULL,
        PRIMARY KEY (department, "user")
    );
    CREATE INDEX department_owners_user ON department_owners("user");
    CREATE TABLE secretariat ("user" TEXT PRIMARY KEY);
    CREATE TABLE user_links (alias TEXT PRIMARY KEY, "user" TEXT NOT NULL);
    CREATE INDEX user_links_user ON user_links("user");
    CREATE TABLE consultations (
        id TEXT PRIMARY KEY,
        number TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL,
        department TEXT NOT NULL REFERENCES departments(name),
        decision TEXT NOT NULL,
        meeting TEXT NOT NULL REFERENCES meetings(id)
    );
    CREATE TABLE vendors (name TEXT PRIMARY KEY);
    CREATE TABLE consultation_vendors (
        consultation TEXT NOT NULL REFERENCES consultations(id),
        vendor TEXT NOT NULL REFERENCES vendors(name),
        role TEXT NOT NULL,
        position INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (consultation, vendor)
    );
    CREATE TABLE certifications (
        vendor TEXT NOT NULL REFERENCES vendors(name),
        scheme TEXT NOT NULL,
        number TEXT NOT NULL DEFAULT '',
        scope TEXT NOT NULL DEFAULT '',
        first_registered TEXT,
        last_renewed TEXT,
        expires TEXT,
        PRIMARY KEY (vendor, scheme)
    );
    CREATE TABLE conditions (
        id TEXT PRIMARY KEY,
        consultation TEXT NOT NULL REFERENCES consultations(id),
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        vendor TEXT REFERENCES vendors(name),
        department TEXT NOT NULL REFERENCES departments(name),
        status TEXT NOT NULL,
        due TEXT,
        due_text TEXT NOT NULL DEFAULT '',
        due_rule TEXT NOT NULL DEFAULT 'date',
        report_back INTEGER NOT NULL DEFAULT 1,
        recurrence TEXT NOT NULL DEFAULT 'none',
        series TEXT NOT NULL,
        occurrence INTEGER NOT NULL DEFAULT 1,
        reported_at_meeting TEXT REFERENCES meetings(id),
        updated_at TEXT NOT NULL
    );
    CREATE INDEX conditions_status_due ON conditions(status, due);
    CREATE INDEX conditions_department_status ON conditions(department, status);
    CREATE INDEX conditions_consultation ON conditions(consultation);
    CREATE INDEX conditions_vendor ON conditions(vendor);
    CREATE INDEX conditions_series ON conditions(series, occurrence);
    CREATE TABLE evidence (
        id INTEGER PRIMARY KEY,
        condition TEXT NOT NULL REFERENCES conditions(id),
        sha256 TEXT NOT NULL,
        filename TEXT NOT NULL,
        size INTEGER NOT NULL,
        content_type TEXT NOT NULL DEFAULT 'application/octet-stream',
        uploaded_by TEXT NOT NULL,
        uploaded_at TEXT NOT NULL
    );
    CREATE INDEX evidence_condition ON evidence(condition, id);
    CREATE INDEX evidence_sha256 ON evidence(sha256);
    CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        subject TEXT NOT NULL,
        action TEXT NOT NULL,
        actor TEXT NOT NULL,
        at TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        data TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX events_subject ON events(subject, id);
""",
    sqlite="""
    CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
    CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
""",
    postgresql="""
    CREATE FUNCTION dd_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'events are append-only'; END; $$;
    CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION dd_events_append_only();
""",
)

# Schema version 6: an explicit order where SQLite's rowid served (PostgreSQL has none).
ORDER = Migration(
    portable="""
    ALTER TABLE department_owners ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE conditions ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX conditions_seq ON conditions(seq);
""",
    sqlite="""
    UPDATE department_owners SET position = rowid;
    UPDATE conditions SET seq = rowid;
""",
    postgresql="",
)


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@dataclass(frozen=True, slots=True)
class ConditionFilter:
    """What the status query narrows by; empty fields match everything."""

    department: str | None = None
    consultation: str | None = None
    vendor: str | None = None
    condition: str | None = None
    statuses: tuple[Status, ...] = ()
    overdue_on: dt.date | None = None  # only items overdue on this day
    departments_any: tuple[str, ...] = ()  # a staff member's own departments
    due_from: dt.date | None = None
    due_until: dt.date | None = None
    report_back: bool | None = None
    limit: int | None = None


class CoreStore:
    """Every record of the tracker, in a SQLite file (or memory) or a PostgreSQL database."""

    #: one migration per schema version, in order; set by the assembled Store class
    MIGRATIONS: tuple[Migration | str, ...] = (SCHEMA,)

    def __init__(self, engine: Any) -> None:
        self._engine = engine
        self.target: DatabaseTarget = engine.target
        #: where the data is, for people (a file, or host:port/dbname; never a password)
        self.path = engine.target.display
        #: the SQL spellings that differ between engines (see .dialect)
        self.sql: Dialect = engine.dialect
        #: sqlite-utils' Database on SQLite (tests and tools); None on PostgreSQL
        self.db = engine.db
        self._migrate()

    # -- opening ---------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        pool_size: int | None = None,
        busy_seconds: float | None = None,
    ) -> Self:
        """Open (creating or migrating) the database *path* names, else the environment's.

        *path* is a SQLite path or a URL (``sqlite:///…``, ``postgresql://…``); without it,
        ``DD_DATABASE_URL``, then ``DD_DB``, then ./duediligence.db. *pool_size* bounds
        the PostgreSQL connections (``DD_DB_POOL``, default 5); *busy_seconds* is how long
        a SQLite write waits for another process's lock (``DD_BUSY_SECONDS``, default 30).
        """
        text = str(
            path or os.environ.get("DD_DATABASE_URL") or os.environ.get("DD_DB") or DEFAULT_DB
        )
        target = parse_database_url(text)
        if target.is_postgresql:
            from .postgres import DEFAULT_POOL, PostgresEngine

            size = pool_size or int(os.environ.get("DD_DB_POOL") or DEFAULT_POOL)
            return cls(PostgresEngine(target, pool_size=size))
        from .sqlite import BUSY_SECONDS, SQLiteEngine

        wait = busy_seconds or float(os.environ.get("DD_BUSY_SECONDS") or BUSY_SECONDS)
        return cls(SQLiteEngine(target, busy_seconds=wait))

    @classmethod
    def memory(cls) -> Self:
        return cls.open(":memory:")

    def close(self) -> None:
        self._engine.close()

    @property
    def engine(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.sql.name

    def _migrate(self) -> None:
        supported = len(self.MIGRATIONS)
        version = self._engine.schema_version()
        if version > supported:
            raise SchemaError(path=self.path, found=version, supported=supported)
        for number in range(version, supported):
            with self.transaction():
                # Another process may have migrated while we waited for the lock.
                if self._engine.schema_version() != number:
                    continue
                step = self.MIGRATIONS[number]
                if isinstance(step, str):
                    step = Migration(portable=step)
                for script in step.script(self.engine):
                    self._engine.run_ddl(script)
                if step.then is not None:  # work that needs the library (hashing), not only SQL
                    step.then(self)
                self._engine.set_schema_version(number + 1)

    @property
    def schema_version(self) -> int:
        return self._engine.schema_version()

    def tables(self) -> list[str]:
        """The tables of the tracker (schema bookkeeping excluded), by name."""
        return [t for t in self._engine.tables() if t != "dd_schema"]

    # -- transactions ----------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Self]:
        """One atomic unit; nested calls join the outer transaction.

        Writers take turns (SQLite's file lock; on PostgreSQL a lock per schema), so a
        read inside a transaction stays true until it commits.
        """
        with self._engine.transaction():
            yield self

    def _execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
        """Run one statement; the result has fetchone(), fetchall() and rowcount."""
        return self._engine.execute(sql, params)

    def _executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._engine.executemany(sql, rows)

    def _insert_returning(
        self, head: str, row: str, rows: Sequence[Sequence[Any]], tail: str = ""
    ) -> list[Any]:
        """``head VALUES row, row, … tail`` for many *rows*, in the engine's fastest way.

        *head* is ``INSERT INTO t (cols)``, *row* the placeholders of one row, *tail* e.g.
        ``ON CONFLICT DO NOTHING RETURNING id``; returns what RETURNING gave.
        """
        return self._engine.insert_returning(head, row, rows, tail)

    def _rows(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
    ) -> list[dict[str, Any]]:
        return self._engine.rows(sql, params)

    def _records(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
    ) -> list[Mapping[str, Any]]:
        """Rows addressable by column name, built fast: for queries returning thousands."""
        return self._engine.records(sql, params)

    def _one(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
    ) -> dict[str, Any] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    # -- events ----------------------------------------------------------

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
        cur = self._execute(
            "INSERT INTO events (subject, action, actor, at, reason, data) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (
                subject,
                action,
                actor,
                at.isoformat(),
                reason or "",
                json.dumps(data or {}, ensure_ascii=False, default=str),
            ),
        )
        return int(cur.fetchone()[0])

    def events(self, subject: str | None = None, *, limit: int | None = None) -> list[Event]:
        sql = "SELECT * FROM events"
        params: list[Any] = []
        if subject is not None:
            sql += " WHERE subject = ?"
            params.append(subject)
        sql += " ORDER BY id"
        if limit:
            sql += " LIMIT ?"
            params.append(limit)
        return [_event(r) for r in self._rows(sql, params)]

    # -- councils and meetings -------------------------------------------

    def save_council(self, name: str) -> None:
        self._execute("INSERT INTO councils (name) VALUES (?) ON CONFLICT DO NOTHING", (name,))

    def councils(self) -> list[str]:
        return [r["name"] for r in self._rows("SELECT name FROM councils ORDER BY name")]

    def save_meeting(self, meeting: Meeting) -> None:
        self._execute(
            "INSERT INTO meetings (id, council, name, date) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET council = excluded.council, name = excluded.name, date = excluded.date",
            (meeting.id, meeting.council, meeting.name, meeting.date.isoformat()),
        )

    def meeting(self, meeting_id: str) -> Meeting:
        row = self._one("SELECT * FROM meetings WHERE id = ?", (meeting_id,))
        if row is None:
            raise NotFound(what="what.meeting", id=meeting_id)
        return _meeting(row)

    def find_meeting(self, meeting_id: str) -> Meeting | None:
        row = self._one("SELECT * FROM meetings WHERE id = ?", (meeting_id,))
        return _meeting(row) if row else None

    def meetings(self, council: str | None = None) -> list[Meeting]:
        if council is None:
            rows = self._rows("SELECT * FROM meetings ORDER BY date, id")
        else:
            rows = self._rows(
                "SELECT * FROM meetings WHERE council = ? ORDER BY date, id", (council,)
            )
        return [_meeting(r) for r in rows]

    def next_meeting(self, on: dt.date, council: str | None = None) -> Meeting | None:
        """The first meeting held on or after *on*: what 'report at the next council' means."""
        sql = "SELECT * FROM meetings WHERE date >= ?"
        params: list[Any] = [on.isoformat()]
        if council is not None:
            sql += " AND council = ?"
            params.append(council)
        row = self._one(sql + " ORDER BY date, id LIMIT 1", params)
        return _meeting(row) if row else None

    # -- people ----------------------------------------------------------

    def save_department(self, department: Department) -> None:
        self._execute(
            "INSERT INTO departments (name, head) VALUES (?, ?) "
            "ON CONFLICT(name) DO UPDATE SET head = excluded.head",
            (department.name, department.head),
        )
        self._execute("DELETE FROM department_owners WHERE department = ?", (department.name,))
        self._executemany(
            'INSERT INTO department_owners (department, "user", position) VALUES (?, ?, ?) '
            "ON CONFLICT DO NOTHING",
            [(department.name, owner, n) for n, owner in enumerate(department.owners)],
        )

    def find_department(self, name: str) -> Department | None:
        row = self._one("SELECT * FROM departments WHERE name = ?", (name,))
        if row is None:
            return None
        owners = tuple(
            r["user"]
            for r in self._rows(
                'SELECT "user" FROM department_owners WHERE department = ? ORDER BY position',
                (name,),
            )
        )
        return Department(name=row["name"], owners=owners, head=row["head"])

    def department(self, name: str) -> Department:
        found = self.find_department(name)
        if found is None:
            raise NotFound(what="what.department", id=name)
        return found

    def departments(self) -> list[Department]:
        names = [r["name"] for r in self._rows("SELECT name FROM departments ORDER BY name")]
        return [self.department(n) for n in names]

    def add_secretariat(self, users: Iterable[str]) -> None:
        self._executemany(
            'INSERT INTO secretariat ("user") VALUES (?) ON CONFLICT DO NOTHING',
            [(u,) for u in users],
        )

    def secretariat(self) -> list[str]:
        return [r["user"] for r in self._rows('SELECT "user" FROM secretariat ORDER BY "user"')]

    def link_user(self, alias: str, user: str) -> None:
        """Remember that *alias* (an e-mail) is *user* (a Slack id), e.g. after users.lookupByEmail."""
        self._execute(
            'INSERT INTO user_links (alias, "user") VALUES (?, ?) '
            'ON CONFLICT(alias) DO UPDATE SET "user" = excluded."user"',
            (alias.lower(), user),
        )

    def linked_user(self, alias: str) -> str | None:
        row = self._one('SELECT "user" FROM user_links WHERE alias = ?', (alias.lower(),))
        return row["user"] if row else None

    def identities(self, actor: str) -> set[str]:
        """Every name *actor* goes by: itself, its linked e-mails, and the id an e-mail maps to."""
        names = {actor, actor.lower()}
        for r in self._rows(
            'SELECT alias AS name FROM user_links WHERE "user" = ? '
            'UNION SELECT "user" AS name FROM user_links WHERE alias = ?',
            (actor, actor.lower()),
        ):
            names.add(r["name"])
        return names

    def departments_owned_by(self, actor: str) -> list[str]:
        names = sorted(self.identities(actor))
        marks = ",".join("?" * len(names))
        rows = self._rows(
            f'SELECT DISTINCT department FROM department_owners WHERE "user" IN ({marks}) '
            f"UNION SELECT name AS department FROM departments WHERE head IN ({marks}) "
            "ORDER BY department",
            names + names,
        )
        return [r["department"] for r in rows]

    def departments_headed_by(self, actor: str) -> list[str]:
        names = sorted(self.identities(actor))
        marks = ",".join("?" * len(names))
        rows = self._rows(
            f"SELECT name FROM departments WHERE head IN ({marks}) ORDER BY name", names
        )
        return [r["name"] for r in rows]

    def users(self) -> list[str]:
        """Every owner, head and secretariat member named anywhere, once."""
        rows = self._rows(
            'SELECT "user" FROM department_owners UNION SELECT head FROM departments '
            'WHERE head IS NOT NULL UNION SELECT "user" FROM secretariat ORDER BY 1'
        )
        return [r["user"] for r in rows]

    # -- consultations and vendors ---------------------------------------

    def save_consultation(self, consultation: Consultation) -> None:
        self._execute(
            "INSERT INTO consultations (id, number, title, department, decision, meeting) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET number = excluded.number, "
            "title = excluded.title, department = excluded.department, "
            "decision = excluded.decision, meeting = excluded.meeting",
            (
                consultation.id,
                consultation.number,
                consultation.title,
                consultation.department,
                str(consultation.decision),
                consultation.meeting,
            ),
        )
        for position, vendor in enumerate(consultation.vendors):
            self._execute(
                "INSERT INTO vendors (name) VALUES (?) ON CONFLICT DO NOTHING", (vendor.name,)
            )
            self._execute(
                "INSERT INTO consultation_vendors (consultation, vendor, role, position) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(consultation, vendor) DO UPDATE SET "
                "role = excluded.role, position = excluded.position",
                (consultation.id, vendor.name, str(vendor.role), position),
            )
            for cert in vendor.certifications:
                self.save_certification(cert)

    def save_certification(self, cert: Certification) -> None:
        self._execute(
            "INSERT INTO certifications (vendor, scheme, number, scope, first_registered, "
            "last_renewed, expires) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(vendor, scheme) "
            "DO UPDATE SET number = excluded.number, scope = excluded.scope, "
            "first_registered = excluded.first_registered, last_renewed = excluded.last_renewed, "
            "expires = excluded.expires",
            (
                cert.vendor,
                cert.scheme,
                cert.number,
                cert.scope,
                _iso(cert.first_registered),
                _iso(cert.last_renewed),
                _iso(cert.expires),
            ),
        )

    def find_consultation(self, consultation_id: str) -> Consultation | None:
        row = self._one("SELECT * FROM consultations WHERE id = ?", (consultation_id,))
        if row is None:
            return None
        return Consultation(
            id=row["id"],
            title=row["title"],
            department=row["department"],
            decision=Decision(row["decision"]),
            meeting=row["meeting"],
            number=row["number"],
            vendors=tuple(self.vendors_of(row["id"])),
        )

    def consultation(self, consultation_id: str) -> Consultation:
        found = self.find_consultation(consultation_id)
        if found is None:
            ids = tuple(c.id for c in self.consultations())
            hint = Closest(consultation_id, ids)
            raise NotFound("error.consultation.unknown", id=consultation_id, hint=hint)
        return found

    def consultations(self, meeting: str | None = None) -> list[Consultation]:
        if meeting is None:
            ids = self._rows("SELECT id FROM consultations ORDER BY id")
        else:
            ids = self._rows(
                "SELECT id FROM consultations WHERE meeting = ? ORDER BY id", (meeting,)
            )
        return [self.consultation(r["id"]) for r in ids]

    def consultation_meeting(self, consultation_id: str) -> str | None:
        row = self._one("SELECT meeting FROM consultations WHERE id = ?", (consultation_id,))
        return row["meeting"] if row else None

    def vendors_of(self, consultation_id: str) -> list[Vendor]:
        rows = self._rows(
            "SELECT vendor, role FROM consultation_vendors WHERE consultation = ? ORDER BY position",
            (consultation_id,),
        )
        return [
            Vendor(
                name=r["vendor"],
                role=VendorRole(r["role"]),
                certifications=tuple(self.certifications(r["vendor"])),
            )
            for r in rows
        ]

    def vendor_names(self) -> list[str]:
        return [r["name"] for r in self._rows("SELECT name FROM vendors ORDER BY name")]

    def certifications(self, vendor: str | None = None) -> list[Certification]:
        if vendor is None:
            rows = self._rows("SELECT * FROM certifications ORDER BY vendor, scheme")
        else:
            rows = self._rows(
                "SELECT * FROM certifications WHERE vendor = ? ORDER BY scheme", (vendor,)
            )
        return [_certification(r) for r in rows]

    # -- conditions ------------------------------------------------------

    def insert_condition(self, condition: Condition, *, at: dt.datetime) -> None:
        self._execute(
            "INSERT INTO conditions (id, consultation, kind, text, vendor, department, status, due, "
            "due_text, due_rule, report_back, recurrence, series, occurrence, reported_at_meeting, "
            "updated_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "(SELECT coalesce(max(seq), 0) + 1 FROM conditions))",
            _condition_params(condition) + (at.isoformat(),),
        )

    def update_condition(self, condition_id: str, *, at: dt.datetime, **fields: Any) -> None:
        """Change some columns of one condition (the caller records the event)."""
        allowed = {
            "text",
            "kind",
            "vendor",
            "department",
            "status",
            "due",
            "due_text",
            "due_rule",
            "report_back",
            "recurrence",
            "reported_at_meeting",
            "consultation",
        }
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"not a condition column: {sorted(unknown)}")
        values = {k: _column_value(v) for k, v in fields.items()}
        assignments = ", ".join(f"{k} = :{k}" for k in values)
        values.update(id=condition_id, updated_at=at.isoformat())
        self._execute(
            f"UPDATE conditions SET {assignments}, updated_at = :updated_at WHERE id = :id", values
        )

    def find_condition(self, condition_id: str) -> Condition | None:
        row = self._one("SELECT * FROM conditions WHERE id = ?", (condition_id,))
        return _condition(row) if row else None

    def condition(self, condition_id: str) -> Condition:
        found = self.find_condition(condition_id)
        if found is None:
            hint = ConditionHint(condition_id, tuple(self.condition_ids_like(condition_id)))
            raise NotFound("error.condition.unknown", id=condition_id, hint=hint)
        return found

    def condition_ids_like(self, text: str, limit: int = 200) -> list[str]:
        """Ids a mistyped *text* may have meant: itself in another case, or its consultation's."""
        folded = unicodedata.normalize("NFKC", text or "").strip().upper()
        if not folded:
            return []
        stem = folded.rsplit("-", 1)[0] + "-" if "-" in folded else folded[:2]
        rows = self._rows(
            "SELECT id FROM conditions WHERE upper(id) = ? OR upper(id) LIKE ? ORDER BY id LIMIT ?",
            (folded, stem.replace("%", "").replace("_", "") + "%", limit),
        )
        return [r["id"] for r in rows]

    def conditions(self, where: ConditionFilter | None = None) -> list[Condition]:
        clause, params = _where(where or ConditionFilter())
        sql = f"SELECT * FROM conditions{clause} ORDER BY due IS NULL, due, id"
        if where and where.limit:
            sql += f" LIMIT {int(where.limit)}"
        return [_condition(r) for r in self._records(sql, params)]

    def count_conditions(self, where: ConditionFilter | None = None) -> int:
        clause, params = _where(where or ConditionFilter())
        return int(self._execute(f"SELECT count(*) FROM conditions{clause}", params).fetchone()[0])

    def counts_by_department_and_status(
        self, where: ConditionFilter | None = None
    ) -> list[tuple[str, Status, int]]:
        clause, params = _where(where or ConditionFilter())
        rows = self._execute(
            f"SELECT department, status, count(*) FROM conditions{clause} "
            "GROUP BY department, status ORDER BY department, status",
            params,
        ).fetchall()
        return [(d, Status(s), n) for d, s, n in rows]

    def series(self, series_id: str) -> list[Condition]:
        rows = self._rows(
            "SELECT * FROM conditions WHERE series = ? ORDER BY occurrence", (series_id,)
        )
        return [_condition(r) for r in rows]

    # -- evidence --------------------------------------------------------

    def add_evidence(
        self,
        condition_id: str,
        *,
        sha256: str,
        filename: str,
        size: int,
        content_type: str,
        uploaded_by: str,
        uploaded_at: dt.datetime,
        effective: dt.date | None = None,
        valid_until: dt.date | None = None,
    ) -> Evidence:
        columns = "condition, sha256, filename, size, content_type, uploaded_by, uploaded_at"
        params: list[Any] = [
            condition_id,
            sha256,
            filename,
            size,
            content_type,
            uploaded_by,
            uploaded_at.isoformat(),
        ]
        if effective is not None or valid_until is not None:  # columns of a later version
            columns += ", effective, valid_until"
            params += [_iso(effective), _iso(valid_until)]
        marks = ", ".join("?" * len(params))
        cur = self._execute(
            f"INSERT INTO evidence ({columns}) VALUES ({marks}) RETURNING id", params
        )
        return Evidence(
            id=int(cur.fetchone()[0]),
            condition=condition_id,
            sha256=sha256,
            filename=filename,
            size=size,
            content_type=content_type,
            uploaded_by=uploaded_by,
            uploaded_at=uploaded_at,
            effective=effective,
            valid_until=valid_until,
        )

    def evidence_of(self, condition_id: str) -> list[Evidence]:
        rows = self._rows("SELECT * FROM evidence WHERE condition = ? ORDER BY id", (condition_id,))
        return [_evidence(r) for r in rows]

    def recent_evidence_hashes(self, limit: int = 20) -> list[str]:
        """The sha256 of the newest evidence rows (what a start-up check looks for on disk)."""
        rows = self._execute(
            "SELECT sha256 FROM evidence ORDER BY id DESC LIMIT ?", (int(limit),)
        ).fetchall()
        return list(dict.fromkeys(r[0] for r in rows))

    def evidence_references(self, sha256: str) -> int:
        return int(
            self._execute("SELECT count(*) FROM evidence WHERE sha256 = ?", (sha256,)).fetchone()[0]
        )


def _certification(row: Mapping[str, Any]) -> Certification:
    return Certification(
        vendor=row["vendor"],
        scheme=row["scheme"],
        number=row["number"],
        scope=row["scope"],
        first_registered=_date(row["first_registered"]),
        last_renewed=_date(row["last_renewed"]),
        expires=_date(row["expires"]),
    )


def _event(row: Mapping[str, Any]) -> Event:
    return Event(
        id=row["id"],
        subject=row["subject"],
        action=row["action"],
        actor=row["actor"],
        at=dt.datetime.fromisoformat(row["at"]),
        reason=row["reason"],
        data=json.loads(row["data"]),
    )


def _meeting(row: Mapping[str, Any]) -> Meeting:
    return Meeting(
        id=row["id"],
        council=row["council"],
        date=dt.date.fromisoformat(row["date"]),
        name=row["name"],
    )


def _evidence(row: Mapping[str, Any]) -> Evidence:
    return Evidence(
        id=row["id"],
        condition=row["condition"],
        sha256=row["sha256"],
        filename=row["filename"],
        size=row["size"],
        content_type=row["content_type"],
        uploaded_by=row["uploaded_by"],
        uploaded_at=dt.datetime.fromisoformat(row["uploaded_at"]),
        effective=_date(row.get("effective")),
        valid_until=_date(row.get("valid_until")),
    )


# Plain lookups instead of Enum(value) calls: conditions are read by the ten thousand.
_KINDS = {k.value: k for k in Kind}
_STATUSES = {s.value: s for s in Status}
_DUE_RULES = {r.value: r for r in DueRule}
_RECURRENCES = {r.value: r for r in Recurrence}


def _condition(row: Mapping[str, Any]) -> Condition:
    return Condition(
        id=row["id"],
        consultation=row["consultation"],
        kind=_KINDS[row["kind"]],
        text=row["text"],
        department=row["department"],
        status=_STATUSES[row["status"]],
        due=_date(row["due"]),
        due_text=row["due_text"],
        due_rule=_DUE_RULES[row["due_rule"]],
        vendor=row["vendor"],
        report_back=bool(row["report_back"]),
        recurrence=_RECURRENCES[row["recurrence"]],
        series=row["series"],
        occurrence=row["occurrence"],
        reported_at_meeting=row["reported_at_meeting"],
    )


def _column_value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Status | Kind | Recurrence | DueRule):
        return str(value)
    return value


def _condition_params(c: Condition) -> tuple[Any, ...]:
    return (
        c.id,
        c.consultation,
        str(c.kind),
        c.text,
        c.vendor,
        c.department,
        str(c.status),
        _iso(c.due),
        c.due_text,
        str(c.due_rule),
        int(c.report_back),
        str(c.recurrence),
        c.series or c.id,
        c.occurrence,
        c.reported_at_meeting,
    )


def _where(f: ConditionFilter) -> tuple[str, list[Any]]:
    parts: list[str] = []
    params: list[Any] = []
    for column, value in (
        ("department", f.department),
        ("consultation", f.consultation),
        ("vendor", f.vendor),
        ("id", f.condition),
    ):
        if value is not None:
            parts.append(f"{column} = ?")
            params.append(value)
    if f.departments_any:
        parts.append(f"department IN ({','.join('?' * len(f.departments_any))})")
        params.extend(f.departments_any)
    statuses = list(f.statuses)
    if f.overdue_on is not None:
        awaiting = [s for s in Status if s.awaiting_owner]
        statuses = [s for s in statuses if s in awaiting] if statuses else awaiting
        parts.append("due < ?")
        params.append(f.overdue_on.isoformat())
    if statuses:
        parts.append(f"status IN ({','.join('?' * len(statuses))})")
        params.extend(str(s) for s in statuses)
    if f.due_from is not None:
        parts.append("due >= ?")
        params.append(f.due_from.isoformat())
    if f.due_until is not None:
        parts.append("due <= ?")
        params.append(f.due_until.isoformat())
    if f.report_back is not None:
        parts.append("report_back = ?")
        params.append(int(f.report_back))
    return ((" WHERE " + " AND ".join(parts)) if parts else ""), params
