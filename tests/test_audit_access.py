"""The access record: every evidence read and export, and the council's summary (no names)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SECRETARIAT, SHUNO_OWNER, VACC_OWNER, AdminCli

pytestmark = pytest.mark.both_engines

SUBMITTED = "2021-02-17T10:00:00+09:00"
READ_BY_OWNER = "2021-02-18T09:00:00+09:00"
READ_BY_SECRETARIAT = "2021-03-01T14:30:00+09:00"


@pytest.fixture
def read_twice(admin: AdminCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AdminCli:
    monkeypatch.setenv("DD_SECRETARIAT_USERS", SECRETARIAT)
    admin.import_sample()
    file = tmp_path / "meibo.csv"
    file.write_bytes("氏名,役割\n山田太郎,業務従事者\n".encode())
    assert (
        admin(
            "evidence", "add", "R2-15-08", str(file), "--as", SHUNO_OWNER, now=SUBMITTED
        ).exit_code
        == 0
    )
    sha = json.loads(admin("show", "R2-15-08", "--json").output)["evidence"][0]["sha256"]
    out = tmp_path / "copy.csv"
    for who, when in ((SHUNO_OWNER, READ_BY_OWNER), (SECRETARIAT, READ_BY_SECRETARIAT)):
        got = admin("evidence", "get", "R2-15-08", sha, "--out", str(out), "--as", who, now=when)
        assert got.exit_code == 0, got.output
    admin.sha = sha  # type: ignore[attr-defined]
    return admin


def _access(run: AdminCli, *args: str) -> list[dict]:
    result = run("audit", "access", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_every_read_is_listed_with_who_when_which_file_and_surface(read_twice: AdminCli) -> None:
    records = _access(read_twice)
    assert [(r["actor"], r["action"], r["surface"]) for r in records] == [
        (SHUNO_OWNER, "evidence_read", "cli"),
        (SECRETARIAT, "evidence_read", "cli"),
    ]
    assert records[0]["at"] == READ_BY_OWNER and records[0]["department"] == "収納課"
    assert records[0]["filename"] == "meibo.csv" and records[0]["sha256"] == read_twice.sha
    table = read_twice("audit", "access").output
    assert (
        "ファイル閲覧" in table
        and "meibo.csv" in table
        and "計 2 件(閲覧 2 件、書き出し 0 件)" in table
    )


def test_narrowed_by_time_condition_and_person(read_twice: AdminCli) -> None:
    assert [r["actor"] for r in _access(read_twice, "--since", "2021-02-20")] == [SECRETARIAT]
    assert [r["actor"] for r in _access(read_twice, "--user", SHUNO_OWNER)] == [SHUNO_OWNER]
    assert _access(read_twice, "--condition", "R2-16-01") == []
    assert len(_access(read_twice, "--condition", "R2-15-08")) == 2
    assert "該当する" in read_twice("audit", "access", "--user", VACC_OWNER).output
    for bad in (("--since", "先週"), ("--condition", "NO-SUCH")):
        refused = read_twice("audit", "access", *bad)
        assert refused.exit_code == 1 and refused.stderr


def test_a_report_pack_is_an_export_in_the_record(read_twice: AdminCli, tmp_path: Path) -> None:
    built = read_twice(
        "report", "--meeting", "R3-1", "--out", str(tmp_path / "pack"), "--as", SECRETARIAT
    )
    assert built.exit_code == 0, built.output
    exports = [r for r in _access(read_twice) if r["action"] != "evidence_read"]
    assert [(e["action"], e["subject"], e["surface"]) for e in exports] == [
        ("report_pack_built", "meeting:R3-1", "cli")
    ]
    assert "report-pack-R3-1.docx" in exports[0]["filename"]


def test_the_pack_can_end_with_an_access_summary_without_names(
    read_twice: AdminCli, tmp_path: Path
) -> None:
    out = tmp_path / "pack"
    built = read_twice(
        "report",
        "--out",
        str(out),
        "--access-summary",
        "--as",
        SECRETARIAT,
        now="2021-05-10T10:00:00+09:00",
    )
    assert built.exit_code == 0, built.output
    markdown = (out / "report-pack-R3-1.md").read_text(encoding="utf-8")
    section = markdown.split("## 提出ファイルの閲覧状況", 1)[1]
    assert "令和3年2月10日から令和3年5月10日までに、提出ファイルは延べ 2 回閲覧" in section
    assert "収納課: 閲覧 2 回(うち所管課 1 回、事務局 1 回)、ファイル 1 件、閲覧者 2 人" in section
    assert SECRETARIAT not in section and SHUNO_OWNER not in section and "山田" not in section

    from docx import Document
    from openpyxl import load_workbook

    paragraphs = [p.text for p in Document(str(out / "report-pack-R3-1.docx")).paragraphs]
    assert "提出ファイルの閲覧状況" in paragraphs
    sheet = load_workbook(out / "report-pack-R3-1.xlsx")["提出ファイルの閲覧状況"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[2] == ["収納課", 2, 1, 1, 1, 2]

    plain = tmp_path / "plain"
    read_twice("report", "--meeting", "R3-1", "--out", str(plain), "--as", SECRETARIAT)
    assert "閲覧状況" not in (plain / "report-pack-R3-1.md").read_text(encoding="utf-8")
