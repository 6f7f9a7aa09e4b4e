"""Draft a meeting's conditions from its minutes, for the secretariat to review and import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import messages as _messages  # noqa: F401  (registers the draft's words)
from .extract import Confidence, Draft, Proposal, Section, extract
from .minutes import minutes_from_bytes, read_minutes
from .output import draft_document, proposals_json, summary, write_draft

__all__ = [
    "Confidence",
    "Draft",
    "Proposal",
    "Section",
    "draft_minutes",
    "draft_from_bytes",
    "draft_document",
    "proposals_json",
    "summary",
    "write_draft",
]


def draft_minutes(path: Path, *, today: dt.date) -> Draft:
    """The draft of the minutes at *path* (a meeting date without a year is read near *today*)."""
    return extract(read_minutes(path), today=today)


def draft_from_bytes(data: bytes, *, filename: str, today: dt.date) -> Draft:
    """The same for a file that arrived as bytes (a chat upload)."""
    return extract(minutes_from_bytes(data, filename=filename), today=today)
