"""Build the Teams SDK ``App``: ``POST /api/messages`` with Bot Framework JWT auth, and its loop.

The SDK is asynchronous and the conversation core is not (SQLite, one store per
thread), so the bot owns one event loop in a background thread: the HTTP server
runs on it, every handler hands its work to a worker thread, and that work calls
the connector back on the loop (:meth:`TeamsBot.run`). The scheduler's
proactive sends use the same loop, so the SDK's HTTP client is only ever used
from one loop.

Authentication is the SDK's: with the bot's app id configured, an activity
without a valid Bot Framework token gets 401 before any handler runs. The only
way around it is the SDK's own local-testing switch
(``DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS``), read by the SDK itself.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx

from ..config import BotSettings
from ..core import Clock, Core
from . import messages as _messages  # noqa: F401  (registers the Teams words)
from .consent import HeldFiles
from .files import FileFetcher

log = logging.getLogger("bot.msteams")
T = TypeVar("T")
MESSAGES_PATH = "/api/messages"
HEALTH_PATH = "/healthz"
CALL_TIMEOUT = 120.0


@dataclass
class TeamsBot:
    """The SDK app, the core, and the loop every connector call runs on."""

    app: Any  # microsoft_teams.apps.App (imported lazily: it is heavy)
    core: Core
    settings: BotSettings
    files: FileFetcher
    held: HeldFiles
    loop: asyncio.AbstractEventLoop
    thread: threading.Thread
    tried: set[str] = field(default_factory=set)  # users whose e-mail lookup was tried
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, coro: Coroutine[Any, Any, T], timeout: float | None = CALL_TIMEOUT) -> T:
        """Run *coro* on the bot's loop from any other thread and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    @property
    def asgi(self) -> Any:
        """The ASGI app serving ``/api/messages`` (and ``/healthz``)."""
        return self.app.server.adapter.app

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.files.http.close()
        self.core.close()


def build_teams_bot(
    settings: BotSettings,
    *,
    clock: Clock | None = None,
    token: Any = None,
    cloud: Any = None,
) -> TeamsBot:
    """The app for *settings.teams*; *token* (a callable) and *cloud* are the SDK's own options.

    Without *token* the SDK gets tokens from Entra ID with the app id, password
    and tenant (single-tenant). Tests pass a token provider and a cloud whose
    endpoints are the local fake connector.
    """
    from microsoft_teams.apps import App
    from microsoft_teams.apps.http import FastAPIAdapter

    from . import turns

    teams = settings.teams
    if token is None and not teams.app_password and local_testing():
        token = _local_token  # Agents Playground: its connector takes any bearer token
    options: dict[str, Any] = {
        "client_id": teams.app_id or (LOCAL_APP_ID if token is _local_token else None),
        "tenant_id": teams.tenant_id or None,
        "service_url": teams.service_url or None,
        "http_server_adapter": FastAPIAdapter(),
        "messaging_endpoint": MESSAGES_PATH,
        "state": False,
    }
    if token is not None:
        options["token"] = token
    else:
        options["client_secret"] = teams.app_password or None
    if cloud is not None:
        options["cloud"] = cloud
    app = App(**options)
    core = Core(settings.core, clock=clock, status_command=settings.status_command)
    http = httpx.Client(timeout=httpx.Timeout(60.0, connect=10.0))
    held = HeldFiles(Path(settings.core.evidence_dir).resolve().parent / "teams-outgoing")
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="teams-loop", daemon=True)
    thread.start()
    bot = TeamsBot(app, core, settings, FileFetcher(teams.file_hosts, http), held, loop, thread)
    turns.register(bot)
    bot.run(app.initialize())
    _health(bot)
    return bot


LOCAL_APP_ID = "00000000-0000-0000-0000-000000000000"


def local_testing() -> bool:
    """The SDK's own local-testing switch (``DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS``)."""
    from microsoft_teams.apps.options import (
        DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS_ENV_VAR,
        _parse_bool_env_var,
    )

    return bool(_parse_bool_env_var(DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS_ENV_VAR))


def _local_token(scope: str, tenant_id: str | None = None) -> str:
    """An unsigned-in-practice token for a local connector (never used with a real password)."""
    import time

    import jwt

    claims = {"aud": scope, "appid": LOCAL_APP_ID, "exp": int(time.time()) + 3600}
    return jwt.encode(claims, "local-testing-only-not-a-secret-key", algorithm="HS256")


def _health(bot: TeamsBot) -> None:
    from fastapi.responses import JSONResponse

    async def healthz() -> JSONResponse:
        ok = await asyncio.to_thread(_healthy, bot)
        return JSONResponse(
            {"status": "ok" if ok else "unavailable"}, status_code=200 if ok else 503
        )

    bot.asgi.get(HEALTH_PATH)(healthz)


def _healthy(bot: TeamsBot) -> bool:
    try:
        return bot.core.store.schema_version > 0
    except Exception:
        log.exception("health check failed")
        return False


def http_server(bot: TeamsBot, *, host: str = "0.0.0.0", port: int = 3978) -> Any:
    """A uvicorn server for the bot's ASGI app (``serve()`` it on ``bot.loop``)."""
    import uvicorn

    config = uvicorn.Config(bot.asgi, host=host, port=port, lifespan="off", log_level="info")
    return uvicorn.Server(config)
