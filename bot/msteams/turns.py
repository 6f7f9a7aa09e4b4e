"""What a person did in Teams, translated into the conversation core.

* a message in the personal chat or a channel mention: the status query,
  ``報告資料``, an event phrase, else help; files in it are evidence (personal
  chat only: a file in a channel is refused and not downloaded);
* an ``Action.Execute`` press: a core button, a menu choice, a form submitted,
  or Teams asking for a card's current state (``refresh``); the invoke answers
  with the card to show in place of the pressed one;
* a file-consent answer: put the held file in the person's OneDrive.

Each activity id is handled once (Bot Framework redelivers an activity it
thinks was lost), and each person's conversation reference and e-mail are
remembered through the core, so reminders can reach them later.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from typing import Any

from ..core import Click, FileRef, Outcome, PendingChoice, Reply, Submission, Upload
from ..core.checks.fiscal import NO, YES
from ..core.checks.summary import ROSTER_TEMPLATE
from ..core.errors import DownloadRefused
from ..core.uploads import ACTION_CHOOSE
from ..render.adaptive import CHOICE_INPUT, FORM_SUBMIT, REFRESH, card, form_card
from . import send
from .app import TeamsBot
from .consent import file_info_card
from .files import FILE_DOWNLOAD_INFO
from .send import Turn

log = logging.getLogger("bot.msteams")
_MENTION = re.compile(r"<at>[^<]*</at>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
CARD_RESPONSE = "application/vnd.microsoft.card.adaptive"
MESSAGE_RESPONSE = "application/vnd.microsoft.activity.message"


def register(bot: TeamsBot) -> None:
    app = bot.app
    from microsoft_teams.api import (
        AdaptiveCardInvokeActivity,
        ConversationUpdateActivity,
        FileConsentInvokeActivity,
        MessageActivity,
    )
    from microsoft_teams.apps import ActivityContext

    @app.on_message
    async def on_message(ctx: ActivityContext[MessageActivity]) -> None:
        activity = ctx.activity
        turn = _turn(activity)
        files = [
            {"name": a.name or "evidence", "content": a.content}
            for a in activity.attachments or []
            if a.content_type == FILE_DOWNLOAD_INFO
        ]
        await asyncio.to_thread(
            _guarded, bot, turn, "message", message, bot, turn, activity.text or "", files
        )

    @app.on_card_action_execute
    async def on_execute(ctx: ActivityContext[AdaptiveCardInvokeActivity]) -> dict[str, Any]:
        activity = ctx.activity
        turn = _turn(activity)
        data = (
            dict(activity.value.action.data or {})
            if activity.value and activity.value.action
            else {}
        )
        result = await asyncio.to_thread(
            _guarded, bot, turn, "card action", execute, bot, turn, data
        )
        return result or _message_response(bot.core.t("bot.error", bot.core.language(turn.lang)))

    @app.on_file_consent
    async def on_consent(ctx: ActivityContext[FileConsentInvokeActivity]) -> None:
        activity = ctx.activity
        turn = _turn(activity)
        value = activity.value
        await asyncio.to_thread(_guarded, bot, turn, "file consent", consent, bot, turn, value)

    @app.on_conversation_update
    async def on_update(ctx: ActivityContext[ConversationUpdateActivity]) -> None:
        """Installed in a personal chat or a team: remember where to reach it."""
        turn = _turn(ctx.activity)
        await asyncio.to_thread(_guarded, bot, turn, "conversation update", remember, bot, turn)


# -- the activity, reduced --------------------------------------------------------------


def _turn(activity: Any) -> Turn:
    sender = activity.from_
    conversation = activity.conversation
    tenant = getattr(conversation, "tenant_id", None) or ""
    channel_data = getattr(activity, "channel_data", None)
    if not tenant and channel_data is not None and getattr(channel_data, "tenant", None):
        tenant = channel_data.tenant.id or ""
    return Turn(
        actor=str(getattr(sender, "aad_object_id", None) or sender.id),
        user_id=str(sender.id),
        conversation=str(conversation.id),
        scope=str(getattr(conversation, "conversation_type", None) or "personal"),
        service_url=str(activity.service_url or ""),
        tenant=str(tenant),
        activity_id=str(activity.id or ""),
        reply_to=str(getattr(activity, "reply_to_id", None) or ""),
        lang=None,
    )


def _guarded(bot: TeamsBot, turn: Turn, what: str, work: Callable[..., Any], *args: Any) -> Any:
    """No exception escapes a handler unlogged, and the person hears that something went wrong."""
    try:
        return work(*args)
    except Exception:
        log.exception("Teams %s failed", what)
        try:
            send.answer(bot, turn, Reply(bot.core.t("bot.error", bot.core.language(turn.lang))))
        except Exception:
            log.exception("could not tell the person about the failed %s", what)
        return None


def remember(bot: TeamsBot, turn: Turn) -> None:
    """Store this conversation's reference, and link the person's e-mail once."""
    core = bot.core
    if not turn.service_url or not turn.conversation:
        return
    key = turn.actor if turn.personal else f"channel:{turn.conversation.split(';')[0]}"
    if turn.scope in ("personal", "channel"):
        core.remember_conversation(
            key,
            conversation=turn.conversation.split(";")[0],
            service_url=turn.service_url,
            tenant=turn.tenant,
        )
    _link_email(bot, turn)


def _link_email(bot: TeamsBot, turn: Turn) -> None:
    """Owners may be named by e-mail in the import: ask the connector for this person's, once."""
    core = bot.core
    with bot.lock:
        if turn.actor in bot.tried:
            return
        bot.tried.add(turn.actor)
    if core.is_linked(turn.actor) or not turn.user_id:
        return
    try:
        api = bot.app.api.clone(service_url=turn.service_url)
        member = bot.run(api.conversations.get_member_by_id(turn.conversation, turn.user_id))
    except Exception as err:
        log.warning("could not look up a Teams member's e-mail: %s", err)
        return
    email = getattr(member, "email", None) or getattr(member, "user_principal_name", None)
    if email and "@" in email:
        core.link_user(email, turn.actor)
        log.info("linked an address at %s to a Teams user", email.split("@")[-1])


# -- messages ------------------------------------------------------------------------


def message(bot: TeamsBot, turn: Turn, text: str, files: list[dict[str, Any]]) -> None:
    core = bot.core
    if turn.activity_id and not core.first_delivery(f"teams:{turn.activity_id}"):
        log.info("activity %s already handled; ignored", turn.activity_id)
        return
    remember(bot, turn)
    if files:
        if not turn.personal:  # evidence never lands in a channel, so none is taken from one
            reply = Reply(core.t("bot.teams.channel_upload", core.language(turn.lang)))
            send.post(bot, turn.conversation, turn.service_url, send.activity(reply))
            return
        for file in files:
            take_file(bot, turn, file, text)
        return
    words = _TAGS.sub(" ", _MENTION.sub(" ", text)).strip()
    meeting = core.report_request(words)
    if meeting is not None:
        send.deliver(bot, core.report_pack(turn.actor, meeting, turn.lang), turn)
        return
    reported = core.event_report(turn.actor, words, turn.lang)
    if reported is not None:
        send.answer(bot, turn, reported)
        return
    reply = (
        core.status(turn.actor, words, turn.lang)
        if core.is_status_request(words)
        else core.help(turn.lang)
    )
    send.answer(bot, turn, reply)


def take_file(
    bot: TeamsBot, turn: Turn, file: dict[str, Any], text: str, condition: str | None = None
) -> None:
    """One ``file.download.info`` attachment: refuse a foreign URL, then let the core store it."""
    core = bot.core
    content = file.get("content") if isinstance(file.get("content"), dict) else {}
    url = str(content.get("downloadUrl") or file.get("url") or "")
    name = str(file.get("name") or "evidence")
    try:
        bot.files.check(url, name)
    except DownloadRefused as err:
        send.answer(bot, turn, Reply(err.render(core.language(turn.lang))))
        return
    upload = Upload(
        actor=turn.actor,
        file=FileRef(id=url, name=name),  # the URL is what a later menu choice fetches again
        download=lambda: bot.files.stream(url, name),
        text=text,
        condition=condition,
        lang=turn.lang,
    )
    send.deliver(bot, core.upload(upload), turn)


# -- card actions ----------------------------------------------------------------------


def execute(bot: TeamsBot, turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    """One ``Action.Execute``: the core's answer, and the card to show in place of the pressed one."""
    core = bot.core
    lang = core.language(turn.lang)
    action = str(data.get("action") or "")
    value = str(data.get("value") or "")
    if action == REFRESH:
        view = core.card_view(value, lang)
        return _card_response(card(view, refresh=value)) if view else _message_response("")
    remember(bot, turn)
    if action == ACTION_CHOOSE:
        return _chosen(bot, turn, str(data.get(CHOICE_INPUT) or ""))
    if action == ROSTER_TEMPLATE:
        template = core.roster_template(turn.actor, value, turn.lang)
        held = bot.held.keep(template.filename, template.content)
        from .consent import consent_card

        conversation, url = send.personal_chat(bot, turn.actor)
        send.post(bot, conversation, url, send.activity(Reply(template.comment)))
        send.post(
            bot, conversation, url, send.activity(attachments=[consent_card(held, template.title)])
        )
        return _message_response(core.t("bot.teams.consent.sent", lang))
    if action == FORM_SUBMIT:
        values = {k: str(v) for k, v in data.items() if k not in ("action", "callback", "metadata")}
        outcome = core.submit(
            Submission(
                actor=turn.actor,
                callback=str(data.get("callback") or ""),
                values=values,
                metadata=str(data.get("metadata") or ""),
                lang=turn.lang,
            )
        )
        if outcome.form_errors:
            errors = " / ".join(outcome.form_errors.values())
            return _message_response(core.t("bot.teams.form_errors", lang, errors=errors))
    else:
        outcome = core.click(Click(turn.actor, action, value, turn.lang))
    return _respond(bot, turn, action, value, outcome)


def _respond(
    bot: TeamsBot, turn: Turn, action: str, value: str, outcome: Outcome
) -> dict[str, Any]:
    core = bot.core
    if outcome.form is not None:
        send.deliver(bot, outcome, turn, reply=False)
        return _card_response(form_card(outcome.form))
    pressed = next((u for u in outcome.updates if turn.reply_to and u.ts == turn.reply_to), None)
    if pressed is not None:  # the decision: the pressed card becomes it, for everyone
        send.deliver(bot, outcome, turn, reply=False)
        return _card_response(card(pressed.reply))
    view = core.card_view(value, turn.lang) if outcome.reply is not None else None
    if view is not None and not view.buttons:  # pressed again: show the decision, once
        send.deliver(bot, outcome, turn, reply=False)
        return _card_response(card(view))
    acted = bool(outcome.outbound or outcome.updates)  # a form that did something, not a refusal
    if outcome.reply is not None and (action in (YES, NO) or (action == FORM_SUBMIT and acted)):
        send.deliver(bot, outcome, turn, reply=False)  # the question (or form) becomes its answer
        return _card_response(card(outcome.reply))
    send.deliver(bot, outcome, turn)
    text = (
        outcome.reply.text
        if outcome.reply is not None
        else core.t("bot.teams.done", core.language(turn.lang))
    )
    return _message_response(text)


def _chosen(bot: TeamsBot, turn: Turn, value: str) -> dict[str, Any]:
    """The uploader chose a condition for a waiting file: fetch it again, for that condition."""
    core = bot.core
    choice = core.choose_upload(turn.actor, value, turn.lang)
    if isinstance(choice, Reply):
        return _message_response(choice.text)
    assert isinstance(choice, PendingChoice)
    file = {"name": choice.filename, "url": choice.file_id}
    take_file(bot, turn, file, "", condition=choice.condition)
    return _message_response(core.t("bot.teams.done", core.language(turn.lang)))


def _card_response(content: dict[str, Any]) -> dict[str, Any]:
    return {"status": 200, "body": {"statusCode": 200, "type": CARD_RESPONSE, "value": content}}


def _message_response(text: str) -> dict[str, Any]:
    return {"status": 200, "body": {"statusCode": 200, "type": MESSAGE_RESPONSE, "value": text}}


# -- file consent ------------------------------------------------------------------------


def consent(bot: TeamsBot, turn: Turn, value: Any) -> None:
    """The person allowed (or declined) a file: upload it to the URL Teams gave, then show it."""
    core = bot.core
    lang = core.language(turn.lang)
    context = value.context if isinstance(value.context, dict) else {}
    token = str(context.get("token") or "")
    held = bot.held.get(token)
    if held is None:
        send.answer(bot, turn, Reply(core.t("bot.teams.consent.expired", lang)))
        return
    try:
        action = getattr(value.action, "value", value.action)  # an enum in the SDK
        if action != "accept" or value.upload_info is None:
            send.answer(
                bot, turn, Reply(core.t("bot.teams.consent.declined", lang, filename=held.name))
            )
            return
        info = value.upload_info
        url = str(info.upload_url or "")
        if not bot.files.allowed(url):
            log.warning("refused to upload %s: not a configured file host", held.name)
            send.answer(
                bot, turn, Reply(core.t("bot.teams.consent.failed", lang, filename=held.name))
            )
            return
        data = held.path.read_bytes()
        headers = {"Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"}
        response = bot.files.http.put(url, content=data, headers=headers)
        if response.status_code >= 300:
            log.error("upload of %s failed: HTTP %s", held.name, response.status_code)
            send.answer(
                bot, turn, Reply(core.t("bot.teams.consent.failed", lang, filename=held.name))
            )
            return
        shown = file_info_card(
            str(info.name or held.name),
            str(info.content_url or ""),
            str(info.unique_id or ""),
            str(info.file_type or held.path.suffix.lstrip(".")),
        )
        note = Reply(core.t("bot.teams.consent.uploaded", lang, filename=info.name or held.name))
        send.post(
            bot, turn.conversation, turn.service_url, send.activity(note, attachments=[shown])
        )
    finally:
        bot.held.drop(token)
