"""Meetings named as people name them: id, date in any form, name, ``next``; unknown and ambiguous.

The sample meeting file with its next meeting given as a date alone
(``next_meeting: 2021-11-15``) gets the id ``東村山市個人情報保護運営審議会:2021-11-15``;
nobody should have to type that.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import MEETING_NIGHT, SAMPLE, SECRETARIAT, SHUNO_OWNER, AdminCli

from duediligence import MeetingNotFound, resolve_meeting
from duediligence.importer import import_file
from duediligence.meetings import name_key
from duediligence.store import Store

COUNCIL = "東村山市個人情報保護運営審議会"
DATE_ID = f"{COUNCIL}:2021-11-15"
BEFORE = "2021-11-01T10:00:00+09:00"  # the date-only meeting is the next one
TODAY = dt.date(2021, 11, 1)


def date_only(tmp_path: Path) -> Path:
    """The sample with ``next_meeting: 2021-11-15`` in place of the R3-1 block."""
    text = SAMPLE.read_text(encoding="utf-8")
    block = "next_meeting:\n  id: R3-1\n  name: 令和3年度第1回\n  date: 2021-05-19\n"
    assert block in text
    path = tmp_path / "date-only.yaml"
    path.write_text(text.replace(block, "next_meeting: 2021-11-15\n"), encoding="utf-8")
    return path


OTHER_COUNCIL = """\
council: 架空市情報セキュリティ委員会
meeting:
  id: SEC-1
  name: 令和2年度第6回
  date: 2021-02-10
departments:
  - name: 情報政策課
    owners: [U05JOHO0001]
consultations:
  - id: SEC-1-1
    title: 庁内ネットワーク保守業務委託
    department: 情報政策課
    decision: approved_with_conditions
    conditions:
      - id: SEC-1-1-01
        kind: confirmation
        text: 保守事業者の作業記録を提出させる
        due: 2021-03-31
"""


@pytest.fixture
def store(tmp_path: Path) -> Store:
    db = Store.open(tmp_path / "dd.db")
    import_file(db, date_only(tmp_path), actor=SECRETARIAT, now=MEETING_NIGHT)
    yield db
    db.close()


@pytest.mark.parametrize(
    "text",
    [
        DATE_ID,
        "2021-11-15",
        "令和3年11月15日",
        "R3.11.15",
        "11月15日",
        "Nov 15, 2021",
        "２０２１年１１月１５日",
        "next",
        "次回",
        "NEXT",
    ],
)
def test_a_date_only_meeting_answers_to_its_date_and_next(store: Store, text: str) -> None:
    assert resolve_meeting(store, text, today=TODAY).id == DATE_ID


@pytest.mark.parametrize(
    "text",
    [
        "R2-6",
        "r2-6",
        "Ｒ２－６",
        "令和2年度第6回",
        "令和二年度第六回",
        "R2年度第6回審議会",
        "2021-02-10",
        "前回",
    ],
)
def test_the_imported_meeting_by_id_name_date_and_last(store: Store, text: str) -> None:
    assert resolve_meeting(store, text, today=TODAY).id == "R2-6"


def test_name_key_folds_what_people_vary() -> None:
    assert name_key("令和 三年度 第二回 審議会") == name_key("R3年度第2回") == "令和3年度第2回"
    assert name_key("令和元年度第1回") == "令和1年度第1回"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("2021-12-01", "error.meeting.no_meeting_on"),
        ("令和9年度第9回", "error.meeting.unknown"),
        ("R9-9", "error.meeting.unknown"),
        ("", "error.meeting.required"),
    ],
)
def test_an_unknown_meeting_lists_the_known_ones(store: Store, text: str, key: str) -> None:
    with pytest.raises(MeetingNotFound) as err:
        resolve_meeting(store, text, today=TODAY)
    assert err.value.key == key  # R9-9 is not read as 令和9年9月: a meeting is named by its day
    assert {m.id for m in err.value.candidates} == {"R2-6", DATE_ID}
    for lang in ("ja", "en"):
        said = err.value.render(lang)
        assert "R2-6 令和2年度第6回 (2021-02-10)" in said and DATE_ID in said


def test_next_after_the_last_meeting_says_none_is_coming(store: Store) -> None:
    with pytest.raises(MeetingNotFound) as err:
        resolve_meeting(store, "next", today=dt.date(2022, 1, 1))
    assert err.value.key == "error.meeting.no_next"
    assert "2022-01-01" in err.value.render("ja")


def test_two_councils_on_one_day_with_one_name_are_ambiguous(store: Store, tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(OTHER_COUNCIL, encoding="utf-8")
    import_file(store, other, actor=SECRETARIAT, now=MEETING_NIGHT)
    for text in ("令和2年度第6回", "2021-02-10", "前回"):
        with pytest.raises(MeetingNotFound) as err:
            resolve_meeting(store, text, today=dt.date(2021, 3, 1))
        assert err.value.key == "error.meeting.ambiguous"
        assert {m.id for m in err.value.candidates} == {"R2-6", "SEC-1"}
        assert "R2-6" in err.value.render("en") and "SEC-1" in err.value.render("ja")
    assert resolve_meeting(store, "SEC-1", today=TODAY).council == "架空市情報セキュリティ委員会"
    assert (
        resolve_meeting(store, "架空市情報セキュリティ委員会令和2年度第6回", today=TODAY).id
        == "SEC-1"
    )


# -- the commands that name a meeting ------------------------------------------------------------


@pytest.fixture
def run(admin: AdminCli, tmp_path: Path) -> AdminCli:
    """The date-only sample imported; three confirmations of 収納課 submitted and accepted."""
    admin.now = BEFORE
    assert admin("import", str(date_only(tmp_path)), "--as", SECRETARIAT).exit_code == 0
    answer = tmp_path / "kaitou.pdf"
    answer.write_bytes(b"%PDF answer")
    for cid in ("R2-15-01", "R2-15-03", "R2-15-07"):
        assert admin("evidence", "add", cid, str(answer), "--as", SHUNO_OWNER).exit_code == 0
        assert admin("accept", cid, "--as", SECRETARIAT).exit_code == 0
    return admin


def test_mark_reported_takes_the_date_the_wareki_date_and_next(run: AdminCli) -> None:
    for cid, meeting in (
        ("R2-15-01", "2021-11-15"),
        ("R2-15-03", "令和3年11月15日"),
        ("R2-15-07", "next"),
    ):
        done = run("mark-reported", cid, "--meeting", meeting, "--as", SECRETARIAT)
        assert done.exit_code == 0, done.output
        shown = run("show", cid, "--json").output
        assert '"status": "reported"' in shown
    events = run("events", "--json").output
    assert events.count(f'"meeting": "{DATE_ID}"') == 3  # the canonical id is what is recorded


def test_mark_reported_at_an_unknown_meeting_lists_the_known_ones_and_changes_nothing(
    run: AdminCli,
) -> None:
    before = run("events", "--json").output
    done = run("mark-reported", "R2-15-01", "--meeting", "2021-12-01", "--as", SECRETARIAT)
    assert done.exit_code == 1
    assert "登録されている会議" in done.output and DATE_ID in done.output and "R2-6" in done.output
    assert run("events", "--json").output == before


def test_the_pack_named_by_date_then_marked_by_next(run: AdminCli, tmp_path: Path) -> None:
    built = run(
        "report",
        "--meeting",
        "令和3年11月15日",
        "--out",
        str(tmp_path / "pack"),
        "--as",
        SECRETARIAT,
    )
    assert built.exit_code == 0, built.output
    marked = run("mark-reported", "--meeting", "next", "--as", SECRETARIAT)
    assert marked.exit_code == 0, marked.output
    assert "R2-15-01" in marked.output and "R2-15-07" in marked.output
