"""Queries for the reminder outbox (planned deliveries, claimed and marked sent by the bot)."""

from __future__ import annotations

from .core import CoreStore

# The SQL run to reach this module's schema version (see store/__init__.py for the order).
SCHEMA = ""


class OutboxQueries(CoreStore):
    """SQL for the reminder outbox (planned deliveries, claimed and marked sent by the bot)."""
