"""Accept on a pledge item's review card while someone's pledge is missing: refused, or overridden.

The library refuses such an acceptance (:func:`duediligence.checks.pledges.guard_accept`);
here the secretariat hears why before anything is tried, with a button that
opens a reason form. Accepting with a reason goes through the normal review
path (the card is decided once and updated in place), and the library logs the
reason as ``coverage_overridden``.
"""

from __future__ import annotations

from duediligence import Kind
from duediligence.checks import pledges

from .. import review
from ..base import Context, Role
from ..reply import Button, Form, Input, Outcome, Reply, Section

OVERRIDE = "pledge_override"
OVERRIDE_FORM = "pledge_override"


def guard(ctx: Context, actor: str, key: str, lang: str) -> Outcome | None:
    """A refusal for an uncovered pledge item; None lets the ordinary review decide."""
    parsed = review.parse_key(key)
    if parsed is None or parsed[0] != "review" or ctx.who(actor).role is not Role.SECRETARIAT:
        return None  # the review module refuses these with its own words
    condition = ctx.store.find_condition(parsed[1])
    if condition is None or condition.kind is not Kind.PLEDGE:
        return None
    card = ctx.store.card(key)
    if card is not None and card.decided_by:
        return None  # "already decided" comes from the review module
    cover = pledges.coverage(ctx.store, condition)
    if cover.complete:
        return None
    rows = tuple(f.render(lang) for f in cover.findings())
    text = ctx.t(
        "bot.checks.accept.refused",
        lang,
        id=condition.id,
        covered=cover.covered,
        required=cover.required,
    )
    button = Button(OVERRIDE, ctx.t("bot.checks.button.override", lang), key, "danger")
    return Outcome(reply=Reply(text, (Section(items=rows[:15]), Section(buttons=(button,)))))


def ask_reason(ctx: Context, actor: str, key: str, lang: str) -> Outcome:
    """The reason form (secretariat only), like Return's."""
    parsed = review.parse_key(key)
    if parsed is None or parsed[0] != "review":
        return Outcome(reply=Reply(ctx.t("bot.unknown_action", lang)))
    if ctx.who(actor).role is not Role.SECRETARIAT:
        return Outcome(reply=Reply(ctx.t("bot.review.secretariat_only", lang)))
    cover = pledges.coverage(ctx.store, ctx.store.condition(parsed[1]))
    form = Form(
        callback=OVERRIDE_FORM,
        title=ctx.t("bot.checks.form.override.title", lang),
        submit=ctx.t("bot.checks.form.override.submit", lang),
        text=ctx.t(
            "bot.checks.form.override.text",
            lang,
            id=parsed[1],
            covered=cover.covered,
            required=cover.required,
        ),
        inputs=(Input("reason", ctx.t("bot.form.reason", lang), kind="multiline"),),
        metadata=key,
    )
    return Outcome(form=form)


def override(ctx: Context, actor: str, key: str, reason: str, lang: str) -> Outcome:
    if not reason.strip():
        return Outcome(form_errors={"reason": ctx.t("bot.form.reason_required", lang)})
    return review.accept(ctx, actor, key, lang, override_reason=reason.strip())
