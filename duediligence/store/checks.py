"""Queries for evidence checks: roster people, pledges, triggers.

* ``check_rosters`` / ``check_roster_people``: every roster version uploaded for a
  consultation and vendor, and the people on it. Names are personal data: they are
  stored here (and in ``check_pledges``) only, never in events.
* ``check_pledges``: one row per pledge recorded; the latest per person counts.
* ``check_certificates``: what was entered for a certificate_renewal condition.
* ``check_triggers``: condition series that wait on an event instead of a date.
* ``check_trigger_events``: events reported per consultation (one per day and kind).
* ``check_fy_answers``: answers to "was data kept past the fiscal year?".
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..checks.records import (
    CertificateRecord,
    FiscalYearAnswer,
    PledgeRecord,
    RosterEntry,
    RosterVersion,
    TriggerDefinition,
    TriggerEvent,
)
from .core import CoreStore

# The SQL run to reach this module's schema version (see store/__init__.py for the order).
SCHEMA = """
    CREATE TABLE check_rosters (
        id INTEGER PRIMARY KEY,
        condition TEXT NOT NULL REFERENCES conditions(id),
        consultation TEXT NOT NULL REFERENCES consultations(id),
        vendor TEXT NOT NULL DEFAULT '',
        version INTEGER NOT NULL,
        evidence INTEGER REFERENCES evidence(id),
        findings TEXT NOT NULL DEFAULT '[]',
        submitted_by TEXT NOT NULL,
        submitted_at TEXT NOT NULL,
        UNIQUE (consultation, vendor, version)
    );
    CREATE INDEX check_rosters_condition ON check_rosters(condition, id);
    CREATE TABLE check_roster_people (
        roster INTEGER NOT NULL REFERENCES check_rosters(id),
        row INTEGER NOT NULL,
        person TEXT NOT NULL,
        name TEXT NOT NULL,
        affiliation TEXT NOT NULL DEFAULT '',
        role TEXT,
        employment TEXT,
        started TEXT,
        ended TEXT,
        PRIMARY KEY (roster, row)
    );
    CREATE TABLE check_pledges (
        id INTEGER PRIMARY KEY,
        consultation TEXT NOT NULL REFERENCES consultations(id),
        vendor TEXT NOT NULL DEFAULT '',
        person TEXT NOT NULL,
        name TEXT NOT NULL,
        after_leaving INTEGER NOT NULL,
        condition TEXT NOT NULL REFERENCES conditions(id),
        evidence INTEGER REFERENCES evidence(id),
        recorded_by TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    );
    CREATE INDEX check_pledges_scope ON check_pledges(consultation, vendor, person, id);
    CREATE TABLE check_certificates (
        id INTEGER PRIMARY KEY,
        condition TEXT NOT NULL REFERENCES conditions(id),
        vendor TEXT NOT NULL,
        scheme TEXT NOT NULL,
        number TEXT NOT NULL,
        renewed TEXT NOT NULL,
        expires TEXT NOT NULL,
        first_registered TEXT,
        evidence INTEGER REFERENCES evidence(id),
        recorded_by TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    );
    CREATE INDEX check_certificates_condition ON check_certificates(condition, id);
    CREATE TABLE check_triggers (
        series TEXT PRIMARY KEY REFERENCES conditions(id),
        trigger TEXT NOT NULL,
        days INTEGER NOT NULL
    );
    CREATE INDEX check_triggers_trigger ON check_triggers(trigger);
    CREATE TABLE check_trigger_events (
        id INTEGER PRIMARY KEY,
        consultation TEXT NOT NULL REFERENCES consultations(id),
        trigger TEXT NOT NULL,
        occurred_on TEXT NOT NULL,
        reported_by TEXT NOT NULL,
        reported_at TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        UNIQUE (consultation, trigger, occurred_on)
    );
    CREATE TABLE check_fy_answers (
        series TEXT NOT NULL REFERENCES conditions(id),
        fiscal_year INTEGER NOT NULL,
        kept INTEGER NOT NULL,
        answered_by TEXT NOT NULL,
        answered_at TEXT NOT NULL,
        opened TEXT,
        PRIMARY KEY (series, fiscal_year)
    );
"""


def _d(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


class CheckQueries(CoreStore):
    """SQL for evidence checks: roster people, pledges, triggers."""

    # -- rosters ---------------------------------------------------------

    def add_roster(
        self,
        *,
        condition: str,
        consultation: str,
        vendor: str,
        evidence: int | None,
        findings: Sequence[Mapping[str, Any]],
        people: Iterable[RosterEntry],
        submitted_by: str,
        submitted_at: dt.datetime,
    ) -> RosterVersion:
        """Store the next version of the roster for (*consultation*, *vendor*) with its people."""
        row = self._one(
            "SELECT coalesce(max(version), 0) AS v FROM check_rosters "
            "WHERE consultation = ? AND vendor = ?",
            (consultation, vendor),
        )
        version = int(row["v"] if row else 0) + 1
        findings_json = json.dumps(list(findings), ensure_ascii=False, default=str)
        cur = self._execute(
            "INSERT INTO check_rosters (condition, consultation, vendor, version, evidence, "
            "findings, submitted_by, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                condition,
                consultation,
                vendor,
                version,
                evidence,
                findings_json,
                submitted_by,
                submitted_at.isoformat(),
            ),
        )
        roster_id = int(cur.fetchone()[0])
        self._executemany(
            "INSERT INTO check_roster_people (roster, row, person, name, affiliation, role, "
            "employment, started, ended) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    roster_id,
                    p.row,
                    p.key,
                    p.name,
                    p.affiliation,
                    p.role,
                    p.employment,
                    _iso(p.started),
                    _iso(p.ended),
                )
                for p in people
            ],
        )
        return RosterVersion(
            id=roster_id,
            condition=condition,
            consultation=consultation,
            vendor=vendor,
            version=version,
            evidence=evidence,
            findings=tuple(dict(f) for f in findings),
            submitted_by=submitted_by,
            submitted_at=submitted_at,
        )

    def latest_roster(self, consultation: str, vendor: str) -> RosterVersion | None:
        row = self._one(
            "SELECT * FROM check_rosters WHERE consultation = ? AND vendor = ? "
            "ORDER BY version DESC LIMIT 1",
            (consultation, vendor),
        )
        return _roster(row) if row else None

    def roster_vendors(self, consultation: str) -> list[str]:
        """The vendors ('' for none) that have a roster in *consultation*."""
        rows = self._rows(
            "SELECT DISTINCT vendor FROM check_rosters WHERE consultation = ? ORDER BY vendor",
            (consultation,),
        )
        return [r["vendor"] for r in rows]

    def rosters_of_condition(self, condition: str) -> list[RosterVersion]:
        rows = self._rows(
            "SELECT * FROM check_rosters WHERE condition = ? ORDER BY id", (condition,)
        )
        return [_roster(r) for r in rows]

    def roster_people(self, roster_id: int) -> list[RosterEntry]:
        rows = self._rows(
            "SELECT * FROM check_roster_people WHERE roster = ? ORDER BY row", (roster_id,)
        )
        return [
            RosterEntry(
                row=r["row"],
                name=r["name"],
                affiliation=r["affiliation"],
                role=r["role"],
                employment=r["employment"],
                started=_d(r["started"]),
                ended=_d(r["ended"]),
            )
            for r in rows
        ]

    # -- pledges ---------------------------------------------------------

    def add_pledge(
        self,
        *,
        consultation: str,
        vendor: str,
        person: str,
        name: str,
        after_leaving: bool,
        condition: str,
        evidence: int | None,
        recorded_by: str,
        recorded_at: dt.datetime,
    ) -> int:
        cur = self._execute(
            "INSERT INTO check_pledges (consultation, vendor, person, name, after_leaving, "
            "condition, evidence, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "RETURNING id",
            (
                consultation,
                vendor,
                person,
                name,
                int(after_leaving),
                condition,
                evidence,
                recorded_by,
                recorded_at.isoformat(),
            ),
        )
        return int(cur.fetchone()[0])

    def latest_pledges(self, consultation: str, vendor: str) -> dict[str, PledgeRecord]:
        """The newest pledge per person for (*consultation*, *vendor*)."""
        rows = self._rows(
            "SELECT * FROM check_pledges WHERE consultation = ? AND vendor = ? ORDER BY id",
            (consultation, vendor),
        )
        latest: dict[str, PledgeRecord] = {}
        for r in rows:
            latest[r["person"]] = PledgeRecord(
                id=r["id"],
                consultation=r["consultation"],
                vendor=r["vendor"],
                person=r["person"],
                name=r["name"],
                after_leaving=bool(r["after_leaving"]),
                condition=r["condition"],
                evidence=r["evidence"],
                recorded_by=r["recorded_by"],
                recorded_at=dt.datetime.fromisoformat(r["recorded_at"]),
            )
        return latest

    # -- certificates ----------------------------------------------------

    def add_certificate_record(
        self,
        *,
        condition: str,
        vendor: str,
        scheme: str,
        number: str,
        renewed: dt.date,
        expires: dt.date,
        first_registered: dt.date | None,
        evidence: int | None,
        recorded_by: str,
        recorded_at: dt.datetime,
    ) -> CertificateRecord:
        cur = self._execute(
            "INSERT INTO check_certificates (condition, vendor, scheme, number, renewed, expires, "
            "first_registered, evidence, recorded_by, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                condition,
                vendor,
                scheme,
                number,
                renewed.isoformat(),
                expires.isoformat(),
                _iso(first_registered),
                evidence,
                recorded_by,
                recorded_at.isoformat(),
            ),
        )
        return CertificateRecord(
            id=int(cur.fetchone()[0]),
            condition=condition,
            vendor=vendor,
            scheme=scheme,
            number=number,
            renewed=renewed,
            expires=expires,
            first_registered=first_registered,
            evidence=evidence,
            recorded_by=recorded_by,
            recorded_at=recorded_at,
        )

    def latest_certificate_record(self, condition: str) -> CertificateRecord | None:
        r = self._one(
            "SELECT * FROM check_certificates WHERE condition = ? ORDER BY id DESC LIMIT 1",
            (condition,),
        )
        if r is None:
            return None
        return CertificateRecord(
            id=r["id"],
            condition=r["condition"],
            vendor=r["vendor"],
            scheme=r["scheme"],
            number=r["number"],
            renewed=dt.date.fromisoformat(r["renewed"]),
            expires=dt.date.fromisoformat(r["expires"]),
            first_registered=_d(r["first_registered"]),
            evidence=r["evidence"],
            recorded_by=r["recorded_by"],
            recorded_at=dt.datetime.fromisoformat(r["recorded_at"]),
        )

    # -- triggers --------------------------------------------------------

    def condition_trigger(self, series: str) -> TriggerDefinition | None:
        r = self._one("SELECT * FROM check_triggers WHERE series = ?", (series,))
        return TriggerDefinition(r["series"], r["trigger"], r["days"]) if r else None

    def set_condition_trigger(self, series: str, trigger: str, days: int) -> None:
        self._execute(
            "INSERT INTO check_triggers (series, trigger, days) VALUES (?, ?, ?) "
            "ON CONFLICT(series) DO UPDATE SET trigger = excluded.trigger, days = excluded.days",
            (series, trigger, days),
        )

    def remove_condition_trigger(self, series: str) -> None:
        self._execute("DELETE FROM check_triggers WHERE series = ?", (series,))

    def condition_triggers(
        self, *, consultation: str | None = None, trigger: str | None = None
    ) -> list[TriggerDefinition]:
        """Trigger definitions, narrowed to one consultation and/or one trigger."""
        sql = "SELECT t.* FROM check_triggers t JOIN conditions c ON c.id = t.series WHERE 1 = 1"
        params: list[Any] = []
        if consultation is not None:
            sql += " AND c.consultation = ?"
            params.append(consultation)
        if trigger is not None:
            sql += " AND t.trigger = ?"
            params.append(trigger)
        rows = self._rows(sql + " ORDER BY t.series", params)
        return [TriggerDefinition(r["series"], r["trigger"], r["days"]) for r in rows]

    def add_trigger_event(
        self,
        *,
        consultation: str,
        trigger: str,
        occurred_on: dt.date,
        reported_by: str,
        reported_at: dt.datetime,
        note: str = "",
    ) -> TriggerEvent | None:
        """Record an event; None when the same event (consultation, kind, day) is already known."""
        cur = self._execute(
            "INSERT INTO check_trigger_events (consultation, trigger, occurred_on, "
            "reported_by, reported_at, note) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING RETURNING id",
            (
                consultation,
                trigger,
                occurred_on.isoformat(),
                reported_by,
                reported_at.isoformat(),
                note,
            ),
        )
        inserted = cur.fetchone()
        if inserted is None:
            return None
        return TriggerEvent(
            id=int(inserted[0]),
            consultation=consultation,
            trigger=trigger,
            occurred_on=occurred_on,
            reported_by=reported_by,
            reported_at=reported_at,
            note=note,
        )

    def trigger_events(self, consultation: str) -> list[TriggerEvent]:
        rows = self._rows(
            "SELECT * FROM check_trigger_events WHERE consultation = ? ORDER BY occurred_on, id",
            (consultation,),
        )
        return [
            TriggerEvent(
                id=r["id"],
                consultation=r["consultation"],
                trigger=r["trigger"],
                occurred_on=dt.date.fromisoformat(r["occurred_on"]),
                reported_by=r["reported_by"],
                reported_at=dt.datetime.fromisoformat(r["reported_at"]),
                note=r["note"],
            )
            for r in rows
        ]

    # -- fiscal-year-end answers -----------------------------------------

    def add_fy_answer(self, answer: FiscalYearAnswer) -> None:
        self._execute(
            "INSERT INTO check_fy_answers (series, fiscal_year, kept, answered_by, answered_at, "
            "opened) VALUES (?, ?, ?, ?, ?, ?)",
            (
                answer.series,
                answer.fiscal_year,
                int(answer.kept),
                answer.answered_by,
                answer.answered_at.isoformat(),
                answer.opened,
            ),
        )

    def fy_answers(self, series: str) -> list[FiscalYearAnswer]:
        rows = self._rows(
            "SELECT * FROM check_fy_answers WHERE series = ? ORDER BY fiscal_year", (series,)
        )
        return [
            FiscalYearAnswer(
                series=r["series"],
                fiscal_year=r["fiscal_year"],
                kept=bool(r["kept"]),
                answered_by=r["answered_by"],
                answered_at=dt.datetime.fromisoformat(r["answered_at"]),
                opened=r["opened"],
            )
            for r in rows
        ]


def _roster(r: Mapping[str, Any]) -> RosterVersion:
    return RosterVersion(
        id=r["id"],
        condition=r["condition"],
        consultation=r["consultation"],
        vendor=r["vendor"],
        version=r["version"],
        evidence=r["evidence"],
        findings=tuple(json.loads(r["findings"])),
        submitted_by=r["submitted_by"],
        submitted_at=dt.datetime.fromisoformat(r["submitted_at"]),
    )
