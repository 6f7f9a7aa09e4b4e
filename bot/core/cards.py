"""What a posted card should show now: the card a Teams ``refresh`` (or a second press) gets.

A Slack card is replaced in place once decided; a Teams Adaptive Card also asks
the bot for its current state (``Action.Execute`` refresh) whenever someone
opens it, so a card pressed twice, or opened on a second device, shows the one
decision instead of live buttons.
"""

from __future__ import annotations

from .base import Context
from .reply import Reply
from .review import _decided_line, _evidence, parse_key
from .uploads import review_card


def card_view(ctx: Context, key: str, lang: str) -> Reply | None:
    """The review card *key* as it stands (buttons only while undecided); None if unknown."""
    parsed = parse_key(key)
    if parsed is None or parsed[0] != "review":
        return None
    _, condition_id, number = parsed
    condition = ctx.store.find_condition(condition_id)
    evidence = _evidence(ctx, condition_id, int(number)) if condition is not None else None
    if condition is None or evidence is None:
        return None
    card = ctx.store.card(key)
    if card is None or not card.decided_by:
        return review_card(ctx, condition, evidence, lang)
    if card.decision == "superseded":
        line = ctx.t("bot.review.superseded", lang)
    else:
        line = _decided_line(ctx, condition, card.decision or "", card.decided_by, "", lang)
    return review_card(ctx, condition, evidence, lang, outcome=line, buttons=False)
