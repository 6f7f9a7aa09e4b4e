"""Delivering what the library planned: outbox entries to Slack, Teams and the console.

The library decides *what is due to whom and when* and writes it to the outbox;
:mod:`bot.scheduler` claims entries and hands each to a :class:`Sender`, which
asks the conversation core for the neutral reply and gives it to a transport.
"""

from .sender import Sender, TickResult
from .transports import ConsoleTransport, DeliveryError, TeamsTransport, Transport

__all__ = [
    "ConsoleTransport",
    "DeliveryError",
    "Sender",
    "TeamsTransport",
    "TickResult",
    "Transport",
]
