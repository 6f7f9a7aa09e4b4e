"""The reminder policy and the outbox: exact sequences through simulated quarters, holidays,
escalation, certificates, the weekly digest, idempotent planning, and the sender's claims."""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from duediligence.business_calendar import BusinessCalendar
from duediligence.errors import NotFound
from duediligence.model import (
    Certification,
    Condition,
    Consultation,
    Decision,
    Department,
    DueRule,
    Kind,
    Meeting,
    Status,
    Vendor,
)
from duediligence.reminders import (
    ReminderPolicy,
    Schedule,
    may_send,
    plan_reminders,
    reminder_dates,
    stage_label,
)
from duediligence.store import Store
from duediligence.store.outbox import DeliveryStatus
from duediligence.tracker import Tracker

pytestmark = pytest.mark.both_engines

D = dt.date
TOKYO = ZoneInfo("Asia/Tokyo")
OWNERS = ("U02SHUNO001", "shuno@city.example.lg.jp")
HEAD = "U02SHUNO900"
SECRETARIAT = "U01JIMU0001"
VENDOR = "株式会社サンプル収納サービス"
CREATED = dt.datetime(2021, 2, 10, 19, 40, tzinfo=TOKYO)

Planned = tuple[dt.date, int, str, str, str]  # day, hour, kind, stage, recipient


def _world(
    store: Store,
    *conditions: tuple[str, dt.date, DueRule, Kind, Status],
    head: str | None = HEAD,
    certifications: tuple[Certification, ...] = (),
) -> None:
    """The seed meeting's 収納課 with one consultation and the given conditions."""
    with store.transaction():
        store.save_council("東村山市個人情報保護運営審議会")
        store.save_meeting(Meeting("R2-6", "東村山市個人情報保護運営審議会", D(2021, 2, 10)))
        store.save_department(Department("収納課", OWNERS, head))
        store.add_secretariat([SECRETARIAT])
        store.save_consultation(
            Consultation(
                "R2-15",
                "東村山市税等クレジットカード収納代行業務委託",
                "収納課",
                Decision.APPROVED_WITH_CONDITIONS,
                "R2-6",
                vendors=(Vendor(VENDOR, certifications=certifications),),
            )
        )
        for cid, due, rule, kind, status in conditions:
            store.insert_condition(
                Condition(cid, "R2-15", kind, f"{cid} の確認事項", "収納課", status, due,
                          due_rule=rule, vendor=VENDOR, series=cid),
                at=CREATED,
            )  # fmt: skip


def _one(
    store: Store, due: dt.date, *, rule: DueRule = DueRule.DATE, head: str | None = HEAD
) -> None:
    _world(store, ("C1", due, rule, Kind.ROSTER, Status.OPEN), head=head)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TOKYO)


def _walk(
    store: Store,
    start: dt.date,
    end: dt.date,
    *,
    hours: tuple[int, ...] = (8, 9, 13),
    actions: dict[tuple[dt.date, int], Callable[[], object]] | None = None,
    policy: ReminderPolicy | None = None,
    days: set[dt.date] | None = None,
) -> list[Planned]:
    """Tick through every day (or only *days*) at *hours*, running an action after a tick."""
    planned: list[Planned] = []
    day = start
    while day <= end:
        for hour in hours if days is None or day in days else ():
            for e in plan_reminders(store, _at(day, hour), policy=policy):
                planned.append((day, hour, str(e.kind), e.stage, e.recipient))
            if actions and (day, hour) in actions:
                actions[(day, hour)]()
        day += dt.timedelta(days=1)
    return planned


def _to_owners(day: dt.date, stage: str, hour: int = 9) -> list[Planned]:
    return [(day, hour, "reminder", stage, owner) for owner in OWNERS]


def _to_head(day: dt.date, stage: str, hour: int = 9) -> list[Planned]:
    return [(day, hour, "escalation", stage, HEAD)]


def _chasing(planned: list[Planned]) -> list[Planned]:
    return [p for p in planned if p[2] in ("reminder", "escalation")]


def _digest_days(planned: list[Planned]) -> list[dt.date]:
    return [p[0] for p in planned if p[2] == "digest"]


# -- whole quarters, day by day ----------------------------------------------------------------


def test_a_quarter_around_golden_week_2021(store: Store, tracker: Tracker) -> None:
    """Due Monday 10 May 2021, right after Golden Week; submitted, returned, then waived."""
    _one(store, D(2021, 5, 10))

    def submit() -> object:
        return tracker.store_evidence(
            "C1",
            io.BytesIO(b"roster"),
            filename="名簿.xlsx",
            actor=OWNERS[0],
            now=_at(D(2021, 5, 27), 10),
        )

    def give_back() -> object:
        return tracker.return_(
            "C1", actor=SECRETARIAT, reason="雇用形態が未記載", now=_at(D(2021, 6, 7), 10)
        )

    def waive() -> object:
        return tracker.waive(
            "C1", actor=SECRETARIAT, reason="契約解除", now=_at(D(2021, 6, 22), 10)
        )

    planned = _walk(
        store,
        D(2021, 4, 1),
        D(2021, 6, 30),
        actions={
            (D(2021, 5, 27), 9): submit,
            (D(2021, 6, 7), 9): give_back,
            (D(2021, 6, 22), 9): waive,
        },
    )
    assert _chasing(planned) == [
        *_to_owners(D(2021, 4, 14), "before_14"),
        *_to_owners(D(2021, 4, 23), "before_7"),
        # 4/29 and 5/3–5/5 are holidays, 5/1–2 and 5/8–9 weekends: nothing goes out
        *_to_owners(D(2021, 5, 7), "before_1"),
        *_to_owners(D(2021, 5, 10), "due_day"),
        *_to_owners(D(2021, 5, 13), "overdue_3"),
        *_to_head(D(2021, 5, 17), "escalation_5"),
        *_to_owners(D(2021, 5, 18), "overdue_6"),
        *_to_owners(D(2021, 5, 21), "overdue_9"),
        *_to_head(D(2021, 5, 24), "escalation_10"),
        *_to_owners(D(2021, 5, 26), "overdue_12"),
        # submitted on 5/27: silence while the secretariat reviews (no overdue_15 on 5/31)
        # returned on 6/7 at 10:00: the 13:00 tick catches up once, then the cadence resumes
        *_to_owners(D(2021, 6, 7), "overdue_18", hour=13),
        *_to_head(D(2021, 6, 7), "escalation_20", hour=13),
        *_to_owners(D(2021, 6, 8), "overdue_21"),
        *_to_owners(D(2021, 6, 11), "overdue_24"),
        *_to_head(D(2021, 6, 14), "escalation_25"),
        *_to_owners(D(2021, 6, 16), "overdue_27"),
        *_to_owners(D(2021, 6, 21), "overdue_30"),
        *_to_head(D(2021, 6, 21), "escalation_30"),
        # waived on 6/22: nothing more
    ]
    assert _digest_days(planned) == [
        # no digest on Thursday 4/1 for the week of 3/29: three business days late is stale
        D(2021, 4, 5),
        D(2021, 4, 12),
        D(2021, 4, 19),
        D(2021, 4, 26),
        D(2021, 5, 6),  # Golden Week: Mon–Wed closed, so Thursday
        D(2021, 5, 10),
        D(2021, 5, 17),
        D(2021, 5, 24),
        D(2021, 5, 31),
        D(2021, 6, 7),
        D(2021, 6, 14),
        D(2021, 6, 21),
        D(2021, 6, 28),
    ]
    calendar = BusinessCalendar()
    assert all(calendar.is_business_day(day) and hour >= 9 for day, hour, *_ in planned)


def test_new_year_2022_closure_and_coming_of_age_day(store: Store) -> None:
    _one(store, D(2021, 12, 27))
    planned = _walk(store, D(2021, 12, 1), D(2022, 1, 19))
    assert _chasing(planned) == [
        *_to_owners(D(2021, 12, 7), "before_14"),
        *_to_owners(D(2021, 12, 16), "before_7"),
        *_to_owners(D(2021, 12, 24), "before_1"),
        *_to_owners(D(2021, 12, 27), "due_day"),
        # 12/28 is overdue day 1; 12/29–1/3 closed; 1/4 is day 2
        *_to_owners(D(2022, 1, 5), "overdue_3"),
        *_to_head(D(2022, 1, 7), "escalation_5"),
        *_to_owners(D(2022, 1, 11), "overdue_6"),  # 1/10 成人の日
        *_to_owners(D(2022, 1, 14), "overdue_9"),
        *_to_head(D(2022, 1, 17), "escalation_10"),
        *_to_owners(D(2022, 1, 19), "overdue_12"),
    ]
    assert _digest_days(planned) == [
        D(2021, 12, 1),
        D(2021, 12, 6),
        D(2021, 12, 13),
        D(2021, 12, 20),
        D(2021, 12, 27),
        D(2022, 1, 4),  # Monday 1/3 closed
        D(2022, 1, 11),  # Monday 1/10 成人の日
        D(2022, 1, 17),
    ]


def test_reminder_dates_lists_the_same_sequence() -> None:
    listed = reminder_dates(D(2021, 5, 10), DueRule.DATE, Kind.ROSTER, until=D(2021, 5, 26))
    assert [(day, stage.name) for day, stage in listed] == [
        (D(2021, 4, 14), "before_14"),
        (D(2021, 4, 23), "before_7"),
        (D(2021, 5, 7), "before_1"),
        (D(2021, 5, 10), "due_day"),
        (D(2021, 5, 13), "overdue_3"),
        (D(2021, 5, 17), "escalation_5"),
        (D(2021, 5, 18), "overdue_6"),
        (D(2021, 5, 21), "overdue_9"),
        (D(2021, 5, 24), "escalation_10"),
        (D(2021, 5, 26), "overdue_12"),
    ]


def test_a_due_date_on_a_closed_day_is_worked_to_the_business_day_before(store: Store) -> None:
    _one(store, D(2021, 5, 3))  # 憲法記念日
    planned = _walk(store, D(2021, 4, 28), D(2021, 5, 11), hours=(9,))
    assert _chasing(planned) == [
        *_to_owners(D(2021, 4, 28), "before_1"),
        *_to_owners(D(2021, 4, 30), "due_day"),
        *_to_owners(D(2021, 5, 10), "overdue_3"),  # 5/6, 5/7, 5/10
    ]
    due_day = store.outbox_entries(kind="reminder")[2]
    assert due_day.payload["due"] == "2021-05-03"
    assert due_day.payload["working_due"] == "2021-04-30"


def test_next_meeting_conditions_fall_due_ten_business_days_before_the_meeting(
    sample: Tracker,
) -> None:
    """R2-15-16 reports to the next council (2021-05-19): worked due 2021-04-30."""
    planned = _walk(sample.store, D(2021, 4, 1), D(2021, 5, 19), hours=(9,))
    ids = {e.id for e in sample.store.outbox_entries(condition="R2-15-16")}
    mine = [
        (e.send_after.date(), e.stage, e.recipient)
        for e in sample.store.outbox_entries()
        if e.id in ids
    ]
    assert mine == [
        (D(2021, 4, 9), "before_14", "U02SHUNO001"),
        (D(2021, 4, 9), "before_14", "shuno@city.example.lg.jp"),
        (D(2021, 4, 20), "before_7", "U02SHUNO001"),
        (D(2021, 4, 20), "before_7", "shuno@city.example.lg.jp"),
        (D(2021, 4, 28), "before_1", "U02SHUNO001"),
        (D(2021, 4, 28), "before_1", "shuno@city.example.lg.jp"),
        (D(2021, 4, 30), "due_day", "U02SHUNO001"),
        (D(2021, 4, 30), "due_day", "shuno@city.example.lg.jp"),
        (D(2021, 5, 10), "overdue_3", "U02SHUNO001"),
        (D(2021, 5, 10), "overdue_3", "shuno@city.example.lg.jp"),
        (D(2021, 5, 12), "escalation_5", "U02SHUNO900"),
        (D(2021, 5, 13), "overdue_6", "U02SHUNO001"),
        (D(2021, 5, 13), "overdue_6", "shuno@city.example.lg.jp"),
        (D(2021, 5, 18), "overdue_9", "U02SHUNO001"),
        (D(2021, 5, 18), "overdue_9", "shuno@city.example.lg.jp"),
        (D(2021, 5, 19), "escalation_10", "U02SHUNO900"),
    ]
    due_day = next(
        e for e in sample.store.outbox_entries(condition="R2-15-16") if e.stage == "due_day"
    )
    assert due_day.payload["due_rule"] == "next_meeting"
    assert due_day.payload["meeting"] == "2021-05-19"
    assert due_day.payload["working_due"] == "2021-04-30"
    assert planned  # the rest of the seed meeting was chased too


# -- missed ticks ----------------------------------------------------------------------------


def test_a_missed_day_still_sends_the_stage_once_and_late(store: Store) -> None:
    _one(store, D(2021, 5, 10))
    ticks = {D(2021, 4, 14), D(2021, 4, 26), D(2021, 4, 27)}  # 4/23 (before_7) was missed
    planned = _walk(store, D(2021, 4, 1), D(2021, 4, 30), days=ticks)
    assert _chasing(planned) == [
        *_to_owners(D(2021, 4, 14), "before_14"),
        *_to_owners(D(2021, 4, 26), "before_7"),
    ]
    late = store.outbox_entries(kind="reminder")[-1]
    assert late.payload["scheduled_for"] == "2021-04-23"
    assert late.send_after == _at(D(2021, 4, 26), 9)
    assert late.payload["business_days_to_due"] == 6


def test_more_than_two_missed_business_days_skip_the_stage(store: Store) -> None:
    _one(store, D(2021, 5, 10))
    ticks = {D(2021, 4, 28), D(2021, 5, 7)}  # before_7 (4/23) is three business days back on 4/28
    planned = _walk(store, D(2021, 4, 1), D(2021, 5, 7), days=ticks)
    assert _chasing(planned) == _to_owners(D(2021, 5, 7), "before_1")


def test_after_an_outage_only_the_latest_stage_goes_out(store: Store) -> None:
    _one(store, D(2021, 5, 10))
    # Down from 4/13 to 4/25: before_14 (4/14) and before_7 (4/23) both missed.
    planned = _walk(store, D(2021, 4, 26), D(2021, 4, 26))
    assert _chasing(planned) == _to_owners(D(2021, 4, 26), "before_7")
    # Overdue and escalated while down: one reminder and one escalation, not a burst.
    later = _walk(store, D(2021, 5, 25), D(2021, 5, 25))
    assert _chasing(later) == [
        *_to_owners(D(2021, 5, 25), "overdue_9"),
        *_to_head(D(2021, 5, 25), "escalation_10"),
    ]


# -- idempotence, send hour, time zone -------------------------------------------------------


def test_planning_twice_or_after_a_restart_inserts_nothing(tmp_path: Path) -> None:
    path = tmp_path / "dd.db"
    store = Store.open(path)
    _one(store, D(2021, 5, 10))
    first = plan_reminders(store, _at(D(2021, 5, 10), 9, 5))
    assert sorted((e.stage, e.recipient) for e in first) == [
        ("digest", "secretariat"),
        ("due_day", "U02SHUNO001"),
        ("due_day", "shuno@city.example.lg.jp"),
    ]
    assert plan_reminders(store, _at(D(2021, 5, 10), 9, 10)) == []
    store.close()
    restarted = Store.open(path)
    assert plan_reminders(restarted, _at(D(2021, 5, 10), 17)) == []
    assert len(restarted.outbox_entries()) == 3
    planned_events = [e for e in restarted.events("outbox") if e.action == "reminders_planned"]
    assert len(planned_events) == 1 and planned_events[0].data["count"] == 3
    restarted.close()


def test_nothing_before_the_send_hour_nor_on_a_closed_day(store: Store) -> None:
    _one(store, D(2021, 5, 10))
    assert plan_reminders(store, _at(D(2021, 5, 10), 8, 59)) == []
    assert plan_reminders(store, _at(D(2021, 5, 3), 12)) == []  # holiday
    assert plan_reminders(store, _at(D(2021, 5, 8), 12)) == []  # Saturday
    assert len(plan_reminders(store, _at(D(2021, 5, 10), 9))) == 3
    with pytest.raises(ValueError):
        plan_reminders(store, dt.datetime(2021, 5, 10, 9))


def test_the_send_hour_is_in_the_configured_time_zone(store: Store) -> None:
    _one(store, D(2021, 5, 10))
    utc = dt.UTC
    # 00:30 UTC is 09:30 in Tokyo: due in Tokyo, not yet in a UTC office.
    in_utc = ReminderPolicy(tz=ZoneInfo("UTC"), send_at=dt.time(9, 0))
    assert plan_reminders(store, dt.datetime(2021, 5, 10, 0, 30, tzinfo=utc), policy=in_utc) == []
    entries = plan_reminders(store, dt.datetime(2021, 5, 10, 0, 30, tzinfo=utc))
    assert {e.send_after.isoformat() for e in entries} == {"2021-05-10T09:00:00+09:00"}
    late = ReminderPolicy(send_at=dt.time(10, 30))
    _world(store, ("C2", D(2021, 5, 10), DueRule.DATE, Kind.PLEDGE, Status.OPEN))
    assert plan_reminders(store, _at(D(2021, 5, 10), 10, 29), policy=late) == []
    sent = plan_reminders(store, _at(D(2021, 5, 10), 10, 30), policy=late)
    assert {e.send_after for e in sent} == {_at(D(2021, 5, 10), 10, 30)}


# -- who gets what ---------------------------------------------------------------------------


def test_only_conditions_awaiting_their_owner_are_chased(store: Store) -> None:
    due = D(2021, 5, 10)
    rows = [(f"C-{s}", due, DueRule.DATE, Kind.ROSTER, s) for s in Status]
    _world(store, *rows)
    with store.transaction():
        store.update_condition("C-accepted", at=CREATED, report_back=False)
    entries = plan_reminders(store, _at(due, 9))
    assert sorted({e.condition for e in entries if e.condition}) == ["C-open", "C-returned"]


def test_each_owner_gets_one_entry_and_a_department_without_head_no_escalation(
    store: Store,
) -> None:
    _one(store, D(2021, 5, 10), head=None)
    planned = _walk(store, D(2021, 5, 10), D(2021, 5, 24), hours=(9,))
    assert [p[3] for p in _chasing(planned)] == [
        "due_day", "due_day", "overdue_3", "overdue_3", "overdue_6", "overdue_6",
        "overdue_9", "overdue_9",
    ]  # fmt: skip
    assert {p[4] for p in planned if p[2] == "reminder"} == set(OWNERS)


def test_the_payload_says_what_a_renderer_needs(store: Store) -> None:
    _one(store, D(2021, 5, 10))
    _walk(store, D(2021, 5, 17), D(2021, 5, 17), hours=(9,))
    escalation = store.outbox_entries(kind="escalation")[0]
    assert escalation.recipient == HEAD
    assert escalation.dedupe_key == f"C1|1:2021-05-10|escalation_5|{HEAD}"
    assert escalation.payload == {
        "condition": "C1",
        "consultation": "R2-15",
        "kind": "roster",
        "department": "収納課",
        "vendor": VENDOR,
        "status": "open",
        "occurrence": 1,
        "due": "2021-05-10",
        "due_rule": "date",
        "meeting": None,
        "working_due": "2021-05-10",
        "stage": "escalation_5",
        "scheduled_for": "2021-05-17",
        "as_of": "2021-05-17",
        "days_to_due": 0,
        "business_days_to_due": 0,
        "days_overdue": 7,
        "business_days_overdue": 5,
        "owners": list(OWNERS),
        "head": HEAD,
    }


def test_policies_can_differ_per_kind(store: Store) -> None:
    quiet = Schedule(before=(20,), on_due_day=False, overdue_every=None, escalate_after=None)
    policy = ReminderPolicy(per_kind={Kind.REPORT_BACK: quiet})
    _world(
        store,
        ("roster", D(2021, 6, 10), DueRule.DATE, Kind.ROSTER, Status.OPEN),
        ("report", D(2021, 6, 10), DueRule.DATE, Kind.REPORT_BACK, Status.OPEN),
    )
    _walk(store, D(2021, 5, 1), D(2021, 6, 30), hours=(9,), policy=policy)
    report = [(e.send_after.date(), e.stage) for e in store.outbox_entries(condition="report")]
    assert report == [(D(2021, 5, 13), "before_20")] * 2
    listed = reminder_dates(
        D(2021, 6, 10), DueRule.DATE, Kind.REPORT_BACK, until=D(2021, 7, 30), policy=policy
    )
    assert [(d, s.name) for d, s in listed] == [(D(2021, 5, 13), "before_20")]
    roster = {e.stage for e in store.outbox_entries(condition="roster")}
    assert {"before_14", "due_day", "overdue_3", "escalation_5"} <= roster


def test_an_extension_restarts_the_sequence_toward_the_new_date(
    store: Store, tracker: Tracker
) -> None:
    _one(store, D(2021, 5, 10))
    _walk(store, D(2021, 5, 10), D(2021, 5, 10), hours=(9,))
    tracker.extend(
        "C1",
        actor=SECRETARIAT,
        new_due=D(2021, 5, 20),
        reason="繁忙期",
        now=_at(D(2021, 5, 10), 11),
    )
    planned = _walk(store, D(2021, 5, 11), D(2021, 5, 20), hours=(9,))
    assert _chasing(planned) == [
        *_to_owners(D(2021, 5, 11), "before_7"),  # 5/11 is before_7 of 5/20
        *_to_owners(D(2021, 5, 19), "before_1"),
        *_to_owners(D(2021, 5, 20), "due_day"),
    ]


# -- certificates and the digest -------------------------------------------------------------


def test_certificate_expiry_reminders_90_and_30_days_before(store: Store) -> None:
    isms = Certification(VENDOR, "ISMS", number="IS 500001", expires=D(2021, 7, 31))
    _world(store, certifications=(isms,))
    planned = _walk(store, D(2021, 4, 1), D(2021, 8, 31), hours=(9,))
    certs = [p for p in planned if p[2] == "certificate_expiry"]
    assert certs == [
        (D(2021, 4, 30), 9, "certificate_expiry", "cert_90", OWNERS[0]),  # 5/2 is a Sunday
        (D(2021, 4, 30), 9, "certificate_expiry", "cert_90", OWNERS[1]),
        (D(2021, 7, 1), 9, "certificate_expiry", "cert_30", OWNERS[0]),
        (D(2021, 7, 1), 9, "certificate_expiry", "cert_30", OWNERS[1]),
    ]
    entry = store.outbox_entries(kind="certificate_expiry")[0]
    assert entry.condition is None
    assert entry.dedupe_key == f"cert:{VENDOR}:ISMS|2021-07-31|cert_90|{OWNERS[0]}"
    assert entry.payload["vendor"] == VENDOR
    assert entry.payload["scheme"] == "ISMS"
    assert entry.payload["expires"] == "2021-07-31"
    assert entry.payload["days_to_expiry"] == 92
    assert entry.payload["departments"] == ["収納課"]


def test_a_renewed_certificate_cancels_the_pending_notice(store: Store) -> None:
    isms = Certification(VENDOR, "ISMS", expires=D(2021, 7, 31))
    _world(store, certifications=(isms,))
    # two owners; no digest: Thursday is too late for the week of Monday 6/28
    assert len(plan_reminders(store, _at(D(2021, 7, 1), 9))) == 2
    with store.transaction():
        store.save_certification(Certification(VENDOR, "ISMS", expires=D(2024, 7, 31)))
    claimed = store.claim_outbox(_at(D(2021, 7, 1), 9, 1))
    assert claimed == []
    cancelled = store.outbox_entries(status="cancelled")
    assert {e.last_error for e in cancelled} == {"certificate renewed or removed"}


def test_one_digest_a_week_for_the_secretariat(store: Store) -> None:
    _world(store)
    planned = _walk(store, D(2021, 7, 12), D(2021, 7, 25))  # 7/22–23 holidays
    digests = store.outbox_entries(kind="digest")
    assert [(p[0], p[4]) for p in planned] == [
        (D(2021, 7, 12), "secretariat"),
        (D(2021, 7, 19), "secretariat"),
    ]
    assert [e.subject for e in digests] == ["2021-W28", "2021-W29"]
    assert digests[0].dedupe_key == "2021-W28||digest|secretariat"
    assert digests[0].payload == {
        "week": "2021-W28",
        "week_start": "2021-07-12",
        "week_end": "2021-07-18",
        "scheduled_for": "2021-07-12",
        "as_of": "2021-07-12",
    }


def test_the_digest_moves_past_a_monday_holiday(store: Store) -> None:
    _world(store)
    planned = _walk(store, D(2021, 9, 20), D(2021, 9, 26))  # 9/20 敬老の日
    assert planned == [(D(2021, 9, 21), 9, "digest", "digest", "secretariat")]


def test_a_week_closed_throughout_has_no_digest(store: Store) -> None:
    _world(store)
    assert _walk(store, D(2025, 12, 29), D(2026, 1, 4)) == []
    friday = ReminderPolicy(digest_weekday=4)
    assert _digest_days(_walk(store, D(2026, 1, 5), D(2026, 1, 11), policy=friday)) == [
        D(2026, 1, 9)
    ]
    off = ReminderPolicy(digest_weekday=None)
    assert _walk(store, D(2026, 1, 12), D(2026, 1, 18), policy=off) == []


# -- the sender's side of the outbox ---------------------------------------------------------


def _planned(store: Store) -> None:
    _one(store, D(2021, 5, 10))
    plan_reminders(store, _at(D(2021, 5, 10), 9))  # two due_day reminders and the digest


def test_claim_takes_due_entries_once(store: Store) -> None:
    _planned(store)
    assert store.claim_outbox(_at(D(2021, 5, 10), 8, 59)) == []
    first = store.claim_outbox(_at(D(2021, 5, 10), 9), limit=2)
    assert [e.status for e in first] == [DeliveryStatus.SENDING] * 2
    assert all(e.attempts == 1 and e.claimed_at is not None for e in first)
    rest = store.claim_outbox(_at(D(2021, 5, 10), 9))
    assert len(rest) == 1 and {e.id for e in rest}.isdisjoint(e.id for e in first)
    assert store.claim_outbox(_at(D(2021, 5, 10), 9, 5)) == []


def test_mark_sent_records_the_delivery_in_the_history(store: Store) -> None:
    _planned(store)
    entry = next(e for e in store.claim_outbox(_at(D(2021, 5, 10), 9)) if e.condition == "C1")
    sent = store.mark_outbox_sent(entry.id, _at(D(2021, 5, 10), 9, 1))
    assert sent.status is DeliveryStatus.SENT
    assert sent.sent_at == _at(D(2021, 5, 10), 9, 1)
    assert store.mark_outbox_sent(entry.id, _at(D(2021, 5, 10), 9, 2)).sent_at == sent.sent_at
    history = [e for e in store.events("C1") if e.action == "reminder_sent"]
    assert len(history) == 1
    assert history[0].data == {"outbox": entry.id, "stage": "due_day", "recipient": entry.recipient}
    assert store.outbox_entries(status="sent") == [sent]
    with pytest.raises(NotFound):
        store.mark_outbox_sent(9999, _at(D(2021, 5, 10), 9))


def test_failures_retry_later_then_give_up(store: Store) -> None:
    _planned(store)
    t0 = _at(D(2021, 5, 10), 9)
    entry = store.claim_outbox(t0, limit=1)[0]
    retry = store.mark_outbox_failed(entry.id, t0, "ratelimited", max_attempts=3)
    assert retry.status is DeliveryStatus.PENDING and retry.last_error == "ratelimited"
    assert retry.send_after == t0 + dt.timedelta(minutes=5)
    assert retry.send_after.utcoffset() == dt.timedelta(hours=9)
    assert entry.id not in {e.id for e in store.claim_outbox(t0 + dt.timedelta(minutes=4))}
    again = [e for e in store.claim_outbox(t0 + dt.timedelta(minutes=5)) if e.id == entry.id]
    assert again[0].attempts == 2
    slack_says = t0 + dt.timedelta(minutes=30)
    retry = store.mark_outbox_failed(
        entry.id, t0 + dt.timedelta(minutes=6), "429", retry_at=slack_says, max_attempts=3
    )
    assert retry.send_after == slack_says
    store.claim_outbox(slack_says)
    failed = store.mark_outbox_failed(entry.id, slack_says, "channel_not_found", max_attempts=3)
    assert failed.status is DeliveryStatus.FAILED and failed.attempts == 3
    assert store.failed_deliveries(t0) == [failed]
    assert store.failed_deliveries(slack_says + dt.timedelta(seconds=1)) == []
    actions = [e.action for e in store.events(entry.condition or entry.subject)]
    assert actions.count("delivery_retry") == 2 and actions.count("delivery_failed") == 1


def test_a_crashed_senders_claim_is_taken_again_after_stale_after(store: Store) -> None:
    _planned(store)
    t0 = _at(D(2021, 5, 10), 9)
    claimed = store.claim_outbox(t0)
    stale = dt.timedelta(minutes=15)
    assert store.claim_outbox(t0 + dt.timedelta(minutes=10), stale_after=stale) == []
    again = store.claim_outbox(t0 + dt.timedelta(minutes=15), stale_after=stale)
    assert sorted(e.id for e in again) == sorted(e.id for e in claimed)
    assert {e.attempts for e in again} == {2}
    gave_up = store.claim_outbox(t0 + dt.timedelta(minutes=30), stale_after=stale, max_attempts=2)
    assert gave_up == []
    assert {e.status for e in store.outbox_entries()} == {DeliveryStatus.FAILED}


def test_reminders_for_items_done_or_moved_since_planning_are_cancelled(
    store: Store, tracker: Tracker
) -> None:
    _world(
        store,
        ("done", D(2021, 5, 10), DueRule.DATE, Kind.ROSTER, Status.OPEN),
        ("moved", D(2021, 5, 10), DueRule.DATE, Kind.PLEDGE, Status.OPEN),
        ("kept", D(2021, 5, 10), DueRule.DATE, Kind.OTHER, Status.OPEN),
    )
    t0 = _at(D(2021, 5, 10), 9)
    plan_reminders(store, t0)
    tracker.store_evidence("done", io.BytesIO(b"x"), filename="名簿.pdf", actor=OWNERS[0], now=t0)
    tracker.extend("moved", actor=SECRETARIAT, new_due=D(2021, 6, 1), reason="延長", now=t0)
    claimed = store.claim_outbox(t0 + dt.timedelta(minutes=1))
    assert sorted({e.subject for e in claimed}) == ["2021-W19", "kept"]
    reasons = {e.condition: e.last_error for e in store.outbox_entries(status="cancelled")}
    assert reasons == {
        "done": "condition is submitted",
        "moved": "due date changed (now 2021-06-01)",
    }


def test_concurrent_senders_never_claim_the_same_entry(tmp_path: Path) -> None:
    path = tmp_path / "dd.db"
    setup = Store.open(path)
    rows = [
        (f"C{i:02d}", D(2021, 5, 10), DueRule.DATE, Kind.ROSTER, Status.OPEN) for i in range(20)
    ]
    _world(setup, *rows)
    plan_reminders(setup, _at(D(2021, 5, 10), 9))
    total = len(setup.outbox_entries())
    setup.close()
    senders = [Store.open(path) for _ in range(4)]
    claimed: list[list[int]] = [[] for _ in senders]
    start = threading.Barrier(len(senders))

    def drain(index: int) -> None:
        start.wait()
        while batch := senders[index].claim_outbox(_at(D(2021, 5, 10), 9, 1), limit=3):
            claimed[index] += [e.id for e in batch]

    threads = [threading.Thread(target=drain, args=(i,)) for i in range(len(senders))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [i for ids in claimed for i in ids]
    assert len(everything) == len(set(everything)) == total == 41
    for sender in senders:
        sender.close()


def test_naive_times_are_refused_by_the_outbox(store: Store) -> None:
    _planned(store)
    with pytest.raises(ValueError):
        store.claim_outbox(dt.datetime(2021, 5, 10, 9))


def test_stage_labels_in_both_languages() -> None:
    assert stage_label("before_7") == "期限の7営業日前"
    assert stage_label("before_7", "en") == "7 business days before due"
    assert stage_label("due_day") == "期限当日"
    assert stage_label("overdue_3") == "期限を3営業日超過"
    assert stage_label("escalation_5", "en") == "5 business days overdue (to the head)"
    assert stage_label("cert_90") == "有効期限の90日前"
    assert stage_label("digest", "en") == "weekly"
    assert stage_label("something_else") == "something_else"


def test_senders_keep_to_business_days_and_the_send_hour() -> None:
    assert not may_send(_at(D(2021, 5, 8), 12))  # Saturday: Friday's leftovers wait
    assert not may_send(_at(D(2021, 5, 3), 12))  # 憲法記念日
    assert not may_send(_at(D(2021, 5, 10), 8, 59))
    assert may_send(_at(D(2021, 5, 10), 9))
    assert may_send(dt.datetime(2021, 5, 10, 0, 0, tzinfo=dt.UTC))  # 09:00 in Tokyo
    assert not may_send(
        dt.datetime(2021, 5, 10, 0, 0, tzinfo=dt.UTC), policy=ReminderPolicy(tz=ZoneInfo("UTC"))
    )
