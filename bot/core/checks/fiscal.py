"""The fiscal-year-end question: "was personal data kept past the year?", with Yes / No buttons.

:func:`question_reply` renders one question; the library's planner decides who
is asked and when (outbox kind ``question``, one per check, year and owner).
"Yes" opens the report condition; "No" closes that year's check with the
answer recorded (:func:`~duediligence.checks.triggers.answer_fy_check`).
"""

from __future__ import annotations

from duediligence.checks import triggers

from ..base import Context
from ..reply import Button, Field, Outcome, Reply, Section

YES = "fy_yes"
NO = "fy_no"


def question_reply(ctx: Context, condition_id: str, fiscal_year: int, lang: str) -> Reply:
    """The DM asking the owners about one check and one fiscal year, with Yes / No buttons."""
    condition = ctx.store.condition(condition_id)
    question = triggers.FiscalYearQuestion(
        condition, fiscal_year, triggers.fiscal_year_end_of(fiscal_year)
    )
    value = f"{condition.id}:{fiscal_year}"
    return Reply(
        question.text(lang),
        (
            Section(
                fields=(
                    Field(ctx.t("bot.field.condition", lang), condition.id),
                    Field(ctx.t("bot.field.department", lang), condition.department),
                    Field(ctx.t("bot.field.vendor", lang), condition.vendor or "-"),
                    Field(
                        ctx.t("bot.checks.fy.year_end", lang),
                        ctx.due_label(question.year_end, lang),
                    ),
                ),
                buttons=(
                    Button(YES, ctx.t("bot.checks.button.fy_yes", lang), value, "primary"),
                    Button(NO, ctx.t("bot.checks.button.fy_no", lang), value),
                ),
            ),
        ),
    )


def answer(ctx: Context, actor: str, value: str, kept: bool, lang: str) -> Outcome:
    """Record Yes / No for the check and year in *value* (``R2-16-07:2020``)."""
    condition_id, _, year_text = value.rpartition(":")
    if not condition_id or not year_text.isdigit():
        return Outcome(reply=Reply(ctx.t("bot.unknown_action", lang)))
    year = int(year_text)
    result = triggers.answer_fy_check(
        ctx.tracker(), condition_id, kept=kept, actor=actor, now=ctx.now(), fiscal_year=year
    )
    label = triggers.fiscal_year_label(year, lang)
    if result.opened is not None:
        text = ctx.t(
            "bot.checks.fy.yes",
            lang,
            year=label,
            id=result.opened.id,
            due=ctx.due_label(result.opened.due, lang),
        )
    else:
        text = ctx.t("bot.checks.fy.no", lang, year=label, id=condition_id)
    return Outcome(reply=Reply(text))
