"""Reporting an event (契約終了, ディスク交換, 従事者の変更) that gives waiting conditions a due date.

Two ways in, one library call (:func:`duediligence.checks.triggers.report_event`):

* App Home shows a button per event the owner's departments could report
  (:func:`~duediligence.checks.triggers.pending_triggers`); it opens a form asking the date.
* A DM phrase: ``<event> <consultation or condition id> [<date>]``, e.g.
  ``契約終了 R2-15 2022-03-31``, ``ディスク交換 R2-15 今日``,
  ``disk replacement R2-15-06 2021-06-01``. The date is read by
  :func:`duediligence.parse_due` and defaults to today.

The reply names every condition the event opened and its due date; the
secretariat channel gets the same line (ids and dates only).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from duediligence import Condition, DueDateError, DueDiligenceError, parse_due
from duediligence.checks import triggers
from duediligence.checks.triggers import Trigger

from ..base import Context
from ..reply import Button, Form, Input, Outbound, Outcome, Reply, Section

REPORT = "trigger_report"
REPORT_FORM = "trigger_report"

#: the words that start an event phrase, in Japanese and English (matched without spaces, any case)
EVENT_WORDS: dict[Trigger, tuple[str, ...]] = {
    Trigger.CONTRACT_END: ("契約終了", "契約満了", "契約の終了", "contractend", "contractended"),
    Trigger.DISK_REPLACEMENT: (
        "ディスク交換",
        "ハードディスク交換",
        "ディスクの交換",
        "機器交換",
        "diskreplacement",
        "diskreplaced",
    ),
    Trigger.STAFF_CHANGE: (
        "従事者の変更",
        "従事者変更",
        "担当者変更",
        "staffchange",
        "staffchanged",
    ),
}
_ID = re.compile(r"^\s*[::]?\s*([A-Za-z0-9][A-Za-z0-9_\-#]*)(.*)$", re.S)


@dataclass(frozen=True, slots=True)
class Phrase:
    trigger: Trigger
    target: str  # the id as written (consultation or condition); "" if missing
    date_text: str


def parse_phrase(text: str) -> Phrase | None:
    """Split ``<event> <id> [<date>]``; None when *text* does not start with an event word."""
    stripped = (text or "").strip()
    for trigger, words in EVENT_WORDS.items():
        for word in sorted(words, key=len, reverse=True):
            rest = _strip_word(stripped, word)
            if rest is None:
                continue
            match = _ID.match(rest)
            if match is None:
                return Phrase(trigger, "", rest.strip())
            return Phrase(trigger, match[1], match[2].strip())
    return None


def _strip_word(text: str, word: str) -> str | None:
    """*text* after *word* at its start, spaces and underscores inside the word ignored."""
    position = 0
    for char in word:
        while position < len(text) and text[position] in " \u3000_-" and char not in " _-":
            position += 1
        if position >= len(text) or text[position].lower() != char:
            return None
        position += 1
    return text[position:]


def from_text(ctx: Context, actor: str, text: str, lang: str) -> Reply | None:
    """The answer to an event phrase in the DM, or None when *text* is not one."""
    phrase = parse_phrase(text)
    if phrase is None:
        return None
    consultation = _consultation_of(ctx, phrase.target) if phrase.target else None
    if consultation is None:
        return Reply(
            ctx.t(
                "bot.checks.event.which",
                lang,
                trigger=triggers.trigger_label(phrase.trigger, lang),
                target=phrase.target or "-",
            ),
            (Section(items=_examples(ctx, lang)),),
        )
    try:
        on = parse_due(phrase.date_text or "今日", today=ctx.today())
    except DueDateError as err:
        return Reply(err.render(lang), (Section(items=_examples(ctx, lang)),))
    outcome = report(ctx, actor, consultation, phrase.trigger, on, "", lang)
    return outcome.reply


def home_section(ctx: Context, departments: tuple[str, ...], lang: str) -> Section | None:
    """One button per event the owner could report, for App Home (None if there is none)."""
    pending = triggers.pending_triggers(ctx.store, departments=departments)
    if not pending:
        return None
    buttons = tuple(
        Button(
            REPORT,
            ctx.t(
                "bot.checks.event.button",
                lang,
                id=p.consultation,
                trigger=triggers.trigger_label(p.trigger, lang),
            ),
            f"{p.consultation}|{p.trigger}",
        )
        for p in pending
    )
    items = tuple(
        ctx.t(
            "bot.checks.event.pending",
            lang,
            id=p.consultation,
            trigger=triggers.trigger_label(p.trigger, lang),
            conditions=", ".join(p.conditions),
        )
        for p in pending
    )
    return Section(
        title=ctx.t("bot.checks.event.title", lang),
        text=ctx.t("bot.checks.event.home_text", lang),
        items=items,
        buttons=buttons[:25],
    )


def ask(ctx: Context, actor: str, value: str, lang: str) -> Outcome:
    """Open the form asking when the event happened (or will happen)."""
    consultation, _, trigger = value.partition("|")
    waiting = [
        p
        for p in triggers.pending_triggers(ctx.store, departments=_scope(ctx, actor))
        if p.consultation == consultation and p.trigger == trigger
    ]
    if not waiting:
        return Outcome(reply=Reply(ctx.t("bot.checks.event.not_yours", lang, id=consultation)))
    label = triggers.trigger_label(trigger, lang)
    form = Form(
        callback=REPORT_FORM,
        title=ctx.t("bot.checks.form.event.title", lang),
        submit=ctx.t("bot.checks.form.event.submit", lang),
        text=ctx.t(
            "bot.checks.form.event.text",
            lang,
            id=consultation,
            trigger=label,
            conditions=", ".join(waiting[0].conditions),
        ),
        inputs=(
            Input(
                "date",
                ctx.t("bot.checks.form.event.date", lang, trigger=label),
                placeholder=ctx.t("bot.checks.form.event.placeholder", lang),
            ),
            Input(
                "note", ctx.t("bot.checks.form.event.note", lang), kind="multiline", optional=True
            ),
        ),
        metadata=value,
    )
    return Outcome(form=form)


def submit(ctx: Context, actor: str, value: str, values: Mapping[str, str], lang: str) -> Outcome:
    consultation, _, trigger = value.partition("|")
    if trigger not in set(Trigger):
        return Outcome(reply=Reply(ctx.t("bot.unknown_action", lang)))
    try:
        on = parse_due(values.get("date", ""), today=ctx.today())
        triggers.check_event_date(on, today=ctx.today())
    except DueDateError as err:
        return Outcome(form_errors={"date": err.render(lang)})
    note = values.get("note", "").strip()
    return report(ctx, actor, consultation, Trigger(trigger), on, note, lang)


def report(
    ctx: Context,
    actor: str,
    consultation: str,
    trigger: Trigger,
    on: dt.date,
    note: str,
    lang: str,
) -> Outcome:
    """Report the event; the reply (and a channel notice) names what opened, with due dates."""
    label = triggers.trigger_label(trigger, lang)
    try:
        result = triggers.report_event(
            ctx.tracker(), consultation, trigger, on=on, actor=actor, now=ctx.now(), note=note
        )
    except DueDiligenceError as err:
        return Outcome(reply=Reply(err.render(lang)))
    if result.duplicate:
        text = ctx.t(
            "bot.checks.event.duplicate", lang, id=consultation, trigger=label, date=on.isoformat()
        )
        return Outcome(reply=Reply(text))
    reply = _opened(ctx, consultation, trigger, on, result.opened, lang)
    notice = _opened(ctx, consultation, trigger, on, result.opened, ctx.lang, actor=actor)
    return Outcome(
        reply=reply,
        outbound=[Outbound(Reply(notice.text, notice.sections, private=False), secretariat=True)],
    )


def _opened(
    ctx: Context,
    consultation: str,
    trigger: Trigger,
    on: dt.date,
    opened: tuple[Condition, ...],
    lang: str,
    *,
    actor: str = "",
) -> Reply:
    key = "bot.checks.event.notice" if actor else "bot.checks.event.reported"
    text = ctx.t(
        key,
        lang,
        id=consultation,
        trigger=triggers.trigger_label(trigger, lang),
        date=ctx.due_label(on, lang),
        count=len(opened),
        department=_department(ctx, consultation),
    )
    items = tuple(
        ctx.t("bot.checks.event.opened", lang, id=c.id, due=ctx.due_label(c.due, lang))
        for c in opened
    )
    return Reply(text, (Section(items=items),) if items else ())


def _department(ctx: Context, consultation: str) -> str:
    found = ctx.store.find_consultation(consultation)
    return found.department if found else "-"


def _consultation_of(ctx: Context, target: str) -> str | None:
    """A consultation id (R2-15) or a condition id (R2-15-06) as written, to its consultation."""
    store = ctx.store
    for candidate in dict.fromkeys((target, target.upper())):
        consultation = store.find_consultation(candidate)
        if consultation is not None:
            return consultation.id
        condition = store.find_condition(candidate)
        if condition is not None:
            return condition.consultation
    return None


def _scope(ctx: Context, actor: str) -> tuple[str, ...] | None:
    """The departments whose events *actor* may report (None: all, for the secretariat)."""
    who = ctx.who(actor)
    return None if who.roles.secretariat else who.departments


def _examples(ctx: Context, lang: str) -> tuple[str, ...]:
    return tuple(ctx.t(f"bot.checks.event.example.{n}", lang) for n in (1, 2, 3))
