"""Counts of conditions by department and status, kept by triggers: the status summary's source.

The secretariat's ``/dd-status`` answers with counts by department and status and
the number overdue. Counting those by scanning ``conditions`` grows with the
database (about 35 ms at 100,000 conditions) and, running in the bot's process,
competes with the ack of the next request. Instead two small tables are kept up
to date by triggers on ``conditions``, so every change (whatever code makes it,
whatever status it names, ``withdrawn`` included) moves its counts in the same
transaction as the change itself:

* ``condition_counts``: one row per (department, status) — the summary reads a
  few dozen rows whatever the size of the database;
* ``condition_due_counts``: one row per (status, due date, department) — the
  overdue count reads the rows of the awaiting statuses before today, bounded by
  the calendar (days × departments), not by the number of conditions.

Queries with other narrowing (a consultation, a vendor, a date range) still
count rows of ``conditions`` through its indexes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..model import Condition, Status
from .core import ConditionFilter, CoreStore, _condition, _where
from .dialect import Migration

# The SQL run to reach this module's schema version (see store/__init__.py for the order).
SCHEMA = Migration(
    portable="""
    CREATE TABLE condition_counts (
        department TEXT NOT NULL,
        status TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (department, status)
    );
    CREATE TABLE condition_due_counts (
        status TEXT NOT NULL,
        due TEXT NOT NULL,
        department TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (status, due, department)
    );
    INSERT INTO condition_counts (department, status, n)
        SELECT department, status, count(*) FROM conditions GROUP BY department, status;
    INSERT INTO condition_due_counts (status, due, department, n)
        SELECT status, due, department, count(*) FROM conditions WHERE due IS NOT NULL
        GROUP BY status, due, department;
""",
    sqlite="""
    CREATE TRIGGER condition_counts_insert AFTER INSERT ON conditions BEGIN
        INSERT INTO condition_counts (department, status, n)
            VALUES (NEW.department, NEW.status, 1)
            ON CONFLICT (department, status) DO UPDATE SET n = n + 1;
        INSERT INTO condition_due_counts (status, due, department, n)
            SELECT NEW.status, NEW.due, NEW.department, 1 WHERE NEW.due IS NOT NULL
            ON CONFLICT (status, due, department) DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER condition_counts_delete AFTER DELETE ON conditions BEGIN
        UPDATE condition_counts SET n = n - 1
            WHERE department = OLD.department AND status = OLD.status;
        DELETE FROM condition_counts
            WHERE department = OLD.department AND status = OLD.status AND n <= 0;
        UPDATE condition_due_counts SET n = n - 1
            WHERE status = OLD.status AND due = OLD.due AND department = OLD.department;
        DELETE FROM condition_due_counts
            WHERE status = OLD.status AND due = OLD.due AND department = OLD.department
            AND n <= 0;
    END;
    CREATE TRIGGER condition_counts_update AFTER UPDATE OF department, status, due ON conditions
    WHEN OLD.department IS NOT NEW.department OR OLD.status IS NOT NEW.status
        OR OLD.due IS NOT NEW.due
    BEGIN
        UPDATE condition_counts SET n = n - 1
            WHERE department = OLD.department AND status = OLD.status;
        DELETE FROM condition_counts
            WHERE department = OLD.department AND status = OLD.status AND n <= 0;
        INSERT INTO condition_counts (department, status, n)
            VALUES (NEW.department, NEW.status, 1)
            ON CONFLICT (department, status) DO UPDATE SET n = n + 1;
        UPDATE condition_due_counts SET n = n - 1
            WHERE status = OLD.status AND due = OLD.due AND department = OLD.department;
        DELETE FROM condition_due_counts
            WHERE status = OLD.status AND due = OLD.due AND department = OLD.department
            AND n <= 0;
        INSERT INTO condition_due_counts (status, due, department, n)
            SELECT NEW.status, NEW.due, NEW.department, 1 WHERE NEW.due IS NOT NULL
            ON CONFLICT (status, due, department) DO UPDATE SET n = n + 1;
    END;
""",
    postgresql="""
    CREATE FUNCTION dd_condition_counts() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            UPDATE condition_counts SET n = n - 1
                WHERE department = OLD.department AND status = OLD.status;
            DELETE FROM condition_counts
                WHERE department = OLD.department AND status = OLD.status AND n <= 0;
            IF OLD.due IS NOT NULL THEN
                UPDATE condition_due_counts SET n = n - 1
                    WHERE status = OLD.status AND due = OLD.due AND department = OLD.department;
                DELETE FROM condition_due_counts
                    WHERE status = OLD.status AND due = OLD.due
                    AND department = OLD.department AND n <= 0;
            END IF;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO condition_counts AS c (department, status, n)
                VALUES (NEW.department, NEW.status, 1)
                ON CONFLICT (department, status) DO UPDATE SET n = c.n + 1;
            IF NEW.due IS NOT NULL THEN
                INSERT INTO condition_due_counts AS c (status, due, department, n)
                    VALUES (NEW.status, NEW.due, NEW.department, 1)
                    ON CONFLICT (status, due, department) DO UPDATE SET n = c.n + 1;
            END IF;
        END IF;
        RETURN NULL;
    END; $$;
    CREATE TRIGGER condition_counts_change AFTER INSERT OR DELETE ON conditions
        FOR EACH ROW EXECUTE FUNCTION dd_condition_counts();
    CREATE TRIGGER condition_counts_update AFTER UPDATE OF department, status, due ON conditions
        FOR EACH ROW WHEN (OLD.department IS DISTINCT FROM NEW.department
            OR OLD.status IS DISTINCT FROM NEW.status OR OLD.due IS DISTINCT FROM NEW.due)
        EXECUTE FUNCTION dd_condition_counts();
""",
)


def _statuses(where: ConditionFilter) -> list[str]:
    """The statuses *where* admits, as ``_where`` reads them ([] = every status)."""
    statuses = list(where.statuses)
    if where.overdue_on is not None:
        awaiting = [s for s in Status if s.awaiting_owner]
        statuses = [s for s in statuses if s in awaiting] if statuses else awaiting
    return [str(s) for s in statuses]


def _countable(where: ConditionFilter) -> bool:
    """True when the count tables alone answer *where* (departments, statuses, overdue)."""
    return (
        where.consultation is None
        and where.vendor is None
        and where.condition is None
        and where.due_from is None
        and where.due_until is None
        and where.report_back is None
    )


class CountQueries(CoreStore):
    """Counting conditions from the trigger-kept count tables when the filter allows it."""

    def count_conditions(self, where: ConditionFilter | None = None) -> int:
        where = where or ConditionFilter()
        if not _countable(where):
            return super().count_conditions(where)
        return sum(n for _, _, n in self._counted(where))

    def counts_by_department_and_status(
        self, where: ConditionFilter | None = None
    ) -> list[tuple[str, Status, int]]:
        where = where or ConditionFilter()
        if not _countable(where):
            return super().counts_by_department_and_status(where)
        return [(d, Status(s), n) for d, s, n in self._counted(where)]

    def counts_by_scan(self) -> list[tuple[str, str, int]]:
        """(department, status, n) counted from ``conditions`` itself: what the tables must equal."""
        return [
            (d, s, n)
            for d, s, n in self._execute(
                "SELECT department, status, count(*) FROM conditions "
                "GROUP BY department, status ORDER BY department, status"
            ).fetchall()
        ]

    def _counted(self, where: ConditionFilter) -> list[tuple[str, str, int]]:
        parts: list[str] = []
        params: list[Any] = []
        if where.department is not None:
            parts.append("department = ?")
            params.append(where.department)
        if where.departments_any:
            parts.append(f"department IN ({','.join('?' * len(where.departments_any))})")
            params.extend(where.departments_any)
        statuses = _statuses(where)
        if statuses:
            parts.append(f"status IN ({','.join('?' * len(statuses))})")
            params.extend(statuses)
        if where.overdue_on is not None:
            parts.append("due < ?")
            params.append(where.overdue_on.isoformat())
            table, total = "condition_due_counts", "sum(n)"
        else:
            table, total = "condition_counts", "n"
        clause = (" WHERE " + " AND ".join(parts)) if parts else ""
        group = " GROUP BY department, status" if total == "sum(n)" else ""
        rows = self._execute(
            f"SELECT department, status, {total} FROM {table}{clause}{group} "
            "ORDER BY department, status",
            params,
        ).fetchall()
        return [(d, s, int(n)) for d, s, n in rows if n]

    def conditions(self, where: ConditionFilter | None = None) -> list[Condition]:
        """As the core's, but the first few overdue read per status from the index, in order.

        ``status IN (open, returned) … ORDER BY due`` would sort every overdue row to
        return ten; one ordered, limited read per status, merged, stays small.
        """
        where = where or ConditionFilter()
        statuses = _statuses(where)
        if not (where.limit and where.overdue_on is not None and len(statuses) > 1):
            return super().conditions(where)
        limit = int(where.limit)
        parts: list[str] = []
        params: list[Any] = []
        for status in statuses:
            clause, more = _where(replace(where, statuses=(Status(status),)))
            parts.append(
                f"SELECT * FROM (SELECT * FROM conditions{clause} ORDER BY due, id "
                f"LIMIT {limit}) AS s{len(parts)}"
            )
            params += more
        sql = " UNION ALL ".join(parts) + f" ORDER BY due, id LIMIT {limit}"
        return [_condition(r) for r in self._records(sql, params)]
