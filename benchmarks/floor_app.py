"""The floor for the status ack: the bot's own bolt App and server, answering no-op commands.

    python benchmarks/floor_app.py --port 0        # prints "listening on PORT", then serves

Started by ``benchmarks/run.py`` as a subprocess with the same environment as
``ddbot serve`` (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL, DD_DB). It
builds the App with :func:`bot.slack_app.build_app` and serves it with
:func:`bot.serve.http_server` exactly as ``ddbot serve`` does (without the
scheduler), then adds two commands that do nothing:

- ``/dd-noop`` acknowledges in the request thread, as a listener with
  ``process_before_response=True`` would: the fastest an ack can be on this stack;
- ``/dd-noop-pool`` acknowledges inside the listener on the thread pool, bolt's
  default with ``process_before_response=False``: the HTTP thread polls every
  10 ms for that ack, and this command shows what the polling costs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import BotSettings  # noqa: E402
from bot.serve import http_server, listening_socket  # noqa: E402
from bot.slack_app import build_app  # noqa: E402

NOOP = "/dd-noop"
NOOP_POOL = "/dd-noop-pool"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    bot = build_app(BotSettings.from_env())

    def ack_here(ack: Any, next: Callable[[], None]) -> None:
        ack()
        next()

    @bot.app.command(NOOP, middleware=[ack_here])
    def noop(ack: Any) -> None:
        pass

    @bot.app.command(NOOP_POOL)
    def noop_pool(ack: Any) -> None:
        ack()

    sock = listening_socket("127.0.0.1", args.port)
    print(f"listening on {sock.getsockname()[1]}", flush=True)
    server = http_server(bot, host="127.0.0.1", port=sock.getsockname()[1])
    try:
        server.run(sockets=[sock])
    finally:
        bot.close()


if __name__ == "__main__":
    main()
