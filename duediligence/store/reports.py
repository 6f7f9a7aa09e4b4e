"""Queries for report packs: which conditions went into which council meeting's pack."""

from __future__ import annotations

from .core import CoreStore

# The SQL run to reach this module's schema version (see store/__init__.py for the order).
SCHEMA = ""


class ReportQueries(CoreStore):
    """SQL for report packs: which conditions went into which council meeting's pack."""
