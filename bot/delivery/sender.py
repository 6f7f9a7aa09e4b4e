"""Deliver one claimed outbox entry and record the outcome.

Each entry is rendered by the conversation core (the same neutral reply for
Slack, Teams and the console) and routed by recipient: a person gets a DM,
``secretariat`` the channel, ``teams`` the Teams webhook. A digest or an
escalation delivered to the primary platform is mirrored to Teams as an entry
of its own, so a Teams outage never makes Slack repeat itself.

Rate limits are waited out in place (Retry-After, bounded); other failures go
back to the outbox with a later retry, and after ``max_attempts`` become
``failed`` for the next digest to report. The one window for a duplicate is the
single in-flight call: if the process dies after Slack accepted a message and
before ``mark_outbox_sent`` commits, the next tick sends that entry again.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from duediligence import DueDiligenceError
from duediligence.store.outbox import Delivery, DeliveryKind, OutboxEntry

from ..core import Core
from ..core.reply import Reply
from .transports import DeliveryError, Transport

log = logging.getLogger("bot.delivery")

SECRETARIAT = "secretariat"
TEAMS = "teams"
MIRRORED = (DeliveryKind.DIGEST, DeliveryKind.ESCALATION, DeliveryKind.ALERT)


@dataclass
class TickResult:
    planned: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    waited: float = 0.0
    pruned: int = 0

    def __str__(self) -> str:
        return (
            f"planned={self.planned} sent={self.sent} retried={self.retried} "
            f"failed={self.failed} waited={self.waited:.0f}s"
        )


class Sender:
    def __init__(
        self,
        core: Core,
        primary: Transport,
        *,
        teams: Transport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_attempts: int = 5,
        rate_limit_tries: int = 5,
        max_wait: float = 300.0,
    ) -> None:
        self.core = core
        self.primary = primary
        self.teams = teams
        self.sleep = sleep
        self.max_attempts = max_attempts
        self.rate_limit_tries = rate_limit_tries
        self.max_wait = max_wait

    def deliver(self, entry: OutboxEntry, now: dt.datetime, result: TickResult) -> None:
        store = self.core.store
        try:
            reply = self.reply(entry)
        except DueDiligenceError as err:
            store.mark_outbox_failed(entry.id, now, err.render("en"), max_attempts=entry.attempts)
            result.failed += 1
            return
        for attempt in range(1, self.rate_limit_tries + 1):
            try:
                self._route(entry, reply)
            except DeliveryError as err:
                if (
                    err.retry_after is not None
                    and attempt < self.rate_limit_tries
                    and err.retry_after <= self.max_wait
                ):
                    log.info("rate limited on entry %s; waiting %.0fs", entry.id, err.retry_after)
                    self.sleep(err.retry_after)
                    result.waited += err.retry_after
                    continue
                self._failed(entry, now, err, result)
                return
            break
        store.mark_outbox_sent(entry.id, now)
        result.sent += 1
        if self.teams is not None and entry.kind in MIRRORED and entry.recipient != TEAMS:
            store.enqueue_outbox([_mirror(entry, now)], now=now)

    def reply(self, entry: OutboxEntry) -> Reply:
        payload = {**entry.payload, "stage": entry.stage}
        if entry.send_after.date() < self.core.today():
            # Planned on an earlier day and delayed (a crash, an outage): say what is true today
            # rather than "due today" a week late.
            for stale in ("stage", "days_to_due", "days_overdue", "business_days_overdue"):
                payload.pop(stale, None)
        if entry.condition:
            payload["condition"] = entry.condition
        return self.core.reminder_reply(str(entry.kind), payload)

    def _route(self, entry: OutboxEntry, reply: Reply) -> None:
        if entry.recipient == TEAMS:
            if self.teams is None:
                raise DeliveryError("DD_TEAMS_WEBHOOK_URL is not set", permanent=True)
            self.teams.secretariat(reply)
        elif entry.recipient == SECRETARIAT:
            self.primary.secretariat(reply)
        else:
            self.primary.direct(entry.recipient, reply)

    def _failed(
        self, entry: OutboxEntry, now: dt.datetime, err: DeliveryError, result: TickResult
    ) -> None:
        store = self.core.store
        retry_at = None
        if err.retry_after is not None:
            retry_at = now + dt.timedelta(seconds=max(err.retry_after, 60.0))
        limit = entry.attempts if err.permanent else self.max_attempts
        updated = store.mark_outbox_failed(
            entry.id, now, str(err), retry_at=retry_at, max_attempts=limit
        )
        if str(updated.status) == "failed":
            log.error(
                "giving up on entry %s (%s → %s): %s", entry.id, entry.kind, entry.recipient, err
            )
            result.failed += 1
        else:
            log.warning("entry %s will be retried: %s", entry.id, err)
            result.retried += 1


def _mirror(entry: OutboxEntry, now: dt.datetime) -> Delivery:
    return Delivery(
        kind=entry.kind,
        subject=entry.subject,
        occurrence=entry.occurrence,
        stage=entry.stage,
        recipient=TEAMS,
        send_after=now,
        payload=entry.payload,
        condition=entry.condition,
        due=entry.due,
    )
