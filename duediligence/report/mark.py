"""After the meeting: mark reported exactly what the meeting's pack told the council was done.

Only items the last pack for the meeting showed as accepted, and that are
still accepted, are marked; each goes through :meth:`Tracker.mark_reported`
(one event each) inside one outer transaction, so the meeting is marked
whole or not at all. Items accepted after the pack was built wait for the
next pack; items not in the pack are untouched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..errors import NotFound, PermissionDenied
from ..lifecycle import Action
from ..model import Condition, Meeting, Status
from ..tracker import Tracker


@dataclass(frozen=True, slots=True)
class Skipped:
    """A pack item left as it was, and the status it had when packed and has now."""

    condition: Condition
    packed: Status

    @property
    def accepted_after_packing(self) -> bool:
        return self.condition.status is Status.ACCEPTED and self.packed is not Status.ACCEPTED


@dataclass(frozen=True, slots=True)
class MarkResult:
    meeting: Meeting
    marked: tuple[Condition, ...]
    skipped: tuple[Skipped, ...]  # packed as accepted but changed since, or accepted since


def mark_pack_reported(
    tracker: Tracker, meeting_id: str, *, actor: str, now: dt.datetime
) -> MarkResult:
    """Mark every item *meeting_id*'s pack showed as accepted reported at that meeting.

    *meeting_id* may be any form :func:`duediligence.meetings.resolve_meeting` reads.
    """
    from ..meetings import resolve_meeting

    store = tracker.store
    meeting = resolve_meeting(store, meeting_id, today=now.date())
    meeting_id = meeting.id
    if not tracker.roles(actor).secretariat:
        raise PermissionDenied(
            actor=actor, action=f"action.{Action.MARK_REPORTED}", need="role.secretariat"
        )
    record = store.pack_record(meeting_id)
    if record is None:
        raise NotFound("error.report.no_pack", meeting=meeting_id)
    marked: list[Condition] = []
    skipped: list[Skipped] = []
    with store.transaction():
        for condition_id, packed in record.items:
            current = store.condition(condition_id)
            if packed is Status.ACCEPTED and current.status is Status.ACCEPTED:
                marked.append(
                    tracker.mark_reported(condition_id, actor=actor, meeting=meeting_id, now=now)
                )
            elif Status.ACCEPTED in (packed, current.status) and (
                current.reported_at_meeting != meeting_id
            ):
                skipped.append(Skipped(condition=current, packed=packed))
    return MarkResult(meeting=meeting, marked=tuple(marked), skipped=tuple(skipped))
