"""The store's promises: versioned schema, append-only events, atomic transactions."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from conftest import MEETING_NIGHT

from duediligence import SchemaError, Store

pytestmark = pytest.mark.both_engines


def test_new_file_is_migrated_to_the_current_version(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "a.db")
    assert store.schema_version == len(Store.MIGRATIONS)
    assert store.db["conditions"].exists()
    mode = store.db.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    store.close()
    again = Store.open(tmp_path / "a.db")  # reopening migrates nothing
    assert again.schema_version == len(Store.MIGRATIONS)


def test_newer_database_refused_with_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(Store.MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(SchemaError) as err:
        Store.open(path)
    assert "新しい版" in err.value.render("ja")
    assert "newer version" in err.value.render("en")


def test_events_are_append_only(store: Store) -> None:
    with store.transaction():
        store.append_event("x", "created", actor="me", at=MEETING_NIGHT)
    with pytest.raises(Exception, match="append-only"):
        store._execute("UPDATE events SET actor = 'other'")
    with pytest.raises(Exception, match="append-only"):
        store._execute("DELETE FROM events")
    assert [e.actor for e in store.events("x")] == ["me"]


def test_failed_transaction_leaves_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.save_council("審議会")
        store.append_event("council", "created", actor="me", at=MEETING_NIGHT)
        raise RuntimeError("crash in the middle")
    assert store.councils() == []
    assert store.events() == []


def test_nested_transactions_join_the_outer_one(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        with store.transaction():
            store.save_council("inner")
        raise RuntimeError("outer fails")
    assert store.councils() == []


def test_db_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DD_DB", str(tmp_path / "env.db"))
    Store.open().close()
    assert (tmp_path / "env.db").exists()


def test_event_times_round_trip(store: Store) -> None:
    at = dt.datetime(2021, 3, 31, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    with store.transaction():
        store.append_event("x", "created", actor="me", at=at, reason="理由", data={"a": 1})
    event = store.events("x")[0]
    assert (event.at, event.reason, event.data) == (at, "理由", {"a": 1})


@pytest.mark.parametrize("version", range(1, len(Store.MIGRATIONS)))
def test_every_released_version_migrates_to_the_current_one(db_url: str, version: int) -> None:
    class Released(Store):
        MIGRATIONS = Store.MIGRATIONS[:version]

    Released.open(db_url).close()
    store = Store.open(db_url)
    try:
        assert store.schema_version == len(Store.MIGRATIONS)
        with store.transaction():
            store.save_council("審議会")
        assert store.councils() == ["審議会"]
    finally:
        store.close()
