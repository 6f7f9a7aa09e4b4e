"""``audit verify`` on a large log: the target is 100,000 events checked in under 5 s.

    .venv/bin/python benchmarks/audit.py                    # 100,000 events, 200 files
    .venv/bin/python benchmarks/audit.py --events 10000 --json benchmarks/results/audit.json

Writes a fresh database through the library (every event chained by
``Store.append_event``, payloads shaped like the tracker's: submissions, reads,
reminders), stores evidence files of 64 KB, then times:

- the chain alone (``verify_chain``), the tail check ``ddbot serve`` runs at start-up,
  and chain + files (``verify``), in this process, best of three;
- the real ``duediligence audit verify`` command as a subprocess (start-up included);
- appending events one transaction each, to show what chaining costs a write.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from duediligence.audit.verify import STARTUP_TAIL, verify, verify_chain  # noqa: E402
from duediligence.evidence import BlobStore  # noqa: E402
from duediligence.store import Store  # noqa: E402

START = dt.datetime(2021, 2, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))


def build(db: Path, evidence: Path, events: int, files: int) -> None:
    store = Store.open(db)
    blobs = BlobStore(evidence, max_bytes=10 * 1024 * 1024)
    shas = [blobs.put([os.urandom(64 * 1024)]).sha256 for _ in range(files)]
    with store.transaction():
        # evidence rows need a condition: one consultation with one condition is enough here
        store._execute("INSERT INTO councils (name) VALUES ('審議会')")
        store._execute(
            "INSERT INTO meetings (id, council, date) VALUES ('M', '審議会', '2021-02-10')"
        )
        store._execute("INSERT INTO departments (name) VALUES ('収納課')")
        store._execute(
            "INSERT INTO consultations (id, title, department, decision, meeting) "
            "VALUES ('C', '委託', '収納課', 'approved', 'M')"
        )
        store._execute(
            "INSERT INTO conditions (id, consultation, kind, text, department, status, series, "
            "updated_at) VALUES ('C-1', 'C', 'roster', '名簿', '収納課', 'open', 'C-1', ?)",
            (START.isoformat(),),
        )
        for n, sha in enumerate(shas):
            store._execute(
                "INSERT INTO evidence (condition, sha256, filename, size, uploaded_by, uploaded_at) "
                "VALUES ('C-1', ?, ?, ?, 'U02SHUNO001', ?)",
                (sha, f"名簿-{n}.xlsx", 64 * 1024, START.isoformat()),
            )
    actions = ("submitted", "evidence_read", "reminder_sent", "accepted", "returned")
    batch = 10_000
    for first in range(0, events, batch):
        with store.transaction():
            for n in range(first, min(first + batch, events)):
                action = actions[n % len(actions)]
                store.append_event(
                    f"R{n // 27 % 9999:04d}-{n % 27:02d}",
                    action,
                    actor="U02SHUNO001" if n % 2 else "U01JIMU0001",
                    at=START + dt.timedelta(minutes=n),
                    reason="連絡調整責任者の記載がありません" if action == "returned" else "",
                    data={
                        "from": "open",
                        "to": "submitted",
                        "sha256": shas[n % len(shas)] if shas else "",
                        "filename": "名簿.xlsx",
                        "size": 65536,
                        "surface": "slack",
                    },
                )
    store.close()


def best_of(runs: int, work: Any) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - began)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--json", dest="json_out", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dd-audit-") as tmp:
        db, evidence = Path(tmp) / "dd.db", Path(tmp) / "evidence"
        began = time.perf_counter()
        build(db, evidence, args.events, args.files)
        built = time.perf_counter() - began

        store = Store.open(db)
        blobs = BlobStore(evidence)
        chain_s, chain = best_of(3, lambda: verify_chain(store))
        tail_s, tail = best_of(3, lambda: verify_chain(store, last=STARTUP_TAIL))
        full_s, full = best_of(3, lambda: verify(store, blobs))
        assert chain.ok and tail.ok and full.ok, full.problems
        began = time.perf_counter()
        appends = 1000
        for n in range(appends):
            store.append_event("X", "evidence_read", actor="U1", at=START, data={"n": n})
        append_ms = (time.perf_counter() - began) / appends * 1000
        store.close()

        env = dict(os.environ, DD_DB=str(db), DD_EVIDENCE_DIR=str(evidence))
        began = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "duediligence", "audit", "verify"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        cli_s = time.perf_counter() - began
        assert proc.returncode == 0, proc.stderr

    results = {
        "events": args.events,
        "files": args.files,
        "build_s": round(built, 2),
        "verify_chain_s": round(chain_s, 3),
        "verify_chain_and_files_s": round(full_s, 3),
        "startup_tail_check_ms": round(tail_s * 1000, 2),
        "cli_audit_verify_s": round(cli_s, 3),
        "append_event_ms": round(append_ms, 3),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cpus",
    }
    print(json.dumps(results, indent=2))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
