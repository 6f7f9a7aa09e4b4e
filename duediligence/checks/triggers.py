"""Conditions due after an event, not on a calendar date, and the fiscal-year-end question.

"Submit the disposal certificate when the contract ends or a disk is replaced"
has no date until the event happens. In the import such a condition carries
``trigger:`` and ``due_after_event_days:`` instead of ``due:``; it waits (status
open, no due date, so neither the status query's overdue list nor the reminder
planner chases it) until an owner reports the event. Reporting it gives every
condition waiting on it a due date N business days after the event day (or,
if the waiting occurrence already has one, opens ``{series}#{n}``).

``fiscal_year_end_check`` is a question, not an event: at each fiscal-year end
the owner is asked "was personal data kept past the year?"; "yes" opens the
report, "no" closes that year's check with the answer recorded.

Importing this module registers the two import fields with the importer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from .. import importer
from ..business_calendar import BusinessCalendar
from ..dates import ERAS, add_years
from ..errors import DueDateError, EvidenceError, NotFound, PermissionDenied, TransitionError
from ..messages import t
from ..model import Condition, Recurrence, Status
from ..store.core import ConditionFilter
from .occurrences import add_business_days, latest_occurrence, open_occurrence, waiting
from .records import FiscalYearAnswer, TriggerEvent

if TYPE_CHECKING:
    from ..store import Store
    from ..tracker import Tracker


class Trigger(StrEnum):
    CONTRACT_END = "contract_end"  # 契約終了
    DISK_REPLACEMENT = "disk_replacement"  # ディスク・機器の交換
    STAFF_CHANGE = "staff_change"  # 従事者の変更
    FISCAL_YEAR_END_CHECK = "fiscal_year_end_check"  # 年度末の確認(年度を跨いだ保存の有無)


#: business days from the event when the import gives no due_after_event_days
DEFAULT_DAYS = 10
MAX_DAYS = 365
_NOT_REPORTABLE = frozenset({Trigger.FISCAL_YEAR_END_CHECK})


def trigger_label(trigger: Trigger | str, lang: str = "ja") -> str:
    return t(f"checks.trigger.{Trigger(trigger)}", lang)


# -- the import fields ----------------------------------------------------------


def _validate_trigger(check: Any, k: Any, where: str) -> Trigger | None:
    line = k.key_lines.get("trigger", k.line)
    raw = k.get("trigger")
    if raw is None or not str(raw).strip():
        check.add(line, "import.empty", field=f"{where}trigger")
        return None
    try:
        trigger = Trigger(str(raw).strip())
    except ValueError:
        check.add(
            line,
            "import.bad_choice",
            field=f"{where}trigger",
            value=str(raw),
            choices=" | ".join(x.value for x in Trigger),
        )
        return None
    if k.get("due") is not None:
        check.add(k.key_lines.get("due", line), "checks.import.trigger_and_due")
    recurrence = str(k.get("recurrence") or "").strip()
    if recurrence in (
        Recurrence.YEARLY,
        Recurrence.FISCAL_YEAR_END,
        Recurrence.MONTHLY,
        Recurrence.QUARTERLY,
    ):
        check.add(
            k.key_lines.get("recurrence", line),
            "checks.import.trigger_and_recurrence",
            value=recurrence,
        )
    return trigger


def _validate_days(check: Any, k: Any, where: str) -> int | None:
    line = k.key_lines.get("due_after_event_days", k.line)
    raw = k.get("due_after_event_days")
    if isinstance(raw, bool) or not isinstance(raw, int):
        check.add(
            line,
            "import.type",
            field=f"{where}due_after_event_days",
            expected="checks.import.expected.days",
        )
        return None
    if not 1 <= raw <= MAX_DAYS:
        check.add(line, "checks.import.days_range", value=raw, max=MAX_DAYS)
        return None
    if "trigger" not in k:
        check.add(line, "checks.import.days_without_trigger")
        return None
    return raw


def _apply(store: Store, parsed: importer.MeetingFile, actor: str, now: dt.datetime) -> None:
    """Store each condition's trigger (inside the import's transaction), logging changes."""
    for condition in parsed.conditions:
        fields = parsed.extra.get(condition.id, {})
        trigger = fields.get("trigger")
        existing = store.condition_trigger(condition.id)
        if trigger is not None:
            days = fields.get("due_after_event_days") or DEFAULT_DAYS
            if existing is None or (existing.trigger, existing.days) != (str(trigger), days):
                store.set_condition_trigger(condition.id, str(trigger), days)
                store.append_event(
                    condition.id,
                    "trigger_set",
                    actor=actor,
                    at=now,
                    data={
                        "file": parsed.filename,
                        "trigger": str(trigger),
                        "days": days,
                        "previous": [existing.trigger, existing.days] if existing else None,
                    },
                )
        elif existing is not None:
            store.remove_condition_trigger(condition.id)
            store.append_event(
                condition.id,
                "trigger_removed",
                actor=actor,
                at=now,
                data={"file": parsed.filename, "previous": [existing.trigger, existing.days]},
            )


def register() -> None:
    """Teach the importer the ``trigger`` and ``due_after_event_days`` fields (idempotent)."""
    importer.CONDITION_EXTENSIONS["trigger"] = _validate_trigger
    importer.CONDITION_EXTENSIONS["due_after_event_days"] = _validate_days
    if _apply not in importer.APPLY_HOOKS:
        importer.APPLY_HOOKS.append(_apply)


# -- reporting an event ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TriggerReport:
    """What reporting an event did: the occurrences it opened, or nothing for a repeat."""

    consultation: str
    trigger: Trigger
    occurred_on: dt.date
    event: TriggerEvent | None
    opened: tuple[Condition, ...] = ()

    @property
    def duplicate(self) -> bool:
        return self.event is None


@dataclass(frozen=True, slots=True)
class PendingTrigger:
    """An event an owner may report for a consultation, and the conditions waiting on it."""

    consultation: str
    trigger: Trigger
    conditions: tuple[str, ...]


def _parse_trigger(value: Trigger | str) -> Trigger:
    try:
        return Trigger(str(value))
    except ValueError:
        raise NotFound(
            "checks.trigger.unknown",
            value=str(value),
            choices=" | ".join(x.value for x in Trigger if x not in _NOT_REPORTABLE),
        ) from None


def _responding_series(store: Store, consultation: str, trigger: Trigger) -> list[tuple[str, int]]:
    """(series, business days) of every condition of *consultation* that *trigger* opens."""
    found = [
        (d.series, d.days)
        for d in store.condition_triggers(consultation=consultation, trigger=str(trigger))
    ]
    if trigger is Trigger.STAFF_CHANGE:
        # A roster "resubmitted on change" comes round again when staff change.
        defined = {d.series for d in store.condition_triggers(consultation=consultation)}
        found += sorted(
            {
                (c.series, DEFAULT_DAYS)
                for c in store.conditions(ConditionFilter(consultation=consultation))
                if c.recurrence is Recurrence.ON_CHANGE and c.series not in defined
            }
        )
    return found


#: how far ahead an event may be reported: a long-term contract (長期継続契約) runs up to five years
MAX_YEARS_AHEAD = 5


def check_event_date(on: dt.date, *, today: dt.date) -> None:
    """Refuse an event day more than five years ahead: a contract end may be scheduled, but
    2031 typed for 2021 is a typo that would set a due date nobody is chased for."""
    if on > add_years(today, MAX_YEARS_AHEAD):
        raise DueDateError(
            "checks.trigger.too_far",
            date=on.isoformat(),
            today=today.isoformat(),
            years=MAX_YEARS_AHEAD,
        )


def report_event(
    tracker: Tracker,
    consultation_id: str,
    trigger: Trigger | str,
    *,
    on: dt.date,
    actor: str,
    now: dt.datetime,
    note: str = "",
    calendar: BusinessCalendar | None = None,
) -> TriggerReport:
    """An owner (or the secretariat) reports that *trigger* happened *on* a day.

    Every condition of the consultation waiting on it falls due N business
    days after *on*. The same event reported twice (same kind, same day) opens
    nothing the second time.
    """
    calendar = calendar or tracker.calendar
    kind = _parse_trigger(trigger)
    if kind in _NOT_REPORTABLE:
        raise TransitionError("checks.trigger.is_question", trigger=trigger_label(kind))
    store = tracker.store
    consultation = store.consultation(consultation_id)
    responding = _responding_series(store, consultation.id, kind)
    if not responding:
        raise NotFound(
            "checks.trigger.none_waiting", id=consultation.id, trigger=trigger_label(kind)
        )
    roles = tracker.roles(actor)
    concerned = {consultation.department} | {store.condition(s).department for s, _ in responding}
    if not roles.secretariat and not concerned & set(roles.departments):
        raise PermissionDenied(
            actor=actor, action="checks.action.report_event", need="role.owner_or_secretariat"
        )
    check_event_date(on, today=now.date())
    opened: list[Condition] = []
    with store.transaction():
        event = store.add_trigger_event(
            consultation=consultation.id,
            trigger=str(kind),
            occurred_on=on,
            reported_by=actor,
            reported_at=now,
            note=note,
        )
        if event is None:
            return TriggerReport(consultation.id, kind, on, None)
        store.append_event(
            f"consultation:{consultation.id}",
            "trigger_reported",
            actor=actor,
            at=now,
            data={"trigger": str(kind), "occurred_on": on.isoformat(), "event_id": event.id},
        )
        cause = {"trigger": str(kind), "occurred_on": on.isoformat(), "event_id": event.id}
        for series, days in responding:
            latest = latest_occurrence(store, series)
            if latest.status is Status.WAIVED:
                continue  # the secretariat waived the obligation
            if latest.recurrence is Recurrence.ON_CHANGE and not (
                waiting(latest) or latest.status in (Status.ACCEPTED, Status.REPORTED)
            ):
                continue  # the pending roster will carry the change
            due = add_business_days(on, days, calendar)
            opened.append(
                open_occurrence(store, series, due=due, actor=actor, now=now, cause=cause)
            )
    return TriggerReport(consultation.id, kind, on, event, tuple(opened))


def pending_triggers(
    store: Store, *, departments: Iterable[str] | None = None
) -> list[PendingTrigger]:
    """Events an owner of *departments* (None: anyone) could report, for buttons in App Home."""
    wanted = set(departments) if departments is not None else None
    grouped: dict[tuple[str, str], list[str]] = {}
    for definition in store.condition_triggers():
        if definition.trigger in _NOT_REPORTABLE:
            continue
        head = store.condition(definition.series)
        if wanted is not None and head.department not in wanted:
            continue
        if latest_occurrence(store, definition.series).status is Status.WAIVED:
            continue
        grouped.setdefault((head.consultation, definition.trigger), []).append(definition.series)
    return [
        PendingTrigger(consultation, Trigger(trigger), tuple(series))
        for (consultation, trigger), series in sorted(grouped.items())
    ]


# -- the fiscal-year-end question -----------------------------------------------


def fiscal_year_of(day: dt.date) -> int:
    """令和2年度 (April 2020 – March 2021) is 2020."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_end_of(fiscal_year: int) -> dt.date:
    return dt.date(fiscal_year + 1, 3, 31)


def fiscal_year_label(fiscal_year: int, lang: str = "ja") -> str:
    if lang != "ja":
        return f"FY{fiscal_year}"
    start = dt.date(fiscal_year, 4, 1)
    for name, _, began in reversed(ERAS):
        if start >= began:
            year = fiscal_year - began.year + 1
            return f"{name}{'元' if year == 1 else year}年度"
    return f"{fiscal_year}年度"


@dataclass(frozen=True, slots=True)
class FiscalYearQuestion:
    """ "Was data kept past 令和2年度?" for one check and one year, to put to the owners."""

    condition: Condition  # the check's first occurrence
    fiscal_year: int
    year_end: dt.date

    @property
    def dedupe_key(self) -> str:
        """One question per check and year: an outbox can refuse to ask twice."""
        return f"fy-check:{self.condition.id}:{self.fiscal_year}"

    def text(self, lang: str = "ja") -> str:
        return t(
            "checks.fy.question",
            lang,
            id=self.condition.id,
            year=fiscal_year_label(self.fiscal_year, lang),
            text=self.condition.text,
        )


@dataclass(frozen=True, slots=True)
class FiscalYearResult:
    answer: FiscalYearAnswer
    opened: Condition | None


def _first_fiscal_year(store: Store, head: Condition) -> int:
    meeting = store.consultation_meeting(head.consultation)
    return fiscal_year_of(store.meeting(meeting).date) if meeting else fiscal_year_of(dt.date.min)


def fy_questions(store: Store, today: dt.date) -> list[FiscalYearQuestion]:
    """Every fiscal-year check whose year has ended (on or before *today*) and is unanswered."""
    questions: list[FiscalYearQuestion] = []
    for definition in store.condition_triggers(trigger=str(Trigger.FISCAL_YEAR_END_CHECK)):
        head = store.condition(definition.series)
        if latest_occurrence(store, definition.series).status is Status.WAIVED:
            continue
        answered = {a.fiscal_year for a in store.fy_answers(definition.series)}
        for year in range(_first_fiscal_year(store, head), fiscal_year_of(today) + 1):
            end = fiscal_year_end_of(year)
            if end <= today and year not in answered:
                questions.append(FiscalYearQuestion(head, year, end))
    return questions


def answer_fy_check(
    tracker: Tracker,
    condition_id: str,
    *,
    kept: bool,
    actor: str,
    now: dt.datetime,
    fiscal_year: int | None = None,
    calendar: BusinessCalendar | None = None,
) -> FiscalYearResult:
    """Record the owner's yes/no; "yes" opens the report due N business days from today.

    Without *fiscal_year*, the earliest unanswered year since the approval is
    answered (a year may be answered ahead of its end, once it has begun).
    """
    calendar = calendar or tracker.calendar
    store = tracker.store
    series = store.condition(condition_id).series
    definition = store.condition_trigger(series)
    if definition is None or definition.trigger != Trigger.FISCAL_YEAR_END_CHECK:
        raise TransitionError("checks.fy.not_a_check", id=condition_id)
    head = store.condition(series)
    roles = tracker.roles(actor)
    if not (roles.secretariat or roles.owns(head)):
        raise PermissionDenied(
            actor=actor, action="checks.action.answer_fy", need="role.owner_or_secretariat"
        )
    first, current = _first_fiscal_year(store, head), fiscal_year_of(now.date())
    answered = {a.fiscal_year for a in store.fy_answers(series)}
    if fiscal_year is None:
        open_years = [y for y in range(first, current + 1) if y not in answered]
        if not open_years:
            raise TransitionError("checks.fy.nothing_to_answer", id=series)
        fiscal_year = open_years[0]
    elif not first <= fiscal_year <= current:
        raise EvidenceError(
            "checks.fy.bad_year",
            year=fiscal_year_label(fiscal_year),
            first=fiscal_year_label(first),
            last=fiscal_year_label(current),
        )
    elif fiscal_year in answered:
        raise TransitionError(
            "checks.fy.already_answered", id=series, year=fiscal_year_label(fiscal_year)
        )
    with store.transaction():
        opened = None
        if kept:
            opened = open_occurrence(
                store,
                series,
                due=add_business_days(now.date(), definition.days, calendar),
                actor=actor,
                now=now,
                cause={"trigger": str(Trigger.FISCAL_YEAR_END_CHECK), "fiscal_year": fiscal_year},
            )
        answer = FiscalYearAnswer(
            series=series,
            fiscal_year=fiscal_year,
            kept=kept,
            answered_by=actor,
            answered_at=now,
            opened=opened.id if opened else None,
        )
        store.add_fy_answer(answer)
        store.append_event(
            series,
            "fy_check_answered",
            actor=actor,
            at=now,
            data={"fiscal_year": fiscal_year, "kept": kept, "opened": answer.opened},
        )
    return FiscalYearResult(answer, opened)


# -- for show --json ------------------------------------------------------------


def trigger_detail(store: Store, condition: Condition) -> dict[str, Any] | None:
    definition = store.condition_trigger(condition.series)
    if definition is None:
        return None
    detail: dict[str, Any] = {
        "trigger": definition.trigger,
        "due_after_event_days": definition.days,
        "waiting": waiting(condition),
    }
    if definition.trigger == Trigger.FISCAL_YEAR_END_CHECK:
        detail["answers"] = [
            {"fiscal_year": a.fiscal_year, "kept": a.kept, "opened": a.opened}
            for a in store.fy_answers(condition.series)
        ]
    return detail


register()
