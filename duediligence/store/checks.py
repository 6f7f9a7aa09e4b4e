"""Queries for evidence checks: roster people, pledges, triggers."""

from __future__ import annotations

from .core import CoreStore

# The SQL run to reach this module's schema version (see store/__init__.py for the order).
SCHEMA = ""


class CheckQueries(CoreStore):
    """SQL for evidence checks: roster people, pledges, triggers."""
