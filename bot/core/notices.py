"""The DM a department gets when a meeting amends, adds or withdraws one of its items.

The library plans it into the outbox (kind ``notice``) with the old and new
values; this turns it into a reply. Values are shown as a clerk reads them:
kind labels, dates in 和暦 and ISO.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from duediligence.amend import shown_value

from .. import intake_messages as _messages  # noqa: F401  (registers the words)
from .base import Context
from .detail import condition_section
from .reply import Field, Reply, Section


def notice_reply(ctx: Context, payload: Mapping[str, Any], lang: str) -> Reply:
    condition = ctx.store.condition(str(payload["condition"]))
    action = str(payload.get("action") or "amended")
    meeting = str(payload.get("meeting_label") or payload.get("meeting") or "")
    headline = ctx.t(f"bot.notice.{action}", lang, id=condition.id, meeting=meeting)
    changes = tuple(
        ctx.t(
            "bot.notice.change",
            lang,
            field=ctx.t(f"input.field.{c['field']}", lang),
            old=shown_value(str(c["field"]), c.get("old"), lang),
            new=shown_value(str(c["field"]), c.get("new"), lang),
        )
        for c in payload.get("changes") or ()
    )
    sections = []
    if changes:
        sections.append(Section(title=ctx.t("bot.notice.changes", lang), items=changes))
    if payload.get("reason"):
        sections.append(
            Section(fields=(Field(ctx.t("bot.notice.reason", lang), str(payload["reason"])),))
        )
    sections.append(condition_section(ctx, condition, lang))
    return Reply(headline, tuple(sections))
