"""Shared fixtures: a real SQLite file per test, the sample meeting, a fixed clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
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


@pytest.fixture
def store(tmp_path: Path) -> Store:
    db = Store.open(tmp_path / "dd.db")
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
def admin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AdminCli:
    """A fresh database and evidence directory, Japanese, no secretariat from the environment."""
    monkeypatch.setenv("DD_DB", str(tmp_path / "cli.db"))
    monkeypatch.setenv("DD_EVIDENCE_DIR", str(tmp_path / "evidence"))
    for name in ("DD_LANG", "DD_SECRETARIAT_USERS", "DD_CLOSED_DAYS"):
        monkeypatch.delenv(name, raising=False)
    return AdminCli()
