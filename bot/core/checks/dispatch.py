"""Which check a button or form belongs to; :class:`bot.core.Core` asks here first.

:func:`click` and :func:`submit` return None for anything that is not theirs,
so the core's own handling goes on unchanged. Accept on a review card passes
through :func:`.accept.guard`, which only steps in for an uncovered pledge item.
"""

from __future__ import annotations

from duediligence import Kind

from .. import review
from ..base import Context
from ..reply import Outcome, Reply, Section
from ..requests import Click, Submission
from ..supervision import checklist
from . import accept, certificate, events, fiscal
from .summary import CERTIFICATE_FORM, ROSTER_TEMPLATE, kind_buttons

UPLOAD_HELP = "upload_help"  # the core's "資料を提出" button; rosters and certificates add theirs

#: the neutral action ids and form callbacks handled here (transports route these to the core)
ACTIONS = (
    ROSTER_TEMPLATE,
    CERTIFICATE_FORM,
    events.REPORT,
    accept.OVERRIDE,
    fiscal.YES,
    fiscal.NO,
    checklist.BUTTON,
)
FORMS = (certificate.FORM, events.REPORT_FORM, accept.OVERRIDE_FORM, checklist.FORM)


def click(ctx: Context, request: Click, lang: str) -> Outcome | None:
    actor, value = request.actor, request.value
    if request.action == review.ACCEPT:
        return accept.guard(ctx, actor, value, lang)
    if request.action == UPLOAD_HELP:
        return _upload_help(ctx, value, lang)
    if request.action == ROSTER_TEMPLATE:
        # the file itself is posted by the transport (Core.roster_template); this is the fallback
        return Outcome(reply=Reply(ctx.t("bot.checks.template.failed", lang)))
    if request.action == CERTIFICATE_FORM:
        return certificate.ask(ctx, actor, value, lang)
    if request.action == events.REPORT:
        return events.ask(ctx, actor, value, lang)
    if request.action == checklist.BUTTON:  # contract clauses, inspection
        return checklist.ask(ctx, actor, value, lang)
    if request.action == accept.OVERRIDE:
        return accept.ask_reason(ctx, actor, value, lang)
    if request.action in (fiscal.YES, fiscal.NO):
        return fiscal.answer(ctx, actor, value, request.action == fiscal.YES, lang)
    return None


def submit(ctx: Context, request: Submission, lang: str) -> Outcome | None:
    values, actor, metadata = request.values, request.actor, request.metadata
    if request.callback == certificate.FORM:
        return certificate.record(ctx, actor, metadata, values, lang)
    if request.callback == checklist.FORM:
        return checklist.submit(ctx, actor, metadata, values, lang)
    if request.callback == events.REPORT_FORM:
        return events.submit(ctx, actor, metadata, values, lang)
    if request.callback == accept.OVERRIDE_FORM:
        return accept.override(ctx, actor, metadata, values.get("reason", ""), lang)
    return None


def _upload_help(ctx: Context, condition_id: str, lang: str) -> Outcome | None:
    """How to submit, plus the template (rosters), the form (certificates) or the pledge phrase."""
    condition = ctx.store.find_condition(condition_id)
    if condition is None:
        return None
    how = ctx.t("bot.upload.how", lang, id=condition.id)
    if condition.kind is Kind.PLEDGE:
        extra = Section(text=ctx.t("bot.checks.upload.pledge_help", lang, id=condition.id))
    elif kind_buttons(ctx, condition, lang):
        key = f"bot.checks.upload.{condition.kind}_help"
        extra = Section(
            text=ctx.t(key, lang, id=condition.id), buttons=kind_buttons(ctx, condition, lang)
        )
    else:
        return None
    return Outcome(reply=Reply(how, (extra,)))
