"""Who is reminded of what, and when: the reminder policy and the planner that fills the outbox.

The library decides; it never sends. :func:`plan_reminders` is called on every
scheduler tick and writes what is due *now* into the outbox (store/outbox.py);
the bot claims those entries and delivers them.

Rules (see docs/reminders.md for the worked examples):

* A condition is chased while its owner has to act (``open``, ``returned``); a
  submitted, accepted, reported or waived one gets nothing.
* Every reminder counts in business days (:class:`BusinessCalendar`) toward a
  *working due*: the due date, or the business day before it when the office is
  shut that day; for a ``next_meeting`` condition, ``meeting_lead`` business days
  before the meeting.
* Owner track: ``before_14``, ``before_7``, ``before_1``, ``due_day``, then
  ``overdue_3``, ``overdue_6`` … to every owner of the department. Head track:
  ``escalation_5``, ``escalation_10`` … to the department head (none without a head).
* Certificates: ``cert_90`` and ``cert_30`` calendar days before a vendor
  certification's ``expires`` (on the business day before when that day is closed),
  to the owners of every department supervising the vendor.
* Evidence with a term (:mod:`duediligence.validity`): ``lapse_60``, ``lapse_30`` and
  ``lapse_7`` calendar days before the current file of a done condition lapses, to
  the owners; the day after it lapses the condition reopens (on every tick, any hour).
* Digest: one per ISO week for the secretariat, on the first business day from
  ``digest_weekday`` (Monday) within that week.
* Planning happens only on business days at or after the send hour, for
  ``now``'s local date. Missed ticks: on each track only the *latest* stage whose
  day has come is planned, and only if that day is at most ``catch_up`` business
  days ago; earlier missed stages are skipped, never sent in a burst.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain
from typing import Any
from zoneinfo import ZoneInfo

from .business_calendar import BusinessCalendar
from .config import Settings
from .messages import t
from .model import Condition, Department, DueRule, Kind
from .store import Store
from .store.outbox import CHASED, Delivery, DeliveryKind, DeliveryStatus, OutboxEntry
from .validity import LAPSE_DAYS, lapse_deliveries, lapse_expired

__all__ = [
    "OWNER",
    "HEAD",
    "Schedule",
    "ReminderPolicy",
    "Stage",
    "DeliveryKind",
    "DeliveryStatus",
    "OutboxEntry",
    "working_due",
    "current_stages",
    "reminder_dates",
    "plan_reminders",
    "plan_reminder_ids",
    "may_send",
    "stage_label",
]

OWNER = "owner"
HEAD = "head"
_ACTOR = "scheduler"


@dataclass(frozen=True)
class Schedule:
    """When one kind of condition is chased, in business days around its working due."""

    before: tuple[int, ...] = (14, 7, 1)
    on_due_day: bool = True
    overdue_every: int | None = 3  # None: no reminders once overdue
    escalate_after: int | None = 5  # None: never escalate
    escalate_every: int | None = 5  # None: escalate once


@dataclass(frozen=True)
class ReminderPolicy:
    """Every knob of the reminders, with the defaults a municipal secretariat expects."""

    schedule: Schedule = Schedule()
    per_kind: Mapping[Kind, Schedule] = field(default_factory=dict, hash=False)
    certificate_days: tuple[int, ...] = (90, 30)  # calendar days before expiry
    evidence_days: tuple[int, ...] = LAPSE_DAYS  # calendar days before a document lapses
    meeting_lead: int = 10  # business days before the meeting a next_meeting item falls due
    send_at: dt.time = dt.time(9, 0)
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Tokyo"))
    catch_up: int = 2  # business days a missed stage may still go out late
    digest_weekday: int | None = 0  # Monday; None: no digest
    digest_recipient: str = "secretariat"

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> ReminderPolicy:
        """The defaults in the configured time zone (``DD_TZ``)."""
        return cls(**{"tz": settings.tz, **overrides})

    def schedule_for(self, kind: Kind) -> Schedule:
        return self.per_kind.get(kind, self.schedule)

    @property
    def horizon(self) -> int:
        """Business days ahead of today that a due date can be and still matter today."""
        schedules = [self.schedule, *self.per_kind.values()]
        return max(max((n for s in schedules for n in s.before), default=0), 0) + self.meeting_lead


@dataclass(frozen=True, slots=True)
class Stage:
    """One point of a condition's reminder sequence."""

    name: str  # before_14, due_day, overdue_3, escalation_5
    track: str  # OWNER or HEAD
    offset: int  # business days from the working due (negative before it)


# -- the sequence, as pure functions --------------------------------------------------------------


def working_due(
    due: dt.date, rule: DueRule, *, policy: ReminderPolicy, calendar: BusinessCalendar
) -> dt.date:
    """The business day reminders count toward (see the module docstring)."""
    day = calendar.roll_back(due)
    if rule is DueRule.NEXT_MEETING:
        day = calendar.add_business_days(day, -policy.meeting_lead)
    return day


def _owner_stages(schedule: Schedule, offset: int) -> list[Stage]:
    """Owner stages whose offset is at most *offset* (only the newest periodic one)."""
    stages = [Stage(f"before_{n}", OWNER, -n) for n in sorted(set(schedule.before)) if n > 0]
    if schedule.on_due_day:
        stages.append(Stage("due_day", OWNER, 0))
    every = schedule.overdue_every
    if every and offset >= every:
        k = offset // every * every
        stages.append(Stage(f"overdue_{k}", OWNER, k))
    return [s for s in stages if s.offset <= offset]


def _head_stage(schedule: Schedule, offset: int) -> Stage | None:
    after = schedule.escalate_after
    if after is None or offset < after:
        return None
    every = schedule.escalate_every
    k = after + ((offset - after) // every * every if every else 0)
    return Stage(f"escalation_{k}", HEAD, k)


def current_stages(schedule: Schedule, offset: int, *, catch_up: int) -> list[Stage]:
    """The stages to plan on a business day *offset* business days after the working due.

    Per track, the latest stage whose day has come, if that was at most *catch_up*
    business days ago (0 = exactly today).
    """
    found: list[Stage] = []
    owner = _owner_stages(schedule, offset)
    if owner:
        latest = max(owner, key=lambda s: s.offset)
        if offset - latest.offset <= catch_up:
            found.append(latest)
    head = _head_stage(schedule, offset)
    if head is not None and offset - head.offset <= catch_up:
        found.append(head)
    return found


def reminder_dates(
    due: dt.date,
    rule: DueRule,
    kind: Kind,
    *,
    until: dt.date,
    policy: ReminderPolicy | None = None,
    calendar: BusinessCalendar | None = None,
) -> list[tuple[dt.date, Stage]]:
    """Every stage of a condition up to *until*, on its business day (for display and checks)."""
    policy = policy or ReminderPolicy()
    calendar = calendar or BusinessCalendar()
    schedule = policy.schedule_for(kind)
    wd = working_due(due, rule, policy=policy, calendar=calendar)
    last = calendar.business_days_between(wd, until)
    offsets: dict[int, list[Stage]] = {}
    for offset in range(-max([*schedule.before, 0]), last + 1):
        for stage in current_stages(schedule, offset, catch_up=0):
            if stage.offset == offset:
                offsets.setdefault(offset, []).append(stage)
    return [
        (calendar.add_business_days(wd, offset), stage)
        for offset in sorted(offsets)
        for stage in offsets[offset]
    ]


def stage_label(stage: str, lang: str | None = None) -> str:
    """「期限の7営業日前」 for ``before_7``; the stage itself when it is not one of ours."""
    name, _, number = stage.rpartition("_")
    if stage in ("due_day", "digest"):
        return t(f"reminder.stage.{stage}", lang)
    if name in ("before", "overdue", "escalation", "cert", "lapse") and number.isdigit():
        return t(f"reminder.stage.{name}", lang, days=int(number))
    return stage


def may_send(
    now: dt.datetime,
    *,
    policy: ReminderPolicy | None = None,
    calendar: BusinessCalendar | None = None,
) -> bool:
    """Whether a sender may deliver at *now*: a business day, at or after the send hour.

    Planning already keeps to this; a sender that was down over a weekend asks it before
    claiming, so Friday's leftovers wait for Monday instead of arriving on a closed day.
    """
    policy = policy or ReminderPolicy()
    local = now.astimezone(policy.tz)
    calendar = calendar or BusinessCalendar()
    return calendar.is_business_day(local.date()) and local.time() >= policy.send_at


# -- the planner --------------------------------------------------------------------------------


def plan_reminders(
    store: Store,
    now: dt.datetime,
    *,
    policy: ReminderPolicy | None = None,
    calendar: BusinessCalendar | None = None,
) -> list[OutboxEntry]:
    """Write the reminders, escalations, certificate notices and digest due at *now*.

    Idempotent: what is already in the outbox is not planned again. Returns the
    entries this call added (none before the send hour or on a closed day).
    """
    ids = plan_reminder_ids(store, now, policy=policy, calendar=calendar)
    return store.outbox_entries_by_id(ids)


def plan_reminder_ids(
    store: Store,
    now: dt.datetime,
    *,
    policy: ReminderPolicy | None = None,
    calendar: BusinessCalendar | None = None,
) -> list[int]:
    """As :func:`plan_reminders`, returning only the new entries' ids (the scheduler's tick).

    Deliveries stream into the outbox as they are planned, so a first tick on
    100,000 conditions (tens of thousands of reminders) never holds them all in memory.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("plan_reminders needs an aware datetime")
    policy = policy or ReminderPolicy()
    lapse_expired(store, now, tz=policy.tz)  # a state change: due at midnight, not at 09:00
    planner = _Planner(store, policy, calendar or BusinessCalendar(), now)
    if not planner.open:
        return []
    deliveries = chain(
        planner.conditions(),
        planner.certificates(),
        lapse_deliveries(
            store,
            planner.today,
            days=policy.evidence_days,
            calendar=planner.calendar,
            catch_up=policy.catch_up,
            send_after=planner.send_after,
        ),
        planner.questions(),
        planner.digest(),
    )
    with store.transaction():
        added = store.add_to_outbox(deliveries, now=now)
        if added:
            store.append_event(
                "outbox",
                "reminders_planned",
                actor=_ACTOR,
                at=now,
                data={
                    "date": planner.today.isoformat(),
                    "count": len(added),
                    "kinds": dict(Counter(str(kind) for _, kind in added)),
                },
            )
    return [entry_id for entry_id, _ in added]


class _Planner:
    """One planning pass for one local date."""

    def __init__(
        self, store: Store, policy: ReminderPolicy, calendar: BusinessCalendar, now: dt.datetime
    ) -> None:
        self.store = store
        self.policy = policy
        self.calendar = calendar
        local = now.astimezone(policy.tz)
        self.today = local.date()
        self.open = calendar.is_business_day(self.today) and local.time() >= policy.send_at
        self.send_after = dt.datetime.combine(self.today, policy.send_at, tzinfo=policy.tz)
        self._departments: dict[str, Department | None] = {}

    def department(self, name: str) -> Department | None:
        if name not in self._departments:
            self._departments[name] = self.store.find_department(name)
        return self._departments[name]

    # -- conditions

    def conditions(self) -> Iterator[Delivery]:
        cal, policy, today = self.calendar, self.policy, self.today
        upper = cal.next_business_day(cal.add_business_days(today, policy.horizon))
        wanted: dict[tuple[dt.date, DueRule, Kind, str], tuple[dt.date, int, Stage, dt.date]] = {}
        for due, rule, kind in self.store.reminder_due_groups(due_before=upper, statuses=CHASED):
            wd = working_due(due, rule, policy=policy, calendar=cal)
            offset = cal.business_days_between(wd, today)
            schedule = policy.schedule_for(kind)
            for stage in current_stages(schedule, offset, catch_up=policy.catch_up):
                scheduled = cal.add_business_days(wd, stage.offset)
                wanted[(due, rule, kind, stage.name)] = (wd, offset, stage, scheduled)
        for condition, stage_name in self.store.conditions_without_stage(wanted, statuses=CHASED):
            assert condition.due is not None
            wd, offset, stage, scheduled = wanted[
                (condition.due, condition.due_rule, condition.kind, stage_name)
            ]
            department = self.department(condition.department)
            if department is None:
                continue
            if stage.track == OWNER:
                recipients: tuple[str, ...] = department.owners
                kind = DeliveryKind.REMINDER
            else:
                recipients = (department.head,) if department.head else ()
                kind = DeliveryKind.ESCALATION
            payload = self.condition_payload(condition, department, wd, offset, stage, scheduled)
            for recipient in dict.fromkeys(recipients):
                yield Delivery(
                    kind=kind,
                    subject=condition.id,
                    occurrence=f"{condition.occurrence}:{condition.due.isoformat()}",
                    stage=stage.name,
                    recipient=recipient,
                    send_after=self.send_after,
                    payload=payload,
                    condition=condition.id,
                    due=condition.due,
                )

    def condition_payload(
        self,
        c: Condition,
        department: Department,
        wd: dt.date,
        offset: int,
        stage: Stage,
        scheduled: dt.date,
    ) -> dict[str, Any]:
        today = self.today
        return {
            "condition": c.id,
            "consultation": c.consultation,
            "kind": str(c.kind),
            "department": c.department,
            "vendor": c.vendor,
            "status": str(c.status),
            "occurrence": c.occurrence,
            "due": c.due.isoformat() if c.due else None,
            "due_rule": str(c.due_rule),
            "meeting": c.due.isoformat() if c.due_rule is DueRule.NEXT_MEETING and c.due else None,
            "working_due": wd.isoformat(),
            "stage": stage.name,
            "scheduled_for": scheduled.isoformat(),
            "as_of": today.isoformat(),
            "days_to_due": max((wd - today).days, 0),
            "business_days_to_due": max(-offset, 0),
            "days_overdue": max((today - wd).days, 0),
            "business_days_overdue": max(offset, 0),
            "owners": list(department.owners),
            "head": department.head,
        }

    # -- certificates

    def certificates(self) -> Iterator[Delivery]:
        days = sorted(set(self.policy.certificate_days))
        if not days:
            return
        cal, today = self.calendar, self.today
        # Slack for a send day rolled back over a closure and for catch-up.
        end = today + dt.timedelta(days=max(days) + 31)
        for cert in self.store.certificates_expiring(today, end):
            assert cert.expires is not None
            sends = [(cal.roll_back(cert.expires - dt.timedelta(days=d)), -d) for d in days]
            come = [s for s in sends if s[0] <= today]
            if not come:
                continue
            day, minus_d = max(come)
            if cal.business_days_between(day, today) > self.policy.catch_up:
                continue
            by_recipient: dict[str, list[str]] = {}
            for name in self.store.vendor_departments(cert.vendor):
                department = self.department(name)
                for owner in department.owners if department else ():
                    by_recipient.setdefault(owner, []).append(name)
            for recipient, departments in by_recipient.items():
                yield Delivery(
                    kind=DeliveryKind.CERTIFICATE_EXPIRY,
                    subject=f"cert:{cert.vendor}:{cert.scheme}",
                    occurrence=cert.expires.isoformat(),
                    stage=f"cert_{-minus_d}",
                    recipient=recipient,
                    send_after=self.send_after,
                    due=cert.expires,
                    payload={
                        "vendor": cert.vendor,
                        "scheme": cert.scheme,
                        "number": cert.number,
                        "scope": cert.scope,
                        "last_renewed": cert.last_renewed.isoformat()
                        if cert.last_renewed
                        else None,
                        "expires": cert.expires.isoformat(),
                        "days_to_expiry": (cert.expires - today).days,
                        "departments": departments,
                        "stage": f"cert_{-minus_d}",
                        "scheduled_for": day.isoformat(),
                        "as_of": today.isoformat(),
                    },
                )

    # -- the fiscal-year-end question

    def questions(self) -> Iterator[Delivery]:
        """Ask each owner once, per check and fiscal year, whether data was kept past the year."""
        from .checks.triggers import fy_questions

        for question in fy_questions(self.store, self.today):
            condition = question.condition
            department = self.department(condition.department)
            for owner in department.owners if department else ():
                yield Delivery(
                    kind=DeliveryKind.QUESTION,
                    subject=condition.id,
                    occurrence=str(question.fiscal_year),
                    stage="fy_check",
                    recipient=owner,
                    send_after=self.send_after,
                    condition=condition.id,
                    due=question.year_end,
                    payload={
                        "condition": condition.id,
                        "fiscal_year": question.fiscal_year,
                        "year_end": question.year_end.isoformat(),
                    },
                )

    # -- the weekly digest

    def digest(self) -> Iterator[Delivery]:
        weekday = self.policy.digest_weekday
        if weekday is None:
            return
        today = self.today
        monday = today - dt.timedelta(days=today.weekday())
        sunday = monday + dt.timedelta(days=6)
        send_day = next(
            self.calendar.business_days(monday + dt.timedelta(days=weekday), sunday), None
        )
        if send_day is None or today < send_day:
            return
        if self.calendar.business_days_between(send_day, today) > self.policy.catch_up:
            return  # a digest on Friday for Monday is stale: next week's will come on time
        year, week, _ = today.isocalendar()
        label = f"{year}-W{week:02d}"
        yield Delivery(
            kind=DeliveryKind.DIGEST,
            subject=label,
            occurrence="",
            stage="digest",
            recipient=self.policy.digest_recipient,
            send_after=self.send_after,
            due=monday,
            payload={
                "week": label,
                "week_start": monday.isoformat(),
                "week_end": sunday.isoformat(),
                "scheduled_for": send_day.isoformat(),
                "as_of": today.isoformat(),
            },
        )
