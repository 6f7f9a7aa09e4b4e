"""``db copy``: move a SQLite installation onto an empty PostgreSQL database, whole.

Every table is copied in one transaction on the target, parents before children
(foreign keys), then each table's row count and a sha256 digest of its rows (in
primary-key order, values as JSON) are compared on both sides; any difference
rolls the whole copy back. A target that already holds rows is refused, so a copy
never mixes with, or overwrites, a running installation.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import DueDiligenceError

_BATCH = 2000


@dataclass(frozen=True, slots=True)
class TableCopy:
    table: str
    source_rows: int
    target_rows: int
    source_digest: str
    target_digest: str

    @property
    def equal(self) -> bool:
        return (self.source_rows, self.source_digest) == (self.target_rows, self.target_digest)


class CopyError(DueDiligenceError):
    key = "error.copy"


def rows_to_copy(source: Any) -> int:
    """How many rows :func:`copy_database` will write: the length of its progress."""
    return sum(_count(source, table) for table in _parents_first(source))


def copy_database(
    source: Any, target: Any, *, progress: Callable[[int], None] | None = None
) -> list[TableCopy]:
    """Copy every table of *source* (a SQLite Store) into the empty PostgreSQL *target*.

    *progress* is called with the number of rows of each batch written; the total is
    :func:`rows_to_copy` (the CLI's progress bar).
    """
    if source.engine != "sqlite":
        raise CopyError("error.copy.source", path=source.path)
    if source.schema_version != target.schema_version:
        raise CopyError(
            "error.copy.version", source=source.schema_version, target=target.schema_version
        )
    if target.engine != "postgresql":
        raise CopyError("error.copy.target", target=target.path)
    tables = _parents_first(source)
    with target.transaction():
        for table in target.tables():
            if _count(target, table):
                raise CopyError("error.copy.not_empty", target=target.path, table=table)
        # Rows arrive as they were, derived tables (counts) included: the target's own
        # triggers must not count them a second time. ALTER TABLE is transactional here.
        for table in tables:
            target._execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
        for table in tables:
            columns = _columns(source, table)
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" * len(columns))
            insert = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
            for batch in _batches(source, table, columns):
                target._executemany(insert, batch)
                if progress is not None:
                    progress(len(batch))
            if target.engine == "postgresql" and "id" in columns:
                _continue_identity(target, table)
        for table in tables:
            target._execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
        report = [
            TableCopy(
                table,
                _count(source, table),
                _count(target, table),
                _digest(source, table),
                _digest(target, table),
            )
            for table in tables
        ]
        unequal = [r.table for r in report if not r.equal]
        if unequal:
            raise CopyError("error.copy.mismatch", tables=", ".join(unequal))
    target._execute("ANALYZE")  # the planner's statistics, before the first query needs them
    return report


def _continue_identity(target: Any, table: str) -> None:
    """New rows on PostgreSQL must not reuse a copied id: move the identity past them."""
    sequence = target._execute("SELECT pg_get_serial_sequence(?, 'id')", (table,)).fetchone()[0]
    if sequence:
        target._execute(
            f'SELECT setval(?, coalesce((SELECT max(id) FROM "{table}"), 0) + 1, false)',
            (sequence,),
        )


def _parents_first(store: Any) -> list[str]:
    tables = store.tables()
    parents = {
        t: {r[2] for r in store._execute(f'PRAGMA foreign_key_list("{t}")').fetchall()} - {t}
        for t in tables
    }
    ordered: list[str] = []
    while len(ordered) < len(tables):
        ready = [t for t in tables if t not in ordered and parents[t] <= set(ordered)]
        if not ready:  # a cycle would be a schema bug; copy the rest as it comes
            ready = [t for t in tables if t not in ordered]
        ordered += ready
    return ordered


def _columns(store: Any, table: str) -> list[str]:
    return [r[1] for r in store._execute(f'PRAGMA table_info("{table}")').fetchall()]


def _key(store: Any, table: str) -> str:
    """ORDER BY for a stable row order on both engines: the primary key (never NULL)."""
    info = store._execute(f'PRAGMA table_info("{table}")').fetchall()
    keys = [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5]]
    return ", ".join(f'"{k}"' for k in keys or [r[1] for r in info])


def _batches(store: Any, table: str, columns: list[str]) -> Iterator[list[tuple[Any, ...]]]:
    names = ", ".join(f'"{c}"' for c in columns)
    offset = 0
    while True:
        rows = store._execute(
            f'SELECT {names} FROM "{table}" ORDER BY {_key(store, table)} LIMIT ? OFFSET ?',
            (_BATCH, offset),
        ).fetchall()
        if not rows:
            return
        yield [tuple(r) for r in rows]
        offset += len(rows)


def _count(store: Any, table: str) -> int:
    return int(store._execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def _digest(store: Any, table: str) -> str:
    """sha256 of the table's rows in key order, each row's values as one JSON array."""
    source = store if store.engine == "sqlite" else None
    digest = hashlib.sha256()
    columns = _columns(source, table) if source else _pg_columns(store, table)
    names = ", ".join(f'"{c}"' for c in columns)
    order = ", ".join(f'"{c}"' for c in _pg_key(store, table)) if not source else _key(store, table)
    for row in store._execute(f'SELECT {names} FROM "{table}" ORDER BY {order}').fetchall():
        digest.update(json.dumps(list(row), ensure_ascii=False, separators=(",", ":")).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def _pg_columns(store: Any, table: str) -> list[str]:
    rows = store._execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = ? ORDER BY ordinal_position",
        (table,),
    ).fetchall()
    return [r[0] for r in rows]


def _pg_key(store: Any, table: str) -> list[str]:
    rows = store._execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = CAST(? AS regclass) AND i.indisprimary "
        "ORDER BY array_position(i.indkey, a.attnum)",
        (table,),
    ).fetchall()
    return [r[0] for r in rows] or _pg_columns(store, table)
