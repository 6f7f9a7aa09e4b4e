"""Extension requests: the owner asks for a later due date; the secretariat approves or declines.

The request is an event (``extension_requested``) holding the old and new date
and the reason; approving calls :meth:`Tracker.extend`, which moves the due date
and logs old, new and reason. The card works like a review card: decided once,
then updated in place.
"""

from __future__ import annotations

import datetime as dt

from duediligence import DueDateError, DueDiligenceError, Status, parse_due

from .base import Context, Role
from .reply import Button, Field, Form, Input, Outbound, Outcome, Reply, Section, Update
from .review import parse_key

REQUEST = "extension_request"
REQUEST_FORM = "extension_request"
APPROVE = "extension_approve"
DECLINE = "extension_decline"
_AWAITING = (Status.OPEN, Status.RETURNED, Status.SUBMITTED)


def ask(ctx: Context, actor: str, condition_id: str, lang: str) -> Outcome:
    """Open the form (new due date as people write it, and a reason) for an owner."""
    condition = ctx.store.find_condition(condition_id)
    if condition is None:
        return Outcome(reply=Reply(ctx.t("bot.unknown_action", lang)))
    if condition.department not in ctx.who(actor).departments:
        return Outcome(reply=Reply(ctx.t("bot.extension.owner_only", lang, id=condition_id)))
    if condition.status not in _AWAITING:
        return Outcome(reply=Reply(ctx.t("bot.extension.closed", lang, id=condition_id)))
    form = Form(
        callback=REQUEST_FORM,
        title=ctx.t("bot.form.extension.title", lang),
        submit=ctx.t("bot.form.extension.submit", lang),
        text=ctx.t(
            "bot.form.extension.text",
            lang,
            id=condition.id,
            due=ctx.due_label(condition.due, lang),
        ),
        inputs=(
            Input(
                "new_due",
                ctx.t("bot.form.new_due", lang),
                placeholder=ctx.t("bot.form.new_due.placeholder", lang),
            ),
            Input("reason", ctx.t("bot.form.reason", lang), kind="multiline"),
        ),
        metadata=condition.id,
    )
    return Outcome(form=form)


def request(
    ctx: Context, actor: str, condition_id: str, new_due_text: str, reason: str, lang: str
) -> Outcome:
    """The form came back: check the date, record the request, send the card to the secretariat."""
    today = ctx.today()
    errors: dict[str, str] = {}
    new_due: dt.date | None = None
    try:
        new_due = parse_due(new_due_text, today=today)
    except DueDateError as err:
        errors["new_due"] = err.render(lang)
    condition = ctx.store.find_condition(condition_id)
    if condition is None:
        return Outcome(reply=Reply(ctx.t("bot.unknown_action", lang)))
    if new_due is not None and condition.due is not None and new_due <= condition.due:
        errors["new_due"] = ctx.t(
            "bot.extension.not_later", lang, due=ctx.due_label(condition.due, lang)
        )
    if not reason.strip():
        errors["reason"] = ctx.t("bot.form.reason_required", lang)
    if errors or new_due is None:
        return Outcome(form_errors=errors)
    try:
        event_id = ctx.tracker().request_extension(
            condition_id, actor=actor, new_due=new_due, reason=reason.strip(), now=ctx.now()
        )
    except DueDateError as err:  # a day before today: shown under the field
        return Outcome(form_errors={"new_due": err.render(lang)})
    except DueDiligenceError as err:
        return Outcome(reply=Reply(err.render(lang)))
    key = f"extension:{condition_id}:{event_id}"
    card = _card(
        ctx, condition_id, key, condition.due, new_due, reason.strip(), ctx.lang, buttons=True
    )
    confirmation = ctx.t(
        "bot.extension.requested", lang, id=condition_id, due=ctx.due_label(new_due, lang)
    )
    return Outcome(
        reply=Reply(confirmation),
        outbound=[Outbound(card, secretariat=True, card=key, subject=condition_id)],
    )


def decide(ctx: Context, actor: str, key: str, approve: bool, lang: str) -> Outcome:
    parsed = parse_key(key)
    if parsed is None or parsed[0] != "extension":
        return Outcome(reply=Reply(ctx.t("bot.unknown_action", lang)))
    if ctx.who(actor).role is not Role.SECRETARIAT:
        return Outcome(reply=Reply(ctx.t("bot.review.secretariat_only", lang)))
    _, condition_id, number = parsed
    store, now = ctx.store, ctx.now()
    event = next((e for e in store.events(condition_id) if e.id == int(number)), None)
    if event is None or event.action != "extension_requested":
        return Outcome(reply=Reply(ctx.t("bot.unknown_action", lang)))
    new_due = dt.date.fromisoformat(str(event.data["new_due"]))
    decision = "approved" if approve else "declined"
    try:
        with store.transaction():
            if not store.decide_card(
                key, subject=condition_id, actor=actor, decision=decision, at=now
            ):
                card = store.card(key)
                by = (card.decided_by if card else "") or ""
                label = ctx.t(f"bot.decision.{card.decision}", lang) if card else ""
                return Outcome(
                    reply=Reply(ctx.t("bot.review.already", lang, actor=by, decision=label))
                )
            if approve:
                ctx.tracker().extend(
                    condition_id, actor=actor, new_due=new_due, reason=event.reason, now=now
                )
            else:
                store.append_event(
                    condition_id,
                    "extension_declined",
                    actor=actor,
                    at=now,
                    reason=event.reason,
                    data={"request": event.id, "new_due": new_due.isoformat()},
                )
    except DueDiligenceError as err:
        return Outcome(reply=Reply(err.render(lang)))
    line = ctx.t(
        f"bot.extension.decided.{decision}",
        lang,
        id=condition_id,
        actor=actor,
        due=ctx.due_label(new_due, lang),
    )
    outcome = Outcome(reply=Reply(line))
    card = store.card(key)
    if card and card.channel and card.ts:
        old = event.data.get("old_due")
        old_due = dt.date.fromisoformat(str(old)) if old else None
        reply = _card(
            ctx, condition_id, key, old_due, new_due, event.reason, ctx.lang, buttons=False
        )
        reply = Reply(reply.text, reply.sections + (Section(text=line),), private=False)
        outcome.updates.append(Update(card.channel, card.ts, reply))
    owner_text = ctx.t(
        f"bot.extension.owner.{decision}",
        ctx.lang,
        id=condition_id,
        due=ctx.due_label(new_due, ctx.lang),
    )
    outcome.outbound.append(Outbound(Reply(owner_text), user=event.actor))
    return outcome


def _card(
    ctx: Context,
    condition_id: str,
    key: str,
    old_due: dt.date | None,
    new_due: dt.date,
    reason: str,
    lang: str,
    *,
    buttons: bool,
) -> Reply:
    condition = ctx.store.condition(condition_id)
    fields = (
        Field(ctx.t("bot.field.condition", lang), f"{condition.id} [{ctx.kind(condition, lang)}]"),
        Field(ctx.t("bot.field.department", lang), condition.department),
        Field(ctx.t("bot.field.old_due", lang), ctx.due_label(old_due, lang)),
        Field(ctx.t("bot.field.new_due", lang), ctx.due_label(new_due, lang)),
        Field(ctx.t("bot.field.reason", lang), reason),
    )
    controls: tuple[Button, ...] = ()
    if buttons:
        controls = (
            Button(APPROVE, ctx.t("bot.button.approve", lang), key, "primary"),
            Button(DECLINE, ctx.t("bot.button.decline", lang), key, "danger"),
        )
    return Reply(
        ctx.t("bot.extension.card", lang, id=condition.id),
        (Section(text=condition.text, fields=fields, buttons=controls),),
        private=False,
    )
