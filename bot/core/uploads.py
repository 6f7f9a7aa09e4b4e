"""Evidence by upload: a file dropped in the bot's DM becomes evidence of one condition.

The condition is the one the message text names, else the uploader's only open
condition, else the bot asks with a menu (the file waits as a pending upload).
Everything is decided before a byte is downloaded; an oversized, empty or
non-owner upload gets a clear reply and changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from duediligence import Condition, ConditionFilter, DueDiligenceError, Evidence, Status
from duediligence.evidence import human_size

from . import draft
from .base import Context, Who
from .checks import summary as check_summary
from .checks import uploads as checked_uploads
from .reply import Button, Choice, Field, Outbound, Outcome, Reply, Section, Select
from .requests import Upload
from .supervision import validity

OPEN_STATUSES = (Status.OPEN, Status.RETURNED)
MENU_STATUSES = (Status.OPEN, Status.RETURNED, Status.SUBMITTED)
MENU_LIMIT = 100  # Slack's limit for one menu
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-#./]*[A-Za-z0-9]")
#: written like a condition id: R2-15-08, R9-99, SEC-1-1-01 (not COVID-19 or ISO-27001)
_ID_LIKE = re.compile(r"^(?:[A-Za-z]+\d+(?:-[A-Za-z0-9#]+)+|[A-Za-z]+(?:-[A-Za-z0-9#]+){2,})$")

ACTION_CHOOSE = "choose_condition"


@dataclass(frozen=True, slots=True)
class PendingChoice:
    """The uploader picked a condition for a waiting file: fetch it again and attach it."""

    file_id: str
    filename: str
    condition: str


def handle(ctx: Context, upload: Upload) -> Outcome:
    lang = ctx.language(upload.lang)
    who = ctx.who(upload.actor)
    name = upload.file.name or "evidence"
    if draft.is_minutes(who, upload):
        return draft.draft_reply(ctx, upload, lang)
    if not who.departments:
        return _say(ctx.t("bot.upload.not_owner", lang, filename=name))
    if upload.file.size == 0:
        return _say(ctx.t("error.evidence.empty", lang, filename=name))
    limit = ctx.settings.max_upload_bytes
    if upload.file.size is not None and upload.file.size > limit:
        return _say(ctx.t("error.evidence.too_large", lang, filename=name, limit=human_size(limit)))
    condition_id = upload.condition or named_condition(ctx, upload.text)
    if condition_id is None:
        return _choose(ctx, who, upload, lang, unknown=unknown_id(ctx, upload.text))
    condition = ctx.store.find_condition(condition_id)
    if condition is None or condition.department not in who.departments:
        return _say(ctx.t("bot.upload.not_your_condition", lang, id=condition_id, filename=name))
    return _attach(ctx, upload, condition, lang)


def named_condition(ctx: Context, text: str) -> str | None:
    """The first word of *text* that is a condition id (R2-15-01), if any."""
    for token in _TOKEN.findall(text or ""):
        for candidate in dict.fromkeys((token, token.upper())):
            if ctx.store.find_condition(candidate) is not None:
                return candidate
    return None


def unknown_id(ctx: Context, text: str) -> str | None:
    """A word of *text* written like a condition id (R2-15-99) that names none, if any."""
    for token in _TOKEN.findall(text or ""):
        if _ID_LIKE.match(token) and ctx.store.find_condition(token.upper()) is None:
            return token
    return None


def chosen(ctx: Context, actor: str, value: str, lang: str) -> PendingChoice | Reply:
    """The uploader picked *value* (``pending_id:condition``) from the menu."""
    pending_text, _, condition_id = value.partition(":")
    pending = ctx.store.pending_upload(int(pending_text)) if pending_text.isdigit() else None
    if pending is None or pending.actor != actor:
        return Reply(ctx.t("bot.upload.choice_unknown", lang))
    with ctx.store.transaction():
        if not ctx.store.use_pending_upload(pending.id, at=ctx.now()):
            return Reply(ctx.t("bot.upload.choice_used", lang, filename=pending.filename))
    return PendingChoice(pending.file_id, pending.filename, condition_id)


def _choose(
    ctx: Context, who: Who, upload: Upload, lang: str, *, unknown: str | None = None
) -> Outcome:
    store = ctx.store
    mine = ConditionFilter(departments_any=who.departments, statuses=OPEN_STATUSES, limit=2)
    candidates = store.conditions(mine)
    if len(candidates) == 1 and unknown is None:
        return _attach(ctx, upload, candidates[0], lang)
    menu = store.conditions(
        ConditionFilter(departments_any=who.departments, statuses=MENU_STATUSES, limit=MENU_LIMIT)
    )
    name = upload.file.name or "evidence"
    if not menu:
        return _say(ctx.t("bot.upload.nothing_open", lang, filename=name))
    with store.transaction():
        pending = store.add_pending_upload(
            actor=upload.actor, file_id=upload.file.id, filename=name, at=ctx.now()
        )
    options = tuple(
        Choice(f"{c.id} {ctx.kind(c, lang)} {c.text}"[:75], f"{pending}:{c.id}") for c in menu
    )
    select = Select(ACTION_CHOOSE, ctx.t("bot.upload.choose_placeholder", lang), options)
    ask = ctx.t("bot.upload.choose", lang, filename=name)
    if unknown is not None:  # the id written names nothing: say so before asking
        ask = ctx.t("bot.upload.unknown_named", lang, id=unknown) + "\n" + ask
    return Outcome(reply=Reply(ask, (Section(text=ask, select=select),)))


def _attach(ctx: Context, upload: Upload, condition: Condition, lang: str) -> Outcome:
    term = validity.parse_term_or_error(ctx, upload.text, lang)  # 「有効期限 …」 in the message
    if isinstance(term, str):
        return _say(term)
    effective, valid_until = term
    try:
        # the library's one entry point: the condition's kind decides the checks
        result = checked_uploads.submit(
            ctx, upload, condition, effective=effective, valid_until=valid_until
        )
    except DueDiligenceError as err:
        return Outcome(reply=checked_uploads.refusal(ctx, condition, err, lang))
    evidence, updated = result.evidence, result.condition
    confirmation = Reply(
        ctx.t(
            "bot.upload.received",
            lang,
            id=condition.id,
            filename=evidence.filename,
            size=human_size(evidence.size),
            sha=evidence.sha256[:12],
            status=ctx.t(f"status.{updated.status}", lang),
        ),
        checked_uploads.sections(ctx, updated, result, lang)  # the check's private summary
        + validity.term_section(ctx, evidence.valid_until, lang),
    )
    card = review_card(ctx, updated, evidence, ctx.lang)
    key = review_key(condition.id, evidence.id)
    return Outcome(
        reply=confirmation,
        outbound=[Outbound(card, secretariat=True, card=key, subject=condition.id)],
    )


def review_key(condition_id: str, evidence_id: int) -> str:
    return f"review:{condition_id}:{evidence_id}"


def review_card(
    ctx: Context,
    condition: Condition,
    evidence: Evidence,
    lang: str,
    *,
    outcome: str = "",
    buttons: bool = True,
) -> Reply:
    """The secretariat's card: which condition, which file (name and size only), Accept / Return."""
    key = review_key(condition.id, evidence.id)
    fields = (
        Field(ctx.t("bot.field.condition", lang), f"{condition.id} [{ctx.kind(condition, lang)}]"),
        Field(ctx.t("bot.field.department", lang), condition.department),
        Field(ctx.t("bot.field.vendor", lang), condition.vendor or "-"),
        Field(ctx.t("bot.field.due", lang), ctx.due_label(condition.due, lang)),
        Field(
            ctx.t("bot.field.file", lang),
            f"{evidence.filename} ({human_size(evidence.size)}, sha256 {evidence.sha256[:12]})",
        ),
        Field(ctx.t("bot.field.expected", lang), ctx.expected(condition, lang)),
    ) + check_summary.check_fields(ctx, condition, lang)  # counts only, never names
    controls: tuple[Button, ...] = ()
    if buttons:
        controls = (
            Button("review_accept", ctx.t("bot.button.accept", lang), key, "primary"),
            Button("review_return", ctx.t("bot.button.return", lang), key, "danger"),
        )
    sections = [Section(text=condition.text, fields=fields, buttons=controls)]
    found = check_summary.check_section(ctx, condition, lang)
    if found is not None:  # the findings above the buttons
        sections = [Section(text=condition.text, fields=fields), found, Section(buttons=controls)]
    if outcome:
        sections.append(Section(text=outcome))
    return Reply(ctx.t("bot.review.card", lang, id=condition.id), tuple(sections), private=False)


def _say(text: str) -> Outcome:
    return Outcome(reply=Reply(text))
