"""Download a Teams ``file.download.info`` attachment for the evidence store.

Teams gives the bot a short-lived, pre-authorised ``downloadUrl`` (its own
``tempauth``), so no token is sent; the danger is where the URL points. Only
https to the configured hosts (SharePoint / OneDrive by default,
``DD_TEAMS_FILE_HOSTS``) is fetched, a redirect only to those hosts, and plain
http only to a loopback host listed there (local testing). Streamed in chunks.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import httpx

from ..core.errors import DownloadRefused

log = logging.getLogger("bot.msteams.files")
CHUNK = 256 * 1024
MAX_REDIRECTS = 3
FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


class FileFetcher:
    def __init__(self, hosts: tuple[str, ...], http: httpx.Client) -> None:
        self.hosts = tuple(h.lower() for h in hosts)
        self.http = http

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url or "")
        host, netloc = (parts.hostname or "").lower(), parts.netloc.lower()
        listed = any(netloc == h or host == h or host.endswith("." + h) for h in self.hosts if h)
        if not listed:
            return False
        return parts.scheme == "https" or (parts.scheme == "http" and _loopback(host))

    def check(self, url: str, name: str) -> str:
        if not self.allowed(url):
            log.warning(
                "refused to download %s from %s: not a configured file host",
                name,
                urlsplit(url).netloc or "(no url)",
            )
            raise DownloadRefused("bot.upload.refused_host", filename=name)
        return url

    def stream(self, url: str, name: str) -> Iterator[bytes]:
        """The file's bytes in chunks, never the whole file in memory."""
        url = self.check(url, name)
        for _ in range(MAX_REDIRECTS + 1):
            with self.http.stream("GET", url, follow_redirects=False) as response:
                if response.is_redirect:
                    target = urljoin(url, response.headers.get("location", ""))
                    url = self.check(target, name)
                    continue
                if response.status_code != 200:
                    log.error("download of %s failed: HTTP %s", name, response.status_code)
                    raise DownloadRefused(filename=name)
                yield from response.iter_bytes(CHUNK)
                return
        raise DownloadRefused(filename=name)
