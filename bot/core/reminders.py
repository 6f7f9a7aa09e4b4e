"""Replies built from outbox entries: reminders, escalations, certificate expiries, the digest.

The delivery loop (another module) claims an outbox entry and asks
:func:`reminder_reply` for a neutral reply, which any renderer can show. The
payload carries at least the ``condition`` id; ``stage`` and day counts are used
when present and otherwise computed from the condition's due date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from duediligence import Condition, ConditionFilter, format_wareki
from duediligence.status import summarize

from .base import Context
from .detail import condition_section
from .reply import Button, Reply, Section

KINDS = ("reminder", "escalation", "certificate_expiry", "digest")
DIGEST_LIMIT = 20


def reminder_reply(ctx: Context, entry_kind: str, payload: Mapping[str, Any], lang: str) -> Reply:
    """The DM for one outbox entry (or the channel digest for ``digest``)."""
    if entry_kind == "digest":
        return digest_reply(ctx, lang)
    condition = ctx.store.condition(str(payload["condition"]))
    headline = _headline(ctx, entry_kind, payload, condition, lang)
    buttons: tuple[Button, ...] = (Button("details", ctx.t("bot.button.details", lang), condition.id),)
    if entry_kind != "escalation":
        buttons = (
            Button("upload_help", ctx.t("bot.button.upload", lang), condition.id, "primary"),
            Button("extension_request", ctx.t("bot.button.extension", lang), condition.id),
        ) + buttons
    detail = condition_section(ctx, condition, lang)
    return Reply(headline, (Section(text=detail.text, fields=detail.fields, buttons=buttons),))


def digest_reply(ctx: Context, lang: str) -> Reply:
    """The weekly overdue digest for the secretariat channel: counts, then the oldest overdue."""
    store, today = ctx.store, ctx.today()
    overdue = ConditionFilter(overdue_on=today)
    summary = summarize(store, overdue, today)
    if summary.overdue == 0:
        return Reply(ctx.t("bot.digest.none", lang), private=False)
    departments = tuple(
        f"{name}: {sum(counts.values())}" for name, counts in sorted(summary.by_department.items())
    )
    items = [ctx.line(c, lang) for c in store.conditions(ConditionFilter(overdue_on=today, limit=DIGEST_LIMIT))]
    if summary.overdue > len(items):
        items.append(ctx.t("bot.status.more", lang, count=summary.overdue - len(items)))
    return Reply(
        ctx.t("bot.digest.title", lang, count=summary.overdue, date=format_wareki(today)),
        (
            Section(title=ctx.t("bot.status.by_department", lang), items=departments),
            Section(title=ctx.t("bot.status.overdue", lang, count=summary.overdue), items=tuple(items)),
        ),
        private=False,
    )


def _headline(
    ctx: Context, kind: str, payload: Mapping[str, Any], condition: Condition, lang: str
) -> str:
    today = ctx.today()
    due = condition.due
    days_left = (due - today).days if due else None
    if kind == "certificate_expiry":
        expires = _date(payload.get("expires")) or due
        return ctx.t(
            "bot.reminder.certificate",
            lang,
            id=condition.id,
            scheme=payload.get("scheme") or ctx.kind(condition, lang),
            vendor=condition.vendor or "-",
            expires=ctx.due_label(expires, lang),
        )
    overdue = int(payload.get("days_overdue") or (-days_left if days_left and days_left < 0 else 0))
    if kind == "escalation":
        return ctx.t(
            "bot.reminder.escalation",
            lang,
            id=condition.id,
            department=condition.department,
            days=overdue,
        )
    if overdue > 0:
        return ctx.t("bot.reminder.overdue", lang, id=condition.id, days=overdue)
    if days_left == 0:
        return ctx.t("bot.reminder.today", lang, id=condition.id)
    days = int(payload.get("days_before") or days_left or 0)
    return ctx.t("bot.reminder.before", lang, id=condition.id, days=days)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
