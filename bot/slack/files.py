"""Fetch a shared file for the evidence store: files.info, then a streamed download.

The bot token goes only to Slack's own file host (with ``SLACK_API_URL`` set,
that URL's host): a download URL anywhere else is refused and logged, and a
redirect is followed only within the same origin.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from ..config import BotSettings
from ..core.errors import DownloadRefused
from .api import SlackApi

log = logging.getLogger("bot.slack.files")
CHUNK = 256 * 1024
MAX_REDIRECTS = 3


class FileFetcher:
    def __init__(self, api: SlackApi, settings: BotSettings, http: httpx.Client) -> None:
        self.api = api
        self.settings = settings
        self.http = http

    def info(self, file_id: str) -> dict[str, Any] | None:
        data = self.api.call("files.info", file=file_id)
        file = (data or {}).get("file")
        return file if isinstance(file, dict) else None

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url or "")
        return (parts.scheme.lower(), parts.netloc.lower()) == self.settings.file_origin

    def check(self, file: dict[str, Any]) -> str:
        """The URL to download from, or DownloadRefused (logged) if it is not Slack's host."""
        url = str(file.get("url_private_download") or file.get("url_private") or "")
        if not self.allowed(url):
            log.warning(
                "refused to download file %s from %s: not the Slack file host",
                file.get("id"),
                urlsplit(url).netloc or "(no url)",
            )
            raise DownloadRefused("bot.upload.refused_host", filename=file.get("name", ""))
        return url

    def stream(self, file: dict[str, Any]) -> Iterator[bytes]:
        """The file's bytes in chunks, never the whole file in memory."""
        url = self.check(file)
        name = str(file.get("name") or "")
        headers = {"Authorization": f"Bearer {self.settings.bot_token}"}
        for _ in range(MAX_REDIRECTS + 1):
            with self.http.stream("GET", url, headers=headers, follow_redirects=False) as response:
                if response.is_redirect:
                    target = urljoin(url, response.headers.get("location", ""))
                    if not self.allowed(target):
                        log.warning(
                            "refused redirect of file %s to %s",
                            file.get("id"),
                            urlsplit(target).netloc,
                        )
                        raise DownloadRefused("bot.upload.refused_host", filename=name)
                    url = target
                    continue
                if response.status_code != 200:
                    log.error(
                        "download of file %s failed: HTTP %s", file.get("id"), response.status_code
                    )
                    raise DownloadRefused(filename=name)
                yield from response.iter_bytes(CHUNK)
                return
        raise DownloadRefused(filename=name)
