"""Build the bolt :class:`App` from settings: client, listeners, retry de-duplication.

Every Web API call uses ``SLACK_API_URL`` when set. Listeners run after the
HTTP response (``process_before_response=False``), so slow work never delays
Slack's 3-second acknowledgement.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
from slack_bolt import App, BoltResponse
from slack_sdk import WebClient

from duediligence.errors import StorageError

from .config import BotSettings
from .core import Clock, Core
from .slack import actions, checks, commands, events, home, views
from .slack.api import SlackApi
from .slack.deferred import DeferringExecutor
from .slack.deps import SlackDeps
from .slack.files import FileFetcher

log = logging.getLogger("bot.slack")


@dataclass
class SlackBot:
    app: App
    deps: SlackDeps
    executor: ThreadPoolExecutor
    listeners: DeferringExecutor  # what the App submits to: the pool, after the response

    def close(self) -> None:
        """Let running listeners finish, then release the HTTP client and databases."""
        self.executor.shutdown(wait=True)
        self.deps.files.http.close()
        self.deps.core.close()


def build_app(
    settings: BotSettings,
    *,
    clock: Clock | None = None,
    sleep: Callable[[float], None] = time.sleep,
    executor: ThreadPoolExecutor | None = None,
) -> SlackBot:
    client = WebClient(token=settings.bot_token, base_url=settings.web_api_url, timeout=30)
    executor = executor or ThreadPoolExecutor(max_workers=8, thread_name_prefix="ddbot")
    listeners = DeferringExecutor(executor)
    app = App(
        listener_executor=listeners,
        client=client,
        signing_secret=settings.signing_secret,
        process_before_response=False,
        token_verification_enabled=False,
    )
    core = Core(settings.core, clock=clock, status_command=settings.status_command, surface="slack")
    api = SlackApi(client, sleep=sleep)
    http = httpx.Client(timeout=httpx.Timeout(60.0, connect=10.0))
    deps = SlackDeps(core=core, settings=settings, api=api, files=FileFetcher(api, settings, http))

    @app.middleware
    def handle_once(
        body: dict[str, Any], request: Any, next: Callable[[], None]
    ) -> BoltResponse | None:
        """Slack retries an event it thinks was lost (x-slack-retry-num): handle each id once."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        try:
            first = not event_id or core.first_delivery(f"event:{event_id}")
        except StorageError as err:  # another process holds the database: let Slack retry it
            log.warning("event %s not taken, Slack will retry: %s", event_id, err.render("en"))
            return BoltResponse(status=503, body="")
        if not first:
            retry = (request.headers.get("x-slack-retry-num") or ["0"])[0]
            log.info("event %s already handled (retry %s); ignored", event_id, retry)
            return BoltResponse(status=200, body="")
        next()
        return None

    for surface in (commands, events, actions, views, home, checks):
        surface.register(app, deps)
    return SlackBot(app, deps, executor, listeners)
