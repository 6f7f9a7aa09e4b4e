"""Evidence with a term in chat: read 「有効期限 …」 from an upload, and the lapse reminder."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from duediligence import DueDiligenceError
from duediligence.dates import parse_due
from duediligence.errors import EvidenceError

from ..base import Context
from ..reply import Button, Field, Reply, Section

#: 「有効期限 2026-03-15」「有効期限：令和8年3月15日」「valid until 2026-03-15」
_UNTIL = re.compile(r"(?:有効期限|有効期間満了日|valid\s+until|expires)\s*[:：は]?\s*(\S+)", re.I)
#: 「有効期間 2025-03-16〜2026-03-15」
_RANGE = re.compile(r"有効期間\s*[:：は]?\s*(\S+?)\s*[〜~～]\s*(\S+)")
_TRAILING = "。、,.)）"


def term_from_text(text: str, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """(effective, valid_until) named in an upload's message, or (None, None).

    An unreadable date raises the parser's error, so the upload changes nothing.
    """
    text = text or ""
    found = _RANGE.search(text)
    if found:
        start = parse_due(found.group(1).rstrip(_TRAILING), today=today)
        end = parse_due(found.group(2).rstrip(_TRAILING), today=today)
        return start, end
    found = _UNTIL.search(text)
    if found:
        return None, parse_due(found.group(1).rstrip(_TRAILING), today=today)
    return None, None


def term_section(ctx: Context, valid_until: dt.date | None, lang: str) -> tuple[Section, ...]:
    """The confirmation's line about the term, when the upload named one."""
    if valid_until is None:
        return ()
    return (
        Section(text=ctx.t("bot.validity.recorded", lang, until=ctx.due_label(valid_until, lang))),
    )


def lapse_reply(ctx: Context, payload: Mapping[str, Any], lang: str) -> Reply:
    """60/30/7 days before a file lapses: tell the owners and offer the upload."""
    condition = ctx.store.condition(str(payload["condition"]))
    until = _date(payload.get("valid_until"))
    days = payload.get("days_to_lapse")
    if not isinstance(days, int):
        days = (until - ctx.today()).days if until else 0
    headline = ctx.t(
        "bot.validity.lapsing",
        lang,
        id=condition.id,
        filename=str(payload.get("filename") or ""),
        until=ctx.due_label(until, lang),
        days=max(days, 0),
    )
    fields = (
        Field(ctx.t("bot.field.condition", lang), f"{condition.id} [{ctx.kind(condition, lang)}]"),
        Field(ctx.t("bot.field.department", lang), condition.department),
        Field(ctx.t("bot.field.vendor", lang), condition.vendor or "-"),
        Field(ctx.t("bot.validity.field.until", lang), ctx.due_label(until, lang)),
        Field(ctx.t("bot.field.expected", lang), ctx.expected(condition, lang)),
    )
    buttons = (
        Button("upload_help", ctx.t("bot.button.upload", lang), condition.id, "primary"),
        Button("details", ctx.t("bot.button.details", lang), condition.id),
    )
    return Reply(headline, (Section(text=condition.text, fields=fields, buttons=buttons),))


def parse_term_or_error(
    ctx: Context, text: str, lang: str
) -> tuple[dt.date | None, dt.date | None] | str:
    """The term, or the message to answer when a date in it cannot be read."""
    try:
        return term_from_text(text, ctx.today())
    except DueDiligenceError as err:
        return EvidenceError("error.evidence.bad_term_text", detail=err.render(lang)).render(lang)


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
