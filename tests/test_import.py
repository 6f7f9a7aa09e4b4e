"""The import format: all-or-nothing, line-numbered errors, idempotent and edited re-import."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from conftest import MEETING_NIGHT, SECRETARIAT

from duediligence import DueRule, ImportFormatError, Kind, Status
from duediligence.importer import import_file
from duediligence.store import Store

pytestmark = pytest.mark.both_engines

LATER = MEETING_NIGHT + dt.timedelta(days=30)

BASE = textwrap.dedent(
    """\
    council: 〇〇市個人情報保護審議会
    meeting:
      id: R5-3
      name: 令和5年度第3回
      date: 令和5年10月12日
    next_meeting:
      id: R5-4
      date: 2024-01-18
    departments:
      - name: 市民課
        owners: [U01AAAAAAA, suzuki@city.example.lg.jp]
        head: U01BBBBBBB
    consultations:
      - id: R5-07
        number: 令和5年度諮問第7号
        title: 窓口予約システム運用保守業務委託
        department: 市民課
        decision: approved_with_conditions
        vendors:
          - name: 株式会社サンプル
            role: contractor
            certifications:
              - scheme: PrivacyMark
                number: "10000000(05)"
                first_registered: 2010-06-01
                last_renewed: 2022-06-01
                expires: 2024-05-31
        conditions:
          - id: R5-07-1
            kind: pledge
            text: 従事者全員から退職後を含む秘密保持の誓約書を徴取し、写しを提出する
            vendor: 株式会社サンプル
            due: 令和5年12月31日
          - id: R5-07-2
            kind: report_back
            text: 結果を審議会に報告する
            due: next_meeting
    """
)


def write(tmp_path: Path, text: str, name: str = "meeting.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_meeting_imports_every_condition(store: Store, sample_path: Path) -> None:
    result = import_file(store, sample_path, actor=SECRETARIAT, now=MEETING_NIGHT)
    assert len(result.created) == 27
    kinds = {c.kind for c in store.conditions()}
    supervision = {
        Kind.PERIODIC_REPORT,
        Kind.INCIDENT_REPORT,
        Kind.RECURRENCE_PREVENTION,
        Kind.SUBCONTRACT_APPROVAL,
        Kind.CONTRACT_CLAUSES,
        Kind.INSPECTION,
        Kind.CORRECTIVE_ACTION,
    }
    assert kinds == set(Kind) - supervision  # docs/supervision.md: not in a council's sample
    assert store.condition("R2-15-16").due_rule is DueRule.NEXT_MEETING
    assert store.condition("R2-15-16").due == dt.date(2021, 5, 19)
    assert store.condition("R2-15-01").due == dt.date(2021, 3, 10)
    assert store.department("収納課").owners == ("U02SHUNO001", "shuno@city.example.lg.jp")
    assert [v.name for v in store.consultation("R2-16").vendors] == [
        "株式会社サンプル人材サービス",
        "サンプル予約システムズ株式会社",
    ]


def test_base_file_imports(store: Store, tmp_path: Path) -> None:
    result = import_file(store, write(tmp_path, BASE), actor=SECRETARIAT, now=MEETING_NIGHT)
    assert result.created == ["R5-07-1", "R5-07-2"]
    assert store.condition("R5-07-1").due == dt.date(2023, 12, 31)
    assert store.condition("R5-07-2").due == dt.date(2024, 1, 18)
    cert = store.certifications("株式会社サンプル")[0]
    assert (cert.number, cert.expires) == ("10000000(05)", dt.date(2024, 5, 31))
    assert store.condition("R5-07-1").status is Status.OPEN
    assert [e.action for e in store.events("R5-07-1")] == ["created"]


# Each rule of the format: (edit to BASE, line the message must name, words it must contain)
BAD = [
    ("department: 市民課\n    decision", "department: 戸籍課\n    decision", 17, "戸籍課"),
    ("kind: pledge", "kind: pledges", 30, "pledges"),
    ("due: 令和5年12月31日", "due: そのうち", 33, "そのうち"),
    ("id: R5-07-2", "id: R5-07-1", 34, "R5-07-1"),
    ("        text: 結果を審議会に報告する\n", "", 34, "text"),
    ("decision: approved_with_conditions", "decision: maybe", 18, "maybe"),
    ("role: contractor", "role: boss", 21, "boss"),
    ("vendor: 株式会社サンプル\n", "vendor: 株式会社ちがう\n", 32, "株式会社ちがう"),
    (
        "owners: [U01AAAAAAA, suzuki@city.example.lg.jp]",
        "owners: [U01AAAAAAA, suzuki]",
        11,
        "suzuki",
    ),
    ("  date: 令和5年10月12日", "  date: 令和5年13月12日", 5, "令和5年13月12日"),
    ("council: 〇〇市個人情報保護審議会\n", "", 1, "council"),
    ("        due: 令和5年12月31日\n", "        deu: 令和5年12月31日\n", 33, "deu"),
]


@pytest.mark.parametrize(("old", "new", "line", "words"), BAD)
def test_bad_file_refused_whole_with_line(
    store: Store, tmp_path: Path, old: str, new: str, line: int, words: str
) -> None:
    assert old in BASE
    path = write(tmp_path, BASE.replace(old, new, 1))
    with pytest.raises(ImportFormatError) as err:
        import_file(store, path, actor=SECRETARIAT, now=MEETING_NIGHT)
    message = err.value.render("ja")
    assert "meeting.yaml" in message
    assert f"{line}行目" in message, message
    assert words in message
    assert "何も登録していません" in message
    assert store.conditions() == []
    assert store.events() == []
    assert store.departments() == []


def test_next_meeting_required_for_next_meeting_due(store: Store, tmp_path: Path) -> None:
    text = BASE.replace("next_meeting:\n  id: R5-4\n  date: 2024-01-18\n", "")
    with pytest.raises(ImportFormatError) as err:
        import_file(store, write(tmp_path, text), actor=SECRETARIAT, now=MEETING_NIGHT)
    assert "next_meeting" in err.value.render("ja")


def test_yaml_syntax_error_names_line(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError) as err:
        import_file(
            store,
            write(tmp_path, BASE.replace("  - name: 市民課", "  - name: [市民課")),
            actor=SECRETARIAT,
            now=MEETING_NIGHT,
        )
    assert "行目" in err.value.render("ja")
    assert "line" in err.value.render("en")


def test_duplicate_key_refused(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError) as err:
        import_file(
            store,
            write(tmp_path, BASE.replace("  name: 令和5年度第3回\n", "  name: a\n  name: b\n")),
            actor=SECRETARIAT,
            now=MEETING_NIGHT,
        )
    assert "5行目" in err.value.render("ja")


def test_several_problems_reported_together(store: Store, tmp_path: Path) -> None:
    text = BASE.replace("kind: pledge", "kind: x").replace(
        "department: 市民課\n    decision", "department: y\n    decision"
    )
    with pytest.raises(ImportFormatError) as err:
        import_file(store, write(tmp_path, text), actor=SECRETARIAT, now=MEETING_NIGHT)
    assert len(err.value.problems) == 2


def test_english_messages(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError) as err:
        import_file(
            store,
            write(tmp_path, BASE.replace("kind: pledge", "kind: pledges")),
            actor=SECRETARIAT,
            now=MEETING_NIGHT,
        )
    assert "line 30" in err.value.render("en")
    assert "Nothing was written" in err.value.render("en")


def test_relative_due_is_read_from_the_meeting_date(store: Store, tmp_path: Path) -> None:
    text = BASE.replace("due: 令和5年12月31日", "due: 令和5年度末")
    import_file(
        store, write(tmp_path, text), actor=SECRETARIAT, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    assert store.condition("R5-07-1").due == dt.date(2024, 3, 31)


def test_reimport_same_file_changes_nothing(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, BASE)
    import_file(store, path, actor=SECRETARIAT, now=MEETING_NIGHT)
    events = len(store.events())
    again = import_file(store, path, actor=SECRETARIAT, now=LATER)
    assert again.created == [] and again.updated == []
    assert again.unchanged == ["R5-07-1", "R5-07-2"]
    assert again.other_changes == []
    assert [e.action for e in store.events()[events:]] == ["imported"]


def test_edited_reimport_updates_and_logs_each_change(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, BASE)
    import_file(store, path, actor=SECRETARIAT, now=MEETING_NIGHT)
    edited = (
        BASE.replace("due: 令和5年12月31日", "due: 2024-01-10")
        .replace("text: 結果を審議会に報告する", "text: 結果を書面で審議会に報告する")
        .replace("head: U01BBBBBBB", "head: U01CCCCCCC")
    )
    result = import_file(store, write(tmp_path, edited), actor=SECRETARIAT, now=LATER)
    assert sorted(result.updated) == ["R5-07-1", "R5-07-2"]
    assert store.condition("R5-07-1").due == dt.date(2024, 1, 10)
    change = store.events("R5-07-1")[-1]
    assert change.action == "updated"
    assert change.data["changes"]["due"] == ["2023-12-31", "2024-01-10"]
    assert store.events("R5-07-2")[-1].data["changes"]["text"] == [
        "結果を審議会に報告する",
        "結果を書面で審議会に報告する",
    ]
    assert store.department("市民課").head == "U01CCCCCCC"
    assert store.events("department:市民課")[-1].data["changes"]["head"] == [
        "U01BBBBBBB",
        "U01CCCCCCC",
    ]


def test_reimport_keeps_status_and_never_deletes(tracker, tmp_path: Path) -> None:
    store = tracker.store
    import_file(store, write(tmp_path, BASE), actor=SECRETARIAT, now=MEETING_NIGHT)
    tracker.submit_evidence(
        "R5-07-1", [b"pledges"], filename="p.pdf", actor="U01AAAAAAA", now=LATER
    )
    without_second = BASE.split("      - id: R5-07-2")[0]
    import_file(store, write(tmp_path, without_second), actor=SECRETARIAT, now=LATER)
    assert store.condition("R5-07-1").status is Status.SUBMITTED
    assert store.find_condition("R5-07-2") is not None


def test_reimport_does_not_undo_an_extension(tracker, tmp_path: Path) -> None:
    store = tracker.store
    path = write(tmp_path, BASE)
    import_file(store, path, actor=SECRETARIAT, now=MEETING_NIGHT)
    store.add_secretariat([SECRETARIAT])
    tracker.extend(
        "R5-07-1", actor=SECRETARIAT, new_due=dt.date(2024, 2, 29), reason="延長", now=LATER
    )
    import_file(store, path, actor=SECRETARIAT, now=LATER)
    assert store.condition("R5-07-1").due == dt.date(2024, 2, 29)


def test_condition_id_taken_by_another_meeting(store: Store, tmp_path: Path) -> None:
    import_file(store, write(tmp_path, BASE), actor=SECRETARIAT, now=MEETING_NIGHT)
    other = BASE.replace("id: R5-3", "id: R5-5").replace("id: R5-07\n", "id: R5-09\n")
    with pytest.raises(ImportFormatError) as err:
        import_file(store, write(tmp_path, other, "other.yaml"), actor=SECRETARIAT, now=LATER)
    assert "R5-07-1" in err.value.render("ja")
    assert store.find_consultation("R5-09") is None


def test_missing_file(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError):
        import_file(store, tmp_path / "nope.yaml", actor=SECRETARIAT, now=MEETING_NIGHT)


def test_reimport_does_not_undo_an_extension_of_a_next_meeting_item(
    tracker, tmp_path: Path
) -> None:
    store = tracker.store
    path = write(tmp_path, BASE)
    import_file(store, path, actor=SECRETARIAT, now=MEETING_NIGHT)
    store.add_secretariat([SECRETARIAT])
    tracker.extend(
        "R5-07-2", actor=SECRETARIAT, new_due=dt.date(2024, 4, 18), reason="次々回に報告", now=LATER
    )
    import_file(store, path, actor=SECRETARIAT, now=LATER)
    assert store.condition("R5-07-2").due == dt.date(2024, 4, 18)


def test_moved_next_meeting_moves_next_meeting_items(store: Store, tmp_path: Path) -> None:
    import_file(store, write(tmp_path, BASE), actor=SECRETARIAT, now=MEETING_NIGHT)
    import_file(
        store,
        write(tmp_path, BASE.replace("date: 2024-01-18", "date: 2024-01-25")),
        actor=SECRETARIAT,
        now=LATER,
    )
    assert store.condition("R5-07-2").due == dt.date(2024, 1, 25)
    assert store.events("R5-07-2")[-1].data["changes"]["due"] == ["2024-01-18", "2024-01-25"]
