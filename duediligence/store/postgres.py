"""The PostgreSQL engine: psycopg 3, a shared connection pool, writers serialised per schema.

* Connections come from one ``psycopg_pool.ConnectionPool`` per URL and process
  (sized by ``DD_DB_POOL``), shared by every :class:`~duediligence.store.Store`
  opened on it; a statement outside a transaction borrows a connection for
  itself (autocommit), a transaction keeps one until it ends.
* :meth:`PostgresEngine.transaction` begins and takes a transaction-level
  advisory lock on the current schema: the same one-writer-at-a-time guarantee
  SQLite's ``BEGIN IMMEDIATE`` gives, so every read-then-write in the store
  (next roster version, lifecycle checks, the event log) is as safe on a server
  shared by several bot processes as on one file. Readers never wait for it.
* A connection lost between statements is retried once on a fresh one; lost
  inside a transaction, the server rolls it back and the caller gets
  :class:`~duediligence.errors.DatabaseUnavailable`: nothing is half-written.
* The schema version lives in the one-row table ``dd_schema``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from ..errors import DatabaseUnavailable
from .dialect import POSTGRESQL
from .url import DatabaseTarget

Params = Sequence[Any] | Mapping[str, Any]

MIN_SERVER = 130000  # PostgreSQL 13
DEFAULT_POOL = 5
_LOCK = "SELECT pg_advisory_xact_lock(1684300900, hashtext(current_schema()))"
_CONNECT = {"autocommit": True, "connect_timeout": 10}


class _Result:
    """What a statement returned, read before its connection went back to the pool."""

    __slots__ = ("_rows", "rowcount", "description")

    def __init__(self, cursor: Any) -> None:
        self.description = cursor.description
        self._rows = list(cursor.fetchall()) if cursor.description else []
        self.rowcount = cursor.rowcount

    def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    def fetchall(self) -> list[Any]:
        rows, self._rows = self._rows, []
        return rows

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


class _Pools:
    """One pool per (URL, size) in this process, closed when its last store closes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pools: dict[tuple[str, int], list[Any]] = {}

    def acquire(self, target: DatabaseTarget, size: int) -> Any:
        key = (target.location, size)
        with self._lock:
            entry = self._pools.get(key)
            if entry is None:
                probe(target)
                from psycopg_pool import ConnectionPool

                pool = ConnectionPool(
                    target.location,
                    min_size=1,
                    max_size=max(1, size),
                    kwargs=dict(_CONNECT),
                    open=True,
                    name=f"duediligence {target.display}",
                )
                entry = self._pools[key] = [pool, 0]
            entry[1] += 1
            return entry[0]

    def release(self, target: DatabaseTarget, size: int) -> None:
        key = (target.location, size)
        with self._lock:
            entry = self._pools.get(key)
            if entry is None:
                return
            entry[1] -= 1
            if entry[1] <= 0:
                del self._pools[key]
                entry[0].close()

    def close_all(self, location: str | None = None) -> None:
        """Close the pools of *location* (every pool without it), open stores or not."""
        with self._lock:
            for key in [k for k in self._pools if location is None or k[0] == location]:
                self._pools.pop(key)[0].close()


POOLS = _Pools()


def close_pools(location: str | None = None) -> None:
    """Close this process's connection pools to *location* (all without it)."""
    POOLS.close_all(location)


def probe(target: DatabaseTarget) -> None:
    """Connect once and check the server, turning libpq's failure into one clear message."""
    import psycopg

    where = {"host": target.host, "port": target.port, "dbname": target.dbname}
    try:
        conn = psycopg.connect(target.location, **_CONNECT)
    except psycopg.OperationalError as err:
        raise DatabaseUnavailable(_failure_key(err), **where) from None
    try:
        version = conn.info.server_version
    finally:
        conn.close()
    if version < MIN_SERVER:
        raise DatabaseUnavailable(
            "error.db.old_server", version=f"{version // 10000}.{version % 10000}", **where
        )


def _failure_key(err: Exception) -> str:
    state = getattr(err, "sqlstate", None)
    text = str(err)
    if state in ("28P01", "28000") or "password authentication failed" in text:
        return "error.db.auth"
    if state == "3D000" or ("database" in text and "does not exist" in text):
        return "error.db.missing"
    return "error.db.unreachable"


class PostgresEngine:
    dialect = POSTGRESQL

    def __init__(self, target: DatabaseTarget, *, pool_size: int = DEFAULT_POOL) -> None:
        import psycopg
        from psycopg.rows import dict_row

        self._psycopg = psycopg
        self._dict_row = dict_row
        self.target = target
        self.pool_size = pool_size
        self.pool = POOLS.acquire(target, pool_size)
        self._local = threading.local()
        self._closed = False
        self.db = None  # sqlite-utils has no PostgreSQL side

    @property
    def _where(self) -> dict[str, str]:
        return {"host": self.target.host, "port": self.target.port, "dbname": self.target.dbname}

    # -- statements --------------------------------------------------------

    def _run(self, sql: str, params: Params, *, dicts: bool = False) -> _Result:
        query = self.dialect.query(sql) if params else sql
        args = params if params else None
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            return self._on(conn, query, args, dicts)
        for _attempt in (1, 2):
            with self.pool.connection() as conn:
                try:
                    return self._on(conn, query, args, dicts)
                except self._psycopg.OperationalError:
                    if not conn.broken:
                        raise
            # the pool drops the broken connection; its idle ones may be dead too (a server
            # restart): check them, so that the second try gets a live one
            self.pool.check()
        raise DatabaseUnavailable("error.db.lost", **self._where)

    def _on(self, conn: Any, query: str, args: Any, dicts: bool) -> _Result:
        try:
            with conn.cursor(row_factory=self._dict_row) if dicts else conn.cursor() as cur:
                cur.execute(query, args)
                return _Result(cur)
        except self._psycopg.OperationalError:
            if conn.broken and getattr(self._local, "conn", None) is conn:
                raise DatabaseUnavailable("error.db.lost", **self._where) from None
            raise

    def execute(self, sql: str, params: Params = ()) -> _Result:
        return self._run(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if not rows:
            return
        query = self.dialect.query(sql)
        with self.transaction(), self._local.conn.cursor() as cur:
            cur.executemany(query, rows)

    def insert_returning(
        self, head: str, row: str, rows: Sequence[Sequence[Any]], tail: str
    ) -> list[Any]:
        """Many rows as one pipelined executemany of a one-row INSERT; what RETURNING gave.

        A multi-row VALUES of thousands of placeholders is parsed again by psycopg for
        every batch (too long for its cache) and cost more than the inserts themselves.
        """
        query = self.dialect.query(f"{head} VALUES {row} {tail}")
        found: list[Any] = []
        with self.transaction(), self._local.conn.cursor() as cur:
            cur.executemany(query, rows, returning=True)
            while True:
                found.extend(cur.fetchall())
                if not cur.nextset():
                    break
        return found

    def rows(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        return self._run(sql, params, dicts=True).fetchall()

    records = rows

    # -- transactions ------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit holding the schema's writer lock; nested calls join it."""
        depth = getattr(self._local, "depth", 0)
        if depth == 0:
            self._local.conn = self._begin()
        self._local.depth = depth + 1
        try:
            yield
        except BaseException:
            self._local.depth = depth
            if depth == 0:
                self._finish("ROLLBACK")
            raise
        else:
            self._local.depth = depth
            if depth == 0:
                self._finish("COMMIT")

    def _begin(self) -> Any:
        for attempt in (1, 2):
            conn = self.pool.getconn()
            try:
                conn.execute("BEGIN")
                conn.execute(_LOCK)
                return conn
            except self._psycopg.OperationalError:
                broken = conn.broken
                self.pool.putconn(conn)
                if not broken:
                    raise
                self.pool.check()
                if attempt == 2:
                    raise DatabaseUnavailable("error.db.lost", **self._where) from None
        raise AssertionError("unreachable")

    def _finish(self, verb: str) -> None:
        conn = self._local.conn
        self._local.conn = None
        try:
            if not conn.broken:
                conn.execute(verb)
        except self._psycopg.OperationalError:
            if verb == "COMMIT":
                raise DatabaseUnavailable("error.db.lost", **self._where) from None
        finally:
            self.pool.putconn(conn)

    # -- schema ------------------------------------------------------------

    def schema_version(self) -> int:
        exists = self.execute("SELECT to_regclass('dd_schema')").fetchone()[0]
        if exists is None:
            return 0
        row = self.execute("SELECT max(version) FROM dd_schema").fetchone()
        return int(row[0] or 0)

    def set_schema_version(self, version: int) -> None:
        self.execute("CREATE TABLE IF NOT EXISTS dd_schema (version BIGINT NOT NULL)")
        self.execute("DELETE FROM dd_schema")
        self.execute("INSERT INTO dd_schema (version) VALUES (?)", (int(version),))

    def run_ddl(self, script: str) -> None:
        if script.strip():
            self.execute(self.dialect.ddl(script))

    def tables(self) -> list[str]:
        rows = self.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
            "ORDER BY table_name"
        ).fetchall()
        return [r[0] for r in rows]

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            POOLS.release(self.target, self.pool_size)
