"""The bot's settings: the library's :class:`~duediligence.config.Settings` plus Slack's.

Read once from the environment at start-up and passed down; nothing below
``bot.serve`` reads ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from duediligence.config import Settings

DEFAULT_STATUS_COMMAND = "/dd-status"
SLACK_API_URL = "https://slack.com/api/"
SLACK_FILE_HOST = "https://files.slack.com"


TEAMS_FILE_HOSTS = ("sharepoint.com", "sharepoint.us", "sharepoint.cn", "sharepoint-df.com")


@dataclass(frozen=True)
class TeamsSettings:
    """The Teams bot's registration (Azure Bot, single-tenant) and where it posts.

    ``DD_TEAMS_FILE_HOSTS``: the hosts (and their subdomains) a file's
    ``downloadUrl`` may point at, SharePoint / OneDrive by default; a loopback
    host listed there may use plain http (local testing only).
    """

    app_id: str = ""  # DD_TEAMS_APP_ID
    app_password: str = ""  # DD_TEAMS_APP_PASSWORD (the client secret)
    tenant_id: str = ""  # DD_TEAMS_TENANT_ID
    secretariat_channel: str = ""  # DD_TEAMS_SECRETARIAT_CHANNEL: a channel conversation id
    service_url: str = ""  # DD_TEAMS_SERVICE_URL: the connector for a first proactive message
    file_hosts: tuple[str, ...] = TEAMS_FILE_HOSTS

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TeamsSettings:
        hosts = tuple(
            h.strip().lower()
            for h in (env.get("DD_TEAMS_FILE_HOSTS") or "").split(",")
            if h.strip()
        )
        return cls(
            app_id=env.get("DD_TEAMS_APP_ID", ""),
            app_password=env.get("DD_TEAMS_APP_PASSWORD", ""),
            tenant_id=env.get("DD_TEAMS_TENANT_ID", ""),
            secretariat_channel=env.get("DD_TEAMS_SECRETARIAT_CHANNEL", ""),
            service_url=env.get("DD_TEAMS_SERVICE_URL", ""),
            file_hosts=hosts or TEAMS_FILE_HOSTS,
        )

    @property
    def configured(self) -> bool:
        """True when the bot's registration is set (``ddbot serve`` then serves Teams too)."""
        return bool(self.app_id and self.app_password)


@dataclass(frozen=True)
class BotSettings:
    core: Settings = field(default_factory=Settings)
    bot_token: str = ""
    app_token: str = ""
    signing_secret: str = ""
    api_url: str = ""  # SLACK_API_URL; empty means Slack's own
    secretariat_channel: str = ""
    status_command: str = DEFAULT_STATUS_COMMAND
    teams_webhook_url: str = ""
    tick_minutes: float = 5.0  # DD_TICK_MINUTES: how often `ddbot worker` plans and delivers
    teams: TeamsSettings = field(default_factory=lambda: TeamsSettings())
    tick_batch: int = 50  # DD_TICK_BATCH: outbox entries one claim takes

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> BotSettings:
        env = os.environ if env is None else env
        command = (env.get("DD_STATUS_COMMAND") or DEFAULT_STATUS_COMMAND).strip()
        return cls(
            core=Settings.from_env(env),
            bot_token=env.get("SLACK_BOT_TOKEN", ""),
            app_token=env.get("SLACK_APP_TOKEN", ""),
            signing_secret=env.get("SLACK_SIGNING_SECRET", ""),
            api_url=env.get("SLACK_API_URL", ""),
            secretariat_channel=env.get("DD_SECRETARIAT_CHANNEL", ""),
            status_command=command if command.startswith("/") else "/" + command,
            teams_webhook_url=env.get("DD_TEAMS_WEBHOOK_URL", ""),
            tick_minutes=float(env.get("DD_TICK_MINUTES") or 5.0),
            teams=TeamsSettings.from_env(env),
            tick_batch=int(env.get("DD_TICK_BATCH") or 50),
        )

    @property
    def web_api_url(self) -> str:
        """Base URL of every Web API call, ending in a slash as slack_sdk expects."""
        url = self.api_url or SLACK_API_URL
        return url if url.endswith("/") else url + "/"

    @property
    def file_origin(self) -> tuple[str, str]:
        """(scheme, host[:port]) the bot token may be sent to for file downloads.

        Slack's file host normally; with ``SLACK_API_URL`` set, that URL's host only.
        """
        parts = urlsplit(self.api_url or SLACK_FILE_HOST)
        return parts.scheme.lower(), parts.netloc.lower()
