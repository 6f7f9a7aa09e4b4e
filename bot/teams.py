"""Post digests and escalations to a Microsoft Teams Workflows webhook (``DD_TEAMS_WEBHOOK_URL``).

Retries what is worth retrying — 429 (honouring Retry-After) and 5xx — a bounded
number of times, then raises :class:`TeamsDeliveryError` for the outbox to record.
``sleep`` is injected so tests and the scheduler decide how waiting happens.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import httpx

from .core.reply import Reply
from .render.teams import workflows_message

log = logging.getLogger(__name__)

RETRYABLE = {429, 500, 502, 503, 504}


class TeamsDeliveryError(Exception):
    """The webhook refused the card or stayed unavailable after every retry."""


class TeamsWebhook:
    def __init__(
        self,
        url: str,
        *,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_attempts: int = 5,
        base_delay: float = 1.0,
        max_delay: float = 60.0,
    ) -> None:
        self.url = url
        self._client = client or httpx.Client(timeout=15.0)
        self._sleep = sleep
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay

    def post(self, reply: Reply, *, footer: str = "") -> None:
        payload = workflows_message(reply, footer=footer)
        last = ""
        for attempt in range(1, self.max_attempts + 1):
            try:
                response = self._client.post(self.url, json=payload)
            except httpx.TransportError as err:
                last = f"{type(err).__name__}: {err}"
                delay = self._backoff(attempt)
            else:
                if response.status_code < 300:
                    return
                last = f"HTTP {response.status_code}: {response.text[:200]}"
                if response.status_code not in RETRYABLE:
                    raise TeamsDeliveryError(last)
                delay = _retry_after(response) or self._backoff(attempt)
            if attempt < self.max_attempts:
                log.warning(
                    "Teams webhook attempt %d failed (%s); retrying in %.1fs", attempt, last, delay
                )
                self._sleep(min(delay, self.max_delay))
        raise TeamsDeliveryError(last)

    def _backoff(self, attempt: int) -> float:
        return min(self.base_delay * 2 ** (attempt - 1), self.max_delay)

    def close(self) -> None:
        self._client.close()


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
