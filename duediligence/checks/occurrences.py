"""Opening one more occurrence of a condition series, due some business days after a day.

Used when an event is reported (契約終了, ディスク交換, 従事者の変更), when a fiscal-year
question is answered "yes", when a roster change re-opens pledges and when an
accepted certificate starts its next cycle. The id scheme is the tracker's:
the first occurrence is the series id, later ones ``{series}#{n}``.

A series whose first occurrence is still waiting (open, no due date: it was
imported with a trigger) takes the due date itself instead of gaining a sibling.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..business_calendar import BusinessCalendar
from ..model import Condition, Status
from ..occurrences import add_occurrence

if TYPE_CHECKING:
    from ..store import Store


def add_business_days(day: dt.date, days: int, calendar: BusinessCalendar | None = None) -> dt.date:
    """The *days*-th business day after *day* (weekends, holidays and 年末年始 skipped)."""
    return (calendar or BusinessCalendar()).add_business_days(day, days)


def waiting(condition: Condition) -> bool:
    """Imported with a trigger and not yet given a due date by an event."""
    return condition.due is None and condition.status is Status.OPEN


def latest_occurrence(store: Store, series: str) -> Condition:
    occurrences = store.series(series)
    return occurrences[-1] if occurrences else store.condition(series)


def open_occurrence(
    store: Store,
    series: str,
    *,
    due: dt.date,
    actor: str,
    now: dt.datetime,
    cause: dict[str, Any],
) -> Condition:
    """Give the waiting first occurrence its due date, or add ``{series}#{n}`` due on *due*.

    Runs inside the caller's transaction; *cause* (no personal data) goes into the events.
    """
    occurrences = store.series(series)
    first = occurrences[0] if occurrences else store.condition(series)
    if len(occurrences) <= 1 and waiting(first):
        # due_text stays as imported (empty), so re-importing the file keeps this due date.
        store.update_condition(first.id, at=now, due=due)
        store.append_event(
            first.id, "triggered", actor=actor, at=now, data={**cause, "due": due.isoformat()}
        )
        return store.condition(first.id)
    latest = occurrences[-1] if occurrences else first
    number = max(c.occurrence for c in occurrences or [first]) + 1
    return add_occurrence(
        store, first, previous=latest, number=number, due=due, actor=actor, now=now, cause=cause
    )
