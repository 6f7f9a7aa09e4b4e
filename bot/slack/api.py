"""Every Web API call goes through :class:`SlackApi`: rate limits honoured, errors logged, never raised.

``ratelimited`` (HTTP 429) waits for Retry-After and tries again; ``not_in_channel``
and ``channel_not_found`` are configuration problems, logged with a hint and not
retried. A listener never crashes because Slack said no.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

log = logging.getLogger("bot.slack.api")

HINTS = {
    "not_in_channel": "invite the bot to the channel (/invite @bot)",
    "channel_not_found": "check DD_SECRETARIAT_CHANNEL (a channel id such as C0123456789)",
}


class SlackApi:
    def __init__(
        self,
        client: WebClient,
        *,
        sleep: Callable[[float], None] = time.sleep,
        max_retries: int = 3,
    ) -> None:
        self.client = client
        self.sleep = sleep
        self.max_retries = max_retries

    def call(self, method: str, **kwargs: Any) -> dict[str, Any] | None:
        """Call *method* (``chat.postMessage``); the response data, or None after logging why."""
        function = getattr(self.client, method.replace(".", "_"))
        for attempt in range(self.max_retries + 1):
            try:
                return dict(function(**kwargs).data)  # type: ignore[arg-type]
            except SlackApiError as err:
                error = str(err.response.get("error", "")) if err.response is not None else ""
                if error == "ratelimited" or getattr(err.response, "status_code", 0) == 429:
                    wait = _retry_after(err)
                    if attempt < self.max_retries:
                        log.warning("%s rate limited; retrying in %ss", method, wait)
                        self.sleep(wait)
                        continue
                    log.error("%s still rate limited after %d tries", method, attempt + 1)
                    return None
                hint = HINTS.get(error, "")
                log.error("%s failed: %s%s", method, error or err, f" ({hint})" if hint else "")
                return None
            except SlackClientError as err:
                log.error("%s failed: %s", method, err)
                return None
            except OSError as err:  # the network, not Slack
                log.error("%s failed: %s", method, err)
                return None
        return None

    def dm_channel(self, user: str) -> str | None:
        """The DM channel with *user* (conversations.open)."""
        data = self.call("conversations.open", users=user)
        channel = (data or {}).get("channel") or {}
        return channel.get("id") if isinstance(channel, dict) else None


def _retry_after(err: SlackApiError) -> float:
    return retry_after_seconds(err.response)


def retry_after_seconds(response: object) -> float:
    """Slack's Retry-After header in seconds (1 when absent or unreadable)."""
    headers = getattr(response, "headers", {}) or {}
    for key, value in headers.items():
        if key.lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) else value
            try:
                return max(0.0, float(raw))
            except (TypeError, ValueError):
                break
    return 1.0
