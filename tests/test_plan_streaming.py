"""The scheduler's planning pass streams deliveries into the outbox: ids back, not entries,
all or nothing, and the same rows as :func:`plan_reminders` would add."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from duediligence.importer import import_file
from duediligence.reminders import plan_reminder_ids
from duediligence.store import Store
from duediligence.store.outbox import Delivery, DeliveryKind

TOKYO = ZoneInfo("Asia/Tokyo")
SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "council-2021-02-10.yaml"
IMPORTED = dt.datetime(2021, 2, 10, 19, 40, tzinfo=TOKYO)
MONDAY = dt.datetime(2021, 3, 15, 9, 30, tzinfo=TOKYO)  # R2-16-01..03 are overdue


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    db = Store.open(tmp_path / "dd.db")
    import_file(db, SAMPLE, actor="U01JIMU0001", now=IMPORTED)
    yield db
    db.close()


def test_ids_name_the_rows_added_and_the_event_counts_them(store: Store) -> None:
    ids = plan_reminder_ids(store, MONDAY)
    entries = store.outbox_entries()
    assert ids and ids == [e.id for e in entries]
    assert store.outbox_entries_by_id(ids) == entries
    kinds = {str(e.kind) for e in entries}
    assert {"reminder", "digest"} <= kinds
    event = [e for e in store.events("outbox") if e.action == "reminders_planned"][-1]
    assert event.data["count"] == len(ids)
    assert sum(event.data["kinds"].values()) == len(ids)
    assert plan_reminder_ids(store, MONDAY + dt.timedelta(hours=2)) == []  # already planned


def test_a_delivery_that_fails_midway_leaves_nothing_behind(store: Store) -> None:
    def deliveries() -> Iterator[Delivery]:
        for n in range(3):
            yield Delivery(
                kind=DeliveryKind.REMINDER,
                subject="R2-16-01",
                occurrence=f"1:2021-02-24:{n}",
                stage="overdue_3",
                recipient="U02SHUNO001",
                send_after=MONDAY,
                condition="R2-16-01",
            )
        raise RuntimeError("the planner broke after three")

    with pytest.raises(RuntimeError):
        store.add_to_outbox(deliveries(), now=MONDAY)
    assert store.outbox_entries() == []
