"""The bad-input walk of every ``duediligence`` command (hostile files and the like:
tests/test_bad_input.py): each refusal says what to do, in
Japanese and in English, exits non-zero, and changes nothing in the database.

Each case is (arguments, exit status, words the Japanese refusal must contain). The
walk runs on the sample meeting at 2021-03-01, with nothing submitted yet. The
list of what was tried is also in the engineer's note for issue 13.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SECRETARIAT, SHUNO_OWNER, VACC_OWNER, AdminCli

from duediligence.store import Store

NOW = "2021-03-01T10:00:00+09:00"
OWNER = ("--as", SHUNO_OWNER)
JIMU = ("--as", SECRETARIAT)
CERT = ("--number", "IS 500001", "--renewed", "2020-03-16", "--expires", "2023-03-15")

#: (id, arguments, exit status, what the Japanese refusal must say)
CASES: list[tuple[str, tuple[str, ...], int, tuple[str, ...]]] = [
    # unknown ids, and the id that was meant
    ("unknown condition", ("show", "NOPE"), 1, ("NOPE", "duediligence status")),
    ("condition in lower case", ("show", "r2-15-08"), 1, ("「R2-15-08」のことですか",)),
    (
        "full-width condition",
        ("accept", "Ｒ２－１５－０２", *JIMU),
        1,
        ("「R2-15-02」のことですか",),
    ),
    (
        "unknown condition, evidence add",
        ("evidence", "add", "R9-99", "{pdf}", *OWNER),
        1,
        ("R9-99",),
    ),
    (
        "unknown sha256",
        ("evidence", "get", "R2-15-01", "abc", "--out", "{out}", *OWNER),
        1,
        ("duediligence show R2-15-01",),
    ),
    (
        "unknown consultation",
        ("event", "R9", "contract_end", "--date", "2021-03-01", *OWNER),
        1,
        ("R2-15", "R2-16"),
    ),
    ("unknown events subject", ("events", "NOPE"), 1, ("duediligence status",)),
    (
        "unknown department filter",
        ("status", "--department", "収納家"),
        1,
        ("「収納課」のことですか",),
    ),
    (
        "unknown consultation filter",
        ("status", "--consultation", "r2-15"),
        1,
        ("「R2-15」のことですか",),
    ),
    ("unknown vendor filter", ("status", "--vendor", "架空株式会社"), 1, ("登録済み",)),
    (
        "a term before any file",
        ("evidence", "validity", "R2-15-01", "--valid-until", "2022-03-31", *OWNER),
        1,
        ("先に duediligence evidence add",),
    ),
    (
        "a term for an unknown file",
        (
            "evidence",
            "validity",
            "R2-15-01",
            "--valid-until",
            "2022-03-31",
            "--sha256",
            "abc",
            *OWNER,
        ),
        1,
        ("duediligence show R2-15-01",),
    ),
    (
        "a term that ends before it starts",
        (
            "evidence",
            "validity",
            "R2-15-01",
            "--valid-until",
            "2021-01-01",
            "--effective",
            "2021-04-01",
            *OWNER,
        ),
        1,
        ("始まり",),
    ),
    (
        "add to an unknown consultation",
        (
            "condition",
            "add",
            "R9",
            "--kind",
            "roster",
            "--text",
            "x",
            "--due",
            "2021-06-30",
            "--meeting",
            "R2-6",
            *JIMU,
        ),
        1,
        ("R2-15", "何も保存していません"),
    ),
    (
        "add of a mistyped kind",
        (
            "condition",
            "add",
            "R2-15",
            "--kind",
            "名薄",
            "--text",
            "x",
            "--due",
            "2021-06-30",
            "--meeting",
            "R2-6",
            *JIMU,
        ),
        1,
        ("名簿 (roster)",),
    ),
    (
        "add at an unknown meeting",
        (
            "condition",
            "add",
            "R2-15",
            "--kind",
            "roster",
            "--text",
            "x",
            "--due",
            "2021-06-30",
            "--meeting",
            "R9-9",
            *JIMU,
        ),
        1,
        ("登録されている会議",),
    ),
    (
        "edit an unknown condition",
        ("condition", "edit", "NOPE", "--text", "y", "--meeting", "R2-6", "--reason", "r", *JIMU),
        1,
        ("duediligence status",),
    ),
    (
        "edit to a mistyped department",
        (
            "condition",
            "edit",
            "R2-15-01",
            "--department",
            "収納家",
            "--meeting",
            "R2-6",
            "--reason",
            "r",
            *JIMU,
        ),
        1,
        ("「収納課」のことですか",),
    ),
    (
        "withdraw at an unknown meeting",
        ("condition", "withdraw", "R2-15-01", "--meeting", "2021-12-01", "--reason", "r", *JIMU),
        1,
        ("登録されている会議",),
    ),
    (
        "draft from minutes that do not exist",
        ("draft", "{missing}", "--out", "{out_yaml}"),
        1,
        ("読めません",),
    ),
    (
        "draft to a file type it cannot write",
        ("draft", "{csv}", "--out", "{out}"),
        1,
        (".xlsx", ".yaml"),
    ),
    ("copy to something not PostgreSQL", ("db", "copy", "--to", "{stray}"), 1, ("postgresql://",)),
    (
        "incident on an unknown consultation",
        ("incident", "report", "R9", "--kind", "leak", *OWNER),
        1,
        ("R2-15",),
    ),
    (
        "incident of an unknown kind",
        ("incident", "report", "R2-15", "--kind", "fire", *OWNER),
        2,
        ("unauthorized_access",),
    ),
    (
        "incidents of an unknown consultation",
        ("incident", "list", "--consultation", "r2-15"),
        1,
        ("「R2-15」のことですか",),
    ),
    (
        "a checklist that does not exist",
        ("checklist", "load", "clauses", "{missing}", *JIMU),
        2,
        ("見つかりません",),
    ),
    ("a PDF as a checklist", ("checklist", "load", "clauses", "{pdf}", *JIMU), 1, ("key",)),
    (
        "checklist answers for a confirmation",
        ("checklist", "record", "R2-15-01", "--answer", "a=b", *OWNER),
        1,
        ("R2-15-01",),
    ),
    ("an unknown checklist", ("checklist", "show", "nope"), 2, ("clauses, inspection",)),
    (
        "a sub-contract under an unknown consultation",
        (
            "subcontract",
            "request",
            "R9",
            "--subcontractor",
            "X",
            "--under",
            "Y",
            "--due",
            "2021-06-30",
            *OWNER,
        ),
        1,
        ("R9",),
    ),
    (
        "a sub-contract under an unknown vendor",
        (
            "subcontract",
            "request",
            "R2-15",
            "--subcontractor",
            "X",
            "--under",
            "架空",
            "--due",
            "2021-06-30",
            *OWNER,
        ),
        1,
        ("架空",),
    ),
    # wrong kinds for the command
    (
        "roster submit on a confirmation",
        ("roster", "submit", "R2-15-01", "{csv}", *OWNER),
        1,
        ("evidence add",),
    ),
    (
        "pledge add on a roster",
        ("pledge", "add", "R2-15-08", "{pdf}", "--person", "山田 太郎", *OWNER),
        1,
        ("誓約書の確認事項ではありません", "evidence add"),
    ),
    (
        "pledge coverage on a confirmation",
        ("pledge", "coverage", "R2-15-01"),
        1,
        ("誓約書の確認事項ではありません",),
    ),
    (
        "certificate on a confirmation",
        ("certificate", "R2-15-01", *CERT, "--file", "{pdf}", *OWNER),
        1,
        ("認証更新の確認事項ではありません",),
    ),
    (
        "--person on a confirmation",
        ("evidence", "add", "R2-15-01", "{pdf}", "--person", "山田 太郎", *OWNER),
        1,
        ("氏名を付けずに",),
    ),
    (
        "certificate fields on a confirmation",
        ("evidence", "add", "R2-15-01", "{pdf}", *CERT, *OWNER),
        1,
        ("それらを付けずに",),
    ),
    (
        "fy-check on a confirmation",
        ("fy-check", "R2-15-01", "--answer", "no", *OWNER),
        1,
        ("fy-questions",),
    ),
    # files of the wrong type for the kind
    (
        "a PDF as a roster",
        ("evidence", "add", "R2-15-08", "{pdf}", *OWNER),
        1,
        ("xlsx", "template roster"),
    ),
    ("a PDF to roster submit", ("roster", "submit", "R2-15-08", "{pdf}", *OWNER), 1, ("xlsx",)),
    (
        "a PDF renamed .xlsx",
        ("roster", "submit", "R2-15-08", "{fake_xlsx}", *OWNER),
        1,
        ("PDF や画像", "xlsx"),
    ),
    (
        "a zip as a certificate",
        ("evidence", "add", "R2-15-13", "{zip}", *OWNER),
        1,
        ("PDF", "画像"),
    ),
    (
        "a spreadsheet as a disposal certificate",
        ("evidence", "add", "R2-15-05", "{csv}", *OWNER),
        1,
        ("PDF",),
    ),
    ("a PDF as a pledge list", ("pledge", "list", "R2-15-09", "{pdf}", *OWNER), 1, ("pledge add",)),
    (
        "a pledge before any roster",
        ("pledge", "add", "R2-15-09", "{pdf}", "--person", "山田 太郎", *OWNER),
        1,
        ("先に名簿を提出",),
    ),
    (
        "an empty file",
        ("evidence", "add", "R2-15-01", "{empty}", *OWNER),
        1,
        ("中身のあるファイル",),
    ),
    (
        "a file that does not exist",
        ("evidence", "add", "R2-15-01", "{missing}", *OWNER),
        2,
        ("見つかりません", "--help"),
    ),
    (
        "half the certificate fields",
        ("evidence", "add", "R2-15-13", "{pdf}", "--number", "IS 1", *OWNER),
        1,
        ("3つそろえて",),
    ),
    # a meeting that does not exist
    (
        "mark-reported at an unknown meeting",
        ("mark-reported", "R2-15-01", "--meeting", "2021-12-01", *JIMU),
        1,
        ("登録されている会議", "R3-1"),
    ),
    (
        "report for an unknown meeting",
        ("report", "--meeting", "R9-9", "--out", "{dir}"),
        1,
        ("登録されている会議",),
    ),
    (
        "export an unknown meeting",
        ("export", "meeting", "令和9年度第1回", "--out", "{out}"),
        1,
        ("登録されている会議",),
    ),
    (
        "mark a pack never built",
        ("mark-reported", "--meeting", "next", *JIMU),
        1,
        ("duediligence report --meeting R3-1",),
    ),
    # dates that cannot be right
    (
        "a renewal in the future",
        (
            "certificate",
            "R2-15-13",
            "--number",
            "X",
            "--renewed",
            "2022-01-01",
            "--expires",
            "2025-01-01",
            "--file",
            "{pdf}",
            *OWNER,
        ),
        1,
        ("今日以前",),
    ),
    (
        "an expiry before the renewal",
        (
            "certificate",
            "R2-15-13",
            "--number",
            "X",
            "--renewed",
            "2020-01-01",
            "--expires",
            "2019-01-01",
            "--file",
            "{pdf}",
            *OWNER,
        ),
        1,
        ("有効期限を確かめて",),
    ),
    (
        "an extension into the past",
        ("extend", "R2-15-01", "--due", "2020-01-01", "--reason", "x", *JIMU),
        1,
        ("今日以降",),
    ),
    (
        "an unreadable due date",
        ("extend", "R2-15-01", "--due", "そのうち", "--reason", "x", *JIMU),
        1,
        ("例:",),
    ),
    (
        "an event ten years ahead",
        ("event", "R2-15", "contract_end", "--date", "2031-03-01", *OWNER),
        1,
        ("5年より先",),
    ),
    ("an unreadable --now", ("--now", "yesterday", "status"), 2, ("ISO",)),
    # steps the status does not allow, and who may not take them
    ("accept before anything was submitted", ("accept", "R2-15-02", *JIMU), 1, ("提出してから",)),
    (
        "return before anything was submitted",
        ("return", "R2-15-02", "--reason", "x", *JIMU),
        1,
        ("提出済(確認待ち)",),
    ),
    (
        "mark reported before accepting",
        ("mark-reported", "R2-15-02", "--meeting", "R3-1", *JIMU),
        1,
        ("承認してください",),
    ),
    (
        "override on an open pledge",
        ("pledge", "accept", "R2-15-09", "--override-reason", "x", *JIMU),
        1,
        ("提出してから",),
    ),
    ("accept by a department", ("accept", "R2-15-02", *OWNER), 1, ("事務局のみ",)),
    (
        "submit for another department",
        ("evidence", "add", "R2-15-01", "{pdf}", "--as", VACC_OWNER),
        1,
        ("所管課の担当者のみ",),
    ),
    (
        "waive an unknown condition",
        ("waive", "NOPE", "--reason", "x", *JIMU),
        1,
        ("duediligence status",),
    ),
    ("return without a reason", ("return", "R2-15-02", "--reason", " ", *JIMU), 1, ("理由",)),
    # the command line itself
    (
        "a missing option",
        ("evidence", "add", "R2-15-01", "{pdf}"),
        2,
        ("「--as」を指定してください",),
    ),
    (
        "a bad choice",
        ("fy-check", "R2-16-07", "--answer", "maybe", *OWNER),
        2,
        ("使える値: yes, no",),
    ),
    (
        "an unknown trigger",
        ("event", "R2-15", "party", "--date", "2021-03-01", *OWNER),
        2,
        ("contract_end",),
    ),
    (
        "not a number",
        ("fy-check", "R2-16-07", "--answer", "yes", "--fiscal-year", "abc", *OWNER),
        2,
        ("数ではありません",),
    ),
    ("an unknown command", ("stauts",), 2, ("「stauts」というコマンドはありません",)),
    ("an unknown option", ("status", "--overdu"), 2, ("--overdue",)),
    ("an extra argument", ("show", "R2-15-01", "extra"), 2, ("余分な引数",)),
    # the records commands (issue 17)
    (
        "audit access, unreadable date",
        ("audit", "access", "--since", "あさってごろ"),
        1,
        ("あさってごろ",),
    ),
    ("audit access, unknown condition", ("audit", "access", "--condition", "NOPE"), 1, ("NOPE",)),
    ("backup into a folder", ("backup", "--out", "{folder}"), 2, ("フォルダ",)),
    ("restore a missing archive", ("restore", "{missing}", "--db", "{stray}"), 2, ("nofile.pdf",)),
    ("purge by a department", ("purge", "--as", SHUNO_OWNER), 1, ("事務局",)),
]

_KEY = re.compile(r"\b(?:error|checks|cli|hint|suggest)\.[a-z_]+\.?[a-z_.]*\b")


@pytest.fixture
def walk(admin: AdminCli, tmp_path: Path) -> tuple[AdminCli, dict[str, str]]:
    admin.now = NOW
    admin.import_sample()
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4 scan")
    (tmp_path / "a.zip").write_bytes(b"PK\x03\x04 not a certificate")
    (tmp_path / "fake.xlsx").write_bytes(b"%PDF-1.4 renamed")
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "r.csv").write_text(
        "氏名,役割,雇用形態\n山田 太郎,個人情報取扱責任者,正社員\n", encoding="utf-8"
    )
    files = {
        "pdf": str(tmp_path / "a.pdf"),
        "zip": str(tmp_path / "a.zip"),
        "fake_xlsx": str(tmp_path / "fake.xlsx"),
        "empty": str(tmp_path / "empty.pdf"),
        "csv": str(tmp_path / "r.csv"),
        "missing": str(tmp_path / "nofile.pdf"),
        "out": str(tmp_path / "out.bin"),
        "out_yaml": str(tmp_path / "draft.yaml"),
        "stray": str(tmp_path / "stray.db"),
        "dir": str(tmp_path / "pack"),
        "folder": str(tmp_path),
    }
    return admin, files


def _snapshot(db: str) -> tuple[object, ...]:
    store = Store.open(db)
    try:
        conditions = [(c.id, str(c.status), c.due) for c in store.conditions()]
        evidence = sum(len(store.evidence_of(c[0])) for c in conditions)
        return (len(store.events()), tuple(conditions), evidence)
    finally:
        store.close()


@pytest.mark.parametrize(
    ("args", "code", "says"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_refusal_says_what_to_do_and_changes_nothing(
    walk: tuple[AdminCli, dict[str, str]],
    args: tuple[str, ...],
    code: int,
    says: tuple[str, ...],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run, files = walk
    db = str(tmp_path / "cli.db")
    before = _snapshot(db)
    argv = tuple(a.format(**files) for a in args)
    ja = run(*argv)
    assert ja.exit_code == code, ja.output
    for words in says:
        assert words in ja.output, ja.output
    en = (
        run("--lang", "en", *argv)
        if argv[0] != "--now"
        else run(*argv[:2], "--lang", "en", *argv[2:])
    )
    assert en.exit_code == code, en.output
    assert en.output != ja.output, en.output
    assert not re.search("ください|ません|です|ます", en.output), en.output
    for output in (ja.output, en.output):
        assert "Traceback" not in output and not _KEY.search(output), output
    assert _snapshot(db) == before
    for written in ("out", "out_yaml", "dir", "stray"):  # nothing written beside the database
        assert not Path(files[written]).exists(), written


def test_the_walk_covers_every_command() -> None:
    """A new command joins the walk: each one has at least one bad-input case above."""
    from test_docs import COMMANDS

    walked = {" ".join(a for a in c[1] if not a.startswith(("-", "{")))[:40] for c in CASES}
    for name, _ in COMMANDS:
        if name in {
            "init",
            "import",
            "template roster",
            "template meeting",
            "fy-questions",
            "roster check",
            "audit verify",  # no input to get wrong; a broken chain: tests of issue 17
        }:
            continue  # take no id, file or meeting to get wrong (import: tests/test_import.py)
        assert any(w.startswith(name) for w in walked), f"no bad-input case for duediligence {name}"
