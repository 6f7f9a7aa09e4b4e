"""Deliveries to Slack: a DM to a person (conversations.open, chat.postMessage) or the channel.

Unlike listeners, which log Slack's refusals and carry on, a delivery must know
whether it went out, so errors become :class:`DeliveryError`: ``ratelimited``
carries Retry-After, configuration errors are permanent, the rest transient.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from ..core import Core
from ..core.reply import Reply
from ..render.slack import message
from ..slack.api import retry_after_seconds
from .transports import DeliveryError

log = logging.getLogger("bot.delivery.slack")

PERMANENT = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "user_not_found",
    "users_not_found",
    "user_disabled",
    "cannot_dm_bot",
    "invalid_auth",
    "not_authed",
    "account_inactive",
    "missing_scope",
}


class SlackTransport:
    name = "slack"

    def __init__(self, client: WebClient, core: Core, *, secretariat_channel: str) -> None:
        self.client = client
        self.core = core
        self.secretariat_channel = secretariat_channel
        self._dm: dict[str, str] = {}

    def direct(self, recipient: str, reply: Reply) -> None:
        user = self._user(recipient)
        channel = self._dm.get(user)
        if channel is None:
            data = self._call("conversations_open", users=user)
            channel = str((data.get("channel") or {}).get("id") or "")
            if not channel:
                raise DeliveryError(f"no DM channel for {user}")
            self._dm[user] = channel
        self._call("chat_postMessage", channel=channel, **message(reply))

    def secretariat(self, reply: Reply) -> None:
        if not self.secretariat_channel:
            raise DeliveryError("DD_SECRETARIAT_CHANNEL is not set", permanent=True)
        self._call("chat_postMessage", channel=self.secretariat_channel, **message(reply))

    def _user(self, recipient: str) -> str:
        """An owner named by e-mail is looked up once and remembered in the database."""
        user = self.core.recipients(recipient)
        if user:
            return user
        data = self._call("users_lookupByEmail", email=recipient)
        user = str((data.get("user") or {}).get("id") or "")
        if not user:
            raise DeliveryError(f"no Slack user for {recipient}", permanent=True)
        self.core.link_user(recipient, user)
        return user

    def _call(self, method: str, **kwargs: Any) -> dict[str, Any]:
        try:
            return dict(getattr(self.client, method)(**kwargs).data)  # type: ignore[arg-type]
        except SlackApiError as err:
            response = err.response
            error = str(response.get("error", "")) if response is not None else str(err)
            if error == "ratelimited" or getattr(response, "status_code", 0) == 429:
                raise DeliveryError(
                    f"{method}: ratelimited", retry_after=retry_after_seconds(response)
                ) from err
            raise DeliveryError(f"{method}: {error}", permanent=error in PERMANENT) from err
        except (SlackClientError, OSError) as err:
            raise DeliveryError(f"{method}: {err}") from err
