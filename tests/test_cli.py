"""The admin CLI, driven through click's CliRunner: outputs, JSON shapes, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SAMPLE, SECRETARIAT, SHUNO_OWNER, VACC_OWNER, AdminCli

pytestmark = pytest.mark.both_engines

NOW = "2021-02-10T19:40:00+09:00"
LATER = "2021-03-20T10:00:00+09:00"


@pytest.fixture
def run(admin: AdminCli) -> AdminCli:
    admin.now = NOW
    return admin


@pytest.fixture
def imported(run: AdminCli) -> AdminCli:
    return run.import_sample()


def test_init_and_import(run) -> None:
    assert "初期化" in run("init").output
    result = run("import", str(SAMPLE))
    assert "新規 27 件" in result.output
    again = run("import", str(SAMPLE))
    assert "変更なし 27 件" in again.output


def test_status_table_and_overdue(imported) -> None:
    result = imported("status", now=LATER)
    assert "R2-15-01" in result.output and "令和3年3月10日" in result.output
    assert "超過" in result.output
    overdue = imported("status", "--overdue", "--json", now=LATER)
    rows = json.loads(overdue.output)
    assert rows and all(r["overdue"] for r in rows)
    assert {r["id"] for r in rows} >= {"R2-15-01", "R2-16-01"}


def test_status_json_shape(imported) -> None:
    rows = json.loads(imported("status", "--department", "収納課", "--json").output)
    assert len(rows) == 16
    row = next(r for r in rows if r["id"] == "R2-15-13")
    for key in ("id", "kind", "status", "due", "department", "consultation", "vendor", "overdue"):
        assert key in row
    assert row == row | {
        "kind": "certificate_renewal",
        "status": "open",
        "due": "2021-03-10",
        "department": "収納課",
        "consultation": "R2-15",
        "vendor": "株式会社サンプル収納サービス",
        "overdue": False,
    }
    by_consultation = json.loads(imported("status", "--consultation", "R2-16", "--json").output)
    assert {r["consultation"] for r in by_consultation} == {"R2-16"}


def test_evidence_review_and_show_json(imported, tmp_path: Path) -> None:
    file = tmp_path / "回答書.pdf"
    file.write_bytes(b"%PDF-1.4 answer")
    added = imported("evidence", "add", "R2-15-01", str(file), "--as", SHUNO_OWNER)
    assert added.exit_code == 0 and "提出済" in added.output
    returned = imported("return", "R2-15-01", "--reason", "押印がありません", "--as", SECRETARIAT)
    assert "差戻し" in returned.output
    imported("evidence", "add", "R2-15-01", str(file), "--as", SHUNO_OWNER)
    assert imported("accept", "R2-15-01", "--as", SECRETARIAT).exit_code == 0
    assert (
        imported("mark-reported", "R2-15-01", "--meeting", "R3-1", "--as", SECRETARIAT).exit_code
        == 0
    )
    detail = json.loads(imported("show", "R2-15-01", "--json").output)
    assert detail["status"] == "reported"
    assert detail["evidence"][0].keys() >= {
        "sha256",
        "filename",
        "size",
        "uploaded_by",
        "uploaded_at",
    }
    assert detail["evidence"][0]["filename"] == "回答書.pdf"
    actions = [e["action"] for e in detail["events"]]
    assert actions == ["created", "submitted", "returned", "submitted", "accepted", "reported"]
    assert detail["events"][2].keys() >= {"action", "actor", "at", "reason"}
    assert detail["events"][2]["reason"] == "押印がありません"
    text = imported("show", "R2-15-01").output
    assert "回答書.pdf" in text and "押印がありません" in text


def test_evidence_get_logs_the_read(imported, tmp_path: Path) -> None:
    file = tmp_path / "meibo.csv"
    file.write_bytes("氏名\n山田太郎\n".encode())
    imported("evidence", "add", "R2-15-08", str(file), "--as", SHUNO_OWNER)
    sha = json.loads(imported("show", "R2-15-08", "--json").output)["evidence"][0]["sha256"]
    out = tmp_path / "copy.csv"
    result = imported("evidence", "get", "R2-15-08", sha, "--out", str(out), "--as", SECRETARIAT)
    assert result.exit_code == 0
    assert out.read_bytes() == file.read_bytes()
    events = json.loads(imported("events", "R2-15-08", "--json").output)
    assert events[-1]["action"] == "evidence_read" and events[-1]["actor"] == SECRETARIAT
    refused = imported("evidence", "get", "R2-15-08", sha, "--out", str(out), "--as", VACC_OWNER)
    assert refused.exit_code == 1


@pytest.mark.parametrize(
    "args",
    [
        ("accept", "R2-15-01", "--as", SHUNO_OWNER),  # not the secretariat
        ("accept", "R2-15-01", "--as", SECRETARIAT),  # nothing submitted
        ("show", "NO-SUCH-ID"),
        ("waive", "NO-SUCH-ID", "--reason", "x", "--as", SECRETARIAT),
        ("extend", "R2-15-01", "--due", "いつか", "--reason", "x", "--as", SECRETARIAT),
        ("mark-reported", "R2-15-01", "--meeting", "R9-9", "--as", SECRETARIAT),
    ],
)
def test_errors_go_to_stderr_with_status_1_and_change_nothing(imported, args) -> None:
    before = imported("events", "--json").output
    result = imported(*args)
    assert result.exit_code == 1
    assert result.stderr.strip()
    assert "Traceback" not in result.output
    assert imported("events", "--json").output == before


def test_bad_import_refused_with_line(run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        SAMPLE.read_text(encoding="utf-8").replace("kind: pledge", "kind: oath"), encoding="utf-8"
    )
    result = run("import", str(bad))
    assert result.exit_code == 1
    assert "bad.yaml" in result.stderr and "行目" in result.stderr and "oath" in result.stderr
    assert json.loads(run("status", "--json").output) == []


def test_english(imported, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DD_LANG", "en")
    result = imported("accept", "R2-15-01", "--as", SHUNO_OWNER)
    assert "may not accept" in result.stderr
    assert "Open" in imported("status").output


def test_extend(imported) -> None:
    result = imported(
        "extend", "R2-15-01", "--due", "令和3年4月30日", "--reason", "回答待ち", "--as", SECRETARIAT
    )
    assert result.exit_code == 0 and "2021-04-30" in result.output
