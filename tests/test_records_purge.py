"""Retention and purge on a travelled clock: closed items erased, open ones kept, proven."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import SAMPLE, SECRETARIAT, SHUNO_OWNER, AdminCli

from duediligence.store import Store

pytestmark = pytest.mark.both_engines

ROSTER_ITEM = "R2-15-08"  # reported at R3-1 (2021-05-19): closed
OPEN_ITEM = "R2-15-01"  # submitted, never accepted: open
HEADER = ["氏名", "所属", "役割", "雇用形態", "従事開始日", "従事終了日"]
PEOPLE = [
    ["山田 太郎", "東京支社", "個人情報取扱責任者", "正社員", "2021/04/01", ""],
    ["佐藤 花子", "東京支社", "連絡調整責任者", "正社員", "2021/04/01", ""],
    ["鈴木 一郎", "コールセンター", "業務従事者", "派遣", "2021/04/01", ""],
]
SIX_YEARS_ON = "2027-06-01T10:00:00+09:00"
FOUR_YEARS_ON = "2025-06-01T10:00:00+09:00"


def _blob(sha: str) -> Path:
    return Path(os.environ["DD_EVIDENCE_DIR"]) / sha[:2] / sha


def _sha(run: AdminCli, condition: str) -> str:
    return json.loads(run("show", condition, "--json").output)["evidence"][-1]["sha256"]


@pytest.fixture
def closed(admin: AdminCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AdminCli:
    """The roster item reported at the May 2021 meeting; another item still open."""
    monkeypatch.setenv("DD_SECRETARIAT_USERS", SECRETARIAT)
    monkeypatch.delenv("DD_RETENTION_YEARS", raising=False)
    admin.import_sample()
    meibo = tmp_path / "meibo.csv"
    meibo.write_bytes(
        ("\r\n".join(",".join(r) for r in [HEADER, *PEOPLE]) + "\r\n").encode("cp932")
    )
    steps = [
        (
            ("roster", "submit", ROSTER_ITEM, str(meibo), "--as", SHUNO_OWNER),
            "2021-03-01T10:00:00+09:00",
        ),
        (("accept", ROSTER_ITEM, "--as", SECRETARIAT), "2021-03-02T10:00:00+09:00"),
        (
            ("mark-reported", ROSTER_ITEM, "--meeting", "R3-1", "--as", SECRETARIAT),
            "2021-05-19T15:00:00+09:00",
        ),
    ]
    other = tmp_path / "spec.pdf"
    other.write_bytes(b"%PDF-1.4 spec amendment")
    steps.append(
        (
            ("evidence", "add", OPEN_ITEM, str(other), "--as", SHUNO_OWNER),
            "2021-03-05T10:00:00+09:00",
        )
    )
    for args, when in steps:
        result = admin(*args, now=when)
        assert result.exit_code == 0, result.output
    return admin


def _names(db_url: str, condition: str) -> int:
    store = Store.open(db_url)
    try:
        return store.names_held(condition)
    finally:
        store.close()


def test_dry_run_lists_what_is_due_and_changes_nothing(closed: AdminCli, db_url: str) -> None:
    assert "ありません" in closed("purge", "--dry-run", now=FOUR_YEARS_ON).output
    before = closed("events", "--json").output
    listed = closed("purge", "--dry-run", now=SIX_YEARS_ON)
    assert listed.exit_code == 0, listed.output
    assert ROSTER_ITEM in listed.output and OPEN_ITEM not in listed.output
    assert "氏名 3 件" in listed.output and "roster: 5 years after close" in listed.output
    assert closed("events", "--json").output == before
    assert _blob(_sha(closed, ROSTER_ITEM)).exists() and _names(db_url, ROSTER_ITEM) == 3


def test_purge_erases_closed_files_and_names_keeps_open_ones_and_still_verifies(
    closed: AdminCli, db_url: str, tmp_path: Path
) -> None:
    roster_sha, open_sha = _sha(closed, ROSTER_ITEM), _sha(closed, OPEN_ITEM)
    refused = closed("purge", "--as", SHUNO_OWNER, now=SIX_YEARS_ON)
    assert refused.exit_code == 1 and _blob(roster_sha).exists()

    done = closed("purge", "--as", SECRETARIAT, now=SIX_YEARS_ON)
    assert done.exit_code == 0, done.output
    assert not _blob(roster_sha).exists() and _blob(open_sha).exists()
    assert _names(db_url, ROSTER_ITEM) == 0
    events = json.loads(closed("events", ROSTER_ITEM, "--json").output)
    purged = [e for e in events if e["action"] == "evidence_purged"]
    assert len(purged) == 1 and purged[0]["actor"] == SECRETARIAT
    data = purged[0]["data"]
    assert data["sha256"] == roster_sha and data["kind"] == "roster" and data["size"] > 0
    assert data["rule"].startswith("roster: 5 years") and data["closed_at"].startswith("2021-05-19")
    assert [e["data"]["names"] for e in events if e["action"] == "names_purged"] == [3]

    verified = closed("audit", "verify", now=SIX_YEARS_ON)
    assert verified.exit_code == 0, verified.output
    assert "ありません" in closed("purge", "--as", SECRETARIAT, now=SIX_YEARS_ON).output

    cert = tmp_path / "shoumei.docx"
    written = closed("purge", "--certificate", str(cert), "--as", SECRETARIAT, now=SIX_YEARS_ON)
    assert written.exit_code == 0, written.output
    from docx import Document

    document = Document(str(cert))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "消去証明書" in text and "令和9年6月1日" in text
    assert roster_sha in cells and ROSTER_ITEM in cells and "名簿" in cells
    assert "山田" not in text + cells
    exports = json.loads(closed("audit", "access", "--json").output)
    assert exports[-1]["action"] == "purge_certificate_written"
    assert closed("audit", "verify", now=SIX_YEARS_ON).exit_code == 0


def test_retention_per_kind_from_the_import(closed: AdminCli, tmp_path: Path) -> None:
    longer = tmp_path / "meeting.yaml"
    longer.write_text(
        "retention:\n  roster: 10\n" + SAMPLE.read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert closed("import", str(longer), "--as", SECRETARIAT).exit_code == 0
    assert "ありません" in closed("purge", "--dry-run", now=SIX_YEARS_ON).output
    assert ROSTER_ITEM in closed("purge", "--dry-run", now="2031-06-01T10:00:00+09:00").output
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "retention:\n  roster: -1\n  rosters: 3\n" + SAMPLE.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    refused = closed("import", str(bad), "--as", SECRETARIAT)
    assert refused.exit_code == 1 and "retention" in refused.stderr


def test_dd_retention_years(closed: AdminCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DD_RETENTION_YEARS", "3")
    assert ROSTER_ITEM in closed("purge", "--dry-run", now=FOUR_YEARS_ON).output
    monkeypatch.setenv("DD_RETENTION_YEARS", "ten")
    assert closed("purge", "--dry-run").exit_code == 1
