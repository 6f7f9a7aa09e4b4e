"""App Home: staff see their items (due, status, what is expected); the secretariat sees
the totals and what waits for its review."""

from __future__ import annotations

from dataclasses import replace

from duediligence import ConditionFilter, Status
from duediligence.status import summarize

from . import intake, report
from .base import Context, Role
from .checks import events as check_events
from .checks import summary as check_summary
from .reply import Button, Field, Reply, Section
from .status import STAFF_STATUSES
from .supervision import chain

HOME_LIMIT = 20


def home(ctx: Context, actor: str, lang: str) -> Reply:
    who = ctx.who(actor)
    if who.role is Role.SECRETARIAT:
        return _secretariat(ctx, lang)
    if who.role is Role.STAFF:
        return _staff(ctx, who.departments, lang)
    return Reply(
        ctx.t("bot.home.title", lang), (Section(text=ctx.t("bot.status.not_registered", lang)),)
    )


def _staff(ctx: Context, departments: tuple[str, ...], lang: str) -> Reply:
    store = ctx.store
    where = ConditionFilter(departments_any=departments, statuses=STAFF_STATUSES)
    total = store.count_conditions(where)
    sections = [
        Section(text=ctx.t("bot.home.mine", lang, total=total, departments="、".join(departments)))
    ]
    events = check_events.home_section(ctx, departments, lang)  # 契約終了, ディスク交換, ...
    if events is not None:
        sections.append(events)
    sections += chain.home_sections(ctx, departments, lang)  # 元請 → 再委託先 → 再々委託先
    for condition in store.conditions(replace(where, limit=HOME_LIMIT)):
        sections.append(
            Section(
                title=f"{condition.id} [{ctx.kind(condition, lang)}]",
                text=condition.text,
                fields=(
                    Field(ctx.t("bot.field.due", lang), ctx.due_label(condition.due, lang)),
                    Field(ctx.t("bot.field.status", lang), ctx.status_label(condition, lang)),
                    Field(ctx.t("bot.field.expected", lang), ctx.expected(condition, lang)),
                )
                + check_summary.check_fields(ctx, condition, lang),
                buttons=(
                    Button("upload_help", ctx.t("bot.button.upload", lang), condition.id),
                    Button("extension_request", ctx.t("bot.button.extension", lang), condition.id),
                )
                + check_summary.kind_buttons(ctx, condition, lang),
            )
        )
    if total > HOME_LIMIT:
        sections.append(Section(text=ctx.t("bot.status.more", lang, count=total - HOME_LIMIT)))
    return Reply(ctx.t("bot.home.title", lang), tuple(sections))


def _secretariat(ctx: Context, lang: str) -> Reply:
    store, today = ctx.store, ctx.today()
    summary = summarize(store, ConditionFilter(), today)
    totals = Section(
        title=ctx.t("bot.status.headline", lang, total=summary.total, overdue=summary.overdue),
        fields=tuple(
            Field(ctx.t(f"status.{s}", lang), str(summary.by_status[str(s)]))
            for s in Status
            if summary.by_status.get(str(s))
        ),
    )
    waiting = ConditionFilter(statuses=(Status.SUBMITTED,))
    count = store.count_conditions(waiting)
    items = [
        ctx.line(c, lang) + check_summary.line_note(ctx, c, lang)
        for c in store.conditions(ConditionFilter(statuses=(Status.SUBMITTED,), limit=HOME_LIMIT))
    ]
    if count > len(items):
        items.append(ctx.t("bot.status.more", lang, count=count - len(items)))
    review = Section(
        title=ctx.t("bot.home.waiting", lang, count=count),
        items=tuple(items) or (ctx.t("bot.status.nothing", lang),),
    )
    register = intake.home_button(ctx, lang)  # 諮問と確認事項を登録
    return Reply(
        ctx.t("bot.home.title", lang), (totals, review, report.home_section(ctx, lang), register)
    )
