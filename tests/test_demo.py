"""`ddbot demo` (what `make demo` runs): the sample meeting walked to report-back.

The demo runs in-process on a tmp database so every condition's final state,
the evidence, the roster and pledges, the outbox and the report pack can be
checked; once as `python -m bot demo` to see the command itself exit 0; twice
to see it is deterministic; and in English.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bot.demo import DemoError, DemoResult, run_demo
from duediligence import ConditionFilter, Status
from duediligence.checks import pledges
from duediligence.messages import t
from duediligence.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "council-2021-02-10.yaml"
PROCESS_LIMIT = 300  # seconds before the subprocess is given up on (not asserted)

REPORTED = {"R2-15-01", "R2-15-08", "R2-15-09"}  # accepted during the walk, then reported at R3-1
SAMPLE_CONDITIONS = {
    *(f"R2-15-{n:02d}" for n in range(1, 17)),
    *(f"R2-16-{n:02d}" for n in range(1, 11)),
    "R2-RPT-01-1",
}


def _run(tmp_path: Path, lang: str = "ja") -> DemoResult:
    lines: list[str] = []
    result = run_demo(
        SAMPLE, db=tmp_path / "demo.db", out_dir=tmp_path / "out", lang=lang, write=lines.append
    )
    assert list(result.transcript) == lines
    return result


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    return _run(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def store(walked: DemoResult) -> Store:
    opened = Store.open(str(walked.db))
    yield opened
    opened.close()


def test_every_sample_condition_ends_where_the_walk_leaves_it(store: Store) -> None:
    conditions = {c.id: c for c in store.conditions(ConditionFilter())}
    assert set(conditions) == SAMPLE_CONDITIONS  # no occurrence opened, nothing lost
    for condition_id, condition in conditions.items():
        expected = Status.REPORTED if condition_id in REPORTED else Status.OPEN
        assert condition.status is expected, condition_id
    for condition_id in REPORTED:
        assert conditions[condition_id].reported_at_meeting == "R3-1"
    # nobody acted on the vaccination PT's February items: overdue on the day of the meeting
    for condition_id in ("R2-16-01", "R2-16-02", "R2-16-03"):
        assert conditions[condition_id].is_overdue(dt.date(2021, 5, 19))


def test_the_roster_was_returned_with_a_reason_and_the_fix_accepted(store: Store) -> None:
    actions = [e.action for e in store.events("R2-15-08")]
    assert actions.index("returned") < actions.index("accepted") < actions.index("reported")
    returned = next(e for e in store.events("R2-15-08") if e.action == "returned")
    assert returned.actor == "U01JIMU0001" and "雇用形態" in returned.reason
    assert [e.filename for e in store.evidence_of("R2-15-08")] == ["meibo-v1.xlsx", "meibo-v2.xlsx"]
    roster = store.latest_roster("R2-15", pledges.roster_scope(store, store.condition("R2-15-09")))
    assert roster is not None and roster.version == 2
    assert len(store.roster_people(roster.id)) == 3


def test_pledges_cover_everyone_on_the_roster(store: Store) -> None:
    coverage = pledges.coverage(store, store.condition("R2-15-09"))
    assert coverage.complete and (coverage.covered, coverage.required) == (3, 3)
    files = [e.filename for e in store.evidence_of("R2-15-09")]
    assert files == ["seiyaku-list.xlsx", "seiyaku-yamada.pdf"]


def test_reminders_an_escalation_and_digests_were_delivered(store: Store) -> None:
    sent = store.outbox_entries(status="sent")
    assert store.outbox_entries(status="failed") == []
    kinds = Counter(str(e.kind) for e in sent)
    assert kinds["reminder"] > 0 and kinds["digest"] >= 2
    escalations = [e for e in sent if str(e.kind) == "escalation"]
    assert {e.recipient for e in escalations} == {"U03VACC0900"}
    assert {e.condition for e in escalations} == {"R2-16-01", "R2-16-02", "R2-16-03"}


def test_the_report_pack_was_written_and_recorded(walked: DemoResult, store: Store) -> None:
    names = {p.name for p in walked.files if p.parent == walked.out_dir}
    assert names == {"report-pack-R3-1.docx", "report-pack-R3-1.xlsx", "report-pack-R3-1.md"}
    assert all(p.is_file() for p in walked.files)
    markdown = (walked.out_dir / "report-pack-R3-1.md").read_text(encoding="utf-8")
    assert "R2-15-08" in markdown
    record = store.pack_record("R3-1")
    assert record is not None
    packed = dict(record.items)
    assert {cid for cid, status in packed.items() if status is Status.ACCEPTED} == REPORTED


def test_the_transcript_reads_as_a_conversation(walked: DemoResult) -> None:
    text = "\n".join(walked.transcript)
    assert (
        "【令和3年2月17日(2021-02-17) 水 10:00】 収納課 U02SHUNO001: /upload meibo-v1.xlsx" in text
    )
    assert "【令和3年2月10日(2021-02-10) 水 19:40】 事務局 U01JIMU0001: /import" in text
    assert "記載 3人" in text  # the roster check's summary
    assert "3/3人" in text  # pledge coverage complete
    assert "所属長 U03VACC0900" in text  # the escalation
    assert "週次ダイジェスト" in text
    assert "3 件を報告済にしました" in text
    # ends with the status table and the files written
    tail = text[text.index("── 最終的な状況") :]
    assert "R2-16-01" in tail and "報告済" in tail
    for path in walked.files:
        assert str(path) in tail


def test_the_demo_is_deterministic(tmp_path: Path) -> None:
    first = _run(tmp_path / "one")
    second = _run(tmp_path / "two")

    def neutral(result: DemoResult, root: Path) -> list[str]:
        return [line.replace(str(root), "TMP") for line in result.transcript]

    assert neutral(first, tmp_path / "one") == neutral(second, tmp_path / "two")
    shas = re.findall(r"sha256 ([0-9a-f]{12})", "\n".join(first.transcript))
    assert len(shas) >= 5  # the sample files' checksums are part of what stays the same


def test_english(tmp_path: Path) -> None:
    text = "\n".join(_run(tmp_path, lang="en").transcript)
    assert (
        "[2021-02-17 Wed 10:00 (令和3年2月17日)] 収納課 U02SHUNO001: /upload meibo-v1.xlsx" in text
    )
    assert "Reported" in text and "Accept" in text and "Weekly digest" in text
    table = text.split("── Where everything stands")[1].split("Files written")[0]
    assert "Status" in table and "Reported" in table and "days overdue" in table


def test_a_used_database_is_refused(walked: DemoResult, tmp_path: Path) -> None:
    with pytest.raises(DemoError, match="すでに確認事項があります"):
        run_demo(SAMPLE, db=walked.db, out_dir=tmp_path / "again", write=lambda _: None)


def test_the_command_exits_zero_and_prints_the_paths(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    done = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--db", str(db), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=PROCESS_LIMIT,
    )
    assert done.returncode == 0, done.stderr
    assert str(db) in done.stdout
    assert str(tmp_path / "out" / "report-pack-R3-1.docx") in done.stdout
    store = Store.open(str(db))
    try:
        assert {c.id for c in store.conditions(ConditionFilter(statuses=(Status.REPORTED,)))} == (
            REPORTED
        )
    finally:
        store.close()


def test_the_demo_on_postgresql_tells_the_same_story(
    walked: DemoResult, pg_server: str, tmp_path: Path
) -> None:
    from conftest import fresh_pg_database

    with fresh_pg_database(pg_server) as url:
        lines: list[str] = []
        on_server = run_demo(SAMPLE, db=url, out_dir=tmp_path / "out", write=lines.append)
        store = Store.open(url)
        try:
            states = {c.id: c.status for c in store.conditions(ConditionFilter())}
        finally:
            store.close()
    files = t("bot.demo.files", "ja")
    cut = walked.transcript.index(files)

    def story(result: DemoResult) -> list[str]:  # the same words, only the folders differ
        return [line.replace(str(result.out_dir), "OUT") for line in result.transcript[:cut]]

    assert story(on_server) == story(walked)
    local = Store.open(str(walked.db))
    try:
        assert states == {c.id: c.status for c in local.conditions(ConditionFilter())}
    finally:
        local.close()
