"""The roster template (名簿の様式) as a file a transport can hand to the owner."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from duediligence.checks import roster

from ..base import Context
from ..reply import Reply


@dataclass(frozen=True, slots=True)
class TemplateFile:
    """The xlsx bytes, its name, the comment to post with it, and what to say if posting fails."""

    filename: str
    content: bytes
    title: str
    comment: str
    failed: Reply


def roster_template(ctx: Context, condition_id: str, lang: str) -> TemplateFile:
    """Write the template with the library (drop-downs for role and employment type) and read it."""
    filename = ctx.t("bot.checks.template.filename", lang)
    with tempfile.TemporaryDirectory(prefix="dd-template-") as scratch:
        path = roster.write_template(Path(scratch) / "roster.xlsx", lang=lang)
        content = path.read_bytes()
    return TemplateFile(
        filename=filename,
        content=content,
        title=ctx.t("bot.checks.template.title", lang),
        comment=ctx.t("bot.checks.template.comment", lang, id=condition_id)
        if condition_id
        else ctx.t("bot.checks.template.comment_any", lang),
        failed=Reply(ctx.t("bot.checks.template.failed", lang)),
    )
