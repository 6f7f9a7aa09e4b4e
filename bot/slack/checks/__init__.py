"""Checked evidence in Slack: the roster template, the certificate, event and override forms,
and the fiscal-year-end Yes / No buttons.

Every listener acks first and hands a neutral request to the core; the only
Slack-specific work here is uploading the roster template into the person's DM
(``files_upload_v2``) and replacing a fiscal-year question with its answer so
its buttons cannot be pressed again.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, Respond

from ...core import Click, Submission
from ...core.checks.dispatch import ACTIONS, FORMS
from ...core.checks.fiscal import NO, YES
from ...core.checks.summary import ROSTER_TEMPLATE
from ...render.slack import escape, message, modal
from ..deliver import answer, deliver
from ..deps import SlackDeps
from ..guard import guarded

_BUTTONS = re.compile(
    "^(" + "|".join(a for a in ACTIONS if a not in (ROSTER_TEMPLATE, YES, NO)) + ")$"
)
_FY = re.compile(f"^({YES}|{NO})$")
_FORMS = re.compile("^(" + "|".join(FORMS) + ")$")


def register(app: App, deps: SlackDeps) -> None:
    @app.action(_BUTTONS)
    def on_button(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        actor = body["user"]["id"]
        reply_via = respond if body.get("response_url") else None
        with guarded(deps, f"button {action.get('action_id')}", actor=actor, respond=reply_via):
            outcome = deps.core.click(
                Click(actor=actor, action=action["action_id"], value=action.get("value") or "")
            )
            if outcome.form is not None:
                deps.api.call("views.open", trigger_id=body["trigger_id"], view=modal(outcome.form))
            deliver(deps, outcome, actor=actor, respond=reply_via)

    @app.action(ROSTER_TEMPLATE)
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

    @app.action(_FY)
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

    @app.view(_FORMS)
    def on_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        actor = body["user"]["id"]
        values = {
            block_id: str(element.get("value") or "")
            for block_id, elements in (view.get("state") or {}).get("values", {}).items()
            for element in elements.values()
        }
        request = Submission(
            actor=actor,
            callback=view["callback_id"],
            values=values,
            metadata=view.get("private_metadata") or "",
        )
        outcome = None
        with guarded(deps, f"form {view.get('callback_id')}", actor=actor):
            outcome = deps.core.submit(request)
        if outcome is not None and outcome.form_errors:
            ack(response_action="errors", errors=outcome.form_errors)
            return
        ack()
        if outcome is not None:
            with guarded(deps, "form delivery", actor=actor):
                deliver(deps, outcome, actor=actor)
