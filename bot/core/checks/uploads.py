"""What the uploader reads after a file dropped in the DM went through its kind's check.

The file itself goes to :func:`duediligence.submit_evidence`, the one way in
for evidence (the CLI calls it too), so a roster is read row by row, a pledge
counted and a certificate flagged whichever surface it came through. This
module only adds what chat needs around it: the roster name written in the
message ("R2-15-09 山田太郎" makes a pledge scan that person's), the
uploader's private summary as sections, and buttons (the roster template, the
certificate form) next to what to do. The uploader's reply holds names (it is
their private DM); the review card shows counts only.
"""

from __future__ import annotations

import datetime as dt

from duediligence import Condition, DueDiligenceError, EvidenceError, Kind
from duediligence.checks import pledges, roster
from duediligence.checks.records import RosterEntry, person_key
from duediligence.submission import SubmissionResult

from ..base import Context
from ..reply import Reply, Section
from ..requests import Upload
from .summary import coverage_label, kind_buttons

_NOT_AFTER_LEAVING = (
    "退職後を含まない",
    "退職後含まない",
    "not after leaving",
    "not-after-leaving",
)


def submit(
    ctx: Context,
    upload: Upload,
    condition: Condition,
    *,
    effective: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> SubmissionResult:
    """Hand *upload* to the library's one entry point, with the pledge's person if one is named.

    Raises DueDiligenceError (not the owner, a file wrong for the kind, an
    unreadable table, over the limit) with nothing stored; the download
    starts only once nothing is left to refuse without it.
    """
    person = named_person(ctx, condition, upload.text) if condition.kind is Kind.PLEDGE else None
    lowered = (upload.text or "").lower()
    return ctx.tracker().submit_evidence(
        condition.id,
        upload.download(),
        filename=upload.file.name or "evidence",
        actor=upload.actor,
        now=ctx.now(),
        content_type=upload.file.mimetype or None,
        person=person,
        after_leaving=not any(flag in lowered for flag in _NOT_AFTER_LEAVING),
        effective=effective,
        valid_until=valid_until,
    )


def refusal(ctx: Context, condition: Condition, err: DueDiligenceError, lang: str) -> Reply:
    """A refused file: the reason, with the template button when a roster was not a table."""
    text = err.render(lang)
    if err.key == "checks.submit.roster_not_table":
        return Reply(text, (Section(buttons=kind_buttons(ctx, condition, lang)),))
    return Reply(text)


def sections(
    ctx: Context, condition: Condition, result: SubmissionResult, lang: str
) -> tuple[Section, ...]:
    """What follows the upload receipt: the check's summary and what to do next."""
    if result.roster is not None:
        return _roster(ctx, condition, result, lang)
    if result.pledges is not None:
        return _pledges(ctx, result.pledges, lang)
    found = [f"⚠ {f.render(lang)}" for f in result.findings if f.code not in _SAID_BY_CHAT]
    out = [Section(items=tuple(found))] if found else []
    if result.check == "pledge_unattributed":
        coverage = coverage_label(ctx, condition, lang)
        out.append(
            Section(
                text=ctx.t(
                    "bot.checks.upload.pledge_nobody", lang, id=condition.id, coverage=coverage
                )
            )
        )
    elif result.check == "certificate_scan":
        out.append(
            Section(
                text=ctx.t("bot.checks.upload.certificate_next", lang, id=condition.id),
                buttons=kind_buttons(ctx, condition, lang),
            )
        )
    elif condition.kind in (Kind.CONTRACT_CLAUSES, Kind.INSPECTION):  # the checklist form next
        out.append(
            Section(
                text=ctx.t(f"bot.checks.upload.{condition.kind}_help", lang, id=condition.id),
                buttons=kind_buttons(ctx, condition, lang),
            )
        )
    return tuple(out)


#: findings whose chat wording (with a button or an example phrase) is added by :func:`sections`
_SAID_BY_CHAT = ("checks.pledge.unattributed", "checks.certificate.fields_missing")


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


def _roster(
    ctx: Context, condition: Condition, result: SubmissionResult, lang: str
) -> tuple[Section, ...]:
    assert result.roster is not None
    summary = roster.private_summary(result.roster, lang)
    out = [Section(text=line) for line in summary.split("\n", 1)]
    if result.findings:
        out.append(
            Section(
                text=ctx.t("bot.checks.upload.roster_fix", lang, id=condition.id),
                buttons=kind_buttons(ctx, condition, lang),
            )
        )
    out.append(Section(text=ctx.t("bot.checks.upload.private", lang)))
    return tuple(out)


def _pledges(ctx: Context, result: pledges.PledgeSubmission, lang: str) -> tuple[Section, ...]:
    summary = pledges.private_summary(result, lang)
    out = [Section(text=line) for line in summary.split("\n", 1) if line]
    if not result.coverage.complete:
        out.append(Section(text=ctx.t("bot.checks.upload.pledge_how", lang, id=result.condition)))
    out.append(Section(text=ctx.t("bot.checks.upload.private", lang)))
    return tuple(out)
