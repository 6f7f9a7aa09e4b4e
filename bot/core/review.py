"""The secretariat's review: Accept or Return (with a reason) an uploaded file.

Only the secretariat may decide; anyone else is refused privately and nothing
changes. Deciding marks the card decided in the same transaction as the state
change, so a second click (or a colleague's click) cannot act twice, and the
card is replaced in place without its buttons. The uploader hears the outcome
in their DM.
"""

from __future__ import annotations

from duediligence import Condition, DueDiligenceError, Evidence

from .base import Context, Role
from .reply import Form, Input, Outbound, Outcome, Reply, Update
from .uploads import review_card

ACCEPT = "review_accept"
RETURN = "review_return"
RETURN_FORM = "review_return"


def parse_key(key: str) -> tuple[str, str, str] | None:
    """``review:R2-15-01:7`` -> ("review", "R2-15-01", "7")."""
    kind, _, rest = key.partition(":")
    subject, _, number = rest.rpartition(":")
    if not kind or not subject or not number.isdigit():
        return None
    return kind, subject, number


def accept(ctx: Context, actor: str, key: str, lang: str, *, override_reason: str = "") -> Outcome:
    """Accept; *override_reason* accepts a pledge item despite missing pledges (logged)."""
    refused = _refuse(ctx, actor, key, "review", lang)
    if refused:
        return refused
    _, condition_id, number = parse_key(key)  # type: ignore[misc]
    return _decide(
        ctx,
        actor,
        key,
        condition_id,
        int(number),
        "accepted",
        override_reason,
        lang,
        override_reason=override_reason,
    )


def ask_reason(ctx: Context, actor: str, key: str, lang: str) -> Outcome:
    refused = _refuse(ctx, actor, key, "review", lang)
    if refused:
        return refused
    card = ctx.store.card(key)
    if card is not None and card.decided_by:
        return Outcome(reply=_already(ctx, card.decided_by, card.decision or "", lang))
    _, condition_id, _ = parse_key(key)  # type: ignore[misc]
    form = Form(
        callback=RETURN_FORM,
        title=ctx.t("bot.form.return.title", lang),
        submit=ctx.t("bot.form.return.submit", lang),
        text=ctx.t("bot.form.return.text", lang, id=condition_id),
        inputs=(Input("reason", ctx.t("bot.form.reason", lang), kind="multiline"),),
        metadata=key,
    )
    return Outcome(form=form)


def return_(ctx: Context, actor: str, key: str, reason: str, lang: str) -> Outcome:
    refused = _refuse(ctx, actor, key, "review", lang)
    if refused:
        return refused
    if not reason.strip():
        return Outcome(form_errors={"reason": ctx.t("bot.form.reason_required", lang)})
    _, condition_id, number = parse_key(key)  # type: ignore[misc]
    return _decide(ctx, actor, key, condition_id, int(number), "returned", reason.strip(), lang)


def _decide(
    ctx: Context,
    actor: str,
    key: str,
    condition_id: str,
    evidence_id: int,
    decision: str,
    reason: str,
    lang: str,
    *,
    override_reason: str = "",
) -> Outcome:
    store, tracker, now = ctx.store, ctx.tracker(), ctx.now()
    try:
        with store.transaction():
            if not store.decide_card(
                key, subject=condition_id, actor=actor, decision=decision, at=now
            ):
                card = store.card(key)
                by = card.decided_by if card else ""
                return Outcome(reply=_already(ctx, by or "", card.decision if card else "", lang))
            if decision == "accepted":
                condition = tracker.accept(
                    condition_id, actor=actor, now=now, note=reason, override_reason=override_reason
                )
            else:
                condition = tracker.return_(condition_id, actor=actor, reason=reason, now=now)
    except DueDiligenceError as err:
        return Outcome(reply=Reply(err.render(lang)))
    evidence = _evidence(ctx, condition_id, evidence_id)
    outcome = Outcome(reply=Reply(_decided_line(ctx, condition, decision, actor, reason, lang)))
    outcome.updates.extend(_close_cards(ctx, condition, key, evidence, decision, actor, reason))
    if evidence is not None:
        owner_lang = ctx.lang
        owner_text = ctx.t(
            f"bot.review.owner.{decision}",
            owner_lang,
            id=condition_id,
            filename=evidence.filename,
            reason=reason,
        )
        outcome.outbound.append(Outbound(Reply(owner_text), user=evidence.uploaded_by))
    return outcome


def _close_cards(
    ctx: Context,
    condition: Condition,
    key: str,
    evidence: Evidence | None,
    decision: str,
    actor: str,
    reason: str,
) -> list[Update]:
    """Replace this card, and older review cards of the same condition, without buttons."""
    store, lang = ctx.store, ctx.lang
    updates: list[Update] = []
    line = _decided_line(ctx, condition, decision, actor, reason, lang)
    card = store.card(key)
    if card and card.channel and card.ts and evidence is not None:
        reply = review_card(ctx, condition, evidence, lang, outcome=line, buttons=False)
        updates.append(Update(card.channel, card.ts, reply))
    with store.transaction():
        for other in store.open_cards(condition.id):
            if not other.key.startswith("review:"):
                continue
            store.decide_card(
                other.key, subject=condition.id, actor=actor, decision="superseded", at=ctx.now()
            )
            parsed = parse_key(other.key)
            old = _evidence(ctx, condition.id, int(parsed[2])) if parsed else None
            if other.channel and other.ts and old is not None:
                text = ctx.t("bot.review.superseded", lang)
                reply = review_card(ctx, condition, old, lang, outcome=text, buttons=False)
                updates.append(Update(other.channel, other.ts, reply))
    return updates


def _decided_line(
    ctx: Context, condition: Condition, decision: str, actor: str, reason: str, lang: str
) -> str:
    text = ctx.t(
        f"bot.review.decided.{decision}",
        lang,
        id=condition.id,
        actor=actor,
        status=ctx.t(f"status.{condition.status}", lang),
    )
    if reason:
        text += "\n" + ctx.t("bot.review.reason", lang, reason=reason)
    return text


def _already(ctx: Context, by: str, decision: str, lang: str) -> Reply:
    label = ctx.t(f"bot.decision.{decision}", lang) if decision else ""
    return Reply(ctx.t("bot.review.already", lang, actor=by, decision=label))


def _refuse(ctx: Context, actor: str, key: str, kind: str, lang: str) -> Outcome | None:
    """Anyone but the secretariat is refused privately; a malformed key too."""
    parsed = parse_key(key)
    if parsed is None or parsed[0] != kind:
        return Outcome(reply=Reply(ctx.t("bot.unknown_action", lang)))
    if ctx.who(actor).role is not Role.SECRETARIAT:
        return Outcome(reply=Reply(ctx.t("bot.review.secretariat_only", lang)))
    return None


def _evidence(ctx: Context, condition_id: str, evidence_id: int) -> Evidence | None:
    return next((e for e in ctx.store.evidence_of(condition_id) if e.id == evidence_id), None)
