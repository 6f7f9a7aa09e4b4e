"""The weekly digest for the secretariat channel: what to chase, review and report this week.

Readable on a phone: a one-line summary first, then short sections, each capped
at a few lines with a pointer to the status query for the rest. Every count
comes from SQL, so the digest stays fast at a hundred thousand conditions.
"""

from __future__ import annotations

import datetime as dt

from duediligence import ConditionFilter, Status, format_wareki

from .base import Context
from .reply import Reply, Section

SECTION_LIMIT = 5
CERTIFICATE_WINDOW = dt.timedelta(days=90)
FAILED_WINDOW = dt.timedelta(days=7)


def digest_reply(ctx: Context, lang: str) -> Reply:
    store, today = ctx.store, ctx.today()
    week_end = today + dt.timedelta(days=6 - today.weekday())
    command = ctx.status_command

    overdue = ConditionFilter(overdue_on=today)
    overdue_count = store.count_conditions(overdue)
    due_week = ConditionFilter(
        statuses=(Status.OPEN, Status.RETURNED), due_from=today, due_until=week_end
    )
    due_week_count = store.count_conditions(due_week)
    review = ConditionFilter(statuses=(Status.SUBMITTED,))
    review_count = store.count_conditions(review)
    ready = ConditionFilter(statuses=(Status.ACCEPTED,), report_back=True)
    ready_count = store.count_conditions(ready)
    certificates = [
        c
        for c in store.certificates_expiring(today, today + CERTIFICATE_WINDOW)
        if c.expires is not None
    ]
    failed = store.failed_deliveries(ctx.now() - FAILED_WINDOW)

    headline = ctx.t(
        "bot.digest.summary",
        lang,
        date=_day(lang, today),
        overdue=overdue_count,
        due_week=due_week_count,
        review=review_count,
        ready=ready_count,
    )
    sections: list[Section] = []

    if overdue_count:
        by_department = [
            f"{department}: {sum(counts.values())}"
            for department, counts in _departments(store, overdue)
        ]
        items = [
            ctx.t(
                "bot.digest.overdue_item",
                lang,
                id=c.id,
                department=c.department,
                days=(today - c.due).days if c.due else 0,
            )
            for c in store.conditions(ConditionFilter(overdue_on=today, limit=SECTION_LIMIT))
        ]
        sections.append(
            Section(
                title=ctx.t("bot.digest.overdue", lang, count=overdue_count),
                text=" / ".join(by_department[:8])
                + (
                    ctx.t("bot.digest.more_departments", lang, count=len(by_department) - 8)
                    if len(by_department) > 8
                    else ""
                ),
                items=tuple(_capped(ctx, items, overdue_count, lang, f"{command} overdue")),
            )
        )
    if due_week_count:
        items = [
            ctx.line(c, lang)
            for c in store.conditions(
                ConditionFilter(
                    statuses=due_week.statuses,
                    due_from=today,
                    due_until=week_end,
                    limit=SECTION_LIMIT,
                )
            )
        ]
        sections.append(
            Section(
                title=ctx.t(
                    "bot.digest.due_week", lang, count=due_week_count, until=_day(lang, week_end)
                ),
                items=tuple(_capped(ctx, items, due_week_count, lang, command)),
            )
        )
    if review_count:
        items = [
            ctx.line(c, lang)
            for c in store.conditions(
                ConditionFilter(statuses=(Status.SUBMITTED,), limit=SECTION_LIMIT)
            )
        ]
        sections.append(
            Section(
                title=ctx.t("bot.digest.review", lang, count=review_count),
                items=tuple(_capped(ctx, items, review_count, lang, command)),
            )
        )
    if ready_count:
        meeting = store.next_meeting(today)
        when = (
            ctx.t(
                "bot.digest.next_meeting",
                lang,
                name=meeting.label,
                date=_day(lang, meeting.date),
            )
            if meeting
            else ctx.t("bot.digest.no_meeting", lang)
        )
        items = [
            ctx.line(c, lang)
            for c in store.conditions(
                ConditionFilter(statuses=(Status.ACCEPTED,), report_back=True, limit=SECTION_LIMIT)
            )
        ]
        sections.append(
            Section(
                title=ctx.t("bot.digest.ready", lang, count=ready_count),
                text=when,
                items=tuple(_capped(ctx, items, ready_count, lang, f"{command} report")),
            )
        )
    if certificates:
        items = [
            ctx.t(
                "bot.digest.certificate_item",
                lang,
                vendor=c.vendor,
                scheme=c.scheme,
                expires=_day(lang, c.expires),
                days=(c.expires - today).days,
            )
            for c in certificates[:SECTION_LIMIT]
            if c.expires
        ]
        sections.append(
            Section(
                title=ctx.t("bot.digest.certificates", lang, count=len(certificates)),
                items=tuple(_capped(ctx, items, len(certificates), lang, command)),
            )
        )
    if failed:
        items = [
            ctx.t(
                "bot.digest.failed_item",
                lang,
                kind=ctx.t(f"bot.digest.kind.{e.kind}", lang),
                subject=e.condition or e.subject,
                recipient=e.recipient,
                error=(e.last_error or "")[:80],
            )
            for e in failed[:SECTION_LIMIT]
        ]
        sections.append(
            Section(
                title=ctx.t("bot.digest.failed", lang, count=len(failed)),
                items=tuple(_capped(ctx, items, len(failed), lang, command)),
            )
        )
    if not sections:
        sections.append(Section(text=ctx.t("bot.digest.all_clear", lang)))
    sections.append(Section(text=ctx.t("bot.digest.pointer", lang, command=command)))
    return Reply(headline, tuple(sections), private=False)


def _departments(store, where: ConditionFilter) -> list[tuple[str, dict[str, int]]]:  # noqa: ANN001
    found: dict[str, dict[str, int]] = {}
    for department, status, count in store.counts_by_department_and_status(where):
        found.setdefault(department, {})[str(status)] = count
    return sorted(found.items(), key=lambda item: -sum(item[1].values()))


def _day(lang: str, day: dt.date) -> str:
    return format_wareki(day) if lang == "ja" else day.isoformat()


def _capped(ctx: Context, items: list[str], total: int, lang: str, command: str) -> list[str]:
    if total > len(items):
        items = [*items, ctx.t("bot.digest.more", lang, count=total - len(items), command=command)]
    return items
