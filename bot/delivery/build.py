"""Choose the transports from the settings: Slack when a bot token is set, else the Teams bot
when it is registered (``DD_TEAMS_APP_ID`` and ``DD_TEAMS_APP_PASSWORD``), else the console."""

from __future__ import annotations

import time
from collections.abc import Callable

from slack_sdk import WebClient

from ..config import BotSettings
from ..core import Core
from ..teams import TeamsWebhook
from .sender import Sender
from .slack import SlackTransport
from .transports import ConsoleTransport, TeamsTransport, Transport


def build_sender(
    settings: BotSettings,
    core: Core,
    *,
    client: WebClient | None = None,
    console: ConsoleTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Sender:
    primary: Transport
    if settings.bot_token or client is not None:
        client = client or WebClient(
            token=settings.bot_token, base_url=settings.web_api_url, timeout=30
        )
        primary = SlackTransport(client, core, secretariat_channel=settings.secretariat_channel)
    elif settings.teams.configured and console is None:
        from ..msteams.app import build_teams_bot
        from ..msteams.transport import TeamsBotTransport

        primary = TeamsBotTransport(build_teams_bot(settings, clock=core.now))
    else:
        primary = console or ConsoleTransport()
    teams = None
    if settings.teams_webhook_url:
        footer = core.t("bot.teams.footer", core.lang, command=settings.status_command)
        teams = TeamsTransport(TeamsWebhook(settings.teams_webhook_url, sleep=sleep), footer=footer)
    return Sender(core, primary, teams=teams, sleep=sleep)
