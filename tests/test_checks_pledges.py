"""Pledges (誓約書): per person of the current roster, coverage, and acceptance gated on it."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from conftest import MEETING_NIGHT, SECRETARIAT, SHUNO_OWNER, AdminCli

from duediligence import EvidenceError, PermissionDenied, Status, TransitionError
from duediligence.checks import pledges, roster
from duediligence.tracker import Tracker

pytestmark = pytest.mark.both_engines

LATER = MEETING_NIGHT + dt.timedelta(days=7)
ROSTER_ITEM = "R2-15-08"
PLEDGE_ITEM = "R2-15-09"
HEADER = ["氏名", "所属", "役割", "雇用形態", "従事開始日", "従事終了日"]
PEOPLE = [
    ["山田 太郎", "東京支社", "個人情報取扱責任者", "正社員", "2021/04/01", ""],
    ["佐藤 花子", "東京支社", "連絡調整責任者", "正社員", "2021/04/01", ""],
    ["鈴木 一郎", "コールセンター", "業務従事者", "派遣", "2021/04/01", ""],
]
NEWCOMER = ["高橋 次郎", "コールセンター", "業務従事者", "契約社員", "2021/06/01", ""]


def roster_csv(rows: list[list[str]]) -> bytes:
    return ("\r\n".join(",".join(r) for r in [HEADER, *rows]) + "\r\n").encode("cp932")


def pledge_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["氏名", "退職後を含む"])
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def submit_roster(
    t: Tracker, rows: list[list[str]], when: dt.datetime = LATER
) -> roster.RosterSubmission:
    return roster.submit_roster(
        t, ROSTER_ITEM, roster_csv(rows), filename="meibo.csv", actor=SHUNO_OWNER, now=when
    )


def scan(t: Tracker, person: str, *, after_leaving: bool = True) -> pledges.PledgeSubmission:
    return pledges.submit_pledge_scan(
        t,
        PLEDGE_ITEM,
        f"scan of {person}".encode(),
        filename="seiyaku.pdf",
        person=person,
        after_leaving=after_leaving,
        actor=SHUNO_OWNER,
        now=LATER,
    )


def covered(t: Tracker) -> tuple[int, int]:
    c = pledges.coverage(t.store, t.store.condition(PLEDGE_ITEM))
    return c.covered, c.required


def test_without_a_roster_there_is_nothing_to_cover(sample: Tracker) -> None:
    cover = pledges.coverage(sample.store, sample.store.condition(PLEDGE_ITEM))
    assert not cover.complete and [f.code for f in cover.findings()] == ["checks.pledge.no_roster"]
    with pytest.raises(EvidenceError) as err:
        scan(sample, "山田 太郎")
    assert err.value.key == "checks.pledge.no_roster"


def test_a_pledge_list_records_roster_people_only(sample: Tracker) -> None:
    submit_roster(sample, PEOPLE)
    listing = pledge_xlsx(
        [
            ["山田　太郎", "はい"],
            ["佐藤 花子", "いいえ"],
            ["部外 者", "はい"],
            ["鈴木 一郎", "たぶん"],
        ]
    )
    result = pledges.submit_pledge_list(
        sample, PLEDGE_ITEM, listing, filename="list.xlsx", actor=SHUNO_OWNER, now=LATER
    )
    assert result.recorded == ("山田 太郎", "佐藤 花子", "鈴木 一郎")  # the roster's spelling
    assert {(f.code, f.row) for f in result.findings} == {
        ("checks.pledge.not_on_roster", 4),
        ("checks.pledge.bad_flag", 5),
    }
    assert (result.coverage.covered, result.coverage.required) == (1, 3)
    assert [p.row for p in result.coverage.not_after_leaving] == [3, 4]
    text = pledges.private_summary(result)
    assert "1/3人" in text and "退職後を含まない: 佐藤 花子、鈴木 一郎" in text
    assert sample.store.condition(PLEDGE_ITEM).status is Status.SUBMITTED
    logged = json.dumps([e.data for e in sample.store.events(PLEDGE_ITEM)], ensure_ascii=False)
    assert "山田" not in logged and "佐藤" not in logged


def test_a_scan_must_name_someone_on_the_roster(sample: Tracker) -> None:
    submit_roster(sample, PEOPLE)
    with pytest.raises(EvidenceError) as err:
        scan(sample, "部外 者")
    assert err.value.key == "checks.pledge.person_not_on_roster"
    assert sample.store.evidence_of(PLEDGE_ITEM) == []


def test_acceptance_waits_for_everyone(sample: Tracker) -> None:
    submit_roster(sample, PEOPLE)
    scan(sample, "山田 太郎")
    scan(sample, "佐藤 花子", after_leaving=False)
    with pytest.raises(TransitionError) as err:
        sample.accept(PLEDGE_ITEM, actor=SECRETARIAT, now=LATER)
    assert err.value.key == "checks.pledge.incomplete"
    assert "1/3人" in err.value.render("ja")
    assert sample.store.condition(PLEDGE_ITEM).status is Status.SUBMITTED
    assert "accepted" not in [e.action for e in sample.store.events(PLEDGE_ITEM)]

    scan(sample, "佐藤 花子")  # a newer pledge that does bind after leaving
    scan(sample, "鈴木 一郎")
    assert covered(sample) == (3, 3)
    assert sample.accept(PLEDGE_ITEM, actor=SECRETARIAT, now=LATER).status is Status.ACCEPTED
    confirmed = [e for e in sample.store.events(PLEDGE_ITEM) if e.action == "coverage_confirmed"]
    assert confirmed[0].data == {"covered": 3, "required": 3, "complete": True, "roster_version": 1}


def test_the_secretariat_may_override_with_a_reason(sample: Tracker) -> None:
    submit_roster(sample, PEOPLE)
    scan(sample, "山田 太郎")
    with pytest.raises(PermissionDenied):
        sample.accept(PLEDGE_ITEM, actor=SHUNO_OWNER, now=LATER, override_reason="急ぐため")
    reason = "鈴木・佐藤分は会社の秘密保持誓約書で代替(写し確認済)"
    accepted = sample.accept(PLEDGE_ITEM, actor=SECRETARIAT, now=LATER, override_reason=reason)
    assert accepted.status is Status.ACCEPTED
    override = [e for e in sample.store.events(PLEDGE_ITEM) if e.action == "coverage_overridden"]
    assert override[0].reason == reason and override[0].data["covered"] == 1


def test_a_roster_change_reopens_an_accepted_pledge_item(sample: Tracker) -> None:
    submit_roster(sample, PEOPLE)
    for person in ("山田 太郎", "佐藤 花子", "鈴木 一郎"):
        scan(sample, person)
    sample.accept(PLEDGE_ITEM, actor=SECRETARIAT, now=LATER)

    june = dt.datetime(2021, 6, 1, 10, 0, tzinfo=LATER.tzinfo)  # a Tuesday
    second = submit_roster(sample, [PEOPLE[0], PEOPLE[1], NEWCOMER], when=june)
    assert second.diff is not None and second.diff.joined == ("高橋 次郎",)
    assert second.diff.left == ("鈴木 一郎",)
    assert second.reopened == (f"{PLEDGE_ITEM}#2",)
    reopened = sample.store.condition(f"{PLEDGE_ITEM}#2")
    assert (reopened.status, reopened.due) == (
        Status.OPEN,
        dt.date(2021, 6, 15),
    )  # 10 business days
    cover = pledges.coverage(sample.store, reopened)
    assert (cover.covered, cover.required) == (2, 3)  # those who stayed keep their pledges
    assert [p.name for p in cover.missing] == ["高橋 次郎"]
    reopen = [e for e in sample.store.events(PLEDGE_ITEM) if e.action == "coverage_reopened"]
    assert reopen[0].data["joined"] == 1 and reopen[0].data["left"] == 1

    pledges.submit_pledge_scan(
        sample,
        f"{PLEDGE_ITEM}#2",
        b"takahashi",
        filename="t.pdf",
        person="高橋 次郎",
        actor=SHUNO_OWNER,
        now=june,
    )
    assert sample.accept(f"{PLEDGE_ITEM}#2", actor=SECRETARIAT, now=june).status is Status.ACCEPTED


def test_a_roster_change_while_pledges_are_in_progress_blocks_acceptance(sample: Tracker) -> None:
    submit_roster(sample, PEOPLE)
    for person in ("山田 太郎", "佐藤 花子", "鈴木 一郎"):
        scan(sample, person)
    second = submit_roster(sample, [*PEOPLE, NEWCOMER])
    assert second.reopened == (PLEDGE_ITEM,)
    assert sample.store.find_condition(f"{PLEDGE_ITEM}#2") is None
    assert covered(sample) == (3, 4)
    with pytest.raises(TransitionError):
        sample.accept(PLEDGE_ITEM, actor=SECRETARIAT, now=LATER)


# -- through the CLI -------------------------------------------------------------------


@pytest.fixture
def run(admin: AdminCli) -> AdminCli:
    admin.now = "2021-02-17T10:00:00+09:00"
    return admin.import_sample()


def test_pledge_commands_and_show_json_coverage(run, tmp_path: Path) -> None:
    meibo = tmp_path / "meibo.csv"
    meibo.write_bytes(roster_csv(PEOPLE))
    assert run("roster", "submit", ROSTER_ITEM, str(meibo), "--as", SHUNO_OWNER).exit_code == 0
    shown = json.loads(run("show", PLEDGE_ITEM, "--json").output)
    assert shown["coverage"] == {
        "covered": 0,
        "required": 3,
        "complete": False,
        "roster_version": 1,
    }
    assert [(c["code"], c["row"]) for c in shown["checks"]] == [
        ("checks.pledge.missing", 2),
        ("checks.pledge.missing", 3),
        ("checks.pledge.missing", 4),
    ]

    listing = tmp_path / "seiyaku.csv"
    listing.write_bytes("氏名,退職後を含む\r\n山田 太郎,はい\r\n佐藤 花子,○\r\n".encode("cp932"))
    result = run("pledge", "list", PLEDGE_ITEM, str(listing), "--as", SHUNO_OWNER)
    assert result.exit_code == 0, result.output
    assert "2/3人" in result.output and "未提出: 鈴木 一郎" in result.output

    refused = run("accept", PLEDGE_ITEM, "--as", SECRETARIAT)
    assert refused.exit_code == 1 and "2/3人" in refused.output
    accepted = run(
        "pledge",
        "accept",
        PLEDGE_ITEM,
        "--override-reason",
        "派遣元の誓約書で確認",
        "--as",
        SECRETARIAT,
    )
    assert accepted.exit_code == 0 and "確認済" in accepted.output

    scan_file = tmp_path / "suzuki.pdf"
    scan_file.write_bytes(b"%PDF suzuki")
    meibo.write_bytes(roster_csv([*PEOPLE, NEWCOMER]))
    run("roster", "submit", ROSTER_ITEM, str(meibo), "--as", SHUNO_OWNER)
    added = run(
        "pledge",
        "add",
        f"{PLEDGE_ITEM}#2",
        str(scan_file),
        "--person",
        "鈴木 一郎",
        "--as",
        SHUNO_OWNER,
    )
    assert added.exit_code == 0 and "3/4人" in added.output
    coverage = json.loads(run("pledge", "coverage", f"{PLEDGE_ITEM}#2", "--json").output)
    assert (coverage["covered"], coverage["required"]) == (3, 4)
