"""Build a council meeting's report pack: Word, Excel and Markdown, and remember what was in it.

:func:`build_pack` is what the CLI and the bot call. It selects the items
(see :mod:`.pack`), writes the three files atomically (a half-written file is
never left under the final name), then records in one transaction which
conditions the pack described and with what status, plus one event.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..messages import normalize_lang
from ..model import Meeting
from ..store import Store
from .pack import PackContent, collect, resolve_meeting

if TYPE_CHECKING:
    from ..audit.access import AccessSummary

Writer = Callable[[PackContent, Path], Path]


@dataclass(frozen=True, slots=True)
class ReportPack:
    """The files written for one meeting and the conditions they describe, in order."""

    meeting: Meeting
    docx: Path
    xlsx: Path
    markdown: Path
    condition_ids: tuple[str, ...]
    content: PackContent

    @property
    def paths(self) -> tuple[Path, Path, Path]:
        return (self.docx, self.xlsx, self.markdown)


def pack_stem(meeting_id: str) -> str:
    """A file name safe on every system and in a chat upload: report-pack-<meeting id>."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", meeting_id).strip("._") or "meeting"
    return f"report-pack-{safe}"


def build_pack(
    store: Store,
    meeting_id: str | None,
    out_dir: str | os.PathLike[str],
    *,
    now: dt.datetime,
    lang: str = "ja",
    actor: str = "report",
    surface: str = "",
    access_summary: bool = False,
    secretariat: frozenset[str] = frozenset(),
) -> ReportPack:
    """Write the pack for *meeting_id* (default: the next meeting on or after *now*) into *out_dir*.

    With *access_summary* the pack ends with who read evidence since the previous meeting
    of the council, as counts per department (no names; *secretariat* tells its reads
    apart). The pack's own event records *surface* (``cli``, ``slack``, …): it is an export.
    """
    from .docx import write_docx
    from .markdown import write_markdown
    from .xlsx import write_xlsx

    lang = normalize_lang(lang)
    today = now.date()
    meeting = resolve_meeting(store, meeting_id, today)
    content = collect(store, meeting, today=today)
    if access_summary:
        content = replace(content, access=_access(store, meeting, now, secretariat))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = pack_stem(meeting.id)
    docx_path = _atomic(out / f"{stem}.docx", lambda p: write_docx(content, p, lang=lang))
    xlsx_path = _atomic(out / f"{stem}.xlsx", lambda p: write_xlsx(content, p, lang=lang))
    md_path = _atomic(out / f"{stem}.md", lambda p: write_markdown(content, p, lang=lang))
    items = [(item.condition.id, item.status) for item in content.items]
    with store.transaction():
        store.record_pack(meeting.id, items, at=now, actor=actor, lang=lang)
        store.append_event(
            f"meeting:{meeting.id}",
            "report_pack_built",
            actor=actor,
            at=now,
            data={
                "items": len(items),
                "files": [docx_path.name, xlsx_path.name, md_path.name],
                "lang": lang,
                "surface": surface,
                "access_summary": access_summary,
            },
        )
    return ReportPack(
        meeting=meeting,
        docx=docx_path,
        xlsx=xlsx_path,
        markdown=md_path,
        condition_ids=tuple(cid for cid, _ in items),
        content=content,
    )


def _access(
    store: Store, meeting: Meeting, now: dt.datetime, secretariat: frozenset[str]
) -> AccessSummary:
    """Reads since the council's previous meeting (or since the start), up to *now*."""
    from ..audit.access import access_summary

    earlier = [m for m in store.meetings(meeting.council) if m.date < meeting.date]
    since = None
    if earlier:
        start = earlier[-1].date
        since = dt.datetime(start.year, start.month, start.day, tzinfo=now.tzinfo)
    return access_summary(store, since=since, until=now, secretariat=secretariat)


def _atomic(final: Path, write: Callable[[Path], Path]) -> Path:
    """Write through a temporary file in the same directory, then rename into place."""
    fd, tmp_name = tempfile.mkstemp(prefix=".pack-", suffix=final.suffix, dir=final.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return final
