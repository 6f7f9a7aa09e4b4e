"""Errors the bot adds to the library's hierarchy (all render in the user's language)."""

from __future__ import annotations

from duediligence import DueDiligenceError


class DownloadRefused(DueDiligenceError):
    """The file could not be fetched safely (a foreign host, a failed or oversized download)."""

    key = "bot.upload.download_failed"
