"""Benchmarks at city, prefecture and hosted scale, each beside the floor it is measured against.

    .venv/bin/python benchmarks/run.py                      # 1,000 / 10,000 / 100,000 conditions
    .venv/bin/python benchmarks/run.py --size 1000          # a quick run
    .venv/bin/python benchmarks/run.py --json benchmarks/results/run.json
    .venv/bin/python benchmarks/run.py --size 100000 --backend sqlite --backend postgresql

For each size: generate and import a synthetic city (benchmarks/generate.py) and
walk its history; then measure, with a fake Slack Web API on 127.0.0.1
(benchmarks/fake_slack.py, rate limits off):

- the status query through the real ``ddbot serve`` (a subprocess, HTTP mode):
  signed ``/dd-status`` POSTs, time from sending to the HTTP response (the ack)
  and to the answer arriving at the response_url, for the secretariat summary and
  for a department; then the process's peak RSS (VmHWM);
- the floor: the same bolt App and server (benchmarks/floor_app.py) answering a
  no-op command, and the same answer computed by hand-written SQL on the same
  database, beside the bot's own computation of it;
- one scheduler tick planning the day's reminders, and delivering 1,000 of them;
- the weekly digest and the report pack (docx + xlsx + markdown);
- peak RSS growth while a 200 MB upload is ingested (benchmarks/upload_probe.py);
- "busy": the status query while ``ddbot serve``'s worker delivers 10,000 reminders,
  beside its floor in the same run (the no-op command on the same App and server,
  and the summary's hand-written SQL, while a ``ddbot worker`` delivers the same
  10,000), every figure also given as a ratio to that floor.

``--scenario busy`` runs only the busy scenario (and what it needs).

With ``--backend postgresql`` the same city is moved (``db copy``) into a fresh
database of a PostgreSQL server (``--pg-url``, else a throwaway one from the
``pgserver`` wheel) and everything above runs against it; the hand-written SQL
floor then runs through psycopg on the same server.

Nothing leaves 127.0.0.1 (or the PostgreSQL server named); every wait is bounded.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import itertools
import json
import math
import os
import platform
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_slack import FakeSlack  # noqa: E402
from generate import SECRETARIAT, TOKYO, City, populate  # noqa: E402

from bot.config import BotSettings  # noqa: E402
from bot.core import Core  # noqa: E402
from bot.delivery.build import build_sender  # noqa: E402
from bot.delivery.sender import TickResult  # noqa: E402
from bot.render.slack import message  # noqa: E402
from duediligence.business_calendar import BusinessCalendar  # noqa: E402
from duediligence.config import Settings  # noqa: E402
from duediligence.reminders import plan_reminder_ids  # noqa: E402
from duediligence.report import build_pack  # noqa: E402
from duediligence.store import ConditionFilter, Store  # noqa: E402
from duediligence.store.outbox import Delivery  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
TODAY = dt.date(2025, 11, 17)  # a Monday: the history runs up to it, the tick plans it
NOW = dt.datetime.combine(TODAY, dt.time(9, 30), TOKYO)
BOT_TOKEN = "xoxb-benchmark"
SIGNING_SECRET = "benchmark-signing-secret"
CHANNEL = "C0SECRETARIAT"
STATUS = "/dd-status"
DELIVER = 1_000
BUSY = 10_000  # reminders a tick delivers while the busy scenario asks for the status
BUSY_WAIT = 1800.0  # seconds: the longest the busy delivery may take
UPLOAD_MB = 200
WAIT = 60.0  # seconds: the longest a server may take to start or stop
REQUESTS = itertools.count(1)  # response_url paths are unique for the whole run


# -- small helpers ----------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def proc_memory_mb(pid: int, field: str = "VmHWM") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not found for pid {pid}")


def sign(body: str, timestamp: int) -> str:
    import hashlib
    import hmac

    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()


def machine() -> dict[str, Any]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
    }


# -- the city ---------------------------------------------------------------------


def prepare(size: int, seed: int, cache: Path) -> dict[str, Any]:
    """Generate and populate once per (size, seed); later runs reuse the files and timings."""
    db = cache / f"city-{size}-s{seed}.db"
    meta = db.with_suffix(".json")
    if db.exists() and meta.exists():
        info = json.loads(meta.read_text())
        info["reused"] = True
        return info
    for leftover in cache.glob(f"city-{size}-s{seed}*"):
        if leftover.is_dir():
            shutil.rmtree(leftover)
        else:
            leftover.unlink()
    evidence = cache / f"city-{size}-s{seed}-evidence"
    started = time.perf_counter()
    result = populate(City(size, seed), db, evidence, today=TODAY)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # one file to copy
    conn.close()
    info = {
        "db": str(db),
        "evidence": str(evidence),
        "import_s": result["import_s"],
        "history_s": result["history_s"],
        "populate_s": time.perf_counter() - started,
        "db_mb": db.stat().st_size / 1e6,
        "statuses": result["statuses"],
    }
    meta.write_text(json.dumps(info, ensure_ascii=False))
    info["reused"] = False
    return info


def bot_settings(db: Path, evidence: Path, fake: FakeSlack) -> BotSettings:
    return BotSettings(
        core=Settings(
            db=str(db),
            evidence_dir=str(evidence),
            tz=TOKYO,
            lang="ja",
            secretariat_users=frozenset({SECRETARIAT}),
            max_upload_bytes=(UPLOAD_MB + 56) * 1024 * 1024,
        ),
        bot_token=BOT_TOKEN,
        signing_secret=SIGNING_SECRET,
        api_url=fake.api_url,
        secretariat_channel=CHANNEL,
    )


def bot_env(db: Path, evidence: Path, fake: FakeSlack) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DD_"))}
    env.update(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake.api_url,
        DD_DB=str(db),
        DD_EVIDENCE_DIR=str(evidence),
        DD_SECRETARIAT_USERS=SECRETARIAT,
        DD_SECRETARIAT_CHANNEL=CHANNEL,
        DD_TICK_MINUTES="100000",
        DD_MAX_UPLOAD_BYTES=str((UPLOAD_MB + 56) * 1024 * 1024),
        PYTHONPATH=str(ROOT),
    )
    return env


# -- the status query over HTTP ------------------------------------------------------


class Client:
    """Signed slash commands to a running app; latencies in milliseconds."""

    def __init__(self, url: str, fake: FakeSlack) -> None:
        self.url = url
        self.fake = fake
        self.http = httpx.Client(timeout=30)

    def command(self, command: str, text: str, user: str) -> tuple[float, str]:
        """Send one command; (ms to the HTTP response, the response_url path)."""
        n = next(REQUESTS)
        path = f"/response/{n}"
        body = str(
            httpx.QueryParams(
                {
                    "token": "legacy",
                    "team_id": "T1",
                    "channel_id": "C0GENERAL",
                    "user_id": user,
                    "command": command,
                    "text": text,
                    "response_url": self.fake.url + path,
                    "trigger_id": f"trigger-{n}",
                }
            )
        )
        ts = int(time.time())
        headers = {
            "content-type": "application/x-www-form-urlencoded",
            "x-slack-request-timestamp": str(ts),
            "x-slack-signature": sign(body, ts),
        }
        started = time.perf_counter()
        response = self.http.post(
            f"{self.url}/slack/events", content=body.encode(), headers=headers
        )
        ack = time.perf_counter()
        if response.status_code != 200:
            raise RuntimeError(f"{command} {text!r}: HTTP {response.status_code} {response.text}")
        self.last_started = started
        return (ack - started) * 1000, path

    def status(self, text: str, user: str = SECRETARIAT) -> tuple[float, float]:
        """(ack ms, answer ms): the answer is the post to the response_url."""
        ack_ms, path = self.command(STATUS, text, user)
        arrived = self.fake.wait_answer(path)
        return ack_ms, (arrived - self.last_started) * 1000

    def close(self) -> None:
        self.http.close()


@contextlib.contextmanager
def server(
    args: list[str], env: dict[str, str], log: Path, port: int
) -> Iterator[subprocess.Popen]:
    """A subprocess serving on *port*, ready (``/healthz``) before we yield; stopped after."""
    with log.open("wb") as out:
        proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + WAIT
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"{args} exited: see {log}")
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{args} did not start within {WAIT} s: see {log}")
                time.sleep(0.1)
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(WAIT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(WAIT)


def latency(samples: list[float]) -> dict[str, float]:
    return {"p50": percentile(samples, 50), "p99": percentile(samples, 99), "n": len(samples)}


def measure_serve(env: dict[str, str], fake: FakeSlack, department: str, n: int, log: Path) -> dict:
    """The real ``ddbot serve``: status ack and answer latencies, then its peak RSS."""
    port = free_port()
    args = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with server(args, env, log, port) as proc:
        client = Client(f"http://127.0.0.1:{port}", fake)
        for _ in range(20):  # warm-up: imports, connections, the scheduler's first pass
            client.status("")
            client.status(department)
        result: dict[str, Any] = {}
        for name, text in (("secretariat", ""), (department, department)):
            acks, answers = [], []
            for _ in range(n):
                ack_ms, answer_ms = client.status(text)
                acks.append(ack_ms)
                answers.append(answer_ms)
            key = "secretariat" if name == "secretariat" else "department"
            result[key] = {"ack": latency(acks), "answer": latency(answers)}
        # A burst from eight clients at once: every listener thread opens its own database.
        burst_errors: list[BaseException] = []

        def hammer() -> None:
            local = Client(f"http://127.0.0.1:{port}", fake)
            try:
                for i in range(10):
                    local.status("" if i % 2 else department)
            except BaseException as err:  # reported below
                burst_errors.append(err)
            finally:
                local.close()

        threads = [threading.Thread(target=hammer) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WAIT)
        if burst_errors:
            raise burst_errors[0]
        result["rss_mb"] = proc_memory_mb(proc.pid, "VmHWM")
        result["rss_now_mb"] = proc_memory_mb(proc.pid, "VmRSS")
        client.close()
    return result


def measure_floor(env: dict[str, str], fake: FakeSlack, n: int, log: Path) -> dict:
    """The same App and server answering no-op commands (and the status, for the ratio)."""
    port = free_port()
    args = [sys.executable, str(ROOT / "benchmarks" / "floor_app.py"), "--port", str(port)]
    with server(args, env, log, port):
        client = Client(f"http://127.0.0.1:{port}", fake)
        for _ in range(20):
            client.command("/dd-noop", "", SECRETARIAT)
            client.command("/dd-noop-pool", "", SECRETARIAT)
        result = {}
        for command in ("/dd-noop", "/dd-noop-pool"):
            result[command.strip("/")] = latency(
                [client.command(command, "", SECRETARIAT)[0] for _ in range(n)]
            )
        client.close()
    return result


# -- in-process: the answer against hand-written SQL -------------------------------------

SUMMARY_SQL = (
    "SELECT department, status, count(*) FROM conditions {where} GROUP BY department, status",
    "SELECT count(*) FROM conditions WHERE status IN ('open', 'returned') AND due < :today {dept}",
    "SELECT id, kind, status, due, text FROM conditions "
    "WHERE status IN ('open', 'returned') AND due < :today {dept} ORDER BY due, id LIMIT {limit}",
    "SELECT id, kind, status, due, text FROM conditions WHERE status IN ('open', 'returned') "
    "AND due >= :today AND due <= :soon {dept} ORDER BY due, id LIMIT 10",
)


def summary_statements(department: str | None, today: dt.date) -> tuple[list[str], dict]:
    """The hand-written statements giving the summary's information, and their parameters."""
    params = {
        "today": today.isoformat(),
        "soon": (today + dt.timedelta(days=14)).isoformat(),
        "department": department,
    }
    where = "WHERE department = :department" if department else ""
    dept = "AND department = :department" if department else ""
    limit = 20 if department else 10
    return [s.format(where=where, dept=dept, limit=limit) for s in SUMMARY_SQL], params


def sql_floor(db: str, department: str | None, today: dt.date, runs: int) -> list[float]:
    """The secretariat's answer (counts, overdue, due soon) by hand-written SQL, in ms."""
    on_server = db.startswith("postgresql")
    if on_server:
        import psycopg

        from duediligence.store.dialect import POSTGRESQL

        conn: Any = psycopg.connect(db, autocommit=True)
    else:
        conn = sqlite3.connect(db)
    statements, params = summary_statements(department, today)
    if on_server:
        statements = [POSTGRESQL.query(s) for s in statements]
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        for sql in statements:
            conn.execute(sql, params).fetchall()
        samples.append((time.perf_counter() - started) * 1000)
    conn.close()
    return samples


def measure_answer(settings: BotSettings, department: str, runs: int) -> dict:
    """core.status computed in-process beside the SQL floor, on the same database."""
    today = dt.date.today()  # what `ddbot serve` answers with: its clock is the real one
    core = Core(settings.core, status_command=STATUS)
    result: dict[str, Any] = {}
    for key, text in (("secretariat", ""), ("department", department)):
        core.status(SECRETARIAT, text)  # warm
        ours = []
        for _ in range(runs):
            started = time.perf_counter()
            reply = core.status(SECRETARIAT, text)
            message(reply)
            ours.append((time.perf_counter() - started) * 1000)
        floor = sql_floor(settings.core.db, department if text else None, today, runs)
        result[key] = {
            "ours": latency(ours),
            "sql": latency(floor),
            "ratio_p50": percentile(ours, 50) / percentile(floor, 50),
        }
    core.close()
    return result


# -- in-process: tick, digest, report --------------------------------------------------


def measure_tick(settings: BotSettings, fake: FakeSlack) -> dict:
    core = Core(settings.core, clock=lambda: NOW, status_command=STATUS)
    sender = build_sender(settings, core, sleep=lambda seconds: None)
    store = core.store
    # National holidays are computed once per process (cached); a running bot has them.
    warm_s, _ = timed(lambda: BusinessCalendar().add_business_days(TODAY, 400))
    plan_s, planned = timed(lambda: plan_reminder_ids(store, NOW))
    top_up(store, planned)
    posted = fake.counts["chat.postMessage"]
    result = TickResult()
    started = time.perf_counter()
    while result.sent + result.failed < DELIVER:
        want = min(50, DELIVER - result.sent - result.failed)
        entries = store.claim_outbox(NOW, limit=want, max_attempts=sender.max_attempts)
        if not entries:
            break
        for entry in entries:
            sender.deliver(entry, NOW, result)
    deliver_s = time.perf_counter() - started
    delivered = result.sent
    next_day = NOW + dt.timedelta(days=1)
    next_s, next_planned = timed(lambda: plan_reminder_ids(store, next_day))
    core.close()
    return {
        "tick_plan_s": plan_s,
        "holidays_s": warm_s,
        "planned": len(planned),
        "next_day_plan_s": next_s,
        "next_day_planned": len(next_planned),
        "delivered": delivered,
        "failed": result.failed,
        "posted": fake.counts["chat.postMessage"] - posted,
        "deliver_s": deliver_s,
        "deliver_1000_s": deliver_s * DELIVER / delivered if delivered else None,
    }


def top_up(store: Store, planned: list[int], target: int = DELIVER) -> None:
    """A small city plans fewer than *target* reminders a day: copy some, so *target* go out."""
    if not planned or len(planned) >= target:
        return
    entries = store.outbox_entries_by_id(planned)
    copies = []
    for n in range(target - len(planned)):
        e = entries[n % len(entries)]
        copies.append(
            Delivery(
                kind=e.kind,
                subject=e.subject,
                occurrence=f"{e.occurrence}/copy{n}",
                stage=e.stage,
                recipient=e.recipient,
                send_after=e.send_after,
                payload=e.payload,
                condition=e.condition,
                due=e.due,
            )
        )
    store.add_to_outbox(copies, now=NOW)


def clear_outbox(settings: BotSettings) -> dict:
    """Plan today (real time, as `serve` will) and mark every due entry sent without sending.

    `ddbot serve` runs a tick as it starts; on a copy whose outbox is already
    clear for today that tick finds nothing, so it does not compete with the
    status load. (Rendering tens of thousands of reminders to nowhere would take minutes.)
    """
    store = Store.open(settings.core.db)
    now = dt.datetime.now(TOKYO)
    started = time.perf_counter()
    planned = len(plan_reminder_ids(store, now))
    cleared = 0
    while entries := store.claim_outbox(now, limit=500):
        for entry in entries:
            store.mark_outbox_sent(entry.id, now)
        cleared += len(entries)
    store.close()
    return {"seconds": time.perf_counter() - started, "planned": planned, "cleared": cleared}


def measure_digest(settings: BotSettings, runs: int = 5) -> dict:
    core = Core(settings.core, clock=lambda: NOW, status_command=STATUS)
    samples = []
    for _ in range(runs):
        seconds, reply = timed(lambda: message(core.digest_reply()))
        samples.append(seconds)
    core.close()
    return {"digest_s": max(samples), "digest_best_s": min(samples)}


def measure_report(settings: BotSettings, out: Path) -> dict:
    store = Store.open(settings.core.db)
    seconds, pack = timed(lambda: build_pack(store, None, out, now=NOW))
    store.close()
    return {
        "report_s": seconds,
        "report_meeting": pack.meeting.id,
        "report_conditions": len(pack.condition_ids),
        "report_mb": {p.suffix[1:]: p.stat().st_size / 1e6 for p in (pack.docx, pack.xlsx)},
    }


# -- busy: the status query while a tick delivers ------------------------------------------


def prepare_busy(settings: BotSettings) -> list[int]:
    """BUSY pending reminders, due whatever the real clock says (planned on NOW, in the past).

    The outbox is first cleared for the real today (as for the quiet series), so the
    worker's own plan at start adds nothing due; beyond BUSY, what NOW plans is cancelled.
    """
    clear_outbox(settings)
    store = Store.open(settings.core.db)
    planned = plan_reminder_ids(store, NOW)
    top_up(store, planned, BUSY)
    ids = [e.id for e in store.outbox_entries(status="pending") if e.send_after <= NOW][:BUSY]
    store.close()
    conn = sqlite3.connect(settings.core.db)
    with conn:
        conn.execute(
            "UPDATE outbox SET status = 'cancelled', last_error = 'benchmark: beyond the batch' "
            "WHERE status = 'pending' AND send_after_utc <= ? "
            "AND id NOT IN (SELECT value FROM json_each(?))",
            (NOW.astimezone(dt.UTC).isoformat(timespec="seconds"), json.dumps(ids)),
        )
        # Due a minute ago rather than in 2025, so that the tick's pruning of rows sent
        # over 90 days ago leaves the batch in place for the floor phase.
        moment = dt.datetime.now(TOKYO) - dt.timedelta(minutes=1)
        conn.execute(
            "UPDATE outbox SET send_after = ?, send_after_utc = ? "
            "WHERE id IN (SELECT value FROM json_each(?))",
            (
                moment.isoformat(timespec="seconds"),
                moment.astimezone(dt.UTC).isoformat(timespec="seconds"),
                json.dumps(ids),
            ),
        )
    conn.close()
    return ids


def repend(db: Path, ids: list[int]) -> None:
    """Put the busy batch back to pending, for the next phase to deliver again."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "UPDATE outbox SET status = 'pending', attempts = 0, claimed_at = NULL, "
            "sent_at = NULL, last_error = NULL WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),),
        )
    conn.close()


def remaining(db: Path, ids: list[int]) -> int:
    """How many of the batch are still to deliver (pending or claimed)."""
    conn = sqlite3.connect(db)
    try:
        return int(
            conn.execute(
                "SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending') "
                "AND id IN (SELECT value FROM json_each(?))",
                (json.dumps(ids),),
            ).fetchone()[0]
        )
    finally:
        conn.close()


def measure_busy_phase(
    sample: Callable[[], tuple[float, float]], fake: FakeSlack, db: Path, ids: list[int], n: int
) -> dict:
    """Call *sample* up to *n* times while the batch *ids* is being delivered.

    Only samples taken while posts were still arriving (before 99 % of the batch was
    posted) count; the delivery is then waited out, and its duration reported.
    """
    start = fake.counts["chat.postMessage"]
    near_end = start + int(len(ids) * 0.99)
    deadline = time.monotonic() + WAIT
    while fake.counts["chat.postMessage"] <= start + 10:  # the worker is delivering
        if time.monotonic() > deadline:
            raise RuntimeError("the worker did not start delivering")
        time.sleep(0.05)
    began = time.perf_counter()
    first, second = [], []
    for _ in range(n):
        if fake.counts["chat.postMessage"] >= near_end:
            break
        a, b = sample()
        if fake.counts["chat.postMessage"] >= near_end:
            break  # the delivery (nearly) finished during this sample: not a busy one
        first.append(a)
        second.append(b)
    during = fake.counts["chat.postMessage"] - start
    sampled_s = time.perf_counter() - began
    deadline = time.monotonic() + BUSY_WAIT
    while remaining(db, ids):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the batch was not delivered within {BUSY_WAIT} s")
        time.sleep(1.0)
    return {
        "first": first,
        "second": second,
        "posted_while_sampling": during,
        "sampling_s": sampled_s,
        "deliver_s": time.perf_counter() - began,
    }


def measure_busy(
    settings: BotSettings, env: dict[str, str], fake: FakeSlack, n: int, work: Path
) -> dict:
    """The status ack and answer while serve's worker delivers BUSY reminders, and the floor.

    The floor phase runs the no-op command on the same App and server (benchmarks/floor_app.py)
    and the summary's hand-written SQL, while a ``ddbot worker`` process delivers the same
    batch again: the same machine load, without the bot's own work on the ack path.
    """
    db = Path(settings.core.db)
    ids = prepare_busy(settings)
    result: dict[str, Any] = {"batch": len(ids)}
    # the bot: `ddbot serve`, whose worker delivers the batch at start
    port = free_port()
    args = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with server(args, env, work / "busy-serve.log", port):
        client = Client(f"http://127.0.0.1:{port}", fake)
        phase = measure_busy_phase(lambda: client.status(""), fake, db, ids, n)
        client.close()
    result["status"] = {
        "ack": latency(phase["first"]),
        "answer": latency(phase["second"]),
        "deliver_s": phase["deliver_s"],
        "posted_while_sampling": phase["posted_while_sampling"],
    }
    # the floor: no-op acks and the summary SQL while a worker delivers the same batch
    repend(db, ids)
    floor_port = free_port()
    floor_args = [
        sys.executable,
        str(ROOT / "benchmarks" / "floor_app.py"),
        "--port",
        str(floor_port),
    ]
    with server(floor_args, env, work / "busy-floor.log", floor_port):
        client = Client(f"http://127.0.0.1:{floor_port}", fake)
        for _ in range(20):
            client.command("/dd-noop", "", SECRETARIAT)
        conn = sqlite3.connect(db)
        statements, params = summary_statements(None, dt.date.today())

        def noop_and_sql() -> tuple[float, float]:
            ack_ms = client.command("/dd-noop", "", SECRETARIAT)[0]
            started = time.perf_counter()
            for sql in statements:
                conn.execute(sql, params).fetchall()
            return ack_ms, (time.perf_counter() - started) * 1000

        with open(work / "busy-worker.log", "wb") as out:
            worker = subprocess.Popen(
                [sys.executable, "-m", "bot", "worker"],
                env=env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            try:
                phase = measure_busy_phase(noop_and_sql, fake, db, ids, n)
            finally:
                worker.terminate()
                worker.wait(WAIT)
        conn.close()
        client.close()
    acks, sqls = phase["first"], phase["second"]
    result["floor"] = {
        "ack": latency(acks),
        "sql": latency(sqls),
        "answer": latency([a + b for a, b in zip(acks, sqls, strict=True)]),
        "deliver_s": phase["deliver_s"],
        "posted_while_sampling": phase["posted_while_sampling"],
    }
    status, floor = result["status"], result["floor"]
    result["ratios"] = {
        "ack_p50": status["ack"]["p50"] / floor["ack"]["p50"],
        "ack_p99": status["ack"]["p99"] / floor["ack"]["p99"],
        "answer_p50": status["answer"]["p50"] / floor["answer"]["p50"],
        "answer_p99": status["answer"]["p99"] / floor["answer"]["p99"],
        "deliver": status["deliver_s"] / floor["deliver_s"],
    }
    return result


# -- the upload ----------------------------------------------------------------------------


def measure_upload(settings: BotSettings, env: dict[str, str], fake: FakeSlack, work: Path) -> dict:
    store = Store.open(settings.core.db)
    # a streamed kind: a roster must be a table and is read whole to be checked
    overdue = store.conditions(ConditionFilter(statuses=(), limit=50, overdue_on=TODAY))
    condition = next(c for c in overdue if c.kind != "roster")
    owner = store.department(condition.department).owners[0]
    recent = store.recent_evidence_hashes()
    store.close()
    fake.add_file("FBIG0001", UPLOAD_MB * 1024 * 1024)
    evidence = work / "upload-evidence"
    # a scratch evidence volume, seeded with the newest stored files so the probe's
    # start-up check (evidence readable under DD_EVIDENCE_DIR) passes
    for sha256 in recent:
        source = Path(settings.core.evidence_dir) / sha256[:2] / sha256
        (evidence / sha256[:2]).mkdir(parents=True, exist_ok=True, mode=0o700)
        os.link(source, evidence / sha256[:2] / sha256)
    child_env = {**env, "DD_EVIDENCE_DIR": str(evidence)}
    args = [
        sys.executable,
        str(ROOT / "benchmarks" / "upload_probe.py"),
        "--file-id",
        "FBIG0001",
        "--actor",
        owner,
        "--condition",
        condition.id,
    ]
    done = subprocess.run(
        args, env=child_env, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"upload probe failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    shutil.rmtree(evidence, ignore_errors=True)
    return result


# -- one size ------------------------------------------------------------------------------------


def run_size(
    size: int, args: argparse.Namespace, cache: Path, fake: FakeSlack, backend: str, pg: Any
) -> dict:
    say = lambda text: print(f"[{size:>7,} {backend}] {text}", flush=True)  # noqa: E731
    say("preparing the city…")
    info = prepare(size, args.seed, cache)
    say(
        f"import {info['import_s']:.1f} s, history {info['history_s']:.1f} s, "
        f"db {info['db_mb']:.1f} MB{' (reused)' if info['reused'] else ''}"
    )
    work = Path(tempfile.mkdtemp(prefix=f"dd-bench-{size}-", dir=cache))
    pg_name = f"dd_bench_{size}"
    copy_s = None
    try:
        if backend == "postgresql":
            from pg import copy_city

            db: Any = pg.fresh(pg_name)
            say("db copy of the city into PostgreSQL…")
            copy_s = copy_city(info["db"], db)
            say(f"copied in {copy_s:.1f} s")
        else:
            db = work / "run.db"
            shutil.copyfile(info["db"], db)
        settings = bot_settings(db, Path(info["evidence"]), fake)
        env = bot_env(db, Path(info["evidence"]), fake)
        store = Store.open(db)
        department = store.departments()[0].name
        store.close()

        busy: dict[str, Any] | None = None
        if args.scenario == "busy" and backend != "sqlite":
            say("busy: measured on SQLite only (it resets the outbox with sqlite3)")
            return {"size": size, "backend": backend}
        if args.scenario == "busy":
            say(f"busy: status queries while a worker delivers {BUSY:,} reminders…")
            busy = measure_busy(settings, env, fake, args.requests, work)
            return {"size": size, "import_s": info["import_s"], "db_mb": info["db_mb"]} | (
                busy_figures(busy)
            )
        say("status answer vs hand-written SQL…")
        answer = measure_answer(settings, department, max(50, args.requests // 4))
        say("tick: planning and delivering 1,000…")
        ticked = measure_tick(settings, fake)
        say(f"planned {ticked['planned']} in {ticked['tick_plan_s']:.2f} s")
        say("digest and report pack…")
        digest = measure_digest(settings)
        report = measure_report(settings, work / "pack")
        say("clearing today's outbox, so that `serve` starts idle…")
        cleared = clear_outbox(settings)
        say(f"`ddbot serve` under {2 * args.requests} status requests…")
        served = measure_serve(env, fake, department, args.requests, work / "serve.log")
        say("the floor: no-op commands on the same App and server…")
        floor = measure_floor(env, fake, args.requests, work / "floor.log")
        say(f"ingesting a {UPLOAD_MB} MB upload…")
        upload = measure_upload(settings, env, fake, work)
        if backend == "sqlite":
            say(f"busy: status queries while a worker delivers {BUSY:,} reminders…")
            busy = measure_busy(settings, env, fake, args.requests, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
            if backend == "postgresql":
                pg.drop(pg_name)

    noop = floor["dd-noop"]
    status_p99 = max(served["secretariat"]["ack"]["p99"], served["department"]["ack"]["p99"])
    return {
        "size": size,
        "backend": backend,
        "copy_s": copy_s,
        "import_s": info["import_s"],
        "history_s": info["history_s"],
        "db_mb": info["db_mb"],
        "statuses": info["statuses"],
        "status_p50_ms": served["secretariat"]["ack"]["p50"],
        "status_p99_ms": served["secretariat"]["ack"]["p99"],
        "status_department_p50_ms": served["department"]["ack"]["p50"],
        "status_department_p99_ms": served["department"]["ack"]["p99"],
        "status_floor_p50_ms": noop["p50"],
        "status_floor_p99_ms": noop["p99"],
        "status_floor_ratio": status_p99 / noop["p99"],
        "noop_pool_p50_ms": floor["dd-noop-pool"]["p50"],
        "noop_pool_p99_ms": floor["dd-noop-pool"]["p99"],
        "answer_p50_ms": served["secretariat"]["answer"]["p50"],
        "answer_p99_ms": served["secretariat"]["answer"]["p99"],
        "answer_department_p50_ms": served["department"]["answer"]["p50"],
        "answer_department_p99_ms": served["department"]["answer"]["p99"],
        "compute_p50_ms": answer["secretariat"]["ours"]["p50"],
        "compute_department_p50_ms": answer["department"]["ours"]["p50"],
        "sql_floor_p50_ms": answer["secretariat"]["sql"]["p50"],
        "sql_floor_department_p50_ms": answer["department"]["sql"]["p50"],
        "answer_floor_ratio": answer["secretariat"]["ratio_p50"],
        "answer_department_floor_ratio": answer["department"]["ratio_p50"],
        "tick_plan_s": ticked["tick_plan_s"],
        "tick_planned": ticked["planned"],
        "tick_holidays_s": ticked["holidays_s"],
        "tick_next_day_plan_s": ticked["next_day_plan_s"],
        "tick_next_day_planned": ticked["next_day_planned"],
        "deliver_1000_s": ticked["deliver_1000_s"],
        "delivered": ticked["delivered"],
        "digest_s": digest["digest_s"],
        "report_s": report["report_s"],
        "report_conditions": report["report_conditions"],
        "report_mb": report["report_mb"],
        "serve_rss_mb": served["rss_mb"],
        "upload_rss_growth_mb": upload["growth_mb"],
        "upload_s": upload["seconds"],
        "upload_stored_mb": upload["stored_bytes"] / 1024 / 1024,
        "requests": args.requests,
        "department": department,
        "cleared_before_serve": cleared,
        "details": {"serve": served, "floor": floor, "answer": answer, "upload": upload},
    } | busy_figures(busy)


def busy_figures(busy: dict[str, Any] | None) -> dict[str, Any]:
    """The busy scenario's figures, each beside its floor and their ratio."""
    if busy is None:
        return {}
    status, floor, ratios = busy["status"], busy["floor"], busy["ratios"]
    return {
        "busy_batch": busy["batch"],
        "busy_samples": status["ack"]["n"],
        "busy_floor_samples": floor["ack"]["n"],
        "busy_ack_p50_ms": status["ack"]["p50"],
        "busy_ack_p99_ms": status["ack"]["p99"],
        "busy_floor_ack_p50_ms": floor["ack"]["p50"],
        "busy_floor_ack_p99_ms": floor["ack"]["p99"],
        "busy_ack_p50_ratio": ratios["ack_p50"],
        "busy_ack_p99_ratio": ratios["ack_p99"],
        "busy_answer_p50_ms": status["answer"]["p50"],
        "busy_answer_p99_ms": status["answer"]["p99"],
        "busy_floor_answer_p50_ms": floor["answer"]["p50"],
        "busy_floor_answer_p99_ms": floor["answer"]["p99"],
        "busy_answer_p50_ratio": ratios["answer_p50"],
        "busy_answer_p99_ratio": ratios["answer_p99"],
        "busy_deliver_s": status["deliver_s"],
        "busy_floor_deliver_s": floor["deliver_s"],
        "busy_deliver_ratio": ratios["deliver"],
        "busy_details": busy,
    }


def _column(result: dict) -> str:
    backend = result.get("backend", "sqlite")
    return f"{result['size']:,} {'SQLite' if backend == 'sqlite' else 'PostgreSQL'}"


# -- output -----------------------------------------------------------------------------------

ROWS: list[tuple[str, str, str]] = [
    ("import (s)", "import_s", "{:.1f}"),
    ("db copy from SQLite (s)", "copy_s", "{:.1f}"),
    ("database (MB)", "db_mb", "{:.0f}"),
    ("status ack p50 / p99, secretariat (ms)", "status_p50_ms|status_p99_ms", "{:.1f} / {:.1f}"),
    (
        "status ack p50 / p99, one department (ms)",
        "status_department_p50_ms|status_department_p99_ms",
        "{:.1f} / {:.1f}",
    ),
    (
        "floor: no-op ack p50 / p99 (ms)",
        "status_floor_p50_ms|status_floor_p99_ms",
        "{:.1f} / {:.1f}",
    ),
    ("status ack p99 / floor p99", "status_floor_ratio", "{:.2f}×"),
    ("bolt default (ack on the pool) p50 (ms)", "noop_pool_p50_ms", "{:.1f}"),
    ("answer at response_url p50 / p99 (ms)", "answer_p50_ms|answer_p99_ms", "{:.0f} / {:.0f}"),
    (
        "answer computed p50, ours / hand SQL (ms)",
        "compute_p50_ms|sql_floor_p50_ms",
        "{:.1f} / {:.1f}",
    ),
    (
        "  one department, ours / hand SQL (ms)",
        "compute_department_p50_ms|sql_floor_department_p50_ms",
        "{:.1f} / {:.1f}",
    ),
    ("tick: plan the day (s)", "tick_plan_s", "{:.2f}"),
    ("  reminders planned", "tick_planned", "{:,}"),
    ("tick: plan the next day (s)", "tick_next_day_plan_s", "{:.2f}"),
    ("  reminders planned", "tick_next_day_planned", "{:,}"),
    ("tick: deliver 1,000 (s)", "deliver_1000_s", "{:.2f}"),
    ("weekly digest (s)", "digest_s", "{:.3f}"),
    ("report pack, docx + xlsx + md (s)", "report_s", "{:.1f}"),
    ("  conditions in the pack", "report_conditions", "{:,}"),
    ("`ddbot serve` peak RSS (MB)", "serve_rss_mb", "{:.0f}"),
    (f"{UPLOAD_MB} MB upload: peak RSS growth (MB)", "upload_rss_growth_mb", "{:.1f}"),
    (
        f"busy ({BUSY:,} delivered): status ack p50 / p99 (ms)",
        "busy_ack_p50_ms|busy_ack_p99_ms",
        "{:.1f} / {:.1f}",
    ),
    (
        "  floor: no-op ack p50 / p99 (ms)",
        "busy_floor_ack_p50_ms|busy_floor_ack_p99_ms",
        "{:.1f} / {:.1f}",
    ),
    ("  ack / floor, p50 / p99", "busy_ack_p50_ratio|busy_ack_p99_ratio", "{:.2f}× / {:.2f}×"),
    (
        "  answer at response_url p50 / p99 (ms)",
        "busy_answer_p50_ms|busy_answer_p99_ms",
        "{:.0f} / {:.0f}",
    ),
    (
        "  floor: no-op ack + summary SQL p50 / p99 (ms)",
        "busy_floor_answer_p50_ms|busy_floor_answer_p99_ms",
        "{:.1f} / {:.1f}",
    ),
    (
        "  answer / floor, p50 / p99",
        "busy_answer_p50_ratio|busy_answer_p99_ratio",
        "{:.1f}× / {:.1f}×",
    ),
    (
        "  delivering the batch, serve's worker / a lone worker (s)",
        "busy_deliver_s|busy_floor_deliver_s",
        "{:.0f} / {:.0f}",
    ),
    (
        "  status samples while delivering, bot / floor",
        "busy_samples|busy_floor_samples",
        "{} / {}",
    ),
]


def table(results: list[dict]) -> str:
    head = "| conditions | " + " | ".join(_column(r) for r in results) + " |"
    lines = [head, "|---|" + "---:|" * len(results)]
    for label, keys, fmt in ROWS:
        cells = []
        for r in results:
            values = [r.get(k) for k in keys.split("|")]
            cells.append("—" if any(v is None for v in values) else fmt.format(*values))
        if all(cell == "—" for cell in cells):
            continue  # not measured in this run (--scenario)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, action="append", help="conditions (repeatable)")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--requests", type=int, default=200, help="status requests per series")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "dd-bench",
        help="generated cities are kept here and reused (default: %(default)s)",
    )
    parser.add_argument("--keep", action="store_true", help="keep each run's copy and logs")
    parser.add_argument(
        "--scenario",
        choices=("all", "busy"),
        default="all",
        help="every measurement, or only the busy scenario (default: %(default)s)",
    )
    parser.add_argument(
        "--backend",
        choices=["sqlite", "postgresql"],
        action="append",
        help="engine to measure on (repeatable; default sqlite)",
    )
    parser.add_argument(
        "--pg-url", default=None, help="PostgreSQL server for --backend postgresql (else pgserver)"
    )
    args = parser.parse_args()
    if args.requests < 1:
        parser.error("--requests must be at least 1")
    args.cache.mkdir(parents=True, exist_ok=True)
    sizes = args.size or list(SIZES)
    backends = args.backend or ["sqlite"]
    pg = None
    if "postgresql" in backends:
        from pg import BenchServer

        pg = BenchServer(args.pg_url)
    fake = FakeSlack()
    results = []
    started = time.perf_counter()
    try:
        for size in sizes:
            for backend in backends:
                results.append(run_size(size, args, args.cache, fake, backend, pg))
        host = machine()
        if pg is not None:
            host["postgresql"] = pg.version()
    finally:
        fake.close()
        if pg is not None:
            pg.close()
    report = {
        "machine": host,
        "command": "benchmarks/run.py " + " ".join(sys.argv[1:]),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seconds": time.perf_counter() - started,
        "results": results,
    }
    print()
    print(table(results))
    m = report["machine"]
    print(f"\n{m['nproc']} × {m['cpu']}, {m['ram_gb']} GB RAM, Python {m['python']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
