"""The scheduler's tick: plan (the library) then deliver every due outbox entry.

``ddbot tick`` runs one pass (for cron); ``ddbot worker`` (started by ``ddbot
serve``, see :mod:`bot.worker`) runs the same pass every few minutes in a process
of its own, so a running bot needs no cron. Two
ticks at once are safe: entries are claimed in a transaction, so each is sent
by one of them. A restart loses nothing: an entry claimed by a process that
died is claimed again once its claim is older than ``stale_after``.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from duediligence.business_calendar import BusinessCalendar
from duediligence.reminders import ReminderPolicy, plan_reminder_ids

from .delivery.sender import Sender, TickResult

log = logging.getLogger("bot.scheduler")

BATCH = 50
STALE_AFTER = dt.timedelta(minutes=15)
KEEP_OUTBOX = dt.timedelta(days=90)  # delivered entries; their events stay in the log forever
KEEP_HANDLED = dt.timedelta(days=7)  # Slack event ids already handled


def tick(
    sender: Sender,
    now: dt.datetime,
    *,
    policy: ReminderPolicy | None = None,
    calendar: BusinessCalendar | None = None,
    batch: int = BATCH,
    stale_after: dt.timedelta = STALE_AFTER,
    stop: threading.Event | None = None,
) -> TickResult:
    """One pass at *now*: plan what is due, then claim and deliver until nothing is left.

    With *stop*, delivering ends after the batch in hand once it is set (a worker asked to
    stop); what is left stays pending for the next pass.
    """
    store = sender.core.store
    policy = policy or ReminderPolicy.from_settings(sender.core.settings)  # DD_TZ's send hour
    calendar = calendar or sender.core.calendar  # DD_CLOSED_DAYS
    result = TickResult()
    result.planned = len(plan_reminder_ids(store, now, policy=policy, calendar=calendar))
    while stop is None or not stop.is_set():
        entries = store.claim_outbox(
            now, limit=batch, stale_after=stale_after, max_attempts=sender.max_attempts
        )
        if not entries:
            break
        for entry in entries:
            sender.deliver(entry, now, result)
    result.pruned = store.prune_outbox(now - KEEP_OUTBOX)
    store.forget_deliveries(now - KEEP_HANDLED)
    return result


class Scheduler:
    """Runs :func:`tick` every *interval* until stopped: in the foreground (:meth:`run`,
    what ``ddbot worker`` does) or in a daemon thread (:meth:`start`)."""

    def __init__(
        self,
        sender: Sender,
        *,
        clock: Callable[[], dt.datetime],
        interval: dt.timedelta = dt.timedelta(minutes=5),
        policy: ReminderPolicy | None = None,
        calendar: BusinessCalendar | None = None,
        batch: int = BATCH,
        stop: threading.Event | None = None,
    ) -> None:
        self.sender = sender
        self.batch = batch
        self.clock = clock
        self.interval = interval
        self.policy = policy
        self.calendar = calendar
        self._stop = stop or threading.Event()
        self._thread = threading.Thread(target=self.run, name="ddbot-scheduler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                result = tick(
                    self.sender,
                    self.clock(),
                    policy=self.policy,
                    calendar=self.calendar,
                    batch=self.batch,
                    stop=self._stop,
                )
                if result.planned or result.sent or result.failed:
                    log.info("tick: %s", result)
            except Exception:  # a bad tick must not stop the next one
                log.exception("scheduler tick failed")
            self._stop.wait(self.interval.total_seconds())
