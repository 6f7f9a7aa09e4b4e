"""Evidence that expires: a certificate, an insurance policy, a contract, a pledge with a term.

Any evidence may carry an *effective* date and a *valid-until* date, separate
from the upload time. The latest file of a condition is what counts:

* 60, 30 and 7 days before its valid-until date the owners are reminded
  (``evidence_expiry`` in the outbox, planned with the other reminders);
* from 60 days before, the owners may submit the renewed document to the
  accepted (or reported) condition, which goes back to ``submitted`` for review;
* the day after it lapses, a condition still resting on it reopens: ``open``,
  due on the last valid day (so it is overdue at once and chased as such), and
  it must be accepted — and reported, if it reports back — again.

A condition whose series has a later occurrence is left alone: that occurrence
carries the chase.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .errors import EvidenceError
from .model import Condition, DueRule, Evidence, Status

if TYPE_CHECKING:
    from .business_calendar import BusinessCalendar
    from .store import Store
    from .store.outbox import Delivery

#: days before a document lapses that its owners hear of it
LAPSE_DAYS: tuple[int, ...] = (60, 30, 7)
_ACTOR = "scheduler"


def check_term(effective: dt.date | None, valid_until: dt.date | None) -> None:
    """Refuse a term that ends before it starts."""
    if effective and valid_until and valid_until < effective:
        raise EvidenceError(
            "error.evidence.bad_term",
            effective=effective.isoformat(),
            valid_until=valid_until.isoformat(),
        )


def current_evidence(store: Store, condition_id: str) -> Evidence | None:
    found = store.evidence_of(condition_id)
    return found[-1] if found else None


def renewal_open(
    store: Store, condition: Condition, today: dt.date, *, days: tuple[int, ...] = LAPSE_DAYS
) -> Evidence | None:
    """The lapsing file, when *condition* is done and may take its renewal *today*."""
    if condition.status not in (Status.ACCEPTED, Status.REPORTED):
        return None
    current = current_evidence(store, condition.id)
    if current is None or current.valid_until is None:
        return None
    if today < current.valid_until - dt.timedelta(days=max(days, default=0)):
        return None
    later = [
        c
        for c in store.series(condition.series or condition.id)
        if c.occurrence > condition.occurrence
    ]
    return None if later else current


def lapse_expired(store: Store, now: dt.datetime, *, tz: ZoneInfo) -> list[str]:
    """Reopen every done condition whose current file lapsed before today; return their ids.

    Runs on every tick whatever the hour (a state change, not a message), each
    condition in its own transaction with a ``lapsed`` event.
    """
    today = now.astimezone(tz).date()
    reopened: list[str] = []
    for condition, evidence in store.evidence_lapsed(today):
        with store.transaction():
            fresh = store.condition(condition.id)
            if fresh.status not in (Status.ACCEPTED, Status.REPORTED):
                continue
            assert evidence.valid_until is not None
            store.update_condition(
                condition.id,
                at=now,
                status=Status.OPEN,
                due=evidence.valid_until,
                due_rule=DueRule.DATE,
                reported_at_meeting=None,
            )
            store.append_event(
                condition.id,
                "lapsed",
                actor=_ACTOR,
                at=now,
                data={
                    "from": str(fresh.status),
                    "to": str(Status.OPEN),
                    "evidence_id": evidence.id,
                    "sha256": evidence.sha256,
                    "filename": evidence.filename,
                    "valid_until": evidence.valid_until.isoformat(),
                    "old_due": fresh.due.isoformat() if fresh.due else None,
                    "reported_at_meeting": fresh.reported_at_meeting,
                },
            )
            reopened.append(condition.id)
    return reopened


def lapse_deliveries(
    store: Store,
    today: dt.date,
    *,
    days: tuple[int, ...],
    calendar: BusinessCalendar,
    catch_up: int,
    send_after: dt.datetime,
) -> Iterator[Delivery]:
    """The ``evidence_expiry`` reminders due *today*: the latest stage come, within catch-up."""
    from .store.outbox import Delivery, DeliveryKind

    days = tuple(sorted(set(days)))
    if not days:
        return
    end = today + dt.timedelta(days=max(days) + 31)  # slack for closures and catch-up
    for condition, evidence in store.evidence_lapsing(today, end):
        assert evidence.valid_until is not None
        lapse = evidence.valid_until
        sends = [(calendar.roll_back(lapse - dt.timedelta(days=d)), d) for d in days]
        come = [s for s in sends if s[0] <= today]
        if not come:
            continue
        day, before = max(come)
        if calendar.business_days_between(day, today) > catch_up:
            continue
        department = store.find_department(condition.department)
        for owner in dict.fromkeys(department.owners if department else ()):
            yield Delivery(
                kind=DeliveryKind.EVIDENCE_EXPIRY,
                subject=condition.id,
                occurrence=f"{evidence.id}:{lapse.isoformat()}",
                stage=f"lapse_{before}",
                recipient=owner,
                send_after=send_after,
                condition=condition.id,
                due=lapse,
                payload={
                    "condition": condition.id,
                    "evidence_id": evidence.id,
                    "filename": evidence.filename,
                    "effective": evidence.effective.isoformat() if evidence.effective else None,
                    "valid_until": lapse.isoformat(),
                    "days_to_lapse": (lapse - today).days,
                    "stage": f"lapse_{before}",
                    "scheduled_for": day.isoformat(),
                    "as_of": today.isoformat(),
                },
            )
