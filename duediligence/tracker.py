"""The operations people perform on conditions, each one transaction plus its event.

:class:`Tracker` binds a :class:`~duediligence.store.Store`, a
:class:`~duediligence.evidence.BlobStore` and the configured secretariat. The
CLI and the bot's conversation core call it; neither touches SQL. Time is
always passed in as ``now`` so tests can travel through fiscal years.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, BinaryIO

from .business_calendar import BusinessCalendar
from .checks.hooks import on_accept
from .errors import DueDateError, NotFound, ReasonRequired
from .evidence import BlobStore
from .lifecycle import REASON_REQUIRED, Action, Roles, authorize, target
from .model import Condition, DueRule, Evidence, Status
from .occurrences import add_occurrence
from .recurrence import next_due
from .store import Store
from .validity import check_term, renewal_open

if TYPE_CHECKING:
    from .submission import SubmissionResult


class Tracker:
    """Conditions and their evidence, moved only along the allowed lifecycle."""

    def __init__(
        self,
        store: Store,
        blobs: BlobStore | None = None,
        *,
        secretariat: Iterable[str] = (),
        calendar: BusinessCalendar | None = None,
    ) -> None:
        self.store = store
        self.blobs = blobs
        self._secretariat = frozenset(secretariat)
        #: the office's business days, for everything due "N business days after" something
        self.calendar = calendar or BusinessCalendar()

    # -- who is who ------------------------------------------------------

    def roles(self, actor: str) -> Roles:
        names = self.store.identities(actor)
        secretariat = bool(names & (self._secretariat | set(self.store.secretariat())))
        return Roles(
            actor=actor,
            secretariat=secretariat,
            departments=tuple(self.store.departments_owned_by(actor)),
            heads=tuple(self.store.departments_headed_by(actor)),
        )

    # -- evidence --------------------------------------------------------

    def submit_evidence(
        self,
        condition_id: str,
        source: BinaryIO | Iterable[bytes] | bytes,
        *,
        filename: str,
        actor: str,
        now: dt.datetime,
        **options: Any,
    ) -> SubmissionResult:
        """Submit a file through the checks of the condition's kind: the one way in for evidence.

        Same as :func:`duediligence.submit_evidence` (see there for *options*:
        ``content_type``, ``person``, ``after_leaving``, ``certificate``, ``kind``).
        """
        from .submission import submit_evidence

        return submit_evidence(
            self, condition_id, source, filename=filename, actor=actor, now=now, **options
        )

    def store_evidence(
        self,
        condition_id: str,
        source: BinaryIO | Iterable[bytes],
        *,
        filename: str,
        actor: str,
        now: dt.datetime,
        content_type: str | None = None,
        effective: dt.date | None = None,
        valid_until: dt.date | None = None,
    ) -> Evidence:
        """Store the file and move the condition to submitted (a newer file supersedes).

        The storage step only: it does not look at the file. The kind checks call
        it; every surface calls :meth:`submit_evidence` instead, so none skips them.
        *effective* / *valid_until* give the document's term (see validity.py); a done
        condition whose current file lapses within 60 days takes its renewal.
        """
        if self.blobs is None:
            raise RuntimeError("this tracker has no evidence directory")
        check_term(effective, valid_until)
        roles = self.roles(actor)
        condition = self.store.condition(condition_id)
        authorize(Action.SUBMIT, roles, condition)
        if renewal_open(self.store, condition, now.date()) is None:
            target(Action.SUBMIT, condition)  # refuse before streaming a large file for nothing
        display_name = _safe_filename(filename)
        blob = self.blobs.put(source, filename=display_name)
        with self.store.transaction():
            condition = self.store.condition(condition_id)
            renewal = renewal_open(self.store, condition, now.date()) is not None
            new_status = Status.SUBMITTED if renewal else target(Action.SUBMIT, condition)
            evidence = self.store.add_evidence(
                condition_id,
                sha256=blob.sha256,
                filename=display_name,
                size=blob.size,
                content_type=content_type
                or mimetypes.guess_type(display_name)[0]
                or "application/octet-stream",
                uploaded_by=actor,
                uploaded_at=now,
                effective=effective,
                valid_until=valid_until,
            )
            action = "submitted" if condition.status is not Status.SUBMITTED else "evidence_added"
            fields: dict[str, object] = {"status": new_status}
            if renewal:
                action = "renewal_submitted"
                fields["reported_at_meeting"] = None  # to be accepted and reported again
            if new_status is not condition.status:
                self.store.update_condition(condition_id, at=now, **fields)
            data: dict[str, object] = {
                "from": str(condition.status),
                "to": str(new_status),
                "sha256": blob.sha256,
                "filename": display_name,
                "size": blob.size,
                "evidence_id": evidence.id,
            }
            if effective or valid_until:
                data.update(effective=_iso(effective), valid_until=_iso(valid_until))
            self.store.append_event(condition_id, action, actor=actor, at=now, data=data)
        return evidence

    def set_validity(
        self,
        condition_id: str,
        *,
        actor: str,
        now: dt.datetime,
        valid_until: dt.date | None,
        effective: dt.date | None = None,
        sha256: str | None = None,
    ) -> Evidence:
        """Record the term of a file already received (by default the condition's latest)."""
        check_term(effective, valid_until)
        with self.store.transaction():
            condition = self.store.condition(condition_id)
            authorize(Action.READ_EVIDENCE, self.roles(actor), condition)  # owner or secretariat
            files = self.store.evidence_of(condition_id)
            if sha256:
                files = [e for e in files if e.sha256 == sha256.lower()]
            if not files and not sha256:
                raise NotFound("error.evidence.none_yet", id=condition_id)
            if not files:
                raise NotFound("error.evidence.unknown", id=condition_id, sha256=sha256)
            chosen = files[-1]
            self.store.set_evidence_validity(
                chosen.id, effective=effective, valid_until=valid_until
            )
            self.store.append_event(
                condition_id,
                "validity_set",
                actor=actor,
                at=now,
                data={
                    "evidence_id": chosen.id,
                    "sha256": chosen.sha256,
                    "filename": chosen.filename,
                    "effective": _iso(effective),
                    "valid_until": _iso(valid_until),
                    "old_effective": _iso(chosen.effective),
                    "old_valid_until": _iso(chosen.valid_until),
                },
            )
            found = self.store.evidence_by_id(chosen.id)
            assert found is not None
            return found

    def evidence(self, condition_id: str) -> list[Evidence]:
        self.store.condition(condition_id)
        return self.store.evidence_of(condition_id)

    def read_evidence(
        self, condition_id: str, sha256: str, *, actor: str, now: dt.datetime, surface: str = ""
    ) -> tuple[Evidence, BinaryIO]:
        """Open a stored file for the owner department or the secretariat; the read is logged first.

        *surface* says through what the file left (``cli``, ``slack``, ``console``, …): the
        access record (``duediligence audit access``) shows it.
        """
        if self.blobs is None:
            raise RuntimeError("this tracker has no evidence directory")
        condition = self.store.condition(condition_id)
        authorize(Action.READ_EVIDENCE, self.roles(actor), condition)
        matches = [e for e in self.store.evidence_of(condition_id) if e.sha256 == sha256.lower()]
        if not matches:
            raise NotFound("error.evidence.unknown", id=condition_id, sha256=sha256)
        evidence = matches[-1]
        stream = self.blobs.open(evidence.sha256)
        with self.store.transaction():
            self.store.append_event(
                condition_id,
                "evidence_read",
                actor=actor,
                at=now,
                data={
                    "sha256": evidence.sha256,
                    "filename": evidence.filename,
                    "evidence_id": evidence.id,
                    "surface": surface,
                },
            )
        return evidence, stream

    # -- review ----------------------------------------------------------

    def accept(
        self,
        condition_id: str,
        *,
        actor: str,
        now: dt.datetime,
        note: str = "",
        override_reason: str = "",
    ) -> Condition:
        """Accept; *override_reason* lets the secretariat accept despite a failed check (pledges)."""
        return self._move(
            condition_id,
            Action.ACCEPT,
            actor=actor,
            now=now,
            reason=note,
            override_reason=override_reason,
        )

    def return_(self, condition_id: str, *, actor: str, reason: str, now: dt.datetime) -> Condition:
        return self._move(condition_id, Action.RETURN, actor=actor, now=now, reason=reason)

    def waive(self, condition_id: str, *, actor: str, reason: str, now: dt.datetime) -> Condition:
        return self._move(condition_id, Action.WAIVE, actor=actor, now=now, reason=reason)

    def mark_reported(
        self, condition_id: str, *, actor: str, meeting: str, now: dt.datetime
    ) -> Condition:
        """Reported at *meeting*: its id, date, name or ``next`` (:mod:`duediligence.meetings`)."""
        from .meetings import resolve_meeting

        # an unknown or ambiguous meeting is refused before anything changes
        found = resolve_meeting(self.store, meeting, today=now.date())
        return self._move(
            condition_id, Action.MARK_REPORTED, actor=actor, now=now, meeting=found.id
        )

    def extend(
        self, condition_id: str, *, actor: str, new_due: dt.date, reason: str, now: dt.datetime
    ) -> Condition:
        """Move the due date (the secretariat approving an extension); old and new are logged."""
        _require_reason(Action.EXTEND, reason)
        _require_not_past(new_due, now)
        with self.store.transaction():
            condition = self.store.condition(condition_id)
            authorize(Action.EXTEND, self.roles(actor), condition)
            target(Action.EXTEND, condition)
            # due_text keeps what the meeting file said, so a re-import does not undo this.
            self.store.update_condition(condition_id, at=now, due=new_due, due_rule=DueRule.DATE)
            self.store.append_event(
                condition_id,
                "extended",
                actor=actor,
                at=now,
                reason=reason,
                data={"old_due": _iso(condition.due), "new_due": new_due.isoformat()},
            )
        return self.store.condition(condition_id)

    def request_extension(
        self, condition_id: str, *, actor: str, new_due: dt.date, reason: str, now: dt.datetime
    ) -> int:
        """The owner asks for more time; only the event is written, the secretariat decides."""
        _require_reason(Action.REQUEST_EXTENSION, reason)
        _require_not_past(new_due, now)
        with self.store.transaction():
            condition = self.store.condition(condition_id)
            authorize(Action.REQUEST_EXTENSION, self.roles(actor), condition)
            target(Action.REQUEST_EXTENSION, condition)
            return self.store.append_event(
                condition_id,
                "extension_requested",
                actor=actor,
                at=now,
                reason=reason,
                data={"old_due": _iso(condition.due), "new_due": new_due.isoformat()},
            )

    # -- internals -------------------------------------------------------

    def _move(
        self,
        condition_id: str,
        action: Action,
        *,
        actor: str,
        now: dt.datetime,
        reason: str = "",
        meeting: str | None = None,
        override_reason: str = "",
    ) -> Condition:
        if action in REASON_REQUIRED:
            _require_reason(action, reason)
        with self.store.transaction():
            condition = self.store.condition(condition_id)
            authorize(action, self.roles(actor), condition)
            new_status = target(action, condition)
            fields: dict[str, object] = {"status": new_status}
            if meeting is not None:
                fields["reported_at_meeting"] = meeting
            self.store.update_condition(condition_id, at=now, **fields)
            data: dict[str, object] = {"from": str(condition.status), "to": str(new_status)}
            if meeting is not None:
                data["meeting"] = meeting
            self.store.append_event(
                condition_id, _EVENT[action], actor=actor, at=now, reason=reason, data=data
            )
            if action is Action.ACCEPT:
                on_accept(
                    self.store, condition, actor=actor, now=now, override_reason=override_reason
                )
            updated = self.store.condition(condition_id)
            if updated.finished and new_status is not Status.WAIVED:
                self._open_next_occurrence(updated, actor=actor, now=now)
        return updated

    def _open_next_occurrence(self, done: Condition, *, actor: str, now: dt.datetime) -> None:
        """A yearly, fiscal-year-end, monthly or quarterly condition comes round again when one closes."""
        due = next_due(done.recurrence, done.due or now.date())
        if due is None:
            return
        series = done.series or done.id
        if self.store.find_condition(f"{series}#{done.occurrence + 1}") is not None:
            return
        add_occurrence(
            self.store,
            done,
            previous=done,
            number=done.occurrence + 1,
            due=due,
            actor=actor,
            now=now,
        )


_EVENT = {
    Action.ACCEPT: "accepted",
    Action.RETURN: "returned",
    Action.WAIVE: "waived",
    Action.MARK_REPORTED: "reported",
}


def _require_reason(action: Action, reason: str) -> None:
    if not (reason or "").strip():
        raise ReasonRequired(action=f"action.{action}")


def _require_not_past(new_due: dt.date, now: dt.datetime) -> None:
    """A new due date before today would make the item overdue the moment it is granted."""
    if new_due < now.date():
        raise DueDateError(
            "error.extend.past", new=new_due.isoformat(), today=now.date().isoformat()
        )


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _safe_filename(name: str) -> str:
    """Keep only the last path component and printable characters: it is shown, never opened."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip()
    return cleaned[:200] or "evidence"
