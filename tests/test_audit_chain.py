"""The hash-chained event log and ``audit verify``: edits with raw SQL and swapped files are named."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SECRETARIAT, SHUNO_OWNER, AdminCli

from duediligence.audit.chain import GENESIS, event_hash
from duediligence.audit.verify import STARTUP_TAIL, verify_chain
from duediligence.store import Store


@pytest.fixture
def imported(admin: AdminCli) -> AdminCli:
    return admin.import_sample()


def _tamper(url: str, *statements: str) -> None:
    """Run SQL as an intruder with the database would: around the library, triggers dropped."""
    if url.startswith("postgresql"):
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP TRIGGER events_append_only ON events")
            for statement in statements:
                conn.execute(statement)
        return
    conn = sqlite3.connect(url, isolation_level=None)
    try:
        conn.execute("DROP TRIGGER events_append_only_update")
        conn.execute("DROP TRIGGER events_append_only_delete")
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


def _submit(run: AdminCli, tmp_path: Path, condition: str = "R2-15-08") -> str:
    file = tmp_path / "meibo.csv"
    file.write_bytes("氏名,役割\n山田太郎,業務従事者\n".encode())
    assert run("evidence", "add", condition, str(file), "--as", SHUNO_OWNER).exit_code == 0
    return json.loads(run("show", condition, "--json").output)["evidence"][-1]["sha256"]


@pytest.mark.both_engines
def test_an_untouched_database_verifies_ok(imported: AdminCli, tmp_path: Path) -> None:
    _submit(imported, tmp_path)
    result = imported("audit", "verify")
    assert result.exit_code == 0, result.output
    assert "OK" in result.output and "提出ファイル 1 件" in result.output
    report = json.loads(imported("audit", "verify", "--json").output)
    events = len(json.loads(imported("events", "--json").output))
    assert report["ok"] is True and report["events"] == events and report["files"] == 1


@pytest.mark.both_engines
def test_a_payload_edited_with_raw_sql_is_named(imported: AdminCli, db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        with (
            sqlite3.connect(db_url) as conn,
            pytest.raises(sqlite3.DatabaseError, match="append-only"),
        ):
            conn.execute("UPDATE events SET reason = 'x' WHERE id = 7")
    _tamper(db_url, 'UPDATE events SET data = \'{"to": "accepted"}\' WHERE id = 7')
    result = imported("audit", "verify")
    assert result.exit_code == 1
    assert "履歴 7: 内容がハッシュと一致しません" in result.output
    report = json.loads(imported("audit", "verify", "--json").output)
    assert report["first_broken_event"] == 7
    assert [p["id"] for p in report["problems"]] == [7]  # the events after it are not blamed


def test_an_evidence_file_with_other_bytes_is_named(imported: AdminCli, tmp_path: Path) -> None:
    sha = _submit(imported, tmp_path)
    blob = Path(os.environ["DD_EVIDENCE_DIR"]) / sha[:2] / sha
    blob.chmod(0o600)
    blob.write_bytes("氏名,役割\n偽物太郎,業務従事者\n".encode())
    result = imported("--lang", "en", "audit", "verify")
    assert result.exit_code == 1
    evidence_id = json.loads(imported("audit", "verify", "--json").output)["problems"][0]["id"]
    assert f"evidence {evidence_id} (sha256 {sha})" in result.output
    assert "do not match" in result.output
    blob.unlink()
    assert "ファイルがありません" in imported("audit", "verify").output


@pytest.mark.both_engines
def test_deleted_and_smuggled_events_are_named(imported: AdminCli, db_url: str) -> None:
    _tamper(
        db_url,
        "DELETE FROM events WHERE id = 3",
        "INSERT INTO events (id, subject, action, actor, at) VALUES (1000, 'R2-15-08', "
        "'accepted', 'U01JIMU0001', '2021-02-11T09:00:00+09:00')",
    )
    report = json.loads(imported("audit", "verify", "--json").output)
    assert not report["ok"]
    assert {(p["what"], p["id"]) for p in report["problems"]} == {
        ("event_deleted", 3),
        ("event_unchained", 1000),
    }
    assert report["first_broken_event"] == 3


def test_the_hash_covers_the_payload_not_its_formatting() -> None:
    """Another backend may store the JSON differently; the chain must not change."""
    a = event_hash(
        GENESIS,
        1,
        "R2-15-08",
        "created",
        "U1",
        "2021-02-10T19:40:00+09:00",
        "",
        '{"b": 1, "a": "名簿"}',
    )
    b = event_hash(
        GENESIS,
        1,
        "R2-15-08",
        "created",
        "U1",
        "2021-02-10T19:40:00+09:00",
        "",
        '{"a":"名簿","b":1}',
    )
    c = event_hash(
        GENESIS,
        1,
        "R2-15-08",
        "created",
        "U1",
        "2021-02-10T19:40:00+09:00",
        "",
        '{"a":"名簿","b":2}',
    )
    assert a == b != c
    assert event_hash(a, 2, "x", "y", "z", "t", "", "{}") != event_hash(
        c, 2, "x", "y", "z", "t", "", "{}"
    )


def test_events_written_before_the_chain_are_sealed_by_the_migration(tmp_path: Path) -> None:
    from duediligence.store import audit

    class Before(Store):
        MIGRATIONS = Store.MIGRATIONS[: Store.MIGRATIONS.index(audit.SCHEMA)]

    old = Before.open(tmp_path / "old.db")
    import datetime as dt

    at = dt.datetime(2021, 2, 10, 19, 40)
    with old.transaction():
        for n in range(3):
            old._execute(
                "INSERT INTO events (subject, action, actor, at, data) VALUES (?, ?, ?, ?, ?)",
                (f"S{n}", "created", "import", at.isoformat(), json.dumps({"n": n})),
            )
    old.close()
    store = Store.open(tmp_path / "old.db")
    store.append_event("S3", "created", actor="import", at=at)
    result = verify_chain(store)
    assert result.ok and result.events == 4
    store.close()


def test_serve_refuses_a_broken_log_unless_told(imported: AdminCli, tmp_path: Path) -> None:
    from bot.__main__ import cli as ddbot
    from bot.config import BotSettings
    from bot.core import Core
    from bot.serve import check_log

    db = os.environ["DD_DATABASE_URL"]
    _tamper(db, "UPDATE events SET actor = 'someone' WHERE id = (SELECT max(id) FROM events)")
    env = {
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s",
        "DD_DATABASE_URL": db,
        "DD_EVIDENCE_DIR": os.environ["DD_EVIDENCE_DIR"],
    }
    result = CliRunner().invoke(ddbot, ["serve", "--port", "0"], env=env)
    assert result.exit_code != 0
    assert "--accept-broken-log" in str(result.output) + str(result.exception)
    last = int(json.loads(imported("events", "--json").output)[-1]["id"])

    core = Core(BotSettings.from_env(env).core)
    try:
        with pytest.raises(SystemExit):
            check_log(core, accept_broken=False)
        check_log(core, accept_broken=True)  # starts, and says so in the log
        accepted = core.store.events("records:log")
        assert [e.action for e in accepted] == ["log_break_accepted"]
        assert accepted[0].data["first_broken_event"] == last
        assert accepted[0].actor == "ddbot serve"
    finally:
        core.close()


@pytest.mark.both_engines
def test_serve_checks_only_the_tail(store: Store) -> None:
    import datetime as dt

    at = dt.datetime(2021, 2, 10, 19, 40)
    with store.transaction():
        for n in range(STARTUP_TAIL + 5):
            store.append_event(f"S{n}", "created", actor=SECRETARIAT, at=at)
    tail = verify_chain(store, last=STARTUP_TAIL)
    assert tail.ok and tail.events == STARTUP_TAIL and tail.from_event == 6
    assert tail.head == verify_chain(store).head == store.chain_head_hash()
