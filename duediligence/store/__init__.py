"""The store package is the only code that speaks SQL.

``Store`` is assembled from one class per area, each in its own module with
the SQL its area needs. Schema versions are applied in the order of
``Store.MIGRATIONS``; once released, a version's script never changes and new
work appends a new version.
"""

from __future__ import annotations

from . import (
    audit,
    chat,
    checks,
    conversations,
    core,
    counts,
    intake,
    outbox,
    reports,
    retention,
    supervision,
)
from .core import DEFAULT_DB, ConditionFilter, CoreStore


class Store(
    supervision.SupervisionQueries,
    counts.CountQueries,
    outbox.OutboxQueries,
    chat.ChatQueries,
    conversations.ConversationQueries,
    reports.ReportQueries,
    checks.CheckQueries,
    audit.AuditQueries,
    retention.RetentionQueries,
    CoreStore,
):
    """The tracker's database (SQLite or PostgreSQL): every record, every event, one transaction per change."""

    MIGRATIONS = (
        core.SCHEMA,
        outbox.SCHEMA,
        chat.SCHEMA,
        reports.SCHEMA,
        checks.SCHEMA,
        core.ORDER,
        conversations.SCHEMA,
        counts.SCHEMA,
        supervision.SCHEMA,
        intake.SCHEMA,
        supervision.INCIDENTS,
        supervision.CHAIN,
        supervision.CHECKLISTS,
        audit.SCHEMA,
        retention.SCHEMA,
    )


__all__ = ["DEFAULT_DB", "ConditionFilter", "Store"]
