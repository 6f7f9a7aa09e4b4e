"""What every part of the conversation core shares: the tracker, the clock, the language.

SQLite connections are not shared between threads (a Slack app answers on a
thread pool), so each thread opens its own :class:`Store` on the same file.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from duediligence import BlobStore, Condition, Roles, Settings, Store, Tracker, format_wareki
from duediligence.evidence import check_evidence_dir
from duediligence.kinds import evidence_rule, kind_label
from duediligence.messages import normalize_lang, t

from .. import messages as _messages  # noqa: F401  (registers the bot's catalogue)

Clock = Callable[[], dt.datetime]


class Role(StrEnum):
    """Who someone is to the bot; decides what the status query and buttons do."""

    SECRETARIAT = "secretariat"
    STAFF = "staff"  # owner or head of at least one department
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Who:
    role: Role
    roles: Roles

    @property
    def departments(self) -> tuple[str, ...]:
        return self.roles.departments


class Context:
    """The library, bound to one database and evidence directory, plus time and language."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        status_command: str = "/dd-status",
        surface: str = "chat",
    ) -> None:
        self.settings = settings
        #: the transport people reach this core through (slack, console, …): exports record it
        self.surface = surface
        self.status_command = status_command  # how replies tell people to ask for more
        self.calendar = settings.calendar()  # business days, with DD_CLOSED_DAYS
        self.lang = settings.lang
        self._clock = clock or (lambda: dt.datetime.now(settings.tz))
        self._local = threading.local()
        self._stores: list[Store] = []
        self._stores_lock = threading.Lock()
        self._checked = False

    # -- the library ------------------------------------------------------

    def tracker(self) -> Tracker:
        tracker: Tracker | None = getattr(self._local, "tracker", None)
        if tracker is None:
            store = Store.open(
                self.settings.db,
                pool_size=self.settings.db_pool,
                busy_seconds=self.settings.busy_seconds,
            )
            with self._stores_lock:
                self._stores.append(store)
            blobs = BlobStore(self.settings.evidence_dir, max_bytes=self.settings.max_upload_bytes)
            if not self._checked:  # once per process: the evidence volume is the shared one
                check_evidence_dir(store, blobs)
                self._checked = True
            tracker = Tracker(
                store, blobs, secretariat=self.settings.secretariat_users, calendar=self.calendar
            )
            self._local.tracker = tracker
        return tracker

    @property
    def store(self) -> Store:
        return self.tracker().store

    def close(self) -> None:
        with self._stores_lock:
            for store in self._stores:
                store.close()
            self._stores.clear()
        self._local = threading.local()

    # -- time and words ---------------------------------------------------

    def now(self) -> dt.datetime:
        return self._clock().astimezone(self.settings.tz)

    def today(self) -> dt.date:
        return self.now().date()

    def language(self, lang: str | None) -> str:
        return normalize_lang(lang or self.lang)

    @staticmethod
    def t(key: str, lang: str, /, **params: Any) -> str:
        return t(key, lang, **params)

    # -- people -----------------------------------------------------------

    def who(self, actor: str) -> Who:
        roles = self.tracker().roles(actor)
        if roles.secretariat:
            return Who(Role.SECRETARIAT, roles)
        if roles.departments or roles.heads:
            return Who(Role.STAFF, roles)
        return Who(Role.OTHER, roles)

    # -- shared wording ---------------------------------------------------

    def due_label(self, day: dt.date | None, lang: str) -> str:
        if day is None:
            return t("bot.due.none", lang)
        return t("bot.due.label", lang, wareki=format_wareki(day), iso=day.isoformat())

    def status_label(self, condition: Condition, lang: str) -> str:
        label = t(f"status.{condition.status}", lang)
        today = self.today()
        if condition.is_overdue(today) and condition.due:
            label += " ⚠ " + t("bot.overdue_days", lang, days=(today - condition.due).days)
        return label

    def line(self, condition: Condition, lang: str) -> str:
        """One condition on one line, for lists."""
        return t(
            "bot.item.line",
            lang,
            id=condition.id,
            kind=kind_label(condition.kind, lang),
            status=self.status_label(condition, lang),
            due=self.due_label(condition.due, lang),
            text=_shorten(condition.text, 60),
        )

    @staticmethod
    def kind(condition: Condition, lang: str) -> str:
        return kind_label(condition.kind, lang)

    @staticmethod
    def expected(condition: Condition, lang: str) -> str:
        return evidence_rule(condition.kind, lang)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
