"""Which step may follow which, and who may take it.

::

    open ──submit──▶ submitted ──accept──▶ accepted ──mark_reported──▶ reported
      ▲                │    ▲
      │             return  submit
      │                ▼    │
      └──────────── returned

    any unfinished status ──waive (reason)──▶ waived
    any unfinished status ──withdraw (reason, meeting)──▶ withdrawn

The owner department's people submit (and may add a newer file while the
item waits for review); only the secretariat accepts, returns, waives, marks
reported and moves due dates. A condition that need not be reported back is
finished once accepted. Keeping the submitter and the reviewer apart is
deliberate: the secretariat does not submit evidence it then approves.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .errors import PermissionDenied, TransitionError
from .model import Condition, Status


class Action(StrEnum):
    SUBMIT = "submit"
    ACCEPT = "accept"
    RETURN = "return"
    WAIVE = "waive"
    MARK_REPORTED = "mark_reported"
    EXTEND = "extend"
    REQUEST_EXTENSION = "request_extension"
    READ_EVIDENCE = "read_evidence"
    WITHDRAW = "withdraw"  # a later meeting withdrew the condition (取消)
    AMEND = "amend"  # a later meeting changed its text, due date, department …
    REGISTER = "register"  # register a consultation or add a condition


class Role(StrEnum):
    SECRETARIAT = "secretariat"
    OWNER = "owner"
    OWNER_OR_SECRETARIAT = "owner_or_secretariat"


_UNFINISHED = frozenset({Status.OPEN, Status.SUBMITTED, Status.RETURNED, Status.ACCEPTED})
_AWAITING = frozenset({Status.OPEN, Status.RETURNED, Status.SUBMITTED})

#: action -> (statuses it may start from, status it leads to or None to stay, who may do it)
RULES: dict[Action, tuple[frozenset[Status], Status | None, Role]] = {
    Action.SUBMIT: (_AWAITING, Status.SUBMITTED, Role.OWNER),
    Action.ACCEPT: (frozenset({Status.SUBMITTED}), Status.ACCEPTED, Role.SECRETARIAT),
    Action.RETURN: (frozenset({Status.SUBMITTED}), Status.RETURNED, Role.SECRETARIAT),
    Action.WAIVE: (_UNFINISHED, Status.WAIVED, Role.SECRETARIAT),
    Action.MARK_REPORTED: (frozenset({Status.ACCEPTED}), Status.REPORTED, Role.SECRETARIAT),
    Action.EXTEND: (_AWAITING, None, Role.SECRETARIAT),
    Action.REQUEST_EXTENSION: (_AWAITING, None, Role.OWNER),
    Action.READ_EVIDENCE: (frozenset(Status), None, Role.OWNER_OR_SECRETARIAT),
    Action.WITHDRAW: (_UNFINISHED, Status.WITHDRAWN, Role.SECRETARIAT),
    Action.AMEND: (_UNFINISHED, None, Role.SECRETARIAT),
    Action.REGISTER: (frozenset(Status), None, Role.SECRETARIAT),
}

REASON_REQUIRED = frozenset(
    {
        Action.RETURN,
        Action.WAIVE,
        Action.EXTEND,
        Action.REQUEST_EXTENSION,
        Action.WITHDRAW,
        Action.AMEND,
    }
)


@dataclass(frozen=True, slots=True)
class Roles:
    """What one person may do: secretariat, owner of some departments, head of some."""

    actor: str
    secretariat: bool = False
    departments: tuple[str, ...] = ()
    heads: tuple[str, ...] = ()

    def owns(self, condition: Condition) -> bool:
        return condition.department in self.departments

    @property
    def known(self) -> bool:
        return self.secretariat or bool(self.departments)


def authorize(action: Action, roles: Roles, condition: Condition) -> None:
    """Raise PermissionDenied unless *roles* may take *action* on *condition*."""
    need = RULES[action][2]
    allowed = {
        Role.SECRETARIAT: roles.secretariat,
        Role.OWNER: roles.owns(condition),
        Role.OWNER_OR_SECRETARIAT: roles.secretariat or roles.owns(condition),
    }[need]
    if not allowed:
        raise PermissionDenied(actor=roles.actor, action=f"action.{action}", need=f"role.{need}")


def require_secretariat(action: Action, roles: Roles) -> None:
    """For steps that concern no existing condition yet (registering one): secretariat only."""
    if not roles.secretariat:
        raise PermissionDenied(
            actor=roles.actor, action=f"action.{action}", need="role.secretariat"
        )


def target(action: Action, condition: Condition) -> Status:
    """The status *action* leads to from *condition*'s, or TransitionError."""
    sources, to, _ = RULES[action]
    if condition.status not in sources or (
        action is not Action.READ_EVIDENCE and condition.finished
    ):
        if action is Action.MARK_REPORTED and condition.status is Status.ACCEPTED:
            raise TransitionError("error.not_reportable", id=condition.id)
        raise TransitionError(
            "error.transition_hint",
            id=condition.id,
            status=f"status.{condition.status}",
            action=f"action.{action}",
            hint=TransitionHint(action, condition.status),
        )
    return to or condition.status


@dataclass(frozen=True, slots=True)
class TransitionHint:
    """What to do instead of a step the status does not allow (rendered in the reader's language)."""

    action: Action
    status: Status

    def render(self, lang: str = "ja") -> str:
        from .messages import has, t

        specific = f"hint.transition.{self.action}.{self.status}"
        if has(specific, lang):
            return t(specific, lang)
        if self.status in (Status.REPORTED, Status.WAIVED):
            return t("hint.transition.finished", lang)
        sources = RULES[self.action][0]
        allowed = t("report.list_sep", lang).join(
            t(f"status.{s}", lang) for s in Status if s in sources
        )
        return t(
            "hint.transition.allowed",
            lang,
            action=t(f"action.{self.action}", lang),
            allowed=allowed,
        )
