"""Minutes sent to the bot by the secretariat come back as a draft workbook, in the same DM.

The secretariat drops the published minutes (text, Word or PDF) in its DM with the
bot; the library reads them (duediligence.draft) and the bot answers with the
draft intake workbook and one line (N 件の諮問、M 件の条件案、低信頼 K 件). Nothing
is registered: the workbook is imported, after review, with `duediligence import`.
Minutes are published text, not evidence, so the file is never stored.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from duediligence import DueDiligenceError
from duediligence.evidence import human_size

from .base import Context, Role, Who
from .reply import FileOut, Outcome, Reply
from .requests import Upload

#: words in the message that say "this file is minutes", for a secretariat member who
#: also owns a department (without them, their file would be taken as evidence)
_MINUTES_WORDS = re.compile(r"議事録|会議録|下書き|条件案|minutes|draft", re.IGNORECASE)


def is_minutes(who: Who, upload: Upload) -> bool:
    """Whether an upload is minutes to draft from rather than evidence."""
    if who.role is not Role.SECRETARIAT or upload.condition:
        return False
    return not who.departments or bool(_MINUTES_WORDS.search(upload.text or ""))


def draft_reply(ctx: Context, upload: Upload, lang: str) -> Outcome:
    """Read the minutes and answer with the draft workbook and its one-line summary."""
    from duediligence.draft import draft_from_bytes, summary, write_draft

    name = upload.file.name or "minutes"
    limit = ctx.settings.max_upload_bytes
    if upload.file.size == 0:
        return Outcome(reply=Reply(ctx.t("draft.empty", lang, path=name)))
    too_large = Outcome(
        reply=Reply(ctx.t("draft.too_large", lang, path=name, limit=human_size(limit)))
    )
    if upload.file.size is not None and upload.file.size > limit:
        return too_large  # said before a byte is downloaded
    data = _read(upload, limit)
    if data is None:  # the size Slack reported was wrong
        return too_large
    try:
        draft = draft_from_bytes(data, filename=name, today=ctx.now().date())
    except DueDiligenceError as err:
        return Outcome(reply=Reply(err.render(lang)))
    scratch = Path(tempfile.mkdtemp(prefix="dd-draft-"))
    out = scratch / f"{Path(name).stem}-条件案.xlsx"
    write_draft(draft, out, source=name, lang=lang)
    line = summary(draft, lang)
    return Outcome(
        reply=Reply(ctx.t("bot.draft.sent", lang, summary=line)),
        files=[FileOut(out, ctx.t("bot.draft.title", lang, source=name), secretariat=False)],
        files_comment=ctx.t("bot.draft.comment", lang, summary=line, source=name),
        files_failed=Reply(ctx.t("bot.draft.failed", lang, summary=line)),
        scratch=scratch,
    )


def _read(upload: Upload, limit: int) -> bytes | None:
    """The whole file (minutes are read whole), or None past *limit*."""
    chunks: list[bytes] = []
    size = 0
    for chunk in upload.download():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
