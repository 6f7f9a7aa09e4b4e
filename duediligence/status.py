"""The status query's answer, shared by the CLI, the bot and the report.

The shapes returned here are the ``--json`` contract: a condition has at least
``id``, ``kind``, ``status``, ``due`` (ISO date or null), ``department``,
``consultation``, ``vendor`` and ``overdue``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from .checks.hooks import condition_checks
from .model import Condition, Event, Evidence
from .store import ConditionFilter, Store


def condition_record(condition: Condition, today: dt.date) -> dict[str, Any]:
    return {
        "id": condition.id,
        "kind": str(condition.kind),
        "status": str(condition.status),
        "due": condition.due.isoformat() if condition.due else None,
        "due_text": condition.due_text,
        "due_rule": str(condition.due_rule),
        "department": condition.department,
        "consultation": condition.consultation,
        "vendor": condition.vendor,
        "text": condition.text,
        "report_back": condition.report_back,
        "recurrence": str(condition.recurrence),
        "occurrence": condition.occurrence,
        "series": condition.series,
        "reported_at_meeting": condition.reported_at_meeting,
        "overdue": condition.is_overdue(today),
        "days_overdue": (today - condition.due).days
        if condition.is_overdue(today) and condition.due
        else 0,
    }


def evidence_record(evidence: Evidence) -> dict[str, Any]:
    return {
        "sha256": evidence.sha256,
        "filename": evidence.filename,
        "size": evidence.size,
        "content_type": evidence.content_type,
        "uploaded_by": evidence.uploaded_by,
        "uploaded_at": evidence.uploaded_at.isoformat(),
        "effective": evidence.effective.isoformat() if evidence.effective else None,
        "valid_until": evidence.valid_until.isoformat() if evidence.valid_until else None,
    }


def event_record(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "subject": event.subject,
        "action": event.action,
        "actor": event.actor,
        "at": event.at.isoformat(),
        "reason": event.reason,
        "data": event.data,
    }


def condition_detail(store: Store, condition_id: str, today: dt.date) -> dict[str, Any]:
    """``show --json``: the condition, its evidence and its history."""
    condition = store.condition(condition_id)
    record = condition_record(condition, today)
    record["evidence"] = [evidence_record(e) for e in store.evidence_of(condition_id)]
    record["events"] = [event_record(e) for e in store.events(condition_id)]
    record.update(condition_checks(store, condition, today))
    return record


@dataclass
class StatusSummary:
    """Counts for the secretariat's overview."""

    total: int = 0
    overdue: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    by_department: dict[str, Counter[str]] = field(default_factory=dict)


def summarize(store: Store, where: ConditionFilter, today: dt.date) -> StatusSummary:
    """Counts by status and department, computed in SQL so it stays fast at 100,000 items."""
    summary = StatusSummary()
    for department, status, count in store.counts_by_department_and_status(where):
        summary.total += count
        summary.by_status[str(status)] += count
        summary.by_department.setdefault(department, Counter())[str(status)] += count
    summary.overdue = store.count_conditions(replace(where, overdue_on=today, limit=None))
    return summary
