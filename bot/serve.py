"""``ddbot serve``: Socket Mode when ``SLACK_APP_TOKEN`` is set, else HTTP.

Socket Mode is the usual choice inside a municipal network: the bot connects
out to Slack and needs no public URL. Over HTTP, Slack's events, commands and
interactivity all arrive at ``POST /slack/events``, served by uvicorn through
bolt's ASGI adapter; ``GET /healthz`` answers monitoring. Signatures are checked
with ``SLACK_SIGNING_SECRET``: a stale or forged request gets 401.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import socket
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import uvicorn
from slack_bolt.adapter.asgi import SlackRequestHandler
from slack_bolt.adapter.asgi.http_request import AsgiHttpRequest
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

from duediligence.private_files import exposure_warning

from .config import BotSettings
from .slack_app import SlackBot
from .worker import WorkerProcess

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from .core import Core

log = logging.getLogger("bot.serve")
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


class SlackAsgi(SlackRequestHandler):
    """bolt's ASGI adapter, with dispatch off the event loop and a health check beside it."""

    def __init__(self, bot: SlackBot, path: str = EVENTS_PATH) -> None:
        super().__init__(bot.app, path)
        self.bot = bot

    async def dispatch(self, request: AsgiHttpRequest) -> BoltResponse:
        bolt_request = BoltRequest(
            body=await request.get_raw_body(),
            query=request.query_string,
            headers=request.get_headers(),
        )
        # The sync App may touch SQLite or Slack before ack; keep the loop free meanwhile.
        return await asyncio.to_thread(self.app.dispatch, bolt_request)

    async def __call__(
        self, scope: Any, receive: Callable[..., Any], send: Callable[..., Any]
    ) -> None:
        if (
            scope["type"] == "http"
            and scope["path"] == HEALTH_PATH
            and scope["method"] in ("GET", "HEAD")
        ):
            ok = await asyncio.to_thread(self._healthy)
            body = json.dumps({"status": "ok" if ok else "unavailable"}).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 200 if ok else 503,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        # Listeners that acked early are held until the response below has been written.
        with self.bot.listeners.batch():
            await super().__call__(scope, receive, send)

    def _healthy(self) -> bool:
        try:
            return self.bot.deps.core.store.schema_version > 0
        except Exception:
            log.exception("health check failed")
            return False


def http_server(bot: SlackBot, *, host: str = "0.0.0.0", port: int = 3000) -> uvicorn.Server:
    config = uvicorn.Config(SlackAsgi(bot), host=host, port=port, lifespan="off", log_level="info")
    return uvicorn.Server(config)


def listening_socket(host: str, port: int) -> socket.socket:
    """A bound, listening socket (port 0 picks a free one), for uvicorn's ``sockets=``."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    return sock


def mode(settings: BotSettings) -> str:
    """``socket`` when an app-level token is configured, else ``http``."""
    return "socket" if settings.app_token else "http"


def socket_mode_handler(bot: SlackBot, settings: BotSettings) -> SocketModeHandler:
    """bolt's Socket Mode handler for *bot* with the app-level token, not yet connected.

    ``start()`` connects and blocks (what ``serve`` does); ``connect()`` returns once
    connected and ``close()`` stops every thread it started (what the tests do).
    The WebSocket URL comes from ``apps.connections.open`` on ``SLACK_API_URL``.
    """
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    return SocketModeHandler(bot.app, settings.app_token)


def serve(
    settings: BotSettings,
    *,
    host: str = "0.0.0.0",
    port: int = 3000,
    worker: WorkerProcess | None = None,
    accept_broken_log: bool = False,
) -> None:
    """Run until interrupted: Socket Mode with an app token, else HTTP on *port*.

    *worker* (``ddbot worker`` as a child process, see :mod:`bot.worker`) plans and
    delivers; None leaves that to a worker started separately. The event chain's tail
    is verified first: a broken log stops the bot unless the operator passes
    *accept_broken_log*, which is itself recorded in the log.
    """
    from .slack_app import build_app

    if not settings.bot_token:
        raise SystemExit("SLACK_BOT_TOKEN is not set")
    if mode(settings) == "http" and not settings.signing_secret:
        raise SystemExit("SLACK_SIGNING_SECRET is not set (needed for HTTP mode)")
    warning = exposure_warning(settings.core.db, settings.core.lang)
    if warning:
        log.warning(warning)
    bot = build_app(settings)
    bot.deps.core.tracker()  # opens the database and checks the evidence volume before serving
    try:
        check_log(bot.deps.core, accept_broken=accept_broken_log)
    except SystemExit:
        bot.close()
        raise
    # SIGTERM ends serve through its finally below, so the worker is stopped with it
    # (uvicorn hands a SIGTERM it caught back to this handler once it has shut down).
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    if worker is not None:
        worker.start()
    else:
        log.info("no worker started: run `ddbot worker` to plan and deliver reminders")
    try:
        if mode(settings) == "socket":
            log.info("connecting to Slack in Socket Mode")
            handler = socket_mode_handler(bot, settings)
            try:
                handler.start()
            finally:
                handler.close()  # stop taking envelopes before the listeners are drained
            return
        log.info("serving Slack at http://%s:%d%s", host, port, EVENTS_PATH)
        http_server(bot, host=host, port=port).run()
    finally:
        if worker is not None:
            worker.stop()
        bot.close()


def check_log(core: Core, *, accept_broken: bool) -> None:
    """Refuse to serve on a broken event chain, unless the operator accepts it (logged)."""
    from duediligence.audit.verify import check_at_startup

    result = check_at_startup(
        core.store, accept_broken=accept_broken, actor="ddbot serve", now=core.now()
    )
    if result.ok:
        log.info("event chain verified from event %d", result.from_event)
        return
    if not accept_broken:
        raise SystemExit(core.t("audit.serve.broken", core.lang, id=result.first_broken_event))
    log.warning(core.t("audit.serve.accepted", core.lang))


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(0)


def combined_asgi(slack: SlackAsgi, teams: Any) -> Callable[..., Any]:
    """One HTTP server for both: ``/slack/events`` to bolt, everything else to the Teams app."""

    async def app(scope: Any, receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] == "http" and scope["path"] == EVENTS_PATH:
            await slack(scope, receive, send)
        else:
            await teams(scope, receive, send)

    return app


def serve_teams(
    settings: BotSettings,
    *,
    host: str = "0.0.0.0",
    port: int = 3978,
    worker: WorkerProcess | None = None,
    accept_broken_log: bool = False,
) -> None:
    """Run the Teams bot at ``POST /api/messages`` (with Slack beside it when configured).

    Slack in Socket Mode runs in a thread of the same process; Slack over HTTP
    shares this server at ``/slack/events``. *worker* plans and delivers, as for
    Slack: to Slack when a Slack token is set, else to Teams (one platform
    delivers the reminders, see :func:`bot.delivery.build.build_sender`).
    """
    import threading

    from .msteams.app import build_teams_bot, local_testing

    teams_settings = settings.teams
    if local_testing():
        log.warning(
            "Teams: unauthenticated local testing (DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS)"
        )
    elif not teams_settings.app_id:
        raise SystemExit("DD_TEAMS_APP_ID is not set")
    elif not teams_settings.app_password:
        raise SystemExit("DD_TEAMS_APP_PASSWORD is not set")
    teams = build_teams_bot(settings)
    try:
        check_log(teams.core, accept_broken=accept_broken_log)
    except SystemExit:
        teams.close()
        raise
    teams.core.tracker()  # opens the database and checks the evidence volume before serving
    slack = None
    handler = None
    asgi: Any = teams.asgi
    if settings.bot_token:
        from .slack_app import build_app

        slack = build_app(settings)
        if mode(settings) == "socket":
            handler = socket_mode_handler(slack, settings)
            threading.Thread(target=handler.start, name="slack-socket", daemon=True).start()
        elif settings.signing_secret:
            asgi = combined_asgi(SlackAsgi(slack), teams.asgi)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    if worker is not None:
        worker.start()
    try:
        log.info("serving Teams at http://%s:%d/api/messages", host, port)
        config = uvicorn.Config(asgi, host=host, port=port, lifespan="off", log_level="info")
        teams.run(uvicorn.Server(config).serve(), timeout=None)
    finally:
        if worker is not None:
            worker.stop()
        if handler is not None:
            handler.close()
        if slack is not None:
            slack.close()
        teams.close()
