"""A roster or pledge file dropped in the DM goes through its check instead of plain storage.

* roster condition, xlsx/csv: :func:`duediligence.checks.roster.submit_roster`
  (rows checked, stored as the next version, compared with the last one);
* pledge condition, the message naming someone on the roster ("R2-15-09 山田太郎"):
  :func:`~duediligence.checks.pledges.submit_pledge_scan` for that person;
* pledge condition, xlsx/csv naming nobody: :func:`~duediligence.checks.pledges.submit_pledge_list`.

Anything else (a scanned roster, a pledge naming nobody) takes the generic path
with a :func:`note` saying how to get it checked. The uploader's reply holds
names (it is their private DM); the review card shows counts only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from duediligence import Condition, Evidence, EvidenceError, Kind
from duediligence.checks import pledges, roster
from duediligence.checks.records import RosterEntry, person_key
from duediligence.evidence import human_size

from ..base import Context
from ..reply import Reply, Section
from ..requests import Upload
from .summary import coverage_label, kind_buttons

TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".tsv", ".txt")
_NOT_AFTER_LEAVING = (
    "退職後を含まない",
    "退職後含まない",
    "not after leaving",
    "not-after-leaving",
)


@dataclass(frozen=True, slots=True)
class Checked:
    """A file that went through a check: its evidence and the uploader's private summary."""

    evidence: Evidence
    reply: Reply


def is_table(filename: str) -> bool:
    return filename.lower().endswith(TABLE_SUFFIXES)


def submit(ctx: Context, upload: Upload, condition: Condition, lang: str) -> Checked | None:
    """Check and store *upload* for *condition*, or None when the generic path applies.

    Raises DueDiligenceError (an unreadable table, a file over the limit, no
    roster to check pledges against) with nothing stored.
    """
    name = upload.file.name or "evidence"
    if condition.kind is Kind.ROSTER and is_table(name):
        return _roster(ctx, upload, condition, name, lang)
    if condition.kind is Kind.PLEDGE:
        person = named_person(ctx, condition, upload.text)
        if person is not None:
            return _pledge_scan(ctx, upload, condition, name, person, lang)
        if is_table(name):
            return _pledge_list(ctx, upload, condition, name, lang)
    return None


def sections(
    ctx: Context, condition: Condition, checked: Checked | None, lang: str
) -> tuple[Section, ...]:
    """What follows the upload receipt: the check's summary, or how to get the file checked."""
    if checked is not None:
        return (Section(text=checked.reply.text), *checked.reply.sections)
    found = note(ctx, condition, lang)
    return (found,) if found is not None else ()


def note(ctx: Context, condition: Condition, lang: str) -> Section | None:
    """What to add to the generic confirmation so the file could be checked next time."""
    if condition.kind is Kind.ROSTER:
        return Section(
            text=ctx.t("bot.checks.upload.roster_not_table", lang, id=condition.id),
            buttons=kind_buttons(ctx, condition, lang),
        )
    if condition.kind is Kind.PLEDGE:
        coverage = coverage_label(ctx, condition, lang)
        return Section(
            text=ctx.t("bot.checks.upload.pledge_nobody", lang, id=condition.id, coverage=coverage)
        )
    if condition.kind is Kind.CERTIFICATE_RENEWAL:
        return Section(
            text=ctx.t("bot.checks.upload.certificate_next", lang, id=condition.id),
            buttons=kind_buttons(ctx, condition, lang),
        )
    return None


def named_person(ctx: Context, condition: Condition, text: str) -> str | None:
    """The roster name written in *text* (spaces of any width ignored), if exactly one is.

    Matching against the current roster avoids guessing where a name ends in
    free text such as "R2-15-09 山田 太郎さんの誓約書です".
    """
    people = _roster_people(ctx, condition)
    written = person_key(text or "")
    found = [p for p in people if p.key and p.key in written]
    # a name inside a longer one (山田太 in 山田太郎) is not a second person
    found = [p for p in found if not any(p.key != q.key and p.key in q.key for q in found)]
    if not found:
        return None
    if len(found) > 1:
        raise EvidenceError("bot.checks.pledge.several_people", id=condition.id)
    return found[0].name


def _roster_people(ctx: Context, condition: Condition) -> list[RosterEntry]:
    store = ctx.store
    scope = pledges.roster_scope(store, condition)
    version = store.latest_roster(condition.consultation, scope) if scope is not None else None
    return store.roster_people(version.id) if version is not None else []


def _roster(ctx: Context, upload: Upload, condition: Condition, name: str, lang: str) -> Checked:
    result = roster.submit_roster(
        ctx.tracker(),
        condition.id,
        read_limited(ctx, upload),
        filename=name,
        actor=upload.actor,
        now=ctx.now(),
    )
    head, _, rest = roster.private_summary(result, lang).partition("\n")
    sections = [Section(text=rest)]
    if not result.check.ok:
        sections.append(
            Section(
                text=ctx.t("bot.checks.upload.roster_fix", lang, id=condition.id),
                buttons=kind_buttons(ctx, condition, lang),
            )
        )
    sections.append(Section(text=ctx.t("bot.checks.upload.private", lang)))
    return Checked(result.evidence, Reply(head, tuple(sections)))


def _pledge_scan(
    ctx: Context, upload: Upload, condition: Condition, name: str, person: str, lang: str
) -> Checked:
    lowered = (upload.text or "").lower()
    result = pledges.submit_pledge_scan(
        ctx.tracker(),
        condition.id,
        read_limited(ctx, upload),
        filename=name,
        person=person,
        after_leaving=not any(flag in lowered for flag in _NOT_AFTER_LEAVING),
        actor=upload.actor,
        now=ctx.now(),
    )
    return Checked(result.evidence, _pledge_reply(ctx, result, lang))


def _pledge_list(
    ctx: Context, upload: Upload, condition: Condition, name: str, lang: str
) -> Checked:
    result = pledges.submit_pledge_list(
        ctx.tracker(),
        condition.id,
        read_limited(ctx, upload),
        filename=name,
        actor=upload.actor,
        now=ctx.now(),
    )
    return Checked(result.evidence, _pledge_reply(ctx, result, lang))


def _pledge_reply(ctx: Context, result: pledges.PledgeSubmission, lang: str) -> Reply:
    head, _, rest = pledges.private_summary(result, lang).partition("\n")
    sections = [Section(text=rest)] if rest else []
    if not result.coverage.complete:
        sections.append(
            Section(text=ctx.t("bot.checks.upload.pledge_how", lang, id=result.condition))
        )
    sections.append(Section(text=ctx.t("bot.checks.upload.private", lang)))
    return Reply(head, tuple(sections))


def read_limited(ctx: Context, upload: Upload) -> bytes:
    """The whole file (a roster or pledge list is small), refused past the upload limit."""
    limit = ctx.settings.max_upload_bytes
    name = upload.file.name or "evidence"
    chunks: Iterable[bytes] = upload.download()
    data = bytearray()
    try:
        for chunk in chunks:
            data += chunk
            if len(data) > limit:
                raise EvidenceError(
                    "error.evidence.too_large", filename=name, limit=human_size(limit)
                )
    finally:
        close = getattr(chunks, "close", None)
        if callable(close):
            close()  # stop a streamed download that was cut off
    if not data:
        raise EvidenceError("error.evidence.empty", filename=name)
    return bytes(data)
