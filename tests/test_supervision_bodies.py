"""Any approving body: a committee or a 決裁 named in the import, said in messages and the pack;
and periodic reports (monthly / quarterly) that come round again like yearly ones."""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from pathlib import Path

import docx
import pytest
from conftest import MEETING_NIGHT, SECRETARIAT, SHUNO_OWNER, TOKYO, AdminCli

from duediligence import ImportFormatError, Status
from duediligence.bodies import approval_label
from duediligence.importer import import_file
from duediligence.model import BodyKind, Council, Recurrence
from duediligence.recurrence import next_due
from duediligence.report import build_pack
from duediligence.tracker import Tracker

pytestmark = pytest.mark.both_engines

COUNCIL = "東村山市個人情報保護運営審議会"
COMMITTEE = "東村山市情報セキュリティ委員会"

COMMITTEE_FILE = textwrap.dedent(
    f"""\
    council: {COMMITTEE}
    body: committee
    reports_to: {COUNCIL}
    meeting:
      id: ISC-R3-1
      name: 令和3年度第1回
      date: 2021-04-12
    departments:
      - name: 収納課
        owners: [U02SHUNO001, shuno@city.example.lg.jp]
        head: U02SHUNO900
    consultations:
      - id: ISC-R3-01
        title: 収納データ分析クラウドサービス利用契約
        department: 収納課
        decision: approved_with_conditions
        vendors:
          - name: 株式会社サンプルクラウド
        conditions:
          - id: ISC-R3-01-1
            kind: periodic_report
            text: 受託者から毎月の業務実施状況・個人情報の管理状況の報告を受ける
            vendor: 株式会社サンプルクラウド
            due: 2021-04-30
            recurrence: monthly
          - id: ISC-R3-01-2
            kind: periodic_report
            text: 四半期ごとにアクセスログの点検結果の報告を受ける
            due: 2021-06-30
            recurrence: quarterly
            report_back: false
    """
)


@pytest.fixture
def both(sample: Tracker, tmp_path: Path) -> Tracker:
    path = tmp_path / "committee.yaml"
    path.write_text(COMMITTEE_FILE, encoding="utf-8")
    import_file(sample.store, path, actor=SECRETARIAT, now=MEETING_NIGHT)
    return sample


def test_the_committee_and_what_it_reports_to_are_recorded(both: Tracker) -> None:
    store = both.store
    assert store.find_council(COMMITTEE) == Council(COMMITTEE, BodyKind.COMMITTEE, COUNCIL)
    assert store.find_council(COUNCIL) == Council(COUNCIL)  # a council unless a file says else
    committee_case = store.consultation("ISC-R3-01")
    assert approval_label(store, committee_case) == f"{COMMITTEE}（委員会）令和3年度第1回"
    assert approval_label(store, committee_case, "en") == f"{COMMITTEE} (committee) 令和3年度第1回"
    council_case = store.consultation("R2-15")
    assert approval_label(store, council_case) == f"{COUNCIL}（審議会）令和2年度第6回"
    changed = [e for e in store.events(f"council:{COMMITTEE}") if e.action == "updated"]
    assert changed[0].data["changes"]["body"][1]["body"] == "committee"


def test_the_council_pack_reports_what_the_committee_approved(
    both: Tracker, tmp_path: Path
) -> None:
    pack = build_pack(
        both.store, "R3-1", tmp_path / "pack", now=dt.datetime(2021, 5, 12, 9, 0, tzinfo=TOKYO)
    )
    ids = pack.condition_ids
    assert "ISC-R3-01-1" in ids and "ISC-R3-01-2" not in ids  # report_back: false stays out
    assert "R2-15-01" in ids
    section = next(s for s in pack.content.sections if s.consultation.id == "ISC-R3-01")
    assert section.elsewhere and section.body is not None and section.body.name == COMMITTEE
    own = next(s for s in pack.content.sections if s.consultation.id == "R2-15")
    assert not own.elsewhere
    markdown = pack.markdown.read_text(encoding="utf-8")
    assert f"{COMMITTEE}（委員会）" in markdown and "実施機関による確認結果の報告" in markdown
    words = "\n".join(p.text for p in docx.Document(str(pack.docx)).paragraphs)
    assert "実施機関による確認結果の報告" in words
    assert words.count("実施機関による確認結果の報告") == 1  # only the committee's section


def test_a_committee_pack_says_committee_in_its_title(both: Tracker, tmp_path: Path) -> None:
    with both.store.transaction():
        from duediligence.model import Meeting

        both.store.save_meeting(
            Meeting("ISC-R3-2", COMMITTEE, dt.date(2021, 7, 12), "令和3年度第2回")
        )
    pack = build_pack(
        both.store, "ISC-R3-2", tmp_path / "c", now=dt.datetime(2021, 7, 1, 9, 0, tzinfo=TOKYO)
    )
    markdown = pack.markdown.read_text(encoding="utf-8")
    assert markdown.startswith("# 令和3年度第2回委員会 付された条件への対応状況について（報告）")
    english = build_pack(
        both.store,
        "ISC-R3-2",
        tmp_path / "e",
        now=dt.datetime(2021, 7, 1, 9, 0, tzinfo=TOKYO),
        lang="en",
    )
    assert "committee" in english.markdown.read_text(encoding="utf-8").splitlines()[0]


def test_bad_body_fields_are_refused_with_the_line(tmp_path: Path, sample: Tracker) -> None:
    bad = COMMITTEE_FILE.replace("body: committee", "body: board").replace(
        f"reports_to: {COUNCIL}", f"reports_to: {COMMITTEE}"
    )
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(ImportFormatError) as err:
        import_file(sample.store, path, actor=SECRETARIAT, now=MEETING_NIGHT)
    text = err.value.render()
    assert "bad.yaml 2行目" in text and "board" in text
    assert "bad.yaml 3行目" in text and "reports_to" in text
    assert sample.store.find_council(COMMITTEE) is None  # nothing written


def test_cli_show_names_the_approving_body(admin: AdminCli, tmp_path: Path) -> None:
    admin.import_sample()
    path = tmp_path / "committee.yaml"
    path.write_text(COMMITTEE_FILE, encoding="utf-8")
    assert admin("import", str(path), "--as", SECRETARIAT).exit_code == 0
    shown = admin("show", "ISC-R3-01-1").output
    assert f"承認: {COMMITTEE}（委員会）令和3年度第1回" in shown
    assert "定期報告" in shown and "毎月" in shown


def test_a_monthly_report_comes_round_each_month_and_stays_at_month_end(both: Tracker) -> None:
    t = both
    when = dt.datetime(2021, 4, 28, 10, 0, tzinfo=TOKYO)
    t.submit_evidence(
        "ISC-R3-01-2", io.BytesIO(b"q1 log review"), filename="q1.pdf", actor=SHUNO_OWNER, now=when
    )
    t.accept("ISC-R3-01-2", actor=SECRETARIAT, now=when)  # report_back: false: done on accept
    assert t.store.condition("ISC-R3-01-2#2").due == dt.date(2021, 9, 30)
    t.submit_evidence(
        "ISC-R3-01-1", io.BytesIO(b"april report"), filename="4.pdf", actor=SHUNO_OWNER, now=when
    )
    t.accept("ISC-R3-01-1", actor=SECRETARIAT, now=when)
    t.mark_reported("ISC-R3-01-1", actor=SECRETARIAT, meeting="R3-1", now=when)
    nxt = t.store.condition("ISC-R3-01-1#2")
    assert (nxt.due, nxt.status, nxt.recurrence) == (
        dt.date(2021, 5, 31),
        Status.OPEN,
        Recurrence.MONTHLY,
    )


@pytest.mark.parametrize(
    ("recurrence", "base", "expected"),
    [
        (Recurrence.MONTHLY, dt.date(2021, 1, 31), dt.date(2021, 2, 28)),
        (Recurrence.MONTHLY, dt.date(2021, 2, 28), dt.date(2021, 3, 31)),
        (Recurrence.MONTHLY, dt.date(2021, 4, 10), dt.date(2021, 5, 10)),
        (Recurrence.QUARTERLY, dt.date(2021, 6, 30), dt.date(2021, 9, 30)),
        (Recurrence.QUARTERLY, dt.date(2021, 11, 15), dt.date(2022, 2, 15)),
        (Recurrence.YEARLY, dt.date(2020, 2, 29), dt.date(2021, 2, 28)),
        (Recurrence.FISCAL_YEAR_END, dt.date(2021, 3, 31), dt.date(2022, 3, 31)),
        (Recurrence.NONE, dt.date(2021, 3, 31), None),
    ],
)
def test_next_due(recurrence: Recurrence, base: dt.date, expected: dt.date | None) -> None:
    assert next_due(recurrence, base) == expected
