"""One way in for evidence: ``submit_evidence`` and every surface that reaches it.

The same roster (a newcomer whose employment type is blank) through the
library, ``evidence add``, ``roster submit`` and the console's ``/upload`` gives
the same finding and the same pledge-coverage effect (Slack: tests/slack/
test_submission.py). Then each kind's dispatch, and the refusals that change nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MEETING_NIGHT, SAMPLE, SECRETARIAT, SHUNO_OWNER, VACC_OWNER, AdminCli
from submission_case import (
    EXPECTED,
    FINDING_EN,
    FINDING_JA,
    FIRST,
    PLEDGE_ITEM,
    ROSTER_ITEM,
    SECOND,
    outcome,
    pledge_list_xlsx,
    prepare,
    roster_xlsx,
)

from duediligence import (
    CertificateFields,
    EvidenceError,
    Kind,
    PermissionDenied,
    TransitionError,
    submit_evidence,
)
from duediligence.checks import triggers
from duediligence.importer import import_file
from duediligence.store import Store
from duediligence.submission import private_summary
from duediligence.tracker import Tracker

ROOT = Path(__file__).resolve().parent.parent
MARCH = dt.datetime(2021, 3, 1, 10, 0, tzinfo=MEETING_NIGHT.tzinfo)
MARCH_ISO = MARCH.isoformat()


# -- the same roster through every surface -------------------------------------------------


@pytest.fixture
def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A database with the sample meeting and roster v1 + accepted pledges; the CLI points at it."""
    db, evidence = tmp_path / "dd.db", tmp_path / "evidence"
    store = Store.open(str(db))
    import_file(store, SAMPLE, actor=SECRETARIAT, now=MEETING_NIGHT)
    store.close()
    prepare(db, evidence)
    monkeypatch.setenv("DD_DB", str(db))
    monkeypatch.setenv("DD_EVIDENCE_DIR", str(evidence))
    for name in ("DD_LANG", "DD_SECRETARIAT_USERS", "DD_CLOSED_DAYS"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "meibo-v2.xlsx").write_bytes(roster_xlsx(SECOND))
    return db, evidence


def _library(db: Path, evidence: Path, file: Path) -> str:
    from duediligence.evidence import BlobStore

    store = Store.open(str(db))
    try:
        tracker = Tracker(store, BlobStore(evidence))
        result = submit_evidence(
            tracker,
            ROSTER_ITEM,
            file.read_bytes(),
            filename=file.name,
            actor=SHUNO_OWNER,
            now=MARCH,
        )
        return private_summary(result)
    finally:
        store.close()


def _cli(*args: str) -> str:
    done = AdminCli(MARCH_ISO)(*args)
    assert done.exit_code == 0, done.output
    return done.output


def _console(db: Path, file: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DD_", "SLACK_"))}
    env.update(HOME=str(file.parent), DD_CONSOLE_HISTORY=str(file.parent / "history"))
    done = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--db", str(db), "--now", MARCH_ISO],
        input=f"/as 収納課\n/upload {file} {ROSTER_ITEM}\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


SURFACES = {
    "library": lambda db, ev, f: _library(db, ev, f),
    "evidence add": lambda db, ev, f: _cli(
        "evidence", "add", ROSTER_ITEM, str(f), "--as", SHUNO_OWNER
    ),
    "roster submit": lambda db, ev, f: _cli(
        "roster", "submit", ROSTER_ITEM, str(f), "--as", SHUNO_OWNER
    ),
    "console": lambda db, ev, f: _console(db, f),
}


@pytest.mark.parametrize("surface", list(SURFACES))
def test_the_same_roster_gives_the_same_finding_and_coverage_effect_everywhere(
    place: tuple[Path, Path], surface: str
) -> None:
    db, evidence = place
    said = SURFACES[surface](db, evidence, db.parent / "meibo-v2.xlsx")
    assert FINDING_JA in said
    assert "第2版" in said and "高橋 次郎" in said  # the uploader sees who joined
    assert f"{PLEDGE_ITEM}#2" in said  # and that the pledges were brought round again
    assert outcome(db) == EXPECTED


def test_evidence_add_in_english_says_the_same_finding(place: tuple[Path, Path]) -> None:
    db, _ = place
    said = _cli(
        "--lang",
        "en",
        "evidence",
        "add",
        ROSTER_ITEM,
        str(db.parent / "meibo-v2.xlsx"),
        "--as",
        SHUNO_OWNER,
    )
    assert FINDING_EN in said
    assert outcome(db) == EXPECTED


# -- each kind's check -------------------------------------------------------------------------


def _never_read() -> Iterator[bytes]:
    raise AssertionError("the file was read although it was refused")
    yield b""  # pragma: no cover


def _unchanged(t: Tracker, condition_id: str) -> tuple[object, int, int]:
    store = t.store
    return (
        store.condition(condition_id).status,
        len(store.evidence_of(condition_id)),
        len(store.events(condition_id)),
    )


def test_a_roster_that_is_not_a_table_is_refused_unread(sample: Tracker) -> None:
    before = _unchanged(sample, ROSTER_ITEM)
    with pytest.raises(EvidenceError) as err:
        submit_evidence(
            sample, ROSTER_ITEM, _never_read(), filename="meibo.pdf", actor=SHUNO_OWNER, now=MARCH
        )
    assert err.value.key == "checks.submit.roster_not_table"
    assert "template roster" in err.value.render("ja") and "xlsx" in err.value.render("en")
    assert _unchanged(sample, ROSTER_ITEM) == before


def test_the_tracker_method_is_the_same_entry_point(sample: Tracker) -> None:
    result = sample.submit_evidence(
        ROSTER_ITEM, roster_xlsx(FIRST), filename="meibo.xlsx", actor=SHUNO_OWNER, now=MARCH
    )
    assert result.check == "roster" and result.findings == ()
    assert result.roster is not None and result.roster.version.version == 1
    assert [e.action for e in sample.store.events(ROSTER_ITEM)][-2:] == [
        "submitted",
        "roster_checked",
    ]


def test_a_pledge_list_a_named_scan_and_an_unnamed_scan(sample: Tracker) -> None:
    submit_evidence(
        sample, ROSTER_ITEM, roster_xlsx(FIRST), filename="m.xlsx", actor=SHUNO_OWNER, now=MARCH
    )
    listed = submit_evidence(
        sample,
        PLEDGE_ITEM,
        pledge_list_xlsx(["山田 太郎"]),
        filename="list.xlsx",
        actor=SHUNO_OWNER,
        now=MARCH,
    )
    assert listed.check == "pledge_list" and listed.coverage is not None
    assert (listed.coverage.covered, listed.coverage.required) == (1, 3)
    named = submit_evidence(
        sample,
        PLEDGE_ITEM,
        b"%PDF scan",
        filename="s.pdf",
        actor=SHUNO_OWNER,
        now=MARCH,
        person="佐藤花子",
    )
    assert named.check == "pledge_scan" and named.coverage.covered == 2
    nobody = submit_evidence(
        sample, PLEDGE_ITEM, b"%PDF another", filename="t.pdf", actor=SHUNO_OWNER, now=MARCH
    )
    assert nobody.check == "pledge_unattributed"
    assert [f.code for f in nobody.findings] == ["checks.pledge.unattributed"]
    assert nobody.coverage.covered == 2  # stored, counted for nobody
    assert "--person" in private_summary(nobody) and "2/3" in private_summary(nobody)


def test_a_certificate_scan_with_and_without_its_fields(sample: Tracker) -> None:
    plain = submit_evidence(
        sample, "R2-15-13", b"%PDF isms", filename="isms.pdf", actor=SHUNO_OWNER, now=MARCH
    )
    assert plain.check == "certificate_scan"
    assert "checks.certificate.fields_missing" in [f.code for f in plain.findings]
    fields = CertificateFields("IS 500001", dt.date(2020, 3, 16), dt.date(2023, 3, 15))
    recorded = submit_evidence(
        sample,
        "R2-15-14",
        b"%PDF pmark",
        filename="pmark.jpg",
        actor=SHUNO_OWNER,
        now=MARCH,
        certificate=fields,
    )
    assert recorded.check == "certificate"
    assert recorded.certificate is not None and recorded.certificate.record.number == "IS 500001"
    assert sample.store.condition("R2-15-14").status == "submitted"


def test_a_disposal_certificate_before_its_event_is_flagged(sample: Tracker) -> None:
    result = submit_evidence(
        sample, "R2-15-05", b"%PDF erased", filename="shoukyo.pdf", actor=SHUNO_OWNER, now=MARCH
    )
    assert result.check == "disposal"
    [finding] = result.findings
    assert finding.code == "checks.disposal.event_not_reported" and finding.value == "contract_end"
    assert "duediligence event" in finding.render("ja")
    triggers.report_event(
        sample, "R2-15", "disk_replacement", on=MARCH.date(), actor=SHUNO_OWNER, now=MARCH
    )
    after = submit_evidence(
        sample, "R2-15-06", b"%PDF disk", filename="disk.png", actor=SHUNO_OWNER, now=MARCH
    )
    assert after.findings == ()  # its event was reported: nothing to flag


@pytest.mark.parametrize(
    ("condition", "filename", "options", "key"),
    [
        ("R2-15-13", "isms.zip", {}, "checks.submit.not_a_scan"),
        ("R2-15-05", "shoukyo.xlsx", {}, "checks.submit.not_a_scan"),
        ("R2-15-01", "kaitou.pdf", {"person": "山田 太郎"}, "checks.submit.person_not_pledge"),
        ("R2-15-09", "s.pdf", {"person": "  "}, "checks.submit.person_empty"),
        (
            "R2-15-01",
            "kaitou.pdf",
            {"certificate": CertificateFields("1", dt.date(2020, 1, 1), dt.date(2023, 1, 1))},
            "checks.submit.fields_not_certificate",
        ),
        ("R2-15-01", "kaitou.pdf", {"kind": Kind.ROSTER}, "checks.roster.wrong_kind"),
        ("R2-15-08", "m.xlsx", {"kind": Kind.PLEDGE}, "checks.pledge.wrong_kind"),
    ],
)
def test_what_is_wrong_for_the_kind_is_refused_unread(
    sample: Tracker, condition: str, filename: str, options: dict, key: str
) -> None:
    before = _unchanged(sample, condition)
    with pytest.raises(EvidenceError) as err:
        submit_evidence(
            sample,
            condition,
            _never_read(),
            filename=filename,
            actor=SHUNO_OWNER,
            now=MARCH,
            **options,
        )
    assert err.value.key == key
    assert err.value.render("ja") != key and err.value.render("en") != key
    assert _unchanged(sample, condition) == before


def test_not_the_owner_and_a_finished_item_are_refused_unread(sample: Tracker) -> None:
    with pytest.raises(PermissionDenied):
        submit_evidence(
            sample, ROSTER_ITEM, _never_read(), filename="m.xlsx", actor=VACC_OWNER, now=MARCH
        )
    sample.waive("R2-15-01", actor=SECRETARIAT, reason="不要", now=MARCH)
    with pytest.raises(TransitionError):
        submit_evidence(
            sample, "R2-15-01", _never_read(), filename="a.pdf", actor=SHUNO_OWNER, now=MARCH
        )


def test_a_roster_over_the_limit_is_cut_off(sample: Tracker) -> None:
    limit = sample.blobs.max_bytes
    chunks = (b"x" * 65536 for _ in range(limit // 65536 + 2))
    with pytest.raises(EvidenceError) as err:
        submit_evidence(
            sample, ROSTER_ITEM, chunks, filename="big.xlsx", actor=SHUNO_OWNER, now=MARCH
        )
    assert err.value.key == "error.evidence.too_large"
    assert sample.store.evidence_of(ROSTER_ITEM) == []


# -- the CLI's options for the kinds -------------------------------------------------------------


@pytest.fixture
def cli(admin: AdminCli, tmp_path: Path) -> AdminCli:
    admin.now = MARCH_ISO
    return admin.import_sample()


def test_evidence_add_takes_a_pledge_person_and_certificate_fields(
    cli: AdminCli, tmp_path: Path
) -> None:
    roster_file = tmp_path / "meibo.csv"
    roster_file.write_text(
        "氏名,役割,雇用形態\n山田 太郎,個人情報取扱責任者,正社員\n佐藤 花子,連絡調整責任者,正社員\n",
        encoding="utf-8",
    )
    assert cli("evidence", "add", ROSTER_ITEM, str(roster_file), "--as", SHUNO_OWNER).exit_code == 0
    scan = tmp_path / "seiyaku.pdf"
    scan.write_bytes(b"%PDF pledge")
    out = cli(
        "evidence", "add", PLEDGE_ITEM, str(scan), "--person", "山田太郎", "--as", SHUNO_OWNER
    )
    assert out.exit_code == 0, out.output
    assert "1/2" in out.output
    cert = tmp_path / "isms.pdf"
    cert.write_bytes(b"%PDF isms")
    out = cli(
        "evidence",
        "add",
        "R2-15-13",
        str(cert),
        "--number",
        "IS 500001",
        "--renewed",
        "令和2年3月16日",
        "--expires",
        "2023-03-15",
        "--as",
        SHUNO_OWNER,
    )
    assert out.exit_code == 0, out.output
    assert "IS 500001" in out.output and "2020-03-16" in out.output


def test_evidence_add_refuses_half_the_certificate_fields(cli: AdminCli, tmp_path: Path) -> None:
    cert = tmp_path / "isms.pdf"
    cert.write_bytes(b"%PDF isms")
    out = cli("evidence", "add", "R2-15-13", str(cert), "--number", "IS 1", "--as", SHUNO_OWNER)
    assert out.exit_code == 1
    assert "3つそろえて" in out.output
    assert cli("show", "R2-15-13", "--json").output.count('"sha256"') == 0
