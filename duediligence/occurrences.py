"""Adding the next occurrence of a condition series (``{series}#{n}``), with its events.

A yearly report comes round again, an event reopens a disposal certificate, a
roster change reopens pledges: each is a new condition copied from one of the
series, open and due on a new date, logged on both the new and the previous one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .model import Condition, DueRule, Status

if TYPE_CHECKING:
    from .store import Store


def add_occurrence(
    store: Store,
    template: Condition,
    *,
    previous: Condition,
    number: int,
    due: dt.date,
    actor: str,
    now: dt.datetime,
    cause: dict[str, Any] | None = None,
) -> Condition:
    """Insert occurrence *number* of *template*'s series, due on *due* (inside a transaction)."""
    series = template.series or template.id
    new_id = f"{series}#{number}"
    nxt = replace(
        template,
        id=new_id,
        status=Status.OPEN,
        due=due,
        due_text=due.isoformat(),
        due_rule=DueRule.DATE,
        series=series,
        occurrence=number,
        reported_at_meeting=None,
    )
    cause = cause or {}
    store.insert_condition(nxt, at=now)
    store.append_event(
        new_id,
        "created",
        actor=actor,
        at=now,
        data={**cause, "previous": previous.id, "due": due.isoformat(), "occurrence": number},
    )
    store.append_event(
        previous.id, "occurrence_opened", actor=actor, at=now, data={**cause, "next": new_id}
    )
    return store.condition(new_id)
