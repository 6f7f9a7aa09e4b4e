"""Buttons and menus: review, extension, upload help, details, and choosing an upload's condition."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, Respond

from ...core import Click, PendingChoice, Reply
from ...core.checks.dispatch import ACTIONS as CHECK_ACTIONS
from ...core.checks.fiscal import NO, YES
from ...core.checks.summary import ROSTER_TEMPLATE
from ...core.intake import ACTIONS as INTAKE_ACTIONS
from ...core.uploads import ACTION_CHOOSE
from ...render.slack import modal
from ..ack import ack_now
from ..deliver import answer, deliver
from ..deps import SlackDeps
from ..guard import guarded
from ..uploads import take_file

_CORE_BUTTONS = (
    "review_accept",
    "review_return",
    "extension_request",
    "extension_approve",
    "extension_decline",
    "upload_help",
    "details",
    "report_pack",
)
# Checked-evidence buttons go through the same listener, except the roster template and the
# fiscal-year answers, whose Slack side differs (bot/slack/checks).
_CHECK_BUTTONS = tuple(a for a in CHECK_ACTIONS if a not in (ROSTER_TEMPLATE, YES, NO))
BUTTONS = re.compile("^(" + "|".join((*_CORE_BUTTONS, *_CHECK_BUTTONS, *INTAKE_ACTIONS)) + ")$")


def register(app: App, deps: SlackDeps) -> None:
    @app.action(BUTTONS, middleware=[ack_now])
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

    @app.action(ACTION_CHOOSE, middleware=[ack_now])
    def on_choose(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        actor = body["user"]["id"]
        channel = (body.get("channel") or {}).get("id")
        with guarded(deps, "choose condition", actor=actor, channel=channel):
            value = (action.get("selected_option") or {}).get("value") or ""
            choice = deps.core.choose_upload(actor, value)
            if isinstance(choice, Reply):
                answer(deps, choice, actor=actor, channel=channel)
                return
            assert isinstance(choice, PendingChoice)
            take_file(
                deps,
                actor=actor,
                file_id=choice.file_id,
                text="",
                channel=channel,
                condition=choice.condition,
            )
