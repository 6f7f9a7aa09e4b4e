"""Events: DM messages (the status query, file uploads), @mentions, file_shared."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import App

from ..deliver import answer, deliver
from ..deps import SlackDeps
from ..guard import guarded
from ..uploads import take_file

_MENTION = re.compile(r"<@[A-Z0-9]+(\|[^>]*)?>")
_IGNORED_SUBTYPES = {"message_changed", "message_deleted", "bot_message", "channel_join"}


def register(app: App, deps: SlackDeps) -> None:
    @app.event("message")
    def on_message(event: dict[str, Any]) -> None:
        if event.get("channel_type") != "im" or event.get("subtype") in _IGNORED_SUBTYPES:
            return
        if event.get("bot_id") or not event.get("user"):
            return
        actor, channel = event["user"], event.get("channel")
        text = event.get("text") or ""
        with guarded(deps, "DM message", actor=actor, channel=channel):
            files = event.get("files") or []
            if files:
                for file in files:
                    take_file(deps, actor=actor, file_id=file["id"], text=text, channel=channel)
                return
            core = deps.core
            deps.resolve_emails()
            meeting = core.report_request(text)  # `報告資料 [meeting]`: build the pack
            if meeting is not None:
                deliver(deps, core.report_pack(actor, meeting), actor=actor, channel=channel)
                return
            reported = core.event_report(actor, text)  # `ディスク交換 R2-15 今日`
            if reported is not None:
                answer(deps, reported, actor=actor, channel=channel)
                return
            reply = core.status(actor, text) if core.is_status_request(text) else core.help()
            answer(deps, reply, actor=actor, channel=channel)

    @app.event("app_mention")
    def on_mention(event: dict[str, Any]) -> None:
        actor, channel = event.get("user") or "", event.get("channel") or ""
        if not actor:
            return
        text = _MENTION.sub(" ", event.get("text") or "").strip()
        with guarded(deps, "mention", actor=actor):
            core = deps.core
            deps.resolve_emails()
            meeting = core.report_request(text)
            if meeting is not None:
                deliver(deps, core.report_pack(actor, meeting), actor=actor, ephemeral_in=channel)
                return
            reply = core.status(actor, text) if core.is_status_request(text) else core.help()
            answer(deps, reply, actor=actor, ephemeral_in=channel)

    @app.event("file_shared")
    def on_file_shared(event: dict[str, Any]) -> None:
        channel = event.get("channel_id") or ""
        actor = event.get("user_id") or ""
        if not channel.startswith("D") or not actor:
            return  # only files dropped in a DM with the bot are evidence
        with guarded(deps, "file_shared", actor=actor, channel=channel):
            take_file(deps, actor=actor, file_id=event["file_id"], text="", channel=channel)
