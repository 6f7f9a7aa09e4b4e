"""Shared fixtures: a real database per test (SQLite, and PostgreSQL where marked), the sample meeting, a fixed clock.

A test (or module, with ``pytestmark``) marked ``both_engines`` runs once on a
SQLite file and once on a fresh schema of a real PostgreSQL server: the one
``DD_TEST_DATABASE_URL`` names, else a throwaway PostgreSQL 16 from the
``pgserver`` wheel started for the session. Ask for ``db_url`` (or ``store``,
``tracker``, ``sample``, ``admin``) and you get the engine of the run.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest

from duediligence.evidence import BlobStore
from duediligence.importer import import_file
from duediligence.store import Store
from duediligence.tracker import Tracker

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "council-2021-02-10.yaml"
TOKYO = ZoneInfo("Asia/Tokyo")
MEETING_NIGHT = dt.datetime(2021, 2, 10, 19, 40, tzinfo=TOKYO)

SECRETARIAT = "U01JIMU0001"
SHUNO_OWNER = "U02SHUNO001"
SHUNO_HEAD = "U02SHUNO900"
VACC_OWNER = "U03VACC0001"
STRANGER = "U09NOBODY01"


@pytest.fixture
def sample_path() -> Path:
    return SAMPLE


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "both_engines: run on SQLite and on PostgreSQL (the db_url fixture)"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db_url" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_engines"):
        metafunc.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The URL of a PostgreSQL server for the whole run (DD_TEST_DATABASE_URL, else pgserver)."""
    url = os.environ.get("DD_TEST_DATABASE_URL")
    if url:
        yield url
        return
    import pgserver

    # Directly under the system's temp dir: as root, pgserver runs PostgreSQL as an unprivileged
    # user, who cannot enter pytest's private (0700) base directory.
    data = Path(tempfile.mkdtemp(prefix="dd-test-pg-"))
    server = pgserver.get_server(data, cleanup_mode="stop")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()
        shutil.rmtree(data, ignore_errors=True)


def pg_schema_url(base: str, schema: str) -> str:
    """*base* with every session's search_path set to *schema* (a libpq ``options``)."""
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options={quote(f'-c search_path={schema}')}"


@contextmanager
def fresh_pg_database(base: str) -> Iterator[str]:
    """A new empty schema on the server at *base*, dropped (with its pools) afterwards."""
    import psycopg

    from duediligence.store.postgres import close_pools

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = pg_schema_url(base, schema)
    try:
        yield url
    finally:
        close_pools(url)
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The test's database: a SQLite file, or (``both_engines``' second run) a PostgreSQL schema."""
    engine = getattr(request, "param", "sqlite")
    if engine == "sqlite":
        yield str(tmp_path / "dd.db")
        return
    with fresh_pg_database(request.getfixturevalue("pg_server")) as url:
        yield url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    db = Store.open(db_url)
    yield db
    db.close()


@pytest.fixture
def blobs(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "evidence", max_bytes=1024 * 1024)


@pytest.fixture
def tracker(store: Store, blobs: BlobStore) -> Tracker:
    return Tracker(store, blobs)


@pytest.fixture
def sample(tracker: Tracker) -> Tracker:
    """A tracker holding the seed meeting's conditions, imported on the meeting night."""
    import_file(tracker.store, SAMPLE, actor=SECRETARIAT, now=MEETING_NIGHT)
    return tracker


class AdminCli:
    """The ``duediligence`` command line on the test's own database, at a chosen moment."""

    def __init__(self, now: str = "2021-02-10T19:40:00+09:00") -> None:
        from click.testing import CliRunner

        self.now = now
        self._runner = CliRunner()

    def __call__(self, *args: str, now: str | None = None):  # noqa: ANN204 - click's Result
        from duediligence.cli import cli

        return self._runner.invoke(cli, ["--now", now or self.now, *args], catch_exceptions=False)

    def import_sample(self) -> AdminCli:
        result = self("import", str(SAMPLE), "--as", SECRETARIAT)
        assert result.exit_code == 0, result.output
        return self


@pytest.fixture
def admin(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> AdminCli:
    """A fresh database and evidence directory, Japanese, no secretariat from the environment."""
    monkeypatch.delenv("DD_DB", raising=False)
    monkeypatch.setenv("DD_DATABASE_URL", db_url)
    monkeypatch.setenv("DD_EVIDENCE_DIR", str(tmp_path / "evidence"))
    for name in ("DD_LANG", "DD_SECRETARIAT_USERS", "DD_CLOSED_DAYS"):
        monkeypatch.delenv(name, raising=False)
    return AdminCli()
