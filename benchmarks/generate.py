"""A synthetic but realistic city (or prefecture, or hosted service), deterministic from a seed.

    python benchmarks/generate.py --size 10000 --out /tmp/city      # YAML import files
    python benchmarks/generate.py --size 10000 --db /tmp/city.db    # …imported, with history

The shape follows the seed meeting: each council meeting decides a handful of
consultations, each with one contractor (sometimes a subcontractor) holding
ISMS / Privacy Mark certifications, and three to twelve conditions of every
kind. Due dates spread over three fiscal years; the populated database then
walks conditions through the lifecycle in realistic proportions (most old
items reported, recent ones open, some returned, a few waived) with small
evidence files, so the status query, planner, digest and report see real
variety.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKYO = ZoneInfo("Asia/Tokyo")
START = dt.date(2023, 4, 1)  # three fiscal years: FY2023–FY2025
SECRETARIAT = "U0SECRET001"

DEPARTMENT_NAMES = [
    "市民課",
    "収納課",
    "課税課",
    "保険年金課",
    "子育て支援課",
    "高齢介護課",
    "障害支援課",
    "健康増進課",
    "生活福祉課",
    "情報政策課",
    "総務課",
    "職員課",
    "契約課",
    "環境保全課",
    "ごみ減量推進課",
    "道路管理課",
    "都市計画課",
    "教育総務課",
    "学務課",
    "図書館",
    "公民館",
    "選挙管理委員会事務局",
    "消防総務課",
    "議会事務局",
]
WORK = [
    "窓口予約システム運用保守",
    "コールセンター運営",
    "クレジットカード収納代行",
    "健診データ入力",
    "給付金申請受付",
    "住民情報システム改修",
    "文書保管・廃棄",
    "印刷・封入封緘",
    "学校ICT端末保守",
    "図書館システム運用",
    "介護認定調査",
    "保育所入所選考支援",
    "ごみ収集運搬",
    "職員研修管理",
    "電子申請基盤運用",
]
COMPANY = ["サンプル", "テスト", "モデル", "見本", "例示", "架空", "模擬", "試行"]
SUFFIX = [
    "情報サービス",
    "システムズ",
    "ソリューションズ",
    "データセンター",
    "ビジネスサポート",
    "人材サービス",
]

#: kind -> (weight, text, report_back, recurrence)
KINDS: dict[str, tuple[int, str, bool, str]] = {
    "roster": (
        14,
        "個人情報取扱責任者・連絡調整責任者・従事者全員の名簿を提出させる(変更時を含む)",
        True,
        "on_change",
    ),
    "pledge": (12, "従事者全員から退職後を含む秘密保持の誓約書を徴取する", True, "none"),
    "disposal_certificate": (
        12,
        "契約終了時及び年度末にデータ消去・廃棄証明書を提出させる",
        False,
        "fiscal_year_end",
    ),
    "certificate_renewal": (
        10,
        "ISMS・プライバシーマークの最新の更新日と有効期限を確認する",
        True,
        "yearly",
    ),
    "spec_amendment": (14, "紙媒体の管理・廃棄、事故報告の期限を仕様書に明記する", True, "none"),
    "contract_review": (8, "免責条項の解釈を法務課・契約課に相談し文言を明確にする", True, "none"),
    "confirmation": (16, "保守時のハードディスク管理と処分方法を書面で確認する", True, "none"),
    "report_back": (10, "確認結果を後日書面で審議会に報告する", True, "none"),
    "other": (4, "運用開始後の苦情・事故の有無を確認する", False, "none"),
}


@dataclass(frozen=True)
class City:
    size: int
    seed: int

    @property
    def departments(self) -> list[str]:
        count = 8 if self.size <= 1_000 else 24
        names = DEPARTMENT_NAMES[:count]
        # a prefecture-wide or hosted service serves many municipalities
        towns = max(1, self.size // 20_000)
        return [
            f"{name}" if towns == 1 else f"{name}({t + 1:02d})"
            for t in range(towns)
            for name in names
        ]


def _user(prefix: str, n: int) -> str:
    return f"U{prefix}{n:07d}"


def meetings(city: City) -> Iterator[dict]:
    """The import documents, one per council meeting, until *size* conditions are written."""
    rng = random.Random(city.seed)
    departments = city.departments
    n_meetings = max(6, min(400, city.size // 120))
    per_meeting = city.size / n_meetings
    written = 0
    kinds = list(KINDS)
    weights = [KINDS[k][0] for k in kinds]
    span = (dt.date(START.year + 3, 3, 31) - START).days
    for m in range(n_meetings):
        date = START + dt.timedelta(days=int(span * m / n_meetings) + rng.randrange(0, 10))
        next_date = START + dt.timedelta(days=int(span * (m + 1) / n_meetings) + 14)
        target = round(per_meeting * (m + 1)) if m < n_meetings - 1 else city.size
        consultations = []
        c = 0
        while written < target:
            c += 1
            dept = rng.choice(departments)
            vendor = f"株式会社{rng.choice(COMPANY)}{rng.choice(SUFFIX)}{rng.randrange(1, 400):03d}"
            vendors = [
                {
                    "name": vendor,
                    "role": "contractor",
                    "certifications": _certifications(rng, date),
                }
            ]
            if rng.random() < 0.3:
                vendors.append(
                    {
                        "name": vendor.replace("株式会社", "") + "システム株式会社",
                        "role": "subcontractor",
                    }
                )
            conditions = []
            for k in range(min(rng.randrange(3, 13), target - written)):
                kind = rng.choices(kinds, weights)[0]
                _, text, report_back, recurrence = KINDS[kind]
                due = date + dt.timedelta(days=rng.randrange(14, 200))
                condition = {
                    "id": f"M{m:03d}-C{c:03d}-{k + 1:02d}",
                    "kind": kind,
                    "text": text,
                    "vendor": rng.choice(vendors)["name"],
                    "due": "next_meeting" if kind == "report_back" and rng.random() < 0.6 else due,
                    "report_back": report_back,
                    "recurrence": recurrence,
                }
                conditions.append(condition)
                written += 1
            consultations.append(
                {
                    "id": f"M{m:03d}-C{c:03d}",
                    "number": f"第{c}号",
                    "title": f"{rng.choice(WORK)}業務委託",
                    "department": dept,
                    "decision": "approved_with_conditions",
                    "vendors": vendors,
                    "conditions": conditions,
                }
            )
        yield {
            "council": "サンプル市個人情報保護審議会",
            "meeting": {"id": f"M{m:03d}", "name": f"第{m + 1}回", "date": date},
            "next_meeting": {"id": f"M{m + 1:03d}", "name": f"第{m + 2}回", "date": next_date},
            "secretariat": [SECRETARIAT],
            "departments": [
                {
                    "name": d,
                    "owners": [_user("D", i * 10 + 1), _user("D", i * 10 + 2)],
                    "head": _user("H", i),
                }
                for i, d in enumerate(departments)
            ],
            "consultations": consultations,
        }


def _certifications(rng: random.Random, on: dt.date) -> list[dict]:
    first = on - dt.timedelta(days=rng.randrange(400, 6000))
    renewed = on - dt.timedelta(days=rng.randrange(0, 700))
    certs = [
        {
            "scheme": "ISMS",
            "number": f"IS {rng.randrange(100000, 999999)}",
            "first_registered": first,
            "last_renewed": renewed,
            "expires": renewed + dt.timedelta(days=3 * 365),
        }
    ]
    if rng.random() < 0.5:
        certs.append(
            {
                "scheme": "PrivacyMark",
                "number": f"{rng.randrange(10000000, 99999999)}(0{rng.randrange(1, 9)})",
                "first_registered": first,
                "last_renewed": renewed,
                "expires": renewed + dt.timedelta(days=2 * 365),
            }
        )
    return certs


def write_files(city: City, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc in meetings(city):
        path = out / f"{doc['meeting']['id']}.yaml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


def populate(city: City, db: Path, evidence_dir: Path, *, today: dt.date) -> dict[str, float]:
    """Import the city into *db* and walk its conditions through the lifecycle up to *today*."""
    from duediligence.evidence import BlobStore
    from duediligence.importer import apply, parse
    from duediligence.model import Status
    from duediligence.store import Store
    from duediligence.tracker import Tracker

    rng = random.Random(city.seed + 1)
    store = Store.open(db)
    tracker = Tracker(store, BlobStore(evidence_dir), secretariat=[SECRETARIAT])
    timings = {"import_s": 0.0, "history_s": 0.0}
    files = write_files(city, db.parent / f"{db.stem}-imports")
    for path in files:
        started = time.perf_counter()
        parsed = parse(path.read_bytes(), filename=path.name, today=today)
        at = dt.datetime.combine(parsed.meeting.date, dt.time(19), TOKYO)
        apply(store, parsed, actor=SECRETARIAT, now=at)
        timings["import_s"] += time.perf_counter() - started
    started = time.perf_counter()
    owners = {d.name: d.owners[0] for d in store.departments()}
    with store.transaction():  # one transaction for speed; each step still writes its own event
        for condition in store.conditions():
            if condition.due is None or condition.due > today + dt.timedelta(days=30):
                continue
            age = (today - condition.due).days
            roll = rng.random()
            at = dt.datetime.combine(min(condition.due, today), dt.time(10), TOKYO)
            if roll < 0.05:
                tracker.waive(condition.id, actor=SECRETARIAT, reason="対象業務の廃止", now=at)
                continue
            if age < 0 and roll < 0.6 or roll < 0.12:
                continue  # still open (some overdue)
            body = f"{condition.id} evidence {rng.random()}".encode()
            tracker.store_evidence(
                condition.id,
                [body],
                filename=f"{condition.kind}.pdf",
                actor=owners[condition.department],
                now=at,
            )
            if roll < 0.2:
                continue  # waiting for review
            if roll < 0.25:
                tracker.return_(condition.id, actor=SECRETARIAT, reason="記載不足", now=at)
                continue
            # Synthetic pledges come without a roster; the secretariat overrides the coverage check.
            override = "紙の誓約書で確認済" if condition.kind == "pledge" else ""
            tracker.accept(condition.id, actor=SECRETARIAT, now=at, override_reason=override)
            if condition.report_back and age > 120:
                meeting = store.next_meeting(condition.due)
                if meeting is not None and meeting.date <= today:
                    tracker.mark_reported(
                        condition.id, actor=SECRETARIAT, meeting=meeting.id, now=at
                    )
    timings["history_s"] = time.perf_counter() - started
    statuses = {str(s): store.count_conditions(_filter(s)) for s in Status}
    store.close()
    return timings | {"statuses": statuses}  # type: ignore[return-value]


def _filter(status):  # noqa: ANN001, ANN202 - tiny helper for the summary line
    from duediligence.store import ConditionFilter

    return ConditionFilter(statuses=(status,))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=1000, help="number of conditions")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="write the YAML import files here")
    parser.add_argument("--db", type=Path, help="import into this SQLite file and add history")
    parser.add_argument("--today", default="2025-11-17", help="the day the history runs up to")
    args = parser.parse_args()
    city = City(args.size, args.seed)
    if args.out:
        print(f"wrote {len(write_files(city, args.out))} files to {args.out}")
    if args.db:
        result = populate(
            city,
            args.db,
            args.db.parent / f"{args.db.stem}-evidence",
            today=dt.date.fromisoformat(args.today),
        )
        print(result)


if __name__ == "__main__":
    main()
