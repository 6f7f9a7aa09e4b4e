"""``ddbot worker``: planning and delivery in their own process, started and supervised by serve.

The worker is a real subprocess against the fake Slack Web API; ``ddbot serve``
is a real subprocess too, and its children are read from /proc.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bot.worker import WorkerProcess
from duediligence.importer import import_file
from duediligence.store import Store

from .conftest import (
    BOT_TOKEN,
    MEETING_NIGHT,
    ROOT,
    SAMPLE,
    SECRETARIAT,
    SECRETARIAT_CHANNEL,
    SIGNING_SECRET,
    TOKYO,
    WAIT,
    FakeSlack,
)

NOW = dt.datetime(2021, 3, 15, 9, 30, tzinfo=TOKYO)  # a Monday: reminders and the digest are due


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "worker.db")
    store = Store.open(path)
    import_file(store, SAMPLE, actor=SECRETARIAT, now=MEETING_NIGHT)
    store.close()
    return path


def env_for(db: str, fake: FakeSlack, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DD_", "SLACK_"))}
    env.update(
        DD_DB=db,
        DD_EVIDENCE_DIR=str(tmp_path / "ev"),
        DD_SECRETARIAT_USERS=SECRETARIAT,
        DD_SECRETARIAT_CHANNEL=SECRETARIAT_CHANNEL,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=f"{fake.url}/api/",
    )
    return env


def wait_until(predicate, what: str):  # noqa: ANN001, ANN201 - a small polling helper
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def sent_entries(db: str) -> list:
    store = Store.open(db)
    try:
        return store.outbox_entries(status="sent")
    finally:
        store.close()


def due_entries(db: str) -> list:
    store = Store.open(db)
    try:
        return [e for e in store.outbox_entries() if e.send_after <= NOW]
    finally:
        store.close()


def pending_due(db: str) -> list:
    return [e for e in due_entries(db) if e.status == "pending"]


def claimed(db: str) -> list:
    return [e for e in due_entries(db) if e.status == "sending"]


def children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of every process whose parent is *pid*."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append((int(stat.parent.name), cmdline))
    return found


def test_the_worker_delivers_everything_due_and_stops_on_sigterm(
    db: str, fake: FakeSlack, tmp_path: Path
) -> None:
    worker = subprocess.Popen(
        [sys.executable, "-m", "bot", "worker", "--now", NOW.isoformat()],
        cwd=ROOT,
        env=env_for(db, fake, tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        due = wait_until(lambda: due_entries(db), "the worker's plan")
        wait_until(lambda: len(sent_entries(db)) == len(due), "every due entry sent")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(WAIT) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
    posted = fake.of("chat.postMessage")
    assert len(posted) == len(due)  # each once: the worker ticks on, but plans nothing new
    assert b"worker stopped" in worker.stderr.read()


def test_a_worker_that_dies_is_started_again(db: str, fake: FakeSlack, tmp_path: Path) -> None:
    env = env_for(db, fake, tmp_path)
    argv = [sys.executable, "-m", "bot", "worker", "--now", NOW.isoformat()]
    supervisor = WorkerProcess(argv, env=env, restart_after=0.1)
    supervisor.start()
    try:
        first = supervisor.pid
        assert first is not None
        wait_until(lambda: sent_entries(db), "a first delivery")
        os.kill(first, signal.SIGKILL)
        wait_until(lambda: supervisor.pid not in (None, first), "a new worker")
        second = supervisor.pid
        # The new worker sends what the killed one had not claimed (its claims wait out
        # their lease, as after any crash).
        wait_until(lambda: not pending_due(db), "the new worker to deliver the rest")
        assert supervisor.proc is not None and supervisor.proc.poll() is None
    finally:
        supervisor.stop(WAIT)
    # Stopped (cleanly, or by SIGTERM itself if it came before the handler was installed).
    assert supervisor.proc is not None and supervisor.proc.returncode in (0, -signal.SIGTERM)
    assert second != first
    assert len(sent_entries(db)) + len(claimed(db)) == len(due_entries(db))


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    ("flag", "stop"),
    [("--worker", signal.SIGTERM), ("--no-worker", signal.SIGTERM), ("--worker", signal.SIGKILL)],
)
def test_serve_starts_its_worker_unless_told_not_to(
    db: str, fake: FakeSlack, tmp_path: Path, flag: str, stop: int
) -> None:
    """SIGTERM stops serve and its worker; after a SIGKILL the worker notices and stops."""
    port = free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port), flag],
        cwd=ROOT,
        env=env_for(db, fake, tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def healthy() -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_until(healthy, "serve to answer /healthz")
        workers = [(pid, cmd) for pid, cmd in children(serve.pid) if " bot worker" in cmd]
        if flag == "--worker":
            assert len(workers) == 1
        else:
            assert workers == []
        serve.send_signal(stop)
        assert serve.wait(WAIT) == (0 if stop == signal.SIGTERM else -stop)
    finally:
        if serve.poll() is None:
            serve.kill()
    for pid, _ in workers:  # stopped with serve, not left behind
        wait_until(lambda pid=pid: not Path(f"/proc/{pid}").exists(), "the worker to exit")
