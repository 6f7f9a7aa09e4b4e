"""Queries for what the chat transports must remember: handled Slack event ids, review cards, pending uploads."""

from __future__ import annotations

from .core import CoreStore

# The SQL run to reach this module's schema version (see store/__init__.py for the order).
SCHEMA = ""


class ChatQueries(CoreStore):
    """SQL for what the chat transports must remember: handled Slack event ids, review cards, pending uploads."""
