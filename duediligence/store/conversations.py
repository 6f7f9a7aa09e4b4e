"""Queries for where a chat platform can reach someone later: stored conversation references.

Microsoft Teams (Bot Framework) cannot open a chat from a user id alone the way
Slack's ``conversations.open`` does without knowing the tenant and the regional
service URL, so the Teams transport remembers, per person (and per channel it
has seen), the conversation id and service URL of the last activity it got
there. A reminder, an escalation or the digest is then sent to that reference.

* ``chat_conversations``: *key* (a person's id, or ``channel:<conversation id>``)
  -> conversation id, service URL, tenant id, when it was last seen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .core import CoreStore

# The SQL run to reach this module's schema version (see store/__init__.py for the order).
SCHEMA = """
    CREATE TABLE chat_conversations (
        key TEXT PRIMARY KEY,
        conversation TEXT NOT NULL,
        service_url TEXT NOT NULL,
        tenant TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL
    );
"""


@dataclass(frozen=True, slots=True)
class ConversationRef:
    """Enough to send into a conversation again: its id, the service URL and the tenant."""

    key: str
    conversation: str
    service_url: str
    tenant: str = ""


class ConversationQueries(CoreStore):
    """SQL for stored conversation references (Teams' proactive messages)."""

    def save_conversation(
        self, key: str, *, conversation: str, service_url: str, tenant: str, at: dt.datetime
    ) -> None:
        """Remember (or refresh) where *key* can be reached."""
        self._execute(
            "INSERT INTO chat_conversations (key, conversation, service_url, tenant, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
            "conversation = excluded.conversation, service_url = excluded.service_url, "
            "tenant = excluded.tenant, updated_at = excluded.updated_at",
            (key, conversation, service_url, tenant, at.isoformat()),
        )

    def conversation_ref(self, key: str) -> ConversationRef | None:
        row = self._one("SELECT * FROM chat_conversations WHERE key = ?", (key,))
        if row is None:
            return None
        return ConversationRef(
            key=row["key"],
            conversation=row["conversation"],
            service_url=row["service_url"],
            tenant=row["tenant"],
        )

    def latest_conversation_ref(self) -> ConversationRef | None:
        """The most recently seen reference (its service URL serves a new conversation)."""
        row = self._one("SELECT key FROM chat_conversations ORDER BY updated_at DESC LIMIT 1")
        return self.conversation_ref(row["key"]) if row else None

    def aliases_of(self, user: str) -> list[str]:
        """The e-mails linked to *user* (empty when it was never resolved)."""
        rows = self._rows('SELECT alias FROM user_links WHERE "user" = ? ORDER BY alias', (user,))
        return [r["alias"] for r in rows]
