"""One roster, every surface: the case shared by tests/test_submission.py and tests/slack/.

収納課 has submitted roster v1 (three people) and the secretariat accepted the
pledge item with everyone covered. Then a second version arrives with a
newcomer whose employment type (雇用形態) is blank. Whichever surface carries
it (the library, ``evidence add``, ``roster submit``, the console, Slack), the
outcome must be the same: one finding for row 5, version 2 stored, and the
pledge item brought round again (``R2-15-09#2``) because the newcomer has no pledge.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from duediligence.checks import pledges
from duediligence.evidence import BlobStore
from duediligence.store import Store
from duediligence.submission import submit_evidence
from duediligence.tracker import Tracker

TOKYO = ZoneInfo("Asia/Tokyo")
SECRETARIAT = "U01JIMU0001"
SHUNO_OWNER = "U02SHUNO001"
ROSTER_ITEM = "R2-15-08"
PLEDGE_ITEM = "R2-15-09"
HEADER = ["氏名", "所属", "役割", "雇用形態", "従事開始日", "従事終了日"]
FIRST = [
    ["山田 太郎", "東京支社", "個人情報取扱責任者", "正社員", dt.date(2021, 4, 1), None],
    ["佐藤 花子", "東京支社", "連絡調整責任者", "正社員", dt.date(2021, 4, 1), None],
    ["鈴木 一郎", "コールセンター", "業務従事者", "派遣", dt.date(2021, 4, 1), None],
]
#: the newcomer on row 5 (row 1 is the header) has no employment type
SECOND = [*FIRST, ["高橋 次郎", "コールセンター", "業務従事者", None, dt.date(2021, 6, 1), None]]
FINDING_JA = "5行目: 「雇用形態」が空欄です。"
FINDING_EN = "Row 5: '雇用形態' is empty."

#: what every surface must leave behind after SECOND
EXPECTED: dict[str, Any] = {
    "roster_version": 2,
    "findings": [
        {"code": "checks.roster.missing_value", "row": 5, "field": "雇用形態", "value": ""}
    ],
    "roster_status": "submitted",
    "pledge_reopened": f"{PLEDGE_ITEM}#2",
    "pledge_coverage": {"covered": 3, "required": 4, "complete": False, "roster_version": 2},
}


def roster_xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pledge_list_xlsx(names: list[str]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["氏名", "退職後を含む"])
    for name in names:
        book.active.append([name, "はい"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def prepare(db: str | Path, evidence_dir: str | Path) -> None:
    """Roster v1 submitted and every pledge accepted, through the library, in February 2021."""
    store = Store.open(str(db))
    try:
        tracker = Tracker(store, BlobStore(evidence_dir), secretariat={SECRETARIAT})
        at = dt.datetime(2021, 2, 15, 10, 0, tzinfo=TOKYO)
        submit_evidence(
            tracker,
            ROSTER_ITEM,
            roster_xlsx(FIRST),
            filename="meibo-v1.xlsx",
            actor=SHUNO_OWNER,
            now=at,
        )
        names = [row[0] for row in FIRST]
        submit_evidence(
            tracker,
            PLEDGE_ITEM,
            pledge_list_xlsx(names),
            filename="seiyaku.xlsx",
            actor=SHUNO_OWNER,
            now=at,
        )
        tracker.accept(PLEDGE_ITEM, actor=SECRETARIAT, now=at + dt.timedelta(days=1))
    finally:
        store.close()


def outcome(db: str | Path) -> dict[str, Any]:
    """What the database says after SECOND came in, in the shape of EXPECTED."""
    store = Store.open(str(db))
    try:
        versions = store.rosters_of_condition(ROSTER_ITEM)
        reopened = [
            c.id for c in store.series(PLEDGE_ITEM) if c.id != PLEDGE_ITEM and c.status == "open"
        ]
        latest = store.condition(reopened[-1]) if reopened else store.condition(PLEDGE_ITEM)
        return {
            "roster_version": versions[-1].version,
            "findings": [dict(f) for f in versions[-1].findings],
            "roster_status": str(store.condition(ROSTER_ITEM).status),
            "pledge_reopened": reopened[-1] if reopened else None,
            "pledge_coverage": pledges.coverage(store, latest).as_json(),
        }
    finally:
        store.close()
