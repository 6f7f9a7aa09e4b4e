"""What every Slack listener needs: the core, the settings, the Web API and the file fetcher."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from ..config import BotSettings
from ..core import Core
from .api import SlackApi
from .files import FileFetcher

log = logging.getLogger("bot.slack")


@dataclass
class SlackDeps:
    core: Core
    settings: BotSettings
    api: SlackApi
    files: FileFetcher
    _tried: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def resolve_emails(self) -> None:
        """Link owners and heads named by e-mail to Slack ids (users.lookupByEmail), once each.

        Links are cached in the database; an address Slack does not know is not
        asked again until the bot restarts.
        """
        with self._lock:
            pending = [e for e in self.core.emails_to_resolve() if e not in self._tried]
            self._tried.update(pending)
        for email in pending:
            data = self.api.call("users.lookupByEmail", email=email)
            user = ((data or {}).get("user") or {}).get("id")
            if user:
                self.core.link_user(email, user)
                log.info("linked %s to a Slack user", email.split("@")[-1])
