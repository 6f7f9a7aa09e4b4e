"""Modal submissions: the return reason, the extension request and the checked-evidence forms."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App

from ...core import Submission
from ...core.checks.dispatch import FORMS as CHECK_FORMS
from ...core.intake import FORMS as INTAKE_FORMS
from ...render.slack import modal
from ..deliver import deliver
from ..deps import SlackDeps
from ..guard import guarded

FORMS = re.compile(
    "^(" + "|".join(("review_return", "extension_request", *CHECK_FORMS, *INTAKE_FORMS)) + ")$"
)


def register(app: App, deps: SlackDeps) -> None:
    @app.view(FORMS)
    def on_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        actor = body["user"]["id"]
        values = {
            block_id: str(
                element.get("value") or (element.get("selected_option") or {}).get("value") or ""
            )
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
        if outcome is not None and outcome.form is not None:
            ack(response_action="update", view=modal(outcome.form))  # the next step of a flow
        else:
            ack()
        if outcome is not None:
            with guarded(deps, "form delivery", actor=actor):
                deliver(deps, outcome, actor=actor)
