"""A PostgreSQL server for the benchmarks: ``--pg-url`` if given, else a throwaway pgserver.

Each run gets a database of its own (dropped and created again), and a city is moved
into it from the cached SQLite file with the product's own ``db copy``.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


class BenchServer:
    def __init__(self, url: str | None = None) -> None:
        self._server = None
        self._data: Path | None = None
        if url is None:
            import pgserver  # the dev extra

            self._data = Path(tempfile.mkdtemp(prefix="dd-bench-pg-"))
            self._server = pgserver.get_server(self._data, cleanup_mode="stop")
            url = self._server.get_uri()
        self.url = url

    def version(self) -> str:
        import psycopg

        with psycopg.connect(self.url) as conn:
            return str(conn.execute("SHOW server_version").fetchone()[0])

    def fresh(self, name: str) -> str:
        """The URL of an empty database *name* (dropped first if a run left it behind)."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(path=f"/{name}"))

    def drop(self, name: str) -> None:
        import psycopg

        from duediligence.store.postgres import close_pools

        close_pools()
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        if self._server is not None:
            self._server.cleanup()
        if self._data is not None:
            shutil.rmtree(self._data, ignore_errors=True)


def copy_city(sqlite_path: str, url: str) -> float:
    """Move the cached city into the empty database at *url*; seconds taken."""
    from duediligence.store import Store
    from duediligence.store.copy import copy_database

    started = time.perf_counter()
    source, target = Store.open(sqlite_path), Store.open(url)
    try:
        copy_database(source, target)
    finally:
        source.close()
        target.close()
    return time.perf_counter() - started
