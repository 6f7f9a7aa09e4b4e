"""No exception escapes a listener unlogged, and the person hears that something went wrong."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from ..core import Reply
from .deliver import Respond, answer
from .deps import SlackDeps

log = logging.getLogger("bot.slack")


@contextmanager
def guarded(
    deps: SlackDeps,
    what: str,
    *,
    actor: str | None = None,
    respond: Respond | None = None,
    channel: str | None = None,
) -> Iterator[None]:
    try:
        yield
    except Exception:
        log.exception("%s failed", what)
        if actor:
            try:
                reply = Reply(deps.core.t("bot.error", deps.core.lang))
                answer(deps, reply, actor=actor, respond=respond, channel=channel)
            except Exception:
                log.exception("could not tell %s about the failure", what)
