"""The status query (`/dd-status`, or `status` / `状況` in the DM): always private.

The secretariat sees counts by status and department, then what is overdue and
what falls due soon; department staff see their own items; words after the
command narrow it (``overdue``, a department, a consultation, a vendor, a
condition id). Counting is done in SQL and lists are capped, so the answer stays
quick at 100,000 conditions.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field, replace

from duediligence import Condition, ConditionFilter, Status, Store
from duediligence.status import summarize

from . import intake
from .base import Context, Role, Who
from .detail import condition_section
from .reply import Field, Reply, Section

OVERDUE_WORDS = frozenset({"overdue", "late", "期限超過", "超過", "遅延", "期限切れ"})
TRIGGER_WORDS = frozenset({"status", "状況", "ステータス", "進捗"})
REPORT_WORDS = frozenset({"report", "報告", "報告資料"})  # build the report pack (bot.core.report)
LIST_LIMIT = 20
SHORT_LIMIT = 10
DUE_SOON_DAYS = 14
DEPARTMENT_LIMIT = 25
STAFF_STATUSES = (Status.OPEN, Status.RETURNED, Status.SUBMITTED)


@dataclass
class Filters:
    overdue: bool = False
    department: str | None = None
    consultation: str | None = None
    vendor: str | None = None
    condition: str | None = None
    unknown: list[str] = field(default_factory=list)

    @property
    def narrowed(self) -> bool:
        return any((self.overdue, self.department, self.consultation, self.vendor, self.condition))

    def where(self, today: dt.date, **extra: object) -> ConditionFilter:
        return ConditionFilter(
            department=self.department,
            consultation=self.consultation,
            vendor=self.vendor,
            condition=self.condition,
            overdue_on=today if self.overdue else None,
            **extra,  # type: ignore[arg-type]
        )


def is_status_request(text: str) -> bool:
    """True when a DM or mention asks for the status (its first word is status / 状況)."""
    words = _normalize(text).split()
    return bool(words) and words[0].lower() in TRIGGER_WORDS


def report_request(text: str) -> str | None:
    """For ``report [meeting]`` (after the status word or alone): the meeting asked for.

    "" means the next meeting; None means *text* is not a report request.
    """
    words = _normalize(text).split()
    if words and words[0].lower() in TRIGGER_WORDS:
        words = words[1:]
    if not words or words[0].lower() not in REPORT_WORDS:
        return None
    return " ".join(words[1:])


def parse_filters(store: Store, text: str) -> Filters:
    """Read the words after the command; a word nobody recognises is kept as unknown."""
    filters = Filters()
    words = _normalize(text).split()
    if words and words[0].lower() in TRIGGER_WORDS:
        words = words[1:]
    if len(words) > 1 and _apply(store, filters, " ".join(words)):
        return filters  # a name with spaces in it ("Acme Data Services")
    for word in words:
        if word.lower() in OVERDUE_WORDS:
            filters.overdue = True
        elif not _apply(store, filters, word):
            filters.unknown.append(word)
    return filters


def answer(ctx: Context, actor: str, text: str, lang: str | None = None) -> Reply:
    lang = ctx.language(lang)
    store = ctx.store
    who = ctx.who(actor)
    filters = parse_filters(store, text)
    if filters.unknown:
        return _unknown_filter(ctx, who, filters.unknown[0], lang)
    if who.role is Role.SECRETARIAT:
        return _secretariat(ctx, filters, lang)
    if who.role is Role.STAFF:
        return _staff(ctx, who, filters, lang)
    return Reply(ctx.t("bot.status.not_registered", lang))


# -- the secretariat --------------------------------------------------------


def _secretariat(ctx: Context, filters: Filters, lang: str) -> Reply:
    store, today = ctx.store, ctx.today()
    if filters.condition:
        condition = store.condition(filters.condition)
        sections = (condition_section(ctx, condition, lang), *intake.menu(ctx, condition, lang))
        return Reply(ctx.line(condition, lang), sections)
    where = filters.where(today)
    summary = summarize(store, where, today)
    if summary.total == 0:
        return Reply(ctx.t("bot.status.none", lang))
    sections = [_counts(ctx, summary.by_status, lang)]
    if not filters.department:
        sections.append(_departments(ctx, summary.by_department, lang))
    if filters.narrowed:
        sections.append(_items(ctx, store, where, "bot.status.items", lang, LIST_LIMIT))
    else:
        sections.append(
            _items(ctx, store, where, "bot.status.overdue", lang, SHORT_LIMIT, overdue_on=today)
        )
        sections.append(_due_soon(ctx, store, where, lang))
    headline = ctx.t("bot.status.headline", lang, total=summary.total, overdue=summary.overdue)
    return Reply(headline, tuple(sections))


def _counts(ctx: Context, by_status: dict[str, int], lang: str) -> Section:
    fields = tuple(
        Field(ctx.t(f"status.{s}", lang), str(by_status[str(s)]))
        for s in Status
        if by_status.get(str(s))
    )
    return Section(title=ctx.t("bot.status.by_status", lang), fields=fields)


def _departments(ctx: Context, by_department: dict[str, dict[str, int]], lang: str) -> Section:
    names = sorted(by_department)
    items = [
        f"{name}: "
        + " / ".join(
            f"{ctx.t(f'status.{s}', lang)} {by_department[name][str(s)]}"
            for s in Status
            if by_department[name].get(str(s))
        )
        for name in names[:DEPARTMENT_LIMIT]
    ]
    if len(names) > DEPARTMENT_LIMIT:
        items.append(
            ctx.t("bot.status.more_departments", lang, count=len(names) - DEPARTMENT_LIMIT)
        )
    return Section(title=ctx.t("bot.status.by_department", lang), items=tuple(items))


def _items(
    ctx: Context,
    store: Store,
    where: ConditionFilter,
    title_key: str,
    lang: str,
    limit: int,
    **narrow: object,
) -> Section:
    where = replace(where, **narrow)  # type: ignore[arg-type]
    total = store.count_conditions(where)
    found = store.conditions(replace(where, limit=limit))
    return _list_section(ctx, ctx.t(title_key, lang, count=total), found, total, lang)


def _due_soon(ctx: Context, store: Store, where: ConditionFilter, lang: str) -> Section:
    today = ctx.today()
    awaiting = replace(where, statuses=(Status.OPEN, Status.RETURNED), limit=SHORT_LIMIT)
    found = store.conditions_due_between(today, today + dt.timedelta(days=DUE_SOON_DAYS), awaiting)
    title = ctx.t("bot.status.due_soon", lang, days=DUE_SOON_DAYS)
    return _list_section(ctx, title, found, len(found), lang)


def _list_section(
    ctx: Context, title: str, found: list[Condition], total: int, lang: str
) -> Section:
    items = [ctx.line(c, lang) for c in found] or [ctx.t("bot.status.nothing", lang)]
    if total > len(found):
        items.append(ctx.t("bot.status.more", lang, count=total - len(found)))
    return Section(title=title, items=tuple(items))


# -- department staff --------------------------------------------------------


def _staff(ctx: Context, who: Who, filters: Filters, lang: str) -> Reply:
    store, today = ctx.store, ctx.today()
    mine = who.departments
    if filters.department and filters.department not in mine:
        return Reply(ctx.t("bot.status.not_your_department", lang, department=filters.department))
    if filters.condition:
        condition = store.condition(filters.condition)
        if condition.department not in mine:
            return Reply(ctx.t("bot.status.not_your_condition", lang, id=condition.id))
        return Reply(ctx.line(condition, lang), (condition_section(ctx, condition, lang),))
    where = filters.where(today, departments_any=mine, statuses=STAFF_STATUSES)
    total = store.count_conditions(where)
    overdue = store.count_conditions(replace(where, overdue_on=today))
    if total == 0:
        return Reply(ctx.t("bot.status.mine_none", lang, departments="、".join(mine)))
    found = store.conditions(replace(where, limit=LIST_LIMIT))
    headline = ctx.t("bot.status.mine", lang, total=total, overdue=overdue)
    section = _list_section(
        ctx, ctx.t("bot.status.mine_title", lang, departments="、".join(mine)), found, total, lang
    )
    hint = Section(text=ctx.t("bot.status.mine_hint", lang))
    return Reply(headline, (section, hint))


# -- help ---------------------------------------------------------------------


def _unknown_filter(ctx: Context, who: Who, word: str, lang: str) -> Reply:
    store = ctx.store
    if who.role is Role.STAFF:
        departments = list(who.departments)
    else:
        departments = [d.name for d in store.departments()][:3]
    examples = [
        ctx.t("bot.status.help.overdue", lang),
        ctx.t("bot.status.help.department", lang, example="、".join(departments[:3]) or "-"),
    ]
    first = store.conditions(ConditionFilter(departments_any=tuple(departments), limit=1))
    if first:
        example = first[0]
        examples.append(ctx.t("bot.status.help.consultation", lang, example=example.consultation))
        if example.vendor:
            examples.append(ctx.t("bot.status.help.vendor", lang, example=example.vendor))
        examples.append(ctx.t("bot.status.help.condition", lang, example=example.id))
    if who.role is Role.SECRETARIAT:
        examples.append(ctx.t("bot.status.help.report", lang))
    return Reply(
        ctx.t("bot.status.unknown_filter", lang, word=word),
        (Section(title=ctx.t("bot.status.help.title", lang), items=tuple(examples)),),
    )


def _apply(store: Store, filters: Filters, word: str) -> bool:
    """Recognise *word* as a condition, consultation, department or vendor."""
    for candidate in dict.fromkeys((word, word.upper())):
        if store.find_condition(candidate):
            filters.condition = candidate
            return True
        if store.find_consultation(candidate):
            filters.consultation = candidate
            return True
    if "諮問" in word or "号" in word:
        for consultation in store.consultations():
            if _normalize(consultation.number) == word:
                filters.consultation = consultation.id
                return True
    if store.find_department(word):
        filters.department = word
        return True
    vendors = store.vendor_names()
    if word in vendors:
        filters.vendor = word
        return True
    partial = [v for v in vendors if word.lower() in _normalize(v).lower()]
    if len(partial) == 1 and len(word) >= 2:
        filters.vendor = partial[0]
        return True
    return False


def _normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()
