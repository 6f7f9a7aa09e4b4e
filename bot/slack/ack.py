"""Acknowledge in the request thread, before the listener is handed to the thread pool.

With ``process_before_response=False`` bolt runs a listener on the pool and the
HTTP thread polls every 10 ms until the listener calls ``ack()``: every slash
command and button click paid about 10 ms for that poll, and none was acked at
all while every pool thread was busy (eight uploads at once). Used as listener
middleware, :func:`ack_now` acks before the listener is submitted, so the poll
ends before it starts; the listener's own ``ack()`` later changes nothing.
Only for listeners whose ack carries nothing (not modal submissions, whose ack
may carry form errors).
"""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack

from .deferred import ACKED_EARLY


def ack_now(ack: Ack, next: Callable[[], None]) -> None:
    ack()
    ACKED_EARLY.set(True)  # the listener may start after the response (bot.slack.deferred)
    next()
