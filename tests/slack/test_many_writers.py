"""Two real ``ddbot tick`` processes on one PostgreSQL database share a day's deliveries.

Each claims small batches (``DD_TICK_BATCH=2``) with ``FOR UPDATE SKIP LOCKED``
while a slow fake Slack keeps both busy at once: every planned entry is sent
exactly once, by one of them, and nothing is left behind.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator

import pytest
from conftest import fresh_pg_database

from duediligence.importer import import_file
from duediligence.store import Store

from .conftest import (
    BOT_TOKEN,
    MEETING_NIGHT,
    ROOT,
    SAMPLE,
    SECRETARIAT,
    SECRETARIAT_CHANNEL,
    TOKYO,
    FakeSlack,
)

DAY = dt.datetime(2021, 3, 15, 9, 30, tzinfo=TOKYO)  # a Monday: reminders, escalations, a digest


@pytest.fixture
def pg_db(pg_server: str) -> Iterator[str]:
    with fresh_pg_database(pg_server) as url:
        store = Store.open(url)
        import_file(store, SAMPLE, actor=SECRETARIAT, now=MEETING_NIGHT)
        store.close()
        yield url


def _tick(url: str, fake: FakeSlack, evidence: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DD_DATABASE_URL": url,
        "DD_EVIDENCE_DIR": evidence,
        "DD_SECRETARIAT_USERS": SECRETARIAT,
        "DD_SECRETARIAT_CHANNEL": SECRETARIAT_CHANNEL,
        "DD_TICK_BATCH": "2",
        "DD_LANG": "en",
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": f"{fake.url}/api/",
    }
    for name in ("DD_DB", "DD_TEAMS_WEBHOOK_URL"):
        env.pop(name, None)
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "tick", "--now", DAY.isoformat()],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_tick_processes_send_each_planned_entry_exactly_once(
    pg_db: str, fake: FakeSlack, tmp_path
) -> None:
    fake.delays["chat.postMessage"] = 0.05
    first, second = (_tick(pg_db, fake, str(tmp_path / "ev")) for _ in range(2))
    outputs = [p.communicate(timeout=120) for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    sent_by = [int(re.search(r"sent (\d+)", out).group(1)) for out, _ in outputs]

    store = Store.open(pg_db)
    try:
        entries = store.outbox_entries()
        assert entries, "the day planned nothing"
        assert {str(e.status) for e in entries} == {"sent"}
        sent_events = Counter(
            e.data["outbox"] for e in store.events() if e.action.endswith("_sent")
        )
        assert sorted(sent_events) == sorted(e.id for e in entries)
        assert set(sent_events.values()) == {1}
    finally:
        store.close()
    assert sum(sent_by) == len(entries)
    assert all(n > 0 for n in sent_by), f"one process did all the work: {sent_by}"
    posts = [c for c in fake.calls if c.method == "chat.postMessage"]
    assert len(posts) == len(entries)
    assert len({(c.body["channel"], c.body.get("text")) for c in posts}) == len(posts)
