"""Conditions due after an event (契約終了, ディスク交換, 従事者の変更) and the fiscal-year-end question."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import MEETING_NIGHT, SAMPLE, SECRETARIAT, SHUNO_OWNER, STRANGER, VACC_OWNER, AdminCli

from duediligence import (
    ConditionFilter,
    ImportFormatError,
    NotFound,
    PermissionDenied,
    Status,
    TransitionError,
)
from duediligence.checks import triggers
from duediligence.checks.occurrences import add_business_days
from duediligence.checks.records import TriggerDefinition
from duediligence.importer import import_file, parse
from duediligence.tracker import Tracker

pytestmark = pytest.mark.both_engines

TZ = MEETING_NIGHT.tzinfo
WAITING = {"R2-15-05", "R2-15-06", "R2-16-07", "R2-16-08", "R2-16-09"}


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=TZ)


# -- the import ----------------------------------------------------------------------


def test_triggered_conditions_wait_without_a_due_date(sample: Tracker) -> None:
    store = sample.store
    waiting = {c.id for c in store.conditions() if c.due is None}
    assert waiting == WAITING
    assert {d.series: (d.trigger, d.days) for d in store.condition_triggers()} == {
        "R2-15-05": ("contract_end", 10),
        "R2-15-06": ("disk_replacement", 10),
        "R2-16-07": ("fiscal_year_end_check", 20),
        "R2-16-08": ("contract_end", 20),
        "R2-16-09": ("contract_end", 10),
    }
    # Nothing waiting on an event is overdue, however late it gets.
    overdue = store.conditions(ConditionFilter(overdue_on=dt.date(2030, 1, 1)))
    assert WAITING.isdisjoint(c.id for c in overdue) and overdue
    assert all(not store.condition(cid).is_overdue(dt.date(2030, 1, 1)) for cid in WAITING)


BASE = """
council: テスト審議会
meeting: {id: T-1, date: 2021-02-10}
departments:
  - name: 収納課
    owners: [U02SHUNO001]
consultations:
  - id: T-01
    title: テスト委託
    department: 収納課
    conditions:
      - id: T-01-1
        kind: disposal_certificate
        text: 契約終了時に消去証明書を提出させる
"""


@pytest.mark.parametrize(
    ("fields", "line", "key"),
    [
        ("trigger: contract_end\n        due: 2021-03-31", 16, "checks.import.trigger_and_due"),
        (
            "trigger: contract_end\n        recurrence: yearly",
            16,
            "checks.import.trigger_and_recurrence",
        ),
        ("trigger: moon_phase", 15, "import.bad_choice"),
        (
            "due: 2021-03-31\n        due_after_event_days: 5",
            16,
            "checks.import.days_without_trigger",
        ),
        ("trigger: contract_end\n        due_after_event_days: 十日", 16, "import.type"),
        ("trigger: contract_end\n        due_after_event_days: 0", 16, "checks.import.days_range"),
    ],
)
def test_bad_trigger_fields_are_refused_with_the_line(fields: str, line: int, key: str) -> None:
    with pytest.raises(ImportFormatError) as err:
        parse(BASE + "        " + fields + "\n", today=dt.date(2021, 2, 10), filename="t.yaml")
    assert (line, key) in [(p[0], p[1]) for p in err.value.problems]


def test_a_trigger_alone_is_enough_and_defaults_to_ten_days(store, tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(BASE + "        trigger: disk_replacement\n", encoding="utf-8")
    import_file(store, path, actor=SECRETARIAT, now=MEETING_NIGHT)
    assert store.condition_trigger("T-01-1") == TriggerDefinition("T-01-1", "disk_replacement", 10)
    # Dropping the trigger (and giving a date) in a later import is logged, never silent.
    path.write_text(BASE + "        due: 2021-03-31\n", encoding="utf-8")
    import_file(store, path, actor=SECRETARIAT, now=MEETING_NIGHT)
    assert store.condition_trigger("T-01-1") is None
    assert store.condition("T-01-1").due == dt.date(2021, 3, 31)
    assert [e.action for e in store.events("T-01-1")] == [
        "created",
        "trigger_set",
        "updated",
        "trigger_removed",
    ]


# -- reporting events ------------------------------------------------------------------


def test_a_disk_replacement_opens_the_certificate_ten_business_days_later(sample: Tracker) -> None:
    report = triggers.report_event(
        sample,
        "R2-15",
        "disk_replacement",
        on=dt.date(2021, 4, 28),
        actor=SHUNO_OWNER,
        now=at("2021-04-28"),
    )
    # 4/29 and 5/3–5/5 are holidays, weekends skipped: the 10th business day after 4/28 is 5/18.
    assert [(c.id, c.due, c.status) for c in report.opened] == [
        ("R2-15-06", dt.date(2021, 5, 18), Status.OPEN)
    ]
    assert sample.store.condition("R2-15-05").due is None  # waits for the contract end
    # The same event reported again opens nothing; a second replacement opens #2.
    again = triggers.report_event(
        sample,
        "R2-15",
        "disk_replacement",
        on=dt.date(2021, 4, 28),
        actor=SHUNO_OWNER,
        now=at("2021-04-30"),
    )
    assert again.duplicate and again.opened == ()
    second = triggers.report_event(
        sample,
        "R2-15",
        "disk_replacement",
        on=dt.date(2021, 9, 1),
        actor=SECRETARIAT,
        now=at("2021-09-01"),
    )
    assert [(c.id, c.due, c.occurrence) for c in second.opened] == [
        ("R2-15-06#2", dt.date(2021, 9, 15), 2)
    ]
    assert sample.store.events("R2-15-06")[-1].action == "occurrence_opened"


def test_a_contract_end_opens_every_condition_waiting_on_it(sample: Tracker) -> None:
    report = triggers.report_event(
        sample,
        "R2-16",
        "contract_end",
        on=dt.date(2021, 12, 24),
        actor=VACC_OWNER,
        now=at("2021-12-24"),
    )
    # 12/29–1/3 and 成人の日 (2022-01-10) are not business days.
    assert {c.id: c.due for c in report.opened} == {
        "R2-16-08": dt.date(2022, 1, 28),
        "R2-16-09": dt.date(2022, 1, 14),
    }
    assert add_business_days(dt.date(2021, 12, 24), 10) == dt.date(2022, 1, 14)
    triggered = sample.store.events("R2-16-09")[-1]
    assert (triggered.action, triggered.data["trigger"], triggered.data["due"]) == (
        "triggered",
        "contract_end",
        "2022-01-14",
    )
    # Re-importing the meeting file keeps the due date the event gave.
    import_file(sample.store, SAMPLE, actor=SECRETARIAT, now=at("2022-01-05"))
    assert sample.store.condition("R2-16-09").due == dt.date(2022, 1, 14)


def test_who_may_report_an_event(sample: Tracker) -> None:
    for who in (STRANGER, VACC_OWNER):
        with pytest.raises(PermissionDenied):
            triggers.report_event(
                sample,
                "R2-15",
                "contract_end",
                on=dt.date(2021, 6, 1),
                actor=who,
                now=at("2021-06-01"),
            )
    with pytest.raises(NotFound):
        triggers.report_event(
            sample,
            "R2-15",
            "moon_phase",
            on=dt.date(2021, 6, 1),
            actor=SHUNO_OWNER,
            now=at("2021-06-01"),
        )
    with pytest.raises(NotFound):  # nothing of 総務課's report waits on a disk
        triggers.report_event(
            sample,
            "R2-RPT-01",
            "disk_replacement",
            on=dt.date(2021, 6, 1),
            actor=SECRETARIAT,
            now=at("2021-06-01"),
        )
    with pytest.raises(TransitionError):
        triggers.report_event(
            sample,
            "R2-16",
            "fiscal_year_end_check",
            on=dt.date(2021, 6, 1),
            actor=VACC_OWNER,
            now=at("2021-06-01"),
        )
    assert sample.store.trigger_events("R2-15") == []


def test_a_staff_change_brings_an_accepted_roster_round_again(sample: Tracker) -> None:
    sample.store_evidence(
        "R2-16-03", [b"roster"], filename="list.pdf", actor=VACC_OWNER, now=at("2021-02-20")
    )
    pending = triggers.report_event(
        sample,
        "R2-16",
        "staff_change",
        on=dt.date(2021, 3, 1),
        actor=VACC_OWNER,
        now=at("2021-03-01"),
    )
    assert pending.opened == ()  # the submitted roster is still being reviewed
    sample.accept("R2-16-03", actor=SECRETARIAT, now=at("2021-03-02"))
    changed = triggers.report_event(
        sample,
        "R2-16",
        "staff_change",
        on=dt.date(2021, 4, 1),
        actor=VACC_OWNER,
        now=at("2021-04-01"),
    )
    assert [(c.id, c.due) for c in changed.opened] == [("R2-16-03#2", dt.date(2021, 4, 15))]
    assert sample.store.condition("R2-16-03#2").kind == "roster"


def test_pending_triggers_are_what_app_home_offers(sample: Tracker) -> None:
    mine = triggers.pending_triggers(sample.store, departments=["収納課"])
    assert [(p.consultation, str(p.trigger), p.conditions) for p in mine] == [
        ("R2-15", "contract_end", ("R2-15-05",)),
        ("R2-15", "disk_replacement", ("R2-15-06",)),
    ]
    everyone = triggers.pending_triggers(sample.store)
    assert ("R2-16", "contract_end", ("R2-16-08", "R2-16-09")) in [
        (p.consultation, str(p.trigger), p.conditions) for p in everyone
    ]


# -- through the CLI ---------------------------------------------------------------------


@pytest.fixture
def run(admin: AdminCli) -> AdminCli:
    admin.now = "2021-02-10T19:40:00+09:00"
    return admin.import_sample()


def test_event_command_opens_the_disposal_certificate(run) -> None:
    result = run(
        "event",
        "R2-15",
        "disk_replacement",
        "--date",
        "令和3年6月1日",
        "--as",
        SHUNO_OWNER,
        now="2021-06-01T09:00:00+09:00",
    )
    assert result.exit_code == 0, result.output
    assert "R2-15-06: 期限 2021-06-15" in result.output
    shown = json.loads(run("show", "R2-15-06", "--json").output)
    assert (shown["due"], shown["trigger"]["waiting"]) == ("2021-06-15", False)
    refused = run("event", "R2-15", "contract_end", "--date", "2021-06-01", "--as", STRANGER)
    assert refused.exit_code == 1 and STRANGER in refused.output


def test_fiscal_year_end_question_answered_no_then_yes(run) -> None:
    assert (
        "未回答の年度末確認はありません"
        in run("fy-questions", now="2021-03-30T09:00:00+09:00").output
    )
    asked = json.loads(run("fy-questions", "--json", now="2021-03-31T09:00:00+09:00").output)
    assert asked == [
        {
            "condition": "R2-16-07",
            "department": "新型コロナウイルスワクチン接種事業PT",
            "fiscal_year": 2020,
            "year_end": "2021-03-31",
        }
    ]
    assert "令和2年度" in run("fy-questions", now="2021-03-31T09:00:00+09:00").output

    no = run(
        "fy-check",
        "R2-16-07",
        "--answer",
        "no",
        "--as",
        VACC_OWNER,
        now="2021-04-02T09:00:00+09:00",
    )
    assert no.exit_code == 0 and "令和2年度: 保存なし" in no.output
    shown = json.loads(run("show", "R2-16-07", "--json").output)
    assert (shown["status"], shown["due"], shown["trigger"]["waiting"]) == ("open", None, True)
    assert shown["trigger"]["answers"] == [{"fiscal_year": 2020, "kept": False, "opened": None}]
    assert json.loads(run("fy-questions", "--json", now="2021-04-02T09:00:00+09:00").output) == []
    again = run(
        "fy-check",
        "R2-16-07",
        "--answer",
        "yes",
        "--fiscal-year",
        "2020",
        "--as",
        VACC_OWNER,
        now="2021-04-02T09:00:00+09:00",
    )
    assert again.exit_code == 1 and "回答済み" in again.output

    asked = json.loads(run("fy-questions", "--json", now="2022-03-31T09:00:00+09:00").output)
    assert [q["fiscal_year"] for q in asked] == [2021]
    stranger = run(
        "fy-check",
        "R2-16-07",
        "--answer",
        "yes",
        "--as",
        SHUNO_OWNER,
        now="2022-04-01T09:00:00+09:00",
    )
    assert stranger.exit_code == 1
    yes = run(
        "fy-check",
        "R2-16-07",
        "--answer",
        "yes",
        "--as",
        VACC_OWNER,
        now="2022-04-01T09:00:00+09:00",
    )
    assert yes.exit_code == 0, yes.output
    assert "令和3年度: 保存あり" in yes.output and "R2-16-07" in yes.output
    shown = json.loads(run("show", "R2-16-07", "--json", now="2022-04-01T09:00:00+09:00").output)
    # 20 business days after 2022-04-01, skipping 昭和の日 (4/29)
    assert (shown["status"], shown["due"], shown["trigger"]["waiting"]) == (
        "open",
        "2022-05-02",
        False,
    )
    assert [a["kept"] for a in shown["trigger"]["answers"]] == [False, True]
    answered = [e for e in shown["events"] if e["action"] == "fy_check_answered"]
    assert [e["data"]["kept"] for e in answered] == [False, True]


def test_the_office_calendar_decides_the_business_days(sample: Tracker) -> None:
    from duediligence.business_calendar import BusinessCalendar

    closed = BusinessCalendar(closed_dates=frozenset({dt.date(2021, 6, 2)}))  # a municipal closure
    report = triggers.report_event(
        sample,
        "R2-15",
        "disk_replacement",
        on=dt.date(2021, 6, 1),
        actor=SHUNO_OWNER,
        now=at("2021-06-01"),
        calendar=closed,
    )
    assert [c.due for c in report.opened] == [dt.date(2021, 6, 16)]
