"""The report pack on request (``report [meeting]`` after the status command, or the App Home
button): only the secretariat may ask.

The core decides who may ask and for which meeting, builds the pack with the
library into a temporary directory and answers with the files to upload to the
secretariat channel; the transport uploads them and removes the directory. The
pack may go to a channel at all because it holds no personal data by design (no
roster names, no evidence contents); it still goes to the secretariat's only.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from duediligence import MeetingNotFound, Status, format_wareki, resolve_meeting
from duediligence.report import ReportPack, build_pack

from .base import Context, Role
from .reply import Button, FileOut, Outcome, Reply, Section

BUILD = "report_pack"  # the App Home button's action; its value is the meeting id
FILE_KINDS = ("docx", "xlsx", "md")  # in the order of ReportPack.paths


def build(ctx: Context, actor: str, meeting: str | None, lang: str) -> Outcome:
    """Build *meeting*'s pack (default: the next meeting) and say where it will be posted."""
    if ctx.who(actor).role is not Role.SECRETARIAT:
        return Outcome(reply=Reply(ctx.t("bot.report.secretariat_only", lang)))
    store = ctx.store
    try:
        found = resolve_meeting(store, meeting or "next", today=ctx.today())
    except MeetingNotFound as err:
        return Outcome(reply=_which_meeting(ctx, meeting or "", err, lang))
    scratch = Path(tempfile.mkdtemp(prefix="dd-report-"))
    try:
        pack = build_pack(
            store, found.id, scratch, now=ctx.now(), lang=lang, actor=actor, surface=ctx.surface
        )
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    label = found.label
    files = [
        FileOut(path, ctx.t(f"bot.report.file.{kind}", lang, meeting=label))
        for kind, path in zip(FILE_KINDS, pack.paths, strict=True)
    ]
    return Outcome(
        reply=Reply(ctx.t("bot.report.built", lang, meeting=label, count=len(pack.condition_ids))),
        files=files,
        files_comment=ctx.t(
            "bot.report.comment",
            lang,
            meeting=label,
            date=_day(found.date, lang),
            summary=_summary(ctx, pack, lang),
        ),
        files_failed=Reply(ctx.t("bot.report.upload_failed", lang, meeting=label)),
        scratch=scratch,
    )


def home_section(ctx: Context, lang: str) -> Section:
    """The secretariat's App Home: a button building the next meeting's pack."""
    title = ctx.t("bot.home.report_title", lang)
    meeting = ctx.store.next_meeting(ctx.today())
    if meeting is None:
        return Section(title=title, text=ctx.t("bot.home.report_no_meeting", lang))
    return Section(
        title=title,
        text=ctx.t("bot.home.report", lang, meeting=meeting.label, date=_day(meeting.date, lang)),
        buttons=(Button(BUILD, ctx.t("bot.button.report", lang), meeting.id, "primary"),),
    )


def _which_meeting(ctx: Context, word: str, err: MeetingNotFound, lang: str) -> Reply:
    """The meeting asked for is unknown, ambiguous or none is coming: list the candidates."""
    if err.key == "error.meeting.ambiguous":
        headline = ctx.t(
            "bot.report.ambiguous_meeting", lang, meeting=word, count=len(err.candidates)
        )
    elif word:
        headline = ctx.t("bot.report.unknown_meeting", lang, meeting=word)
    else:
        headline = ctx.t("bot.report.no_next_meeting", lang, date=_day(ctx.today(), lang))
    meetings = list(err.candidates)
    if not meetings:
        return Reply(headline, (Section(text=ctx.t("bot.report.no_meetings", lang)),))
    items = [
        ctx.t("bot.report.meeting_line", lang, id=m.id, name=m.label, date=_day(m.date, lang))
        for m in meetings
    ]
    known = int(err.params.get("known", len(meetings)))
    if known > len(meetings):
        items.append(ctx.t("bot.status.more", lang, count=known - len(meetings)))
    return Reply(
        headline,
        (
            Section(title=ctx.t("bot.report.meetings_title", lang), items=tuple(items)),
            Section(text=ctx.t("bot.report.how", lang, example=meetings[-1].id)),
        ),
    )


def _summary(ctx: Context, pack: ReportPack, lang: str) -> str:
    counts = pack.content.counts_by_status()
    parts = [
        ctx.t("report.summary.part", lang, status=ctx.t(f"status.{s}", lang), count=counts[s])
        for s in Status
        if counts[s]
    ]
    return ctx.t(
        "report.summary",
        lang,
        total=sum(counts.values()),
        parts=ctx.t("report.list_sep", lang).join(parts),
    )


def _day(day: dt.date, lang: str) -> str:
    return format_wareki(day) if lang == "ja" else day.isoformat()
