"""What the database layer costs the status query: psycopg + our dialect layer vs SQLAlchemy Core.

    .venv/bin/python benchmarks/layers.py                    # 100,000 conditions (cached city)
    .venv/bin/python benchmarks/layers.py --size 10000 --runs 100

The secretariat's status answer needs four statements (counts by department and
status, the overdue count, the first overdue items, the items due soon:
``run.SUMMARY_SQL``). Each is run, on the same PostgreSQL database holding the
benchmark city, through:

* ``psycopg``: one connection, the statements as written — the floor;
* ``ours``: ``Store._execute`` — placeholder translation, a pooled connection per statement;
* ``sqlalchemy text``: SQLAlchemy Core 2.x ``text()`` on its own pool, a connection per statement;
* ``sqlalchemy core``: the same queries built as ``select()`` expressions (compiled-SQL cache on).

SQLAlchemy is not a dependency of the project; install it to run this
(``.venv/bin/pip install 'sqlalchemy>=2'``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pg import BenchServer, copy_city  # noqa: E402
from run import SUMMARY_SQL, TODAY, percentile, prepare  # noqa: E402


def series(fn: Callable[[], Any], runs: int) -> dict[str, float]:
    for _ in range(5):
        fn()  # warm: prepared statements, pools, caches
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return {"p50": percentile(samples, 50), "p99": percentile(samples, 99)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--pg-url", default=None)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/dd-bench"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    import psycopg
    import sqlalchemy as sa

    from duediligence.store import Store
    from duediligence.store.dialect import POSTGRESQL

    args.cache.mkdir(parents=True, exist_ok=True)
    info = prepare(args.size, 1, args.cache)
    server = BenchServer(args.pg_url)
    name = f"dd_layers_{args.size}"
    try:
        url = server.fresh(name)
        copy_city(info["db"], url)
        params = {
            "today": TODAY.isoformat(),
            "soon": (TODAY + dt.timedelta(days=14)).isoformat(),
            "department": None,
        }
        statements = [s.format(where="", dept="", limit=10) for s in SUMMARY_SQL]

        raw = psycopg.connect(url, autocommit=True)
        translated = [POSTGRESQL.query(s) for s in statements]

        def floor() -> None:
            for sql in translated:
                raw.execute(sql, params).fetchall()

        store = Store.open(url)

        def ours() -> None:
            for sql in statements:
                store._execute(sql, params).fetchall()

        engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        texts = [sa.text(s) for s in statements]

        def sa_text() -> None:
            for clause in texts:
                with engine.connect() as conn:
                    conn.execute(clause, params).fetchall()

        c = sa.Table("conditions", sa.MetaData(), autoload_with=engine).c
        awaiting = c.status.in_(["open", "returned"])
        built = [
            sa.select(c.department, c.status, sa.func.count()).group_by(c.department, c.status),
            sa.select(sa.func.count())
            .select_from(c.id.table)
            .where(awaiting, c.due < TODAY.isoformat()),
            sa.select(c.id, c.kind, c.status, c.due, c.text)
            .where(awaiting, c.due < TODAY.isoformat())
            .order_by(c.due, c.id)
            .limit(10),
            sa.select(c.id, c.kind, c.status, c.due, c.text)
            .where(awaiting, c.due >= params["today"], c.due <= params["soon"])
            .order_by(c.due, c.id)
            .limit(10),
        ]

        def sa_core() -> None:
            for query in built:
                with engine.connect() as conn:
                    conn.execute(query).fetchall()

        results = {
            "psycopg (floor)": series(floor, args.runs),
            "ours (store._execute)": series(ours, args.runs),
            "sqlalchemy text()": series(sa_text, args.runs),
            "sqlalchemy core select()": series(sa_core, args.runs),
        }
        raw.close()
        store.close()
        engine.dispose()
    finally:
        server.drop(name)
        server.close()

    base = results["psycopg (floor)"]["p50"]
    print(f"status query, 4 statements, {args.size:,} conditions, {args.runs} runs (ms)")
    print("| layer | p50 | p99 | p50 over the floor |")
    print("|---|---:|---:|---:|")
    for label, r in results.items():
        print(f"| {label} | {r['p50']:.2f} | {r['p99']:.2f} | +{r['p50'] - base:.2f} |")
    print(f"sqlalchemy {sa.__version__}, psycopg {psycopg.__version__}")
    if args.json:
        args.json.write_text(json.dumps({"size": args.size, "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
