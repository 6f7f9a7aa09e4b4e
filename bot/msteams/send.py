"""Where Teams answers go: the same chat, a person's 1:1 chat, the secretariat channel.

Slack answers privately with an ephemeral; Teams has none, so an answer asked
for in a channel goes to the person's personal chat with the bot, and the
channel only hears that it did. A person is reached through the conversation
reference stored when they last wrote (or installed the app); failing that the
bot opens a 1:1 chat with them by their AAD object id. Every call runs on the
bot's loop (:meth:`TeamsBot.run`); these functions are called from worker threads.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from typing import Any

from ..core import Outcome, Reply
from ..render.adaptive import attachment, card
from .app import TeamsBot
from .consent import consent_card

log = logging.getLogger("bot.msteams")
PERSONAL = "personal"


class NoConversation(Exception):
    """Nobody to send to: no stored reference, no service URL, or an unknown channel."""


@dataclass(frozen=True, slots=True)
class Turn:
    """Who did something in Teams, and where (an activity stripped to what the bot needs)."""

    actor: str  # the AAD object id (what the import and the core know people by)
    user_id: str  # the Teams user id (29:…) in this conversation
    conversation: str
    scope: str  # personal | channel | groupChat
    service_url: str
    tenant: str = ""
    activity_id: str = ""
    reply_to: str = ""  # an invoke: the id of the message whose card was pressed
    lang: str | None = None

    @property
    def personal(self) -> bool:
        return self.scope == PERSONAL


def activity(
    reply: Reply | None = None, *, refresh: str | None = None, attachments: Any = ()
) -> Any:
    """A message activity carrying *reply* as an Adaptive Card (and/or other attachments)."""
    from microsoft_teams.api import Attachment, MessageActivityInput

    items = [attachment(card(reply, refresh=refresh))] if reply is not None else []
    items += list(attachments)
    message = MessageActivityInput()
    message.add_attachments(
        *(
            Attachment(
                content_type=a["contentType"],
                content=a.get("content"),
                content_url=a.get("contentUrl"),
                name=a.get("name"),
            )
            for a in items
        )
    )
    return message


def post(bot: TeamsBot, conversation: str, service_url: str, message: Any) -> str:
    """Create an activity in *conversation*; its id (to update the card later)."""
    sent = bot.run(bot.app.send(conversation, message, service_url=service_url))
    return str(sent.id)


def update(
    bot: TeamsBot, conversation: str, activity_id: str, service_url: str, reply: Reply
) -> None:
    """Replace a posted card for everyone (a decided card loses its buttons)."""
    api = bot.app.api.clone(service_url=service_url)
    bot.run(api.conversations.update_activity(conversation, activity_id, activity(reply)))


def service_url(bot: TeamsBot, key: str = "") -> str:
    ref = bot.core.conversation(key) if key else None
    if ref is not None:
        return ref.service_url
    latest = bot.core.latest_conversation()
    url = latest.service_url if latest is not None else bot.settings.teams.service_url
    if not url:
        raise NoConversation("no Teams service URL known yet (DD_TEAMS_SERVICE_URL)")
    return url


def personal_chat(bot: TeamsBot, user: str) -> tuple[str, str]:
    """(conversation id, service URL) of *user*'s 1:1 chat with the bot, opened if need be."""
    ref = bot.core.conversation(user)
    if ref is not None:
        return ref.conversation, ref.service_url
    from microsoft_teams.api import Account
    from microsoft_teams.api.clients.conversation.params import CreateConversationParams

    url = service_url(bot)
    tenant = bot.settings.teams.tenant_id or (
        latest.tenant if (latest := bot.core.latest_conversation()) else ""
    )
    api = bot.app.api.clone(service_url=url)
    params = CreateConversationParams(members=[Account(id=user)], tenant_id=tenant or None)
    created = bot.run(api.conversations.create(params))
    conversation = str(created.id)
    bot.core.remember_conversation(user, conversation=conversation, service_url=url, tenant=tenant)
    return conversation, url


def direct(bot: TeamsBot, user: str, reply: Reply, *, refresh: str | None = None) -> str:
    conversation, url = personal_chat(bot, user)
    return post(bot, conversation, url, activity(reply, refresh=refresh))


def secretariat(bot: TeamsBot, reply: Reply, *, refresh: str | None = None) -> tuple[str, str]:
    """Post to the secretariat's channel; (conversation, activity id)."""
    channel = bot.settings.teams.secretariat_channel
    if not channel:
        raise NoConversation("DD_TEAMS_SECRETARIAT_CHANNEL is not set")
    url = service_url(bot, f"channel:{channel}")
    return channel, post(bot, channel, url, activity(reply, refresh=refresh))


def answer(bot: TeamsBot, turn: Turn, reply: Reply) -> None:
    """Tell the actor: in the same chat if it is their personal chat, else in their 1:1 chat."""
    if turn.personal:
        post(bot, turn.conversation, turn.service_url, activity(reply))
        return
    direct(bot, turn.actor, reply)
    note = Reply(bot.core.t("bot.teams.answered_privately", bot.core.language(turn.lang)))
    post(bot, turn.conversation, turn.service_url, activity(note))


def deliver(bot: TeamsBot, outcome: Outcome, turn: Turn, *, reply: bool = True) -> None:
    """Everything an outcome asks for, except the form (an invoke answers with it)."""
    if outcome.files or outcome.scratch is not None:
        offer_files(bot, outcome, turn)
    if reply and outcome.reply is not None:
        answer(bot, turn, outcome.reply)
    for change in outcome.updates:
        try:
            url = (
                service_url(bot, f"channel:{change.channel}")
                if change.channel
                else turn.service_url
            )
            update(bot, change.channel, change.ts, url, change.reply)
        except Exception:
            log.exception("could not update a card in %s", change.channel)
    for out in outcome.outbound:
        try:
            if out.secretariat:
                conversation, posted = secretariat(bot, out.reply, refresh=out.card)
            else:
                user = bot.core.recipients(out.user or "")
                if not user:
                    log.warning("no Teams user for a message about %s", out.subject or "an item")
                    continue
                conversation, _ = personal_chat(bot, user)
                posted = direct(bot, user, out.reply, refresh=out.card)
        except NoConversation as err:
            log.warning("a message about %s was not posted: %s", out.subject or "an item", err)
            continue
        if out.card:
            bot.core.remember_card(out.card, subject=out.subject, channel=conversation, ts=posted)


def offer_files(bot: TeamsBot, outcome: Outcome, turn: Turn) -> None:
    """The report pack: one consent card per file in the actor's personal chat."""
    lang = bot.core.language(turn.lang)
    try:
        cards = []
        for item in outcome.files:
            held = bot.held.keep(item.path.name, item.path.read_bytes())
            cards.append(consent_card(held, item.title or outcome.files_comment))
        if cards:
            conversation, url = (
                (turn.conversation, turn.service_url)
                if turn.personal
                else personal_chat(bot, turn.actor)
            )
            intro = Reply(outcome.files_comment or bot.core.t("bot.teams.consent.sent", lang))
            post(bot, conversation, url, activity(intro))
            for one in cards:  # Teams shows one consent card per message
                post(bot, conversation, url, activity(attachments=[one]))
    finally:
        if outcome.scratch is not None:
            shutil.rmtree(outcome.scratch, ignore_errors=True)
