"""Incidents in chat: 「漏えいが発生しました R2-15 …」 in a DM, and the secretariat's alert.

The phrase starts with a word for what happened (漏えい, 紛失, 毀損, 不正アクセス,
or 事故報告 / "incident" for a leak); the first word that is a consultation or
condition id says which outsourcing, else the reporter's only one; the rest is
the description. :func:`duediligence.incidents.report_incident` records it, opens
the report conditions and puts the alert in the outbox, which the next tick
sends to the secretariat channel whatever the hour. The channel alert carries
ids, dates and the kind only, never the description (it may hold personal data).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from duediligence import DueDiligenceError
from duediligence.incidents import report_incident
from duediligence.kinds import kind_label
from duediligence.model import Consultation, IncidentKind

from ..base import Context
from ..reply import Field, Reply, Section

#: words that start an incident phrase (compared without spaces, any case), longest first
INCIDENT_WORDS: dict[IncidentKind, tuple[str, ...]] = {
    IncidentKind.UNAUTHORIZED_ACCESS: (
        "不正アクセス",
        "サイバー攻撃",
        "ランサムウェア",
        "unauthorizedaccess",
        "unauthorisedaccess",
    ),
    IncidentKind.LEAK: ("漏えい", "漏洩", "情報漏れ", "誤送信", "事故報告", "leak", "incident"),
    IncidentKind.LOSS: ("紛失", "滅失", "盗難", "loss", "lost"),
    IncidentKind.DAMAGE: ("毀損", "破損", "damage"),
}
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-#]*")
_FILLER = re.compile(r"^(が|を)?(発生|ありました|発生しました|発生した|しました|です)*[。、,.\s]*")


def parse(text: str) -> tuple[IncidentKind, str] | None:
    """(kind, the rest of the text) when *text* starts with an incident word."""
    compact = (text or "").strip()
    lowered = compact.lower().replace(" ", "").replace("\u3000", "")
    for kind, words in INCIDENT_WORDS.items():
        for word in sorted(words, key=len, reverse=True):
            if lowered.startswith(word):
                rest = _after(compact, word)
                return kind, _FILLER.sub("", rest).strip()
    return None


def _after(text: str, word: str) -> str:
    """*text* after *word* at its start (spaces inside the word skipped)."""
    position = 0
    for _ in word:
        while position < len(text) and text[position] in " \u3000":
            position += 1
        position += 1
    return text[position:]


def from_text(ctx: Context, actor: str, text: str, lang: str) -> Reply | None:
    """The answer to an incident phrase in the DM, or None when *text* is not one."""
    found = parse(text)
    if found is None:
        return None
    kind, rest = found
    consultation, description = _which(ctx, actor, rest)
    if consultation is None:
        return Reply(
            ctx.t("bot.incident.which", lang, what=ctx.t(f"incident.kind.{kind}", lang)),
            (Section(items=_choices(ctx, actor, lang)),),
        )
    try:
        incident = report_incident(
            ctx.tracker(),
            consultation.id,
            kind=kind,
            actor=actor,
            now=ctx.now(),
            description=description,
            lang=ctx.lang,
        )
    except DueDiligenceError as err:
        return Reply(err.render(lang))
    lines = []
    for condition_id in incident.conditions:
        condition = ctx.store.condition(condition_id)
        lines.append(
            ctx.t(
                "bot.incident.condition",
                lang,
                id=condition.id,
                kind=kind_label(condition.kind, lang),
                due=ctx.due_label(condition.due, lang),
            )
        )
    return Reply(
        ctx.t(
            "bot.incident.recorded",
            lang,
            id=consultation.id,
            what=ctx.t(f"incident.kind.{kind}", lang),
        ),
        (Section(items=tuple(lines)), Section(text=ctx.t("bot.incident.next", lang))),
    )


def alert_reply(ctx: Context, payload: Mapping[str, Any], lang: str) -> Reply:
    """The secretariat channel's alert: which outsourcing, what, by whom, and the deadlines."""
    consultation = ctx.store.find_consultation(str(payload.get("consultation") or ""))
    title = (
        f"{consultation.number or consultation.id} {consultation.title}"
        if consultation
        else str(payload.get("consultation") or "")
    )
    what = ctx.t(f"incident.kind.{payload.get('kind')}", lang)
    conditions = [ctx.store.find_condition(str(cid)) for cid in payload.get("conditions") or ()]
    items = tuple(
        ctx.t(
            "bot.incident.condition",
            lang,
            id=c.id,
            kind=kind_label(c.kind, lang),
            due=ctx.due_label(c.due, lang),
        )
        for c in conditions
        if c is not None
    )
    reported = _moment(payload.get("reported_at"))
    fields = (
        Field(ctx.t("bot.field.consultation", lang), title),
        Field(ctx.t("bot.field.department", lang), str(payload.get("department") or "-")),
        Field(ctx.t("bot.field.vendor", lang), str(payload.get("vendor") or "-")),
        Field(ctx.t("bot.incident.field.kind", lang), what),
        Field(
            ctx.t("bot.incident.field.reported", lang),
            f"{payload.get('reported_by') or '-'} "
            + (reported.astimezone(ctx.settings.tz).strftime("%Y-%m-%d %H:%M") if reported else ""),
        ),
    )
    return Reply(
        ctx.t("bot.incident.alert", lang, id=str(payload.get("consultation") or ""), what=what),
        (Section(fields=fields), Section(items=items)),
        private=False,
    )


def _which(ctx: Context, actor: str, rest: str) -> tuple[Consultation | None, str]:
    """The outsourcing the words name (a consultation or condition id), else the actor's only one."""
    for match in _TOKEN.finditer(rest):
        token = match.group(0)
        consultation = ctx.store.find_consultation(token)
        if consultation is None:
            condition = ctx.store.find_condition(token)
            consultation = (
                ctx.store.find_consultation(condition.consultation) if condition else None
            )
        if consultation is not None:
            description = (rest[: match.start()] + rest[match.end() :]).strip()
            return consultation, _FILLER.sub("", description).strip()
    mine = _mine(ctx, actor)
    return (mine[0], rest) if len(mine) == 1 else (None, rest)


def _mine(ctx: Context, actor: str) -> list[Consultation]:
    departments = set(ctx.who(actor).departments)
    return [c for c in ctx.store.consultations() if c.department in departments]


def _choices(ctx: Context, actor: str, lang: str) -> tuple[str, ...]:
    mine = _mine(ctx, actor)
    if not mine:
        return (ctx.t("bot.incident.none_yours", lang),)
    return tuple(ctx.t("bot.incident.choice", lang, id=c.id, title=c.title) for c in mine[:10])


def _moment(value: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
