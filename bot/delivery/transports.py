"""Where a delivery can go, and how a transport says it did not get there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from ..core.reply import Reply
from ..render.text import render
from ..teams import TeamsDeliveryError, TeamsWebhook


class DeliveryError(Exception):
    """A message did not go out.

    ``retry_after`` (seconds) is the platform asking us to wait (Slack's 429);
    ``permanent`` means retrying cannot help (an unknown user, a missing channel).
    """

    def __init__(
        self, message: str, *, retry_after: float | None = None, permanent: bool = False
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent


class Transport(Protocol):
    """A platform that can DM a person and post to the secretariat's channel."""

    name: str

    def direct(self, recipient: str, reply: Reply) -> None: ...

    def secretariat(self, reply: Reply) -> None: ...


@dataclass
class ConsoleTransport:
    """Deliveries shown in a terminal (the demo and local use): printed, and kept for tests."""

    name: str = "console"
    write: Callable[[str], None] = print
    label: Callable[[str], str] = str
    delivered: list[tuple[str, Reply]] = field(default_factory=list)

    def direct(self, recipient: str, reply: Reply) -> None:
        self.delivered.append((recipient, reply))
        self.write(f"→ {self.label(recipient)}\n{render(reply)}\n")

    def secretariat(self, reply: Reply) -> None:
        self.delivered.append(("secretariat", reply))
        self.write(f"→ {self.label('secretariat')}\n{render(reply)}\n")


@dataclass
class TeamsTransport:
    """A Teams Workflows webhook: channel posts only (a webhook cannot DM anyone)."""

    webhook: TeamsWebhook
    footer: str = ""
    name: str = "teams"

    def direct(self, recipient: str, reply: Reply) -> None:
        self.secretariat(reply)

    def secretariat(self, reply: Reply) -> None:
        try:
            self.webhook.post(reply, footer=self.footer)
        except TeamsDeliveryError as err:
            raise DeliveryError(f"teams: {err}") from err
