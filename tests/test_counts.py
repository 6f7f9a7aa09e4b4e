"""The count tables behind the status summary: kept by triggers, always equal to a scan."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from conftest import MEETING_NIGHT, SAMPLE, SECRETARIAT, SHUNO_OWNER, VACC_OWNER

from duediligence import ConditionFilter, Status, Store
from duediligence.importer import import_file
from duediligence.store import counts
from duediligence.store.core import CoreStore
from duediligence.tracker import Tracker

pytestmark = pytest.mark.both_engines

LATER = MEETING_NIGHT + dt.timedelta(days=3)


def due_counts(store: Store) -> list[tuple]:
    return store._execute(
        "SELECT status, due, department, n FROM condition_due_counts ORDER BY 1, 2, 3"
    ).fetchall()


def scanned_due_counts(store: Store) -> list[tuple]:
    return store._execute(
        "SELECT status, due, department, count(*) FROM conditions WHERE due IS NOT NULL "
        "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
    ).fetchall()


def table_counts(store: Store) -> list[tuple]:
    return [(d, str(s), n) for d, s, n in store.counts_by_department_and_status()]


def assert_consistent(store: Store) -> None:
    assert table_counts(store) == store.counts_by_scan()
    assert due_counts(store) == scanned_due_counts(store)


def test_counts_follow_every_change(sample: Tracker) -> None:
    store = sample.store
    assert_consistent(store)
    assert (
        sum(n for _, _, n in table_counts(store))
        == store._execute("SELECT count(*) FROM conditions").fetchone()[0]
    )

    shuno = [c.id for c in store.conditions(ConditionFilter(department="収納課"))]
    vacc = [c.id for c in store.conditions() if c.department != "収納課"]
    sample.submit_evidence(shuno[0], [b"a"], filename="a.pdf", actor=SHUNO_OWNER, now=LATER)
    sample.submit_evidence(shuno[1], [b"b"], filename="b.pdf", actor=SHUNO_OWNER, now=LATER)
    sample.return_(shuno[1], actor=SECRETARIAT, reason="不足", now=LATER)
    sample.accept(shuno[0], actor=SECRETARIAT, now=LATER)
    sample.waive(vacc[0], actor=SECRETARIAT, reason="廃止", now=LATER)
    sample.extend(
        shuno[2], actor=SECRETARIAT, new_due=dt.date(2022, 3, 31), reason="延長", now=LATER
    )
    assert_consistent(store)
    assert dict(((d, s), n) for d, s, n in table_counts(store))[("収納課", "returned")] == 1

    with store.transaction():  # any writer, not only the tracker: a move between departments
        store.update_condition(shuno[3], at=LATER, department=store.condition(vacc[1]).department)
        store.update_condition(shuno[4], at=LATER, due=None)
    assert_consistent(store)


def test_a_failed_change_moves_no_count(sample: Tracker) -> None:
    store = sample.store
    before = table_counts(store), due_counts(store)
    cid = store.conditions()[0].id
    try:
        with store.transaction():
            store.update_condition(cid, at=LATER, status=Status.WAIVED)
            raise RuntimeError("crash after the change")
    except RuntimeError:
        pass
    assert (table_counts(store), due_counts(store)) == before


def test_unknown_statuses_are_counted_too(sample: Tracker) -> None:
    """A status added later (``withdrawn``) needs no change here: the triggers copy the text."""
    store = sample.store
    cid = store.conditions()[0].id
    store._execute("UPDATE conditions SET status = 'withdrawn' WHERE id = ?", (cid,))
    assert ("withdrawn", 1) in [(s, n) for _, s, n in store.counts_by_scan()]
    rows = store._execute("SELECT n FROM condition_counts WHERE status = 'withdrawn'").fetchall()
    assert rows == [(1,)]
    assert due_counts(store) == scanned_due_counts(store)


def test_counted_filters_agree_with_the_scan(sample: Tracker) -> None:
    store = sample.store
    shuno = [c.id for c in store.conditions(ConditionFilter(department="収納課"))]
    sample.submit_evidence(shuno[0], [b"a"], filename="a.pdf", actor=SHUNO_OWNER, now=LATER)
    sample.return_(shuno[0], actor=SECRETARIAT, reason="不足", now=LATER)
    departments = tuple(d.name for d in store.departments())
    for today in (dt.date(2021, 2, 1), dt.date(2021, 4, 1), dt.date(2022, 1, 1)):
        for where in (
            ConditionFilter(),
            ConditionFilter(overdue_on=today),
            ConditionFilter(department="収納課", overdue_on=today),
            ConditionFilter(departments_any=departments[:1], statuses=(Status.OPEN,)),
            ConditionFilter(statuses=(Status.RETURNED, Status.SUBMITTED), overdue_on=today),
        ):
            assert store.count_conditions(where) == CoreStore.count_conditions(store, where)
            assert store.counts_by_department_and_status(
                where
            ) == CoreStore.counts_by_department_and_status(store, where)


def test_first_overdue_are_the_same_as_a_full_sort(sample: Tracker) -> None:
    store = sample.store
    shuno = [c.id for c in store.conditions(ConditionFilter(department="収納課"))]
    sample.submit_evidence(shuno[0], [b"a"], filename="a.pdf", actor=SHUNO_OWNER, now=LATER)
    sample.return_(shuno[0], actor=SECRETARIAT, reason="不足", now=LATER)
    vacc = store.conditions(ConditionFilter(department="新型コロナウイルスワクチン接種事業PT"))
    sample.submit_evidence(vacc[0].id, [b"v"], filename="v.pdf", actor=VACC_OWNER, now=LATER)
    today = dt.date(2022, 1, 1)
    for limit in (1, 3, 10, 100):
        where = ConditionFilter(overdue_on=today, limit=limit)
        assert [c.id for c in store.conditions(where)] == [
            c.id for c in CoreStore.conditions(store, where)
        ]


def test_an_older_database_is_counted_when_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.db"

    class OldStore(Store):
        MIGRATIONS = Store.MIGRATIONS[: Store.MIGRATIONS.index(counts.SCHEMA)]

    old = OldStore.open(path)
    import_file(old, SAMPLE, actor=SECRETARIAT, now=MEETING_NIGHT)
    old.close()
    conn = sqlite3.connect(path)
    assert conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE name = 'condition_counts'"
    ).fetchone() == (0,)
    conn.close()
    store = Store.open(path)
    assert store.schema_version == len(Store.MIGRATIONS)
    assert_consistent(store)
    assert table_counts(store)
    store.close()
