"""The status slash command (``DD_STATUS_COMMAND``, default ``/dd-status``): private answer."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from ..ack import ack_now
from ..deliver import answer, deliver
from ..deps import SlackDeps
from ..guard import guarded


def register(app: App, deps: SlackDeps) -> None:
    @app.command(deps.settings.status_command, middleware=[ack_now])
    def status_command(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        ack()  # already acked by ack_now (in the request thread); the query runs after
        actor = command["user_id"]
        with guarded(deps, "status command", actor=actor, respond=respond):
            deps.resolve_emails()
            text = command.get("text") or ""
            meeting = deps.core.report_request(text)  # `report [meeting]`: build the pack
            if meeting is not None:
                deliver(deps, deps.core.report_pack(actor, meeting), actor=actor, respond=respond)
                return
            reply = deps.core.status(actor, text)
            answer(deps, reply, actor=actor, respond=respond)
