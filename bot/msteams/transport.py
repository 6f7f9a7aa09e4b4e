"""Proactive delivery to Teams for the scheduler: reminders to a person, the digest to the channel.

A person is reached through their stored conversation reference, or a 1:1 chat
the bot opens by AAD object id (:func:`bot.msteams.send.personal_chat`). An
owner named only by e-mail who has never written to the bot (nor installed
it) cannot be found without Microsoft Graph, so that delivery fails
permanently and the digest reports it. The connector's 429 carries
Retry-After, which the sender honours.
"""

from __future__ import annotations

import logging

from ..core.reply import Reply
from ..delivery.transports import DeliveryError
from . import send
from .app import TeamsBot

log = logging.getLogger("bot.msteams.delivery")


class TeamsBotTransport:
    name = "teams"

    def __init__(self, bot: TeamsBot) -> None:
        self.bot = bot

    def direct(self, recipient: str, reply: Reply) -> None:
        user = self.bot.core.recipients(recipient)
        if not user:
            raise DeliveryError(
                f"no Teams user linked to {recipient.split('@')[-1]} yet", permanent=True
            )
        self._call(lambda: send.direct(self.bot, user, reply))

    def secretariat(self, reply: Reply) -> None:
        self._call(lambda: send.secretariat(self.bot, reply))

    @staticmethod
    def _call(work) -> None:  # type: ignore[no-untyped-def]
        try:
            work()
        except send.NoConversation as err:
            raise DeliveryError(f"teams: {err}", permanent=True) from err
        except DeliveryError:
            raise
        except Exception as err:
            status = getattr(getattr(err, "response", None), "status_code", None)
            retry = None
            if status == 429:
                headers = getattr(err.response, "headers", {})  # type: ignore[attr-defined]
                try:
                    retry = float(headers.get("retry-after") or 1)
                except ValueError:
                    retry = 1.0
            log.warning("Teams delivery failed: %s", err)
            raise DeliveryError(f"teams: {err}", retry_after=retry) from err
