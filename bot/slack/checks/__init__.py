"""Checked evidence in Slack: the roster template and the fiscal-year-end Yes / No buttons.

The checks' other buttons and forms (certificate, event, coverage override) go
through the ordinary listeners in ``actions`` and ``views``.

Every listener acks first and hands a neutral request to the core; the only
Slack-specific work here is uploading the roster template into the person's DM
(``files_upload_v2``) and replacing a fiscal-year question with its answer so
its buttons cannot be pressed again.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, Respond

from ...core import Click
from ...core.checks.fiscal import NO, YES
from ...core.checks.summary import ROSTER_TEMPLATE
from ...render.slack import escape, message
from ..ack import ack_now
from ..deliver import answer, deliver
from ..deps import SlackDeps
from ..guard import guarded

_FY = re.compile(f"^({YES}|{NO})$")


def register(app: App, deps: SlackDeps) -> None:
    @app.action(ROSTER_TEMPLATE, middleware=[ack_now])
    def on_template(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        actor = body["user"]["id"]
        with guarded(deps, "roster template", actor=actor):
            template = deps.core.roster_template(actor, action.get("value") or "")
            channel = deps.api.dm_channel(actor)  # the DM, whichever surface the button was on
            sent = channel and deps.api.call(
                "files_upload_v2",
                channel=channel,
                file=template.content,
                filename=template.filename,
                title=template.title,
                initial_comment=escape(template.comment),
            )
            if not sent:
                answer(deps, template.failed, actor=actor)

    @app.action(_FY, middleware=[ack_now])
    def on_fy_answer(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        actor = body["user"]["id"]
        channel = (body.get("channel") or {}).get("id")
        with guarded(deps, "fiscal-year answer", actor=actor, channel=channel):
            outcome = deps.core.click(
                Click(actor=actor, action=action["action_id"], value=action.get("value") or "")
            )
            if outcome.reply is not None and body.get("response_url"):
                # the question becomes its answer: no buttons left to press twice
                respond(replace_original=True, **message(outcome.reply))
                outcome.reply = None
            deliver(deps, outcome, actor=actor, channel=channel)
