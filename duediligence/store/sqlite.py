"""The SQLite engine: one file (or memory), WAL, foreign keys on, one writer at a time.

Writes run inside :meth:`SQLiteEngine.transaction` (``BEGIN IMMEDIATE``), so a
state change and its event land together or not at all and writers queue on
the file's lock. The schema version is SQLite's ``PRAGMA user_version``.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from ..errors import StorageError
from ..private_files import create_private, private_dir
from .dialect import SQLITE
from .url import DatabaseTarget

Params = Sequence[Any] | Mapping[str, Any]
#: how long a write waits for another process's lock (DD_BUSY_SECONDS)
BUSY_SECONDS = 30.0


class SQLiteEngine:
    dialect = SQLITE

    def __init__(self, target: DatabaseTarget, *, busy_seconds: float = BUSY_SECONDS) -> None:
        self.target = target
        self.busy_seconds = busy_seconds
        path = target.location
        if path != ":memory:" and not os.path.exists(path):
            # Roster names live here: owner-only from the start, and SQLite gives the
            # -wal and -shm files the database's mode (see duediligence.private_files).
            private_dir(Path(path).parent)
            create_private(path)
        conn = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=busy_seconds
        )
        conn.execute("PRAGMA foreign_keys = ON")
        # Another writer (a second CLI, the bot, a backup) is waited for, SQLite retrying
        # until this runs out; then StorageError says so instead of "database is locked".
        conn.execute(f"PRAGMA busy_timeout = {int(busy_seconds * 1000)}")
        if path != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        self.conn = conn
        #: sqlite-utils' view of the same connection (introspection in tests and tools)
        self.db = sqlite_utils.Database(conn)
        self._local = threading.local()

    # -- statements --------------------------------------------------------

    def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def insert_returning(
        self, head: str, row: str, rows: Sequence[Sequence[Any]], tail: str
    ) -> list[Any]:
        """Many rows in one multi-row INSERT (fastest here); what RETURNING gave, in order."""
        values = ",".join([row] * len(rows))
        params = [value for r in rows for value in r]
        return self.conn.execute(f"{head} VALUES {values} {tail}", params).fetchall()

    def rows(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        return list(self.db.query(sql, params))

    def records(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Rows addressable by column name, built in C: for queries returning thousands."""
        cursor = self.conn.cursor()
        cursor.row_factory = sqlite3.Row
        return cursor.execute(sql, params).fetchall()

    # -- transactions ------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit; nested calls join the outer transaction.

        A lock held past the busy timeout, or a full disk, rolls back and raises
        :class:`~duediligence.errors.StorageError`: nothing changed, say so plainly.
        """
        depth = getattr(self._local, "depth", 0)
        if depth == 0:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as err:
                raise self._storage_error(err) from None
        self._local.depth = depth + 1
        try:
            yield
        except BaseException as err:
            self._local.depth = depth
            if depth == 0:
                self._rollback()
                if isinstance(err, sqlite3.OperationalError):
                    raise self._storage_error(err) from None
            raise
        else:
            self._local.depth = depth
            if depth == 0:
                try:
                    self.conn.execute("COMMIT")
                except sqlite3.OperationalError as err:
                    self._rollback()
                    raise self._storage_error(err) from None

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def _storage_error(self, err: sqlite3.OperationalError) -> Exception:
        """The clerk's version of SQLite's busy / full errors; any other stays as it was."""
        code = getattr(err, "sqlite_errorcode", None)
        params = {"path": self.target.display, "seconds": f"{self.busy_seconds:g}"}
        if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in str(err):
            return StorageError("error.storage.busy", **params)
        if code == sqlite3.SQLITE_FULL or "disk is full" in str(err):
            return StorageError("error.storage.db_full", **params)
        return err

    # -- schema ------------------------------------------------------------

    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def set_schema_version(self, version: int) -> None:
        self.conn.execute(f"PRAGMA user_version = {int(version)}")

    def run_ddl(self, script: str) -> None:
        for statement in _statements(script):
            self.conn.execute(statement)

    def tables(self) -> list[str]:
        rows = self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()
        return [r[0] for r in rows]

    def close(self) -> None:
        self.conn.close()


def _statements(script: str) -> Iterator[str]:
    """Split a migration into statements (triggers hold semicolons of their own)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""
    if pending.strip():
        yield pending.strip()
