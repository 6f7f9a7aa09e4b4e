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

from duediligence import Condition, ConditionFilter, Kind, Status
from duediligence.kinds import evidence_rule

from . import digest, notices
from .base import Context
from .checks import fiscal
from .detail import condition_section
from .reply import Button, Field, Reply, Section
from .supervision import incidents, validity


def reminder_reply(ctx: Context, entry_kind: str, payload: Mapping[str, Any], lang: str) -> Reply:
    """The DM for one outbox entry (or the channel digest for ``digest``)."""
    if entry_kind == "digest":
        return digest_reply(ctx, lang)
    if entry_kind == "certificate_expiry":
        return _certificate(ctx, payload, lang)
    if entry_kind == "alert":
        return incidents.alert_reply(ctx, payload, lang)
    if entry_kind == "notice":
        return notices.notice_reply(ctx, payload, lang)
    if entry_kind == "evidence_expiry":
        return validity.lapse_reply(ctx, payload, lang)
    if entry_kind == "question":
        return fiscal.question_reply(
            ctx, str(payload["condition"]), int(payload["fiscal_year"]), lang
        )
    condition = ctx.store.condition(str(payload["condition"]))
    headline = _headline(ctx, entry_kind, payload, condition, lang)
    buttons: tuple[Button, ...] = (
        Button("details", ctx.t("bot.button.details", lang), condition.id),
    )
    if entry_kind != "escalation":
        buttons = _owner_buttons(ctx, condition.id, lang) + buttons
    detail = condition_section(ctx, condition, lang)
    return Reply(headline, (Section(text=detail.text, fields=detail.fields, buttons=buttons),))


def digest_reply(ctx: Context, lang: str) -> Reply:
    """The weekly digest for the secretariat channel (see :mod:`bot.core.digest`)."""
    return digest.digest_reply(ctx, lang)


def _headline(
    ctx: Context, kind: str, payload: Mapping[str, Any], condition: Condition, lang: str
) -> str:
    """Which words to lead with: the outbox's stage and day counts, else the due date."""
    stage = str(payload.get("stage") or "")
    due = condition.due
    days_left = (due - ctx.today()).days if due else 0
    overdue = _int(payload.get("days_overdue"), max(-days_left, 0))
    if kind == "escalation":
        return ctx.t(
            "bot.reminder.escalation",
            lang,
            id=condition.id,
            department=condition.department,
            days=overdue,
        )
    if stage.startswith("overdue") or (not stage and overdue > 0):
        return ctx.t("bot.reminder.overdue", lang, id=condition.id, days=overdue)
    if stage == "due_day" or (not stage and days_left == 0):
        return ctx.t("bot.reminder.today", lang, id=condition.id)
    days = _int(payload.get("days_to_due"), max(days_left, 0))
    return ctx.t("bot.reminder.before", lang, id=condition.id, days=days)


def _certificate(ctx: Context, payload: Mapping[str, Any], lang: str) -> Reply:
    """A vendor's ISMS / Privacy Mark certificate nears expiry: ask the owners for the renewal."""
    vendor = str(payload.get("vendor") or "")
    expires = _date(payload.get("expires"))
    days = _int(payload.get("days_to_expiry"), (expires - ctx.today()).days if expires else 0)
    scheme = str(payload.get("scheme") or "")
    headline = ctx.t(
        "bot.reminder.certificate",
        lang,
        vendor=vendor,
        scheme=scheme,
        expires=ctx.due_label(expires, lang),
        days=days,
    )
    fields = [
        Field(ctx.t("bot.field.vendor", lang), vendor),
        Field(ctx.t("bot.field.scheme", lang), f"{scheme} {payload.get('number') or ''}".strip()),
        Field(ctx.t("bot.field.expires", lang), ctx.due_label(expires, lang)),
    ]
    renewed = _date(payload.get("last_renewed"))
    if renewed:
        fields.append(Field(ctx.t("bot.field.last_renewed", lang), ctx.due_label(renewed, lang)))
    fields.append(
        Field(ctx.t("bot.field.expected", lang), evidence_rule(Kind.CERTIFICATE_RENEWAL, lang))
    )
    buttons: tuple[Button, ...] = ()
    condition_id = payload.get("condition") or _renewal_condition(ctx, vendor, scheme)
    if condition_id:
        buttons = _owner_buttons(ctx, str(condition_id), lang)
    return Reply(headline, (Section(fields=tuple(fields), buttons=buttons),))


def _renewal_condition(ctx: Context, vendor: str, scheme: str) -> str | None:
    """The vendor's open certificate-renewal condition for *scheme*, when it is unambiguous."""
    awaiting = (Status.OPEN, Status.RETURNED)
    found = [
        c
        for c in ctx.store.conditions(ConditionFilter(vendor=vendor, statuses=awaiting))
        if c.kind is Kind.CERTIFICATE_RENEWAL
    ]
    if len(found) > 1:
        names = {scheme.lower(), *_SCHEME_NAMES.get(scheme.lower(), ())}
        found = [c for c in found if any(n and n in c.text.lower() for n in names)]
    return found[0].id if len(found) == 1 else None


_SCHEME_NAMES = {"privacymark": ("プライバシーマーク", "privacy mark", "pマーク")}


def _owner_buttons(ctx: Context, condition_id: str, lang: str) -> tuple[Button, ...]:
    return (
        Button("upload_help", ctx.t("bot.button.upload", lang), condition_id, "primary"),
        Button("extension_request", ctx.t("bot.button.extension", lang), condition_id),
    )


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
