"""Send an :class:`Outcome` to Slack: the actor's private answer, cards, DMs, in-place updates."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from typing import Any

from ..core import Outcome, Reply
from ..render.slack import escape, message
from .deps import SlackDeps

log = logging.getLogger("bot.slack")

Respond = Callable[..., Any]


def answer(
    deps: SlackDeps,
    reply: Reply,
    *,
    actor: str,
    respond: Respond | None = None,
    channel: str | None = None,
    ephemeral_in: str | None = None,
) -> None:
    """Tell the actor privately: via response_url, in their DM channel, or as an ephemeral."""
    payload = message(reply)
    if respond is not None:
        try:
            respond(response_type="ephemeral", replace_original=False, **payload)
            return
        except Exception:  # a response_url expires after 30 minutes
            log.exception("respond() failed; falling back to a DM")
    if ephemeral_in and deps.api.call(
        "chat.postEphemeral", channel=ephemeral_in, user=actor, **payload
    ):
        return
    target = channel or deps.api.dm_channel(actor)
    if target:
        deps.api.call("chat.postMessage", channel=target, **payload)


def deliver(
    deps: SlackDeps,
    outcome: Outcome,
    *,
    actor: str,
    respond: Respond | None = None,
    channel: str | None = None,
    ephemeral_in: str | None = None,
) -> None:
    reply = outcome.reply
    if outcome.files or outcome.scratch is not None:
        reply = upload_files(deps, outcome, actor=actor)
    if reply is not None:
        answer(
            deps,
            reply,
            actor=actor,
            respond=respond,
            channel=channel,
            ephemeral_in=ephemeral_in,
        )
    for update in outcome.updates:
        deps.api.call("chat.update", channel=update.channel, ts=update.ts, **message(update.reply))
    for out in outcome.outbound:
        if out.secretariat:
            target = deps.settings.secretariat_channel
            if not target:
                log.warning(
                    "DD_SECRETARIAT_CHANNEL is not set; a card for %s was not posted", out.subject
                )
                continue
        else:
            target = (
                deps.api.dm_channel(deps.core.recipients(out.user or "") or "")
                if out.user
                else None
            )
            if not target:
                log.warning("no DM channel for a message about %s", out.subject or "an item")
                continue
        posted = deps.api.call("chat.postMessage", channel=target, **message(out.reply))
        if posted and out.card:
            deps.core.remember_card(
                out.card,
                subject=out.subject,
                channel=str(posted.get("channel") or target),
                ts=str(posted.get("ts")),
            )


def upload_files(deps: SlackDeps, outcome: Outcome, *, actor: str) -> Reply | None:
    """Upload the outcome's files in one message, then delete them.

    Files for the secretariat (the report pack) go to its channel; the others (a
    draft made from minutes the secretariat sent) go back to the actor's DM.
    Returns what to tell the actor: the outcome's reply, or its ``files_failed``
    reply when the channel is not set or Slack refused the upload.
    """
    try:
        if not outcome.files:
            return outcome.reply
        secretariat = all(f.secretariat for f in outcome.files)
        if secretariat:
            target = deps.settings.secretariat_channel
            if not target:
                log.warning(
                    "DD_SECRETARIAT_CHANNEL is not set; %d files were not uploaded",
                    len(outcome.files),
                )
                return outcome.files_failed or outcome.reply
        else:
            if any(f.secretariat for f in outcome.files):
                log.warning("files for the channel and for a DM in one outcome: sent to the DM")
            target = deps.api.dm_channel(actor)
            if not target:
                return outcome.files_failed or outcome.reply
        uploaded = deps.api.call(
            "files_upload_v2",
            channel=target,
            initial_comment=escape(outcome.files_comment),
            file_uploads=[
                {"file": str(f.path), "filename": f.path.name, "title": f.title}
                for f in outcome.files
            ],
        )
        return outcome.reply if uploaded else (outcome.files_failed or outcome.reply)
    finally:
        if outcome.scratch is not None:
            shutil.rmtree(outcome.scratch, ignore_errors=True)
