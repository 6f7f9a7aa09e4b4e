"""The checklist forms in chat: the contract's required clauses, and the yearly inspection.

The file comes first (the contract, or the inspection record), dropped in the
DM like any evidence; then the button on the condition opens a form with one
field per item of the organisation's list (:mod:`duediligence.checklists`). A
clause is answered with its article (「第12条」) or 「なし」; an inspection item
with はい / いいえ / 該当なし and a note. Each finding opens a follow-up condition,
listed in the reply. The console shows the same form as prompts.
"""

from __future__ import annotations

from collections.abc import Mapping

from duediligence import DueDiligenceError, Status
from duediligence.checklists import (
    Answer,
    Checklist,
    checklist_of,
    items,
    parse_item,
    record,
    summary,
)
from duediligence.kinds import kind_label

from ..base import Context
from ..reply import Button, Form, Input, Outcome, Reply, Section

BUTTON = "checklist_form"
FORM = "checklist_record"


def buttons(ctx: Context, condition_id: str, checklist: Checklist, lang: str) -> tuple[Button, ...]:
    return (Button(BUTTON, ctx.t(f"bot.checklist.{checklist}.button", lang), condition_id),)


def ask(ctx: Context, actor: str, condition_id: str, lang: str) -> Outcome:
    """Open the form for an owner, once the file has been submitted."""
    store = ctx.store
    condition = store.find_condition(condition_id)
    checklist = checklist_of(condition) if condition else None
    if condition is None or checklist is None:
        return Outcome(reply=Reply(ctx.t("bot.unknown_action", lang)))
    if condition.department not in ctx.who(actor).departments:
        return Outcome(reply=Reply(ctx.t("bot.checklist.owner_only", lang, id=condition.id)))
    if condition.status is not Status.SUBMITTED or not store.evidence_of(condition.id):
        return Outcome(
            reply=Reply(ctx.t(f"checklist.{checklist}.file_first", lang, id=condition.id))
        )
    inputs = tuple(
        Input(
            item.key,
            item.label(lang)[:150],
            placeholder=ctx.t(f"bot.checklist.{checklist}.placeholder", lang),
        )
        for item in items(store, checklist)
    )
    form = Form(
        callback=FORM,
        title=ctx.t(f"bot.checklist.{checklist}.title", lang),
        submit=ctx.t("bot.checklist.submit", lang),
        text=ctx.t(
            f"bot.checklist.{checklist}.text", lang, id=condition.id, vendor=condition.vendor or "-"
        ),
        inputs=inputs,
        metadata=condition.id,
    )
    return Outcome(form=form)


def submit(
    ctx: Context, actor: str, condition_id: str, values: Mapping[str, str], lang: str
) -> Outcome:
    """The form came back: read each item, record them, list the follow-ups opened."""
    condition = ctx.store.find_condition(condition_id)
    checklist = checklist_of(condition) if condition else None
    if condition is None or checklist is None:
        return Outcome(reply=Reply(ctx.t("bot.unknown_action", lang)))
    answers: dict[str, tuple[Answer, str]] = {}
    errors: dict[str, str] = {}
    for item in items(ctx.store, checklist):
        try:
            answers[item.key] = parse_item(checklist, values.get(item.key, ""))
        except DueDiligenceError as err:
            errors[item.key] = err.render(lang)
    if errors:
        return Outcome(form_errors=errors)
    try:
        result = record(ctx.tracker(), condition_id, answers, actor=actor, now=ctx.now())
    except DueDiligenceError as err:
        return Outcome(reply=Reply(err.render(lang)))
    opened = [
        ctx.t(
            "bot.checklist.follow_up",
            lang,
            id=c.id,
            kind=kind_label(c.kind, lang),
            due=ctx.due_label(c.due, lang),
        )
        for c in (ctx.store.condition(i) for i in result.follow_ups)
    ]
    head = ctx.t(
        f"bot.checklist.{checklist}.recorded",
        lang,
        id=condition_id,
        findings=len(result.findings),
    )
    sections = [Section(items=tuple(summary(ctx.store, result.condition, lang)))]
    if opened:
        sections.append(Section(title=ctx.t("bot.checklist.follow_ups", lang), items=tuple(opened)))
    return Outcome(reply=Reply(head, tuple(sections)))
