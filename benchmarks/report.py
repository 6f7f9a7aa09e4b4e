"""How long the report pack takes for a city with 10,000 conditions.

Generates meeting files in the import format, imports them into a temporary
database through the library, drives the conditions through the Tracker
(submitted, accepted, returned, extended, waived), then times ``build_pack``
for the next meeting, which describes every one of them. Not part of the test run.

    .venv/bin/python benchmarks/report.py [--conditions 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from duediligence.evidence import BlobStore
from duediligence.importer import import_file
from duediligence.report import build_pack
from duediligence.store import Store
from duediligence.tracker import Tracker

TOKYO = ZoneInfo("Asia/Tokyo")
SECRETARIAT = "U0SECRET001"
DEPARTMENTS = 20
CONDITIONS_PER_CONSULTATION = 10
CONSULTATIONS_PER_MEETING = 25
KINDS = (
    "roster",
    "pledge",
    "disposal_certificate",
    "certificate_renewal",
    "spec_amendment",
    "contract_review",
    "confirmation",
    "report_back",
    "other",
)


def meeting_date(number: int) -> dt.date:
    return dt.date(2015, 4, 20) + dt.timedelta(days=61 * number)


def meeting_file(number: int, first_condition: int, count: int) -> dict[str, object]:
    """One meeting's import file with *count* conditions spread over consultations."""
    departments = [
        {"name": f"第{d:02d}課", "owners": [f"U0DEPT{d:04d}"], "head": f"U0HEAD{d:04d}"}
        for d in range(DEPARTMENTS)
    ]
    consultations = []
    index = first_condition
    for c in range(0, count, CONDITIONS_PER_CONSULTATION):
        department = departments[(number + c) % DEPARTMENTS]["name"]
        vendor = f"株式会社ベンチ{number:03d}{c:03d}"
        conditions = []
        for k in range(min(CONDITIONS_PER_CONSULTATION, count - c)):
            conditions.append(
                {
                    "id": f"B{index:06d}",
                    "kind": KINDS[index % len(KINDS)],
                    "text": f"確認事項{index}: 従事者名簿と誓約書を提出させ、保存・廃棄の方法を書面で確認する",
                    "vendor": vendor,
                    "due": (meeting_date(number) + dt.timedelta(days=30 + k)).isoformat(),
                    "recurrence": "yearly" if index % 17 == 0 else "none",
                }
            )
            index += 1
        consultations.append(
            {
                "id": f"M{number:03d}-C{c // CONDITIONS_PER_CONSULTATION:03d}",
                "number": f"諮問第{number}-{c // CONDITIONS_PER_CONSULTATION}号",
                "title": f"ベンチマーク業務委託 {number}-{c}",
                "department": department,
                "decision": "approved_with_conditions",
                "vendors": [
                    {
                        "name": vendor,
                        "role": "contractor",
                        "certifications": [
                            {"scheme": "ISMS", "number": f"IS {number}{c}", "expires": "2030-03-31"}
                        ],
                    }
                ],
                "conditions": conditions,
            }
        )
    return {
        "council": "ベンチマーク市個人情報保護審議会",
        "meeting": {
            "id": f"M{number:03d}",
            "name": f"第{number}回",
            "date": meeting_date(number).isoformat(),
        },
        "next_meeting": {
            "id": f"M{number + 1:03d}",
            "name": f"第{number + 1}回",
            "date": meeting_date(number + 1).isoformat(),
        },
        "secretariat": [SECRETARIAT],
        "departments": departments,
        "consultations": consultations,
    }


def populate(workdir: Path, total: int) -> tuple[Store, str, dt.datetime]:
    """Import *total* conditions and move most of them along; return the pack's meeting."""
    store = Store.open(workdir / "bench.db")
    tracker = Tracker(store, BlobStore(workdir / "evidence"))
    per_meeting = CONSULTATIONS_PER_MEETING * CONDITIONS_PER_CONSULTATION
    meetings = -(-total // per_meeting)
    for number in range(meetings):
        count = min(per_meeting, total - number * per_meeting)
        path = workdir / f"meeting-{number:03d}.yaml"
        path.write_text(
            yaml.safe_dump(meeting_file(number, number * per_meeting, count), allow_unicode=True),
            encoding="utf-8",
        )
        moment = dt.datetime.combine(meeting_date(number), dt.time(20), TOKYO)
        import_file(store, path, actor=SECRETARIAT, now=moment)
    now = dt.datetime.combine(meeting_date(meetings) - dt.timedelta(days=7), dt.time(9), TOKYO)
    with store.transaction():
        for condition in store.conditions():
            n = int(condition.id[1:])
            owner = store.department(condition.department).owners[0]
            share = n % 20
            if share < 14:  # 70 %: evidence received
                tracker.store_evidence(
                    condition.id,
                    io.BytesIO(f"roster {n}".encode()),
                    filename=f"名簿_{condition.id}.xlsx",
                    actor=owner,
                    now=now,
                )
                if share < 10:
                    tracker.accept(condition.id, actor=SECRETARIAT, now=now, note="内容を確認")
                elif share < 12:
                    tracker.return_(condition.id, actor=SECRETARIAT, reason="記載漏れ", now=now)
            elif share == 14:
                tracker.waive(condition.id, actor=SECRETARIAT, reason="契約終了のため", now=now)
            elif share == 15:
                tracker.extend(
                    condition.id,
                    actor=SECRETARIAT,
                    new_due=now.date() + dt.timedelta(days=90),
                    reason="受託者と協議中",
                    now=now,
                )
    return store, f"M{meetings:03d}", now


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conditions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dd-bench-report-") as tmp:
        workdir = Path(tmp)
        started = time.perf_counter()
        store, meeting, now = populate(workdir, args.conditions)
        print(f"populated {args.conditions} conditions in {time.perf_counter() - started:.1f} s")
        timings = []
        for run in range(args.repeat):
            started = time.perf_counter()
            pack = build_pack(store, meeting, workdir / f"out{run}", now=now)
            timings.append(time.perf_counter() - started)
        sizes = ", ".join(f"{p.suffix[1:]} {p.stat().st_size / 1e6:.1f} MB" for p in pack.paths)
        print(
            f"build_pack for {meeting}: {len(pack.condition_ids)} conditions; "
            f"best {min(timings):.2f} s, runs {', '.join(f'{t:.2f}' for t in timings)} s ({sizes})"
        )
        store.close()


if __name__ == "__main__":
    main()
