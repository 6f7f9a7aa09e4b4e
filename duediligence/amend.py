"""What a later meeting changes: a condition added, rewritten, moved, re-dated or withdrawn.

Registration by hand (the chat form, ``duediligence condition add``) and the
council's amendments go through :class:`Amendments`, which the CLI and the bot
share. Each step checks everything the person typed first — a date nobody can
read, a department or vendor that does not exist, a kind that is not one —
and refuses with the field and a suggestion, saving nothing. Each change is one
transaction: the condition, one event per changed field naming the meeting
that decided it, and a notice in the outbox for the owning department (both
departments when an item moves), which the bot delivers to their DMs with the
old and the new value. A withdrawn condition (取消) is finished: no reminders,
never overdue, and the next report pack lists it with its reason.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .dates import parse_due
from .errors import DueDateError, DueDiligenceError, InvalidInput, ReasonRequired
from .lifecycle import Action, authorize, require_secretariat, target
from .model import (
    Condition,
    Consultation,
    Decision,
    DueRule,
    Kind,
    Meeting,
    Recurrence,
    Status,
    Vendor,
    VendorRole,
)
from .store.outbox import Delivery, DeliveryKind
from .suggest import Choices, Closest, choice_code
from .tracker import Tracker

#: words that mean "at the next council meeting", as people write them
NEXT_MEETING_WORDS = ("next_meeting", "次回審議会", "次回会議", "次回", "次回の審議会")
#: the fields an amendment may change, in the order they are shown
EDITABLE = ("text", "kind", "due", "department", "vendor", "report_back", "recurrence")
_KINDS = Choices("kind.", tuple(k.value for k in Kind))
_RECURRENCES = Choices("recurrence.", tuple(r.value for r in Recurrence))

Problems = dict[str, tuple[str, dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class ConditionDraft:
    """A new condition as a person typed it (a form or command options): all text."""

    consultation: str
    kind: str
    text: str
    due: str = ""
    department: str = ""  # empty: the consultation's department
    vendor: str = ""
    report_back: bool = True
    recurrence: str = ""
    trigger: str = ""
    days: int | None = None
    id: str = ""  # empty: the next free "<consultation>-NN"


@dataclass(frozen=True, slots=True)
class ConditionEdit:
    """What an amendment changes; None leaves a field as it is."""

    text: str | None = None
    kind: str | None = None
    due: str | None = None
    department: str | None = None
    vendor: str | None = None
    report_back: bool | None = None
    recurrence: str | None = None


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class DueReading:
    """What a due date as written was read as: shown back before anything is saved."""

    text: str
    due: dt.date
    rule: DueRule


class Amendments:
    """Register and amend conditions by hand, with the same checks as an import."""

    def __init__(self, tracker: Tracker) -> None:
        self.tracker = tracker
        self.store = tracker.store

    # -- reading what people typed ---------------------------------------------------

    def meeting(self, text: str, *, today: dt.date) -> Meeting:
        """The meeting that decided, named any way resolve_meeting reads (id, date, name, 前回)."""
        from .meetings import resolve_meeting

        return resolve_meeting(self.store, text, today=today)

    def read_due(self, text: str, meeting: Meeting) -> DueReading:
        """A due date as people write it, relative to the deciding meeting; or InvalidInput."""
        problems: Problems = {}
        reading = self._due(text, meeting, problems)
        if reading is None:
            raise InvalidInput(problems)
        return reading

    def check_draft(self, draft: ConditionDraft, meeting: Meeting) -> Condition:
        """The condition *draft* describes, or InvalidInput naming every field that is wrong."""
        problems: Problems = {}
        consultation = self.store.find_consultation(draft.consultation.strip())
        if consultation is None:
            known = tuple(c.id for c in self.store.consultations())
            problems["consultation"] = (
                "input.unknown_consultation",
                {"id": draft.consultation, "hint": Closest(draft.consultation, known)},
            )
        kind = self._kind(draft.kind, problems)
        text = draft.text.strip()
        if not text:
            problems["text"] = ("input.empty", {})
        department = self._department(draft.department, consultation, problems)
        vendor = self._vendor(draft.vendor, consultation, problems)
        recurrence = self._recurrence(draft.recurrence, problems)
        trigger = draft.trigger.strip()
        reading = None
        if trigger:
            self._trigger(trigger, draft, problems)
            if draft.due.strip():
                problems["due"] = ("checks.import.trigger_and_due", {})
        else:
            reading = self._due(draft.due, meeting, problems)
        condition_id = draft.id.strip() or (self._next_id(consultation) if consultation else "")
        if condition_id and self.store.find_condition(condition_id) is not None:
            problems["id"] = ("input.id_taken", {"id": condition_id})
        if problems or consultation is None or kind is None or department is None:
            raise InvalidInput(problems)
        return Condition(
            id=condition_id,
            consultation=consultation.id,
            kind=kind,
            text=text,
            department=department,
            status=Status.OPEN,
            due=reading.due if reading else None,
            due_text=reading.text if reading else "",
            due_rule=reading.rule if reading else DueRule.DATE,
            vendor=vendor,
            report_back=draft.report_back,
            recurrence=recurrence or Recurrence.NONE,
            series=condition_id,
        )

    # -- the steps -------------------------------------------------------------------

    def register_consultation(
        self,
        *,
        meeting: str,
        title: str,
        department: str,
        number: str = "",
        vendor: str = "",
        vendor_role: str = "contractor",
        consultation_id: str = "",
        decision: Decision = Decision.APPROVED_WITH_CONDITIONS,
        actor: str,
        now: dt.datetime,
    ) -> Consultation:
        """A consultation (諮問) decided at *meeting*, with its department and vendor."""
        require_secretariat(Action.REGISTER, self.tracker.roles(actor))
        problems: Problems = {}
        found: Meeting | None = None
        try:
            found = self.meeting(meeting, today=now.date())
        except DueDiligenceError as err:
            problems["meeting"] = ("input.as_is", {"detail": err})
        if not title.strip():
            problems["title"] = ("input.empty", {})
        owner = self._department(department, None, problems, required=True)
        cid = consultation_id.strip() or self._consultation_id(number, found)
        if self.store.find_consultation(cid) is not None:
            problems["consultation_id"] = ("input.id_taken", {"id": cid})
        role = choice_code("report.role.", [r.value for r in VendorRole], vendor_role or "")
        if problems or found is None or owner is None:
            raise InvalidInput(problems)
        vendors = (
            (Vendor(name=vendor.strip(), role=VendorRole(role or "contractor")),)
            if vendor.strip()
            else ()
        )
        consultation = Consultation(
            id=cid,
            title=title.strip(),
            department=owner,
            decision=decision,
            meeting=found.id,
            number=number.strip(),
            vendors=vendors,
        )
        with self.store.transaction():
            self.store.save_consultation(consultation)
            self.store.append_event(
                f"consultation:{cid}",
                "created",
                actor=actor,
                at=now,
                data={"meeting": found.id, "by": "form"},
            )
        return consultation

    def add(
        self,
        draft: ConditionDraft,
        *,
        meeting: str,
        reason: str = "",
        actor: str,
        now: dt.datetime,
    ) -> Condition:
        """Add a condition decided at *meeting* (registration, or a later meeting's addition)."""
        require_secretariat(Action.REGISTER, self.tracker.roles(actor))
        decided = self.meeting(meeting, today=now.date())
        condition = self.check_draft(draft, decided)
        with self.store.transaction():
            self.store.insert_condition(condition, at=now)
            event = self.store.append_event(
                condition.id,
                "created",
                actor=actor,
                at=now,
                reason=reason,
                data={
                    "meeting": decided.id,
                    "by": "form",
                    "due": condition.due.isoformat() if condition.due else None,
                },
            )
            if draft.trigger.strip():
                from .checks.triggers import Trigger

                days = draft.days or 10
                trigger = choice_code("checks.trigger.", [t.value for t in Trigger], draft.trigger)
                self.store.set_condition_trigger(condition.id, str(trigger), days)
                self.store.append_event(
                    condition.id,
                    "trigger_set",
                    actor=actor,
                    at=now,
                    data={"trigger": trigger, "days": days, "previous": None},
                )
            consultation = self.store.consultation(condition.consultation)
            if decided.id != consultation.meeting:  # a later meeting's addition: tell them
                self._notify(condition, "added", event, decided, reason, [], (), now)
        return condition

    def edit(
        self,
        condition_id: str,
        edit: ConditionEdit,
        *,
        meeting: str,
        reason: str,
        actor: str,
        now: dt.datetime,
    ) -> list[FieldChange]:
        """Change what *meeting* changed, one event per field; the department(s) are told."""
        _reason(Action.AMEND, reason)
        condition = self.store.condition(condition_id)
        authorize(Action.AMEND, self.tracker.roles(actor), condition)
        target(Action.AMEND, condition)
        decided = self.meeting(meeting, today=now.date())
        consultation = self.store.consultation(condition.consultation)
        problems: Problems = {}
        fields: dict[str, Any] = {}
        if edit.text is not None and edit.text.strip() != condition.text:
            if not edit.text.strip():
                problems["text"] = ("input.empty", {})
            fields["text"] = edit.text.strip()
        if edit.kind is not None:
            kind = self._kind(edit.kind, problems)
            if kind is not None and kind is not condition.kind:
                fields["kind"] = kind
        if edit.due is not None:
            reading = self._due(edit.due, decided, problems)
            if reading is not None and (reading.due, reading.text) != (
                condition.due,
                condition.due_text,
            ):
                fields.update(due=reading.due, due_text=reading.text, due_rule=reading.rule)
        if edit.department is not None:
            department = self._department(edit.department, consultation, problems)
            if department is not None and department != condition.department:
                fields["department"] = department
        if edit.vendor is not None:
            vendor = self._vendor(edit.vendor, consultation, problems)
            if "vendor" not in problems and vendor != condition.vendor:
                fields["vendor"] = vendor
        if edit.report_back is not None and edit.report_back != condition.report_back:
            fields["report_back"] = edit.report_back
        if edit.recurrence is not None:
            recurrence = self._recurrence(edit.recurrence, problems)
            if recurrence is not None and recurrence is not condition.recurrence:
                fields["recurrence"] = recurrence
        if problems:
            raise InvalidInput(problems)
        if not fields:
            raise DueDiligenceError("amend.nothing_changed", id=condition_id)
        changes = _changes(condition, fields)
        with self.store.transaction():
            current = self.store.condition(condition_id)
            target(Action.AMEND, current)
            self.store.update_condition(condition_id, at=now, **fields)
            first = 0
            for change in changes:
                event = self.store.append_event(
                    condition_id,
                    "amended",
                    actor=actor,
                    at=now,
                    reason=reason,
                    data={
                        "meeting": decided.id,
                        "field": change.field,
                        "old": change.old,
                        "new": change.new,
                    },
                )
                first = first or event
            departments = (condition.department, fields.get("department", condition.department))
            updated = self.store.condition(condition_id)
            self._notify(updated, "amended", first, decided, reason, changes, departments, now)
        return changes

    def withdraw(
        self, condition_id: str, *, meeting: str, reason: str, actor: str, now: dt.datetime
    ) -> Condition:
        """Withdraw (取消) a condition as *meeting* decided: finished, never chased again."""
        _reason(Action.WITHDRAW, reason)
        condition = self.store.condition(condition_id)
        authorize(Action.WITHDRAW, self.tracker.roles(actor), condition)
        new_status = target(Action.WITHDRAW, condition)
        decided = self.meeting(meeting, today=now.date())
        with self.store.transaction():
            current = self.store.condition(condition_id)
            new_status = target(Action.WITHDRAW, current)
            self.store.update_condition(condition_id, at=now, status=new_status)
            event = self.store.append_event(
                condition_id,
                "withdrawn",
                actor=actor,
                at=now,
                reason=reason,
                data={
                    "from": str(current.status),
                    "to": str(new_status),
                    "meeting": decided.id,
                    "meeting_label": decided.label,
                },
            )
            change = FieldChange("status", str(current.status), str(new_status))
            updated = self.store.condition(condition_id)
            self._notify(updated, "withdrawn", event, decided, reason, [change], (), now)
        return updated

    # -- internals -------------------------------------------------------------------

    def _notify(
        self,
        condition: Condition,
        action: str,
        event: int,
        meeting: Meeting,
        reason: str,
        changes: list[FieldChange],
        departments: tuple[str, ...],
        now: dt.datetime,
    ) -> None:
        """Plan a DM to the owners of every department concerned (the bot delivers it)."""
        payload = {
            "action": action,
            "meeting": meeting.id,
            "meeting_label": meeting.label,
            "reason": reason,
            "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in changes],
        }
        recipients: dict[str, None] = {}
        for name in dict.fromkeys(departments or (condition.department,)):
            found = self.store.find_department(name)
            for owner in found.owners if found else ():
                recipients[owner] = None
        self.store.enqueue_outbox(
            [
                Delivery(
                    kind=DeliveryKind.NOTICE,
                    subject=condition.id,
                    occurrence=f"event:{event}",
                    stage=action,
                    recipient=recipient,
                    send_after=now,
                    payload=payload,
                    condition=condition.id,
                )
                for recipient in recipients
            ],
            now=now,
        )

    def _due(self, text: str, meeting: Meeting, problems: Problems) -> DueReading | None:
        written = (text or "").strip()
        if not written:
            problems["due"] = ("input.empty", {})
            return None
        if _fold(written) in {_fold(w) for w in NEXT_MEETING_WORDS}:
            following = [m for m in self.store.meetings(meeting.council) if m.date > meeting.date]
            if not following:
                problems["due"] = ("input.no_next_meeting", {"meeting": meeting.label})
                return None
            return DueReading("next_meeting", following[0].date, DueRule.NEXT_MEETING)
        try:
            day = parse_due(written, today=meeting.date)
        except DueDateError as err:
            problems["due"] = ("input.bad_date", {"detail": err})
            return None
        return DueReading(written, day, DueRule.DATE)

    def _kind(self, text: str, problems: Problems) -> Kind | None:
        code = choice_code("kind.", [k.value for k in Kind], text or "")
        if code is None:
            problems["kind"] = ("input.bad_choice", {"value": text, "choices": _KINDS})
            return None
        return Kind(code)

    def _recurrence(self, text: str, problems: Problems) -> Recurrence | None:
        if not (text or "").strip():
            return Recurrence.NONE
        code = choice_code("recurrence.", [r.value for r in Recurrence], text)
        if code is None:
            problems["recurrence"] = ("input.bad_choice", {"value": text, "choices": _RECURRENCES})
            return None
        return Recurrence(code)

    def _trigger(self, text: str, draft: ConditionDraft, problems: Problems) -> None:
        from .checks.triggers import Trigger

        values = [t.value for t in Trigger]
        code = choice_code("checks.trigger.", values, text)
        if code is None:
            problems["trigger"] = (
                "input.bad_choice",
                {"value": text, "choices": Choices("checks.trigger.", tuple(values))},
            )
        elif draft.days is not None and not 1 <= draft.days <= 365:
            problems["days"] = ("checks.import.days_range", {"value": draft.days, "max": 365})

    def _department(
        self,
        text: str,
        consultation: Consultation | None,
        problems: Problems,
        *,
        required: bool = False,
    ) -> str | None:
        name = (text or "").strip()
        if not name:
            if required or consultation is None:
                problems["department"] = ("input.empty", {})
                return None
            return consultation.department
        if self.store.find_department(name) is None:
            known = tuple(d.name for d in self.store.departments())
            problems["department"] = (
                "input.unknown_department",
                {"name": name, "hint": Closest(name, known)},
            )
            return None
        return name

    def _vendor(
        self, text: str, consultation: Consultation | None, problems: Problems
    ) -> str | None:
        name = (text or "").strip()
        if not name or consultation is None:
            return None
        names = tuple(v.name for v in consultation.vendors)
        if name not in names:
            problems["vendor"] = (
                "input.unknown_vendor",
                {"name": name, "hint": Closest(name, names)},
            )
            return None
        return name

    def _next_id(self, consultation: Consultation) -> str:
        taken = {c.id for c in self.store.conditions()}
        number = 1
        while f"{consultation.id}-{number:02d}" in taken:
            number += 1
        return f"{consultation.id}-{number:02d}"

    def _consultation_id(self, number: str, meeting: Meeting | None) -> str:
        """An id from the official number (令和5年度諮問第7号 → R5-07), else the next free one."""
        found = _id_from_number(number)
        if found and self.store.find_consultation(found) is None:
            return found
        base = meeting.id if meeting else "C"
        taken = {c.id for c in self.store.consultations()}
        index = 1
        while f"{base}-{index:02d}" in taken:
            index += 1
        return f"{base}-{index:02d}"


_ERAS = {"令和": "R", "平成": "H", "R": "R", "H": "H"}
_NUMBER = re.compile(r"^(令和|平成|R|H)(\d+)年度?諮問第(\d+)号$")


def _id_from_number(number: str) -> str | None:
    """令和2年度諮問第15号 → R2-15, the ids the seed meeting uses."""
    text = "".join(unicodedata.normalize("NFKC", number or "").split())
    match = _NUMBER.match(text)
    if match is None:
        return None
    return f"{_ERAS[match[1]]}{int(match[2])}-{int(match[3]):02d}"


def _changes(condition: Condition, fields: Mapping[str, Any]) -> list[FieldChange]:
    """One change per field a person sees: due, its wording and rule are one."""
    changes = []
    for name in EDITABLE:
        if name == "due" and "due" in fields:
            old = {"due": _plain(condition.due), "text": condition.due_text}
            new = {"due": _plain(fields["due"]), "text": fields["due_text"]}
            changes.append(FieldChange("due", old, new))
        elif name in fields:
            changes.append(
                FieldChange(name, _plain(getattr(condition, name)), _plain(fields[name]))
            )
    return changes


def shown_value(field: str, value: Any, lang: str = "ja") -> str:
    """A changed value as a clerk reads it: labels for codes, dates in 和暦 and ISO."""
    from .dates import format_wareki
    from .messages import t

    if value is None or value == "":
        return "-"
    if field == "due" and isinstance(value, Mapping):
        day = dt.date.fromisoformat(str(value["due"])) if value.get("due") else None
        shown = "-" if day is None else day.isoformat()
        if day is not None and lang == "ja":
            shown = f"{format_wareki(day)} ({day.isoformat()})"
        written = str(value.get("text") or "")
        if written == "next_meeting":
            written = t("intake.next_meeting", lang)
        if written and written not in (
            day.isoformat() if day else "",
            format_wareki(day) if day else "",
        ):
            return f"{written} = {shown}"
        return shown
    if field in ("kind", "recurrence", "status"):
        return t(f"{field}.{value}", lang)
    if field == "report_back":
        return t("intake.yes" if value else "intake.no", lang)
    return str(value)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Kind | Recurrence | Status | DueRule):
        return str(value)
    return value


def _reason(action: Action, reason: str) -> None:
    if not (reason or "").strip():
        raise ReasonRequired(action=f"action.{action}")


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()
