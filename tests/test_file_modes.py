"""The database holds roster names: it and its WAL files are owner-only, and others are warned.

Every test runs under umask 022 (the usual default, which would give 0644), so a
0600 result is our doing. An existing database others can read is left as it is
(a group may be intended) but every entry point says so at start-up.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, SECRETARIAT, AdminCli

from duediligence.private_files import (
    create_private,
    exposed_files,
    exposure_warning,
    open_private,
    private_dir,
)
from duediligence.store import Store

NOW = dt.datetime(2021, 3, 11, 9, 0, tzinfo=dt.UTC)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_fresh_database_and_its_wal_files_are_0600(tmp_path: Path) -> None:
    db = tmp_path / "new" / "city.db"
    store = Store.open(db)
    try:
        with store.transaction():
            store.append_event("probe", "created", actor="test", at=NOW)
        # the WAL and the shared-memory index exist while the connection is open
        for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            assert path.exists(), path
            assert _mode(path) == 0o600, (path, oct(_mode(path)))
        assert _mode(db.parent) == 0o700  # a directory we created for it
        assert exposed_files(db) == []
    finally:
        store.close()


def test_cli_init_creates_it_owner_only_and_says_nothing(tmp_path: Path, admin: AdminCli) -> None:
    result = admin("init")
    assert result.exit_code == 0, result.output
    db = tmp_path / "dd.db"
    assert _mode(db) == 0o600
    assert "警告" not in result.output
    admin.import_sample()
    assert all(_mode(p) == 0o600 for p in tmp_path.glob("dd.db*"))


def test_an_existing_database_others_can_read_is_left_alone_but_warned(
    tmp_path: Path, admin: AdminCli
) -> None:
    admin.import_sample()
    db = tmp_path / "dd.db"
    db.chmod(0o644)
    result = admin("status")
    assert result.exit_code == 0
    assert "警告: データベースに所有者以外のユーザーもアクセスできます" in result.stderr
    assert f"{db} (0644)" in result.stderr and f'chmod 600 "{db}"' in result.stderr
    assert "警告" not in result.stdout  # --json and tables stay clean for scripts
    assert _mode(db) == 0o644  # never changed behind the operator's back
    assert result.stderr.count("警告") == 1  # once per command
    english = admin("--lang", "en", "status")
    assert "Warning: users other than the owner can access the database" in english.stderr
    db.chmod(0o600)
    for side in tmp_path.glob("dd.db-*"):
        side.chmod(0o600)
    assert "警告" not in admin("status").stderr


def test_group_access_counts_too(tmp_path: Path) -> None:
    db = tmp_path / "dd.db"
    Store.open(db).close()
    db.chmod(0o640)
    assert exposed_files(db) == [(db, 0o640)]
    assert exposure_warning(db, "ja") is not None
    assert exposure_warning(":memory:") is None
    assert exposure_warning(tmp_path / "missing.db") is None


def test_ddbot_tick_warns_at_start_up(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    store = Store.open(db)
    store.close()
    db.chmod(0o604)
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DD_", "SLACK_", "HTTP", "http"))
    }
    env.update(DD_DB=str(db), DD_EVIDENCE_DIR=str(tmp_path / "evidence"))
    done = subprocess.run(
        [sys.executable, "-m", "bot", "tick", "--now", "2021-03-11T09:00:00+09:00"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "警告: データベースに所有者以外のユーザーもアクセスできます" in done.stderr
    assert "Traceback" not in done.stderr


def test_helpers_for_backups_and_copies(tmp_path: Path) -> None:
    backup = tmp_path / "backups" / "city-2021-03-11.db"
    private_dir(backup.parent)
    assert _mode(backup.parent) == 0o700
    create_private(backup)
    assert _mode(backup) == 0o600 and backup.read_bytes() == b""
    Store.open(tmp_path / "dd.db").close()
    source, target = sqlite3.connect(tmp_path / "dd.db"), sqlite3.connect(backup)
    source.backup(target)  # sqlite3's online backup writes into the private file
    target.close()
    source.close()
    assert _mode(backup) == 0o600 and backup.stat().st_size > 0
    loose = tmp_path / "loose.txt"
    loose.write_text("x")
    loose.chmod(0o666)
    create_private(loose)  # an existing file is narrowed
    assert _mode(loose) == 0o600
    with open_private(tmp_path / "copy.bin") as out:
        out.write(b"roster")
    assert _mode(tmp_path / "copy.bin") == 0o600


def test_evidence_get_out_is_owner_only(tmp_path: Path, admin: AdminCli) -> None:
    admin.import_sample()
    upload = tmp_path / "meibo.csv"
    upload.write_text("氏名,役割\n山田 太郎,業務従事者\n", encoding="utf-8")
    added = admin("evidence", "add", "R2-15-08", str(upload), "--as", "U02SHUNO001")
    assert added.exit_code == 0, added.output
    shown = admin("show", "R2-15-08", "--json")
    sha = json.loads(shown.stdout)["evidence"][0]["sha256"]
    out = tmp_path / "got.csv"
    got = admin("evidence", "get", "R2-15-08", sha, "--out", str(out), "--as", SECRETARIAT)
    assert got.exit_code == 0, got.output
    assert _mode(out) == 0o600 and out.read_bytes() == upload.read_bytes()
