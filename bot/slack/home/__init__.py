"""App Home: "my items" for staff, totals and the review queue for the secretariat."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from ...render.slack import home_view
from ..deps import SlackDeps
from ..guard import guarded


def register(app: App, deps: SlackDeps) -> None:
    @app.event("app_home_opened")
    def on_home_opened(event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        actor = event["user"]
        with guarded(deps, "app home"):
            deps.resolve_emails()
            deps.api.call("views.publish", user_id=actor, view=home_view(deps.core.home(actor)))
