"""Backup while ``ddbot tick`` delivers, restore into a new place; damaged archives refused."""

from __future__ import annotations

import gzip
import json
import os
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from conftest import ROOT, SECRETARIAT, SHUNO_OWNER, AdminCli

TICK_AT = "2021-03-17T09:30:00+09:00"  # a Wednesday morning: reminders are due


@pytest.fixture
def worked(admin: AdminCli, tmp_path: Path) -> AdminCli:
    admin.import_sample()
    for name, body in (
        ("meibo.csv", "氏名,役割\n山田太郎,業務従事者\n"),
        ("spec.pdf", "%PDF spec"),
    ):
        file = tmp_path / name
        file.write_bytes(body.encode())
        condition = "R2-15-08" if name == "meibo.csv" else "R2-15-01"
        assert admin("evidence", "add", condition, str(file), "--as", SHUNO_OWNER).exit_code == 0
    return admin


def test_backup_while_tick_delivers_then_restore_elsewhere(
    worked: AdminCli, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env["DD_SECRETARIAT_USERS"] = SECRETARIAT
    tick = subprocess.Popen(
        [sys.executable, "-m", "bot", "tick", "--now", TICK_AT],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    archive = tmp_path / "backups" / "dd.tar.gz"
    try:
        taken = worked("backup", "--out", str(archive), "--as", SECRETARIAT, now=TICK_AT)
    finally:
        out, err = tick.communicate(timeout=120)
    assert taken.exit_code == 0, taken.output
    assert tick.returncode == 0, err
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[0] == "manifest.json" and "duediligence.db" in names
    assert sum(n.startswith("evidence/") for n in names) == 2

    target = tmp_path / "restored" / "city.db"
    restored = worked("restore", str(archive), "--db", str(target))
    assert restored.exit_code == 0, restored.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    again = AdminCli(worked.now)
    original = worked("status", "--json").output
    env_restored = {
        "DD_DATABASE_URL": str(target),
        "DD_EVIDENCE_DIR": str(target.parent / "evidence"),
    }
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env_restored.items():
            patch.setenv(key, value)
        assert again("status", "--json").output == original
        verified = again("audit", "verify")
        assert verified.exit_code == 0, verified.output
        assert "提出ファイル 2 件" in verified.output
    manifest_head = json.loads(_member(archive, "manifest.json"))["chain_head"]
    assert manifest_head in restored.output
    backup_events = [e for e in json.loads(worked("events", "records:backup", "--json").output)]
    assert [e["action"] for e in backup_events] == ["backup_written"]


def _member(archive: Path, name: str) -> bytes:
    with tarfile.open(archive) as tar:
        member = tar.extractfile(name)
        assert member is not None
        return member.read()


def test_a_truncated_or_altered_archive_is_refused_with_nothing_written(
    worked: AdminCli, tmp_path: Path
) -> None:
    archive = tmp_path / "dd.tar.gz"
    assert worked("backup", "--out", str(archive)).exit_code == 0
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size * 2 // 3])
    altered = tmp_path / "altered.tar.gz"
    raw = bytearray(gzip.decompress(archive.read_bytes()))
    at = raw.index(b"%PDF spec")
    raw[at : at + 4] = b"%XXX"
    altered.write_bytes(gzip.compress(bytes(raw)))
    for bad in (truncated, altered):
        target = tmp_path / f"from-{bad.stem}" / "city.db"
        refused = worked("restore", str(bad), "--db", str(target))
        assert refused.exit_code == 1
        assert (
            "壊れているか改変されています" in refused.stderr
            and "何も書き込んでいません" in refused.stderr
        )
        assert not target.parent.exists() or list(target.parent.iterdir()) == []
    occupied = tmp_path / "occupied.db"
    occupied.write_bytes(b"x")
    assert worked("restore", str(archive), "--db", str(occupied)).exit_code == 1
    assert occupied.read_bytes() == b"x"
