"""Which conditions a council meeting's report pack describes, and what it says of each.

The pack is built from records only: condition fields, evidence *metadata*
(file name, date received, who) and the event log (accept notes, return,
extension and waiver reasons). Evidence files are never opened, so nothing
from a roster or a pledge can leak into a document that goes to the council.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..chain import parents_of, path
from ..errors import NotFound
from ..model import (
    BodyKind,
    Certification,
    Condition,
    Consultation,
    Council,
    Event,
    Evidence,
    Kind,
    Meeting,
    Status,
)
from ..recurrence import PERIODIC, next_due
from ..store import Store

if TYPE_CHECKING:
    from ..audit.access import AccessSummary

#: the event actions a pack reads to say what was done and why an item is still open
PACK_EVENT_ACTIONS = (
    "accepted",
    "returned",
    "extended",
    "waived",
    "reported",
    "lapsed",
    "withdrawn",
)

#: words in a condition's text that name a certification scheme (case-insensitive)
_SCHEME_WORDS = {
    "isms": ("isms", "27001"),
    "privacymark": ("privacymark", "privacy mark", "プライバシーマーク", "pマーク", "15001"),
}


@dataclass(frozen=True, slots=True)
class EvidenceLine:
    """One file received, as the pack shows it: never its contents."""

    filename: str
    received: dt.date
    uploader: str  # the Slack id or e-mail that uploaded it
    department: str | None  # the owning department, when the uploader belongs to it
    size: int

    @property
    def who(self) -> str:
        return self.department or self.uploader


@dataclass(frozen=True, slots=True)
class PackItem:
    """One condition in the pack with the facts each writer needs."""

    condition: Condition
    evidence: tuple[EvidenceLine, ...] = ()
    accepted_on: dt.date | None = None
    accept_note: str = ""
    returned_on: dt.date | None = None
    waived_on: dt.date | None = None
    withdrawn_on: dt.date | None = None
    withdrawn_by: str = ""  # the meeting that withdrew it (取消)
    reason: str = ""
    reason_kind: str = ""  # "", "returned", "extended", "waived" or "withdrawn"
    original_due: dt.date | None = None  # the due date before the first extension
    overdue: bool = False
    next_due: dt.date | None = None  # the next occurrence of a yearly / fiscal-year item
    certificates: tuple[tuple[str, dt.date], ...] = ()  # (scheme, expires) to check next
    lapsed_on: dt.date | None = None  # reopened because its evidence's term ran out then
    #: contract clauses / inspection: which list, and (label ja, label en, answer, note) per item
    checklist: str = ""
    answers: tuple[tuple[str, str, str, str], ...] = ()

    @property
    def status(self) -> Status:
        return self.condition.status

    @property
    def last_received(self) -> dt.date | None:
        return self.evidence[-1].received if self.evidence else None


@dataclass(frozen=True, slots=True)
class PackSection:
    """One consultation (諮問) and its conditions in the pack."""

    consultation: Consultation
    decided_at: Meeting
    items: tuple[PackItem, ...]
    #: the body that approved (a council, a committee, a 決裁); None for an unknown one
    body: Council | None = None
    #: approved by another body that reports to this council (実施機関による確認結果の報告)
    elsewhere: bool = False
    #: each sub-contracting path, 元請 first: ((name, depth), …) per path; empty without one
    chain: tuple[tuple[tuple[str, int], ...], ...] = ()


@dataclass(frozen=True, slots=True)
class PackContent:
    """Everything a pack says, before it is written as Word, Excel or Markdown."""

    council: str
    meeting: Meeting
    reported_on: dt.date
    sections: tuple[PackSection, ...]
    body: BodyKind = BodyKind.COUNCIL  # what kind of body the pack is written for
    #: who read evidence since the previous meeting, per department (when asked for)
    access: AccessSummary | None = None

    @property
    def items(self) -> list[PackItem]:
        return [item for section in self.sections for item in section.items]

    def counts_by_status(self) -> dict[Status, int]:
        counts = {status: 0 for status in Status}
        for item in self.items:
            counts[item.status] += 1
        return counts

    def counts_by_department(self) -> dict[str, dict[Status, int]]:
        table: dict[str, dict[Status, int]] = {}
        for item in self.items:
            row = table.setdefault(item.condition.department, {s: 0 for s in Status})
            row[item.status] += 1
        return dict(sorted(table.items()))


def resolve_meeting(store: Store, meeting: str | None, today: dt.date) -> Meeting:
    """The meeting named as people name it (id, date, name: :mod:`duediligence.meetings`),
    or the next one on or after *today*."""
    from ..meetings import resolve_meeting as resolve

    if meeting:
        return resolve(store, meeting, today=today)
    found = store.next_meeting(today)
    if found is None:
        raise NotFound("error.no_next_meeting", date=today.isoformat())
    return found


def collect(store: Store, meeting: Meeting, *, today: dt.date) -> PackContent:
    """Select the conditions for *meeting*'s pack and gather what the pack says of each."""
    conditions = store.pack_conditions(meeting)
    ids = [c.id for c in conditions]
    evidence = store.evidence_for(ids)
    events = store.events_for(ids, PACK_EVENT_ACTIONS)
    later = _later_occurrences(store, conditions)
    owners = _OwnerLookup(store)
    certificates: dict[str, list[Certification]] = {}
    consultations: dict[str, Consultation] = {}
    meetings: dict[str, Meeting] = {}
    grouped: dict[str, list[PackItem]] = {}
    for condition in conditions:
        if condition.consultation not in consultations:
            consultation = store.consultation(condition.consultation)
            consultations[consultation.id] = consultation
            if consultation.meeting not in meetings:
                meetings[consultation.meeting] = store.meeting(consultation.meeting)
        certs: list[Certification] = []
        if condition.kind is Kind.CERTIFICATE_RENEWAL and condition.vendor:
            if condition.vendor not in certificates:
                certificates[condition.vendor] = store.certifications(condition.vendor)
            certs = certificates[condition.vendor]
        grouped.setdefault(condition.consultation, []).append(
            describe(
                condition,
                evidence.get(condition.id, []),
                events.get(condition.id, []),
                today=today,
                owners=owners,
                next_due=later.get(condition.id),
                certifications=certs,
            )
        )
    for items in grouped.values():
        items[:] = [_with_answers(store, item) for item in items]
    bodies: dict[str, Council | None] = {}
    for decided in meetings.values():
        if decided.council not in bodies:
            bodies[decided.council] = store.find_council(decided.council)
    sections = tuple(
        PackSection(
            consultation=consultations[cid],
            decided_at=meetings[consultations[cid].meeting],
            items=tuple(items),
            body=bodies[meetings[consultations[cid].meeting].council],
            elsewhere=meetings[consultations[cid].meeting].council != meeting.council,
            chain=_chain_paths(store, consultations[cid]),
        )
        for cid, items in grouped.items()
    )
    own = store.find_council(meeting.council)
    return PackContent(
        council=meeting.council,
        meeting=meeting,
        reported_on=today,
        sections=sections,
        body=own.body if own else BodyKind.COUNCIL,
    )


def describe(
    condition: Condition,
    evidence: Sequence[Evidence],
    events: Sequence[Event],
    *,
    today: dt.date,
    owners: _OwnerLookup | None = None,
    next_due: dt.date | None = None,
    certifications: Sequence[Certification] = (),
) -> PackItem:
    """What the pack says of one condition, from its evidence metadata and its events."""
    latest: dict[str, Event] = {}
    first_extension: Event | None = None
    for event in events:
        latest[event.action] = event
        if event.action == "extended" and first_extension is None:
            first_extension = event
    accepted = latest.get("accepted")
    returned = latest.get("returned")
    waived = latest.get("waived")
    withdrawn = latest.get("withdrawn")
    reason, reason_kind = "", ""
    if condition.status is Status.WAIVED and waived is not None:
        reason, reason_kind = waived.reason, "waived"
    elif condition.status is Status.WITHDRAWN and withdrawn is not None:
        reason, reason_kind = withdrawn.reason, "withdrawn"
    elif condition.status in (Status.OPEN, Status.SUBMITTED, Status.RETURNED):
        candidates = [e for e in (returned, latest.get("extended")) if e is not None]
        if candidates:
            newest = max(candidates, key=lambda e: e.id)
            reason, reason_kind = newest.reason, newest.action
    lapsed = latest.get("lapsed")
    lapsed_on = None
    if lapsed is not None and condition.status is Status.OPEN and lapsed.data.get("valid_until"):
        lapsed_on = dt.date.fromisoformat(str(lapsed.data["valid_until"]))
    original_due = None
    if first_extension is not None and first_extension.data.get("old_due"):
        original_due = dt.date.fromisoformat(str(first_extension.data["old_due"]))
    lines = tuple(
        EvidenceLine(
            filename=e.filename,
            received=e.uploaded_at.date(),
            uploader=e.uploaded_by,
            department=condition.department
            if owners is not None and owners.belongs(e.uploaded_by, condition.department)
            else None,
            size=e.size,
        )
        for e in evidence
    )
    return PackItem(
        condition=condition,
        evidence=lines,
        accepted_on=accepted.at.date() if accepted and _done(condition) else None,
        accept_note=accepted.reason if accepted and _done(condition) else "",
        returned_on=returned.at.date() if returned else None,
        waived_on=waived.at.date() if waived else None,
        withdrawn_on=withdrawn.at.date() if withdrawn else None,
        withdrawn_by=str(withdrawn.data.get("meeting_label") or withdrawn.data.get("meeting") or "")
        if withdrawn
        else "",
        reason=reason,
        reason_kind=reason_kind,
        original_due=original_due,
        overdue=condition.is_overdue(today),
        next_due=next_due or predicted_next_due(condition),
        certificates=_certificates_to_check(condition, certifications),
        lapsed_on=lapsed_on,
    )


def _with_answers(store: Store, item: PackItem) -> PackItem:
    """A clause check or an inspection carries its recorded answers (labels, never files)."""
    from ..checklists import answers_of, checklist_of, items

    which = checklist_of(item.condition)
    if which is None:
        return item
    recorded = answers_of(store, item.condition.id)
    if not recorded:
        return item
    answers = tuple(
        (i.ja, i.en, str(recorded[i.key][0]), recorded[i.key][1])
        for i in items(store, which)
        if i.key in recorded
    )
    return replace(item, checklist=str(which), answers=answers)


def _chain_paths(
    store: Store, consultation: Consultation
) -> tuple[tuple[tuple[str, int], ...], ...]:
    """Every path from a prime contractor to a sub-contractor with none under it."""
    parents = parents_of(store, consultation.id)
    if not parents:
        return ()
    names = [v.name for v in consultation.vendors]
    under = set(parents.values())
    leaves = [n for n in names if n in parents and n not in under]
    found = []
    for leaf in leaves:
        steps = path(store, consultation.id, leaf)
        found.append(tuple((name, depth) for depth, name in enumerate(steps)))
    return tuple(found)


def predicted_next_due(condition: Condition) -> dt.date | None:
    """When a yearly or fiscal-year item comes round again once this occurrence closes.

    Mirrors Tracker._open_next_occurrence, which opens that occurrence when the
    item is marked reported; until then the pack shows the date it will have.
    """
    if condition.recurrence not in PERIODIC:
        return None
    if condition.status not in (Status.ACCEPTED, Status.REPORTED) or condition.due is None:
        return None
    return next_due(condition.recurrence, condition.due)


def _done(condition: Condition) -> bool:
    return condition.status in (Status.ACCEPTED, Status.REPORTED)


def _later_occurrences(store: Store, conditions: Iterable[Condition]) -> dict[str, dt.date]:
    """For a recurring item whose next occurrence is already open: that occurrence's due date."""
    found: dict[str, dt.date] = {}
    for condition in conditions:
        if condition.recurrence not in PERIODIC:
            continue
        for other in store.series(condition.series or condition.id):
            if other.occurrence > condition.occurrence and other.due is not None:
                found[condition.id] = other.due
                break
    return found


def _certificates_to_check(
    condition: Condition, certifications: Sequence[Certification]
) -> tuple[tuple[str, dt.date], ...]:
    """The expiry of the certificate a renewal condition is about (or all the vendor's)."""
    dated = [c for c in certifications if c.expires is not None]
    if not dated:
        return ()
    text = condition.text.lower()
    named = [c for c in dated if any(w in text for w in _scheme_words(c.scheme))]
    chosen = named or dated
    return tuple((c.scheme, c.expires) for c in chosen if c.expires is not None)


def _scheme_words(scheme: str) -> tuple[str, ...]:
    key = re.sub(r"[\s_-]", "", scheme.lower())
    return (scheme.lower(), *_SCHEME_WORDS.get(key, ()))


class _OwnerLookup:
    """Whether an uploader belongs to a department, asked once per uploader."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._departments: dict[str, frozenset[str]] = {}

    def belongs(self, uploader: str, department: str) -> bool:
        if uploader not in self._departments:
            self._departments[uploader] = frozenset(self._store.departments_owned_by(uploader))
        return department in self._departments[uploader]
