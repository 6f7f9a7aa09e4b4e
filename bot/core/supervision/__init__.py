"""Supervising outsourcing in chat: evidence with a term, approving bodies, incidents.

Each module is one job; :mod:`.messages` registers their words on import.
"""

from __future__ import annotations

from . import messages as _messages  # noqa: F401 - registers the catalogue
