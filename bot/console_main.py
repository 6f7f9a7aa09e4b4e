"""Starting ``ddbot console``: settings from the environment, readline history, the loop.

The session itself is :class:`bot.console.Console`; this module only wires it
to a terminal (or to a script on standard input, as the tests do). Reading the
system clock here, at the edge, is the one place the console learns real time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from dataclasses import replace
from pathlib import Path

import click

from duediligence.private_files import exposure_warning

from .config import BotSettings
from .console import Ask, Console, VirtualClock, run

HISTORY = "~/.ddbot_history"  # DD_CONSOLE_HISTORY overrides; "" keeps no history file
HISTORY_LINES = 1000


def start(
    *,
    db: str | None,
    actor: str | None,
    lang: str | None,
    now_text: str | None,
    out_dir: Path,
) -> None:
    env = dict(os.environ)
    if db:
        env["DD_DATABASE_URL"] = db
        env.pop("DD_EVIDENCE_DIR", None)  # evidence beside the chosen database
    if lang:
        env["DD_LANG"] = lang
    settings = BotSettings.from_env(env)
    settings = replace(settings, bot_token="", app_token="", teams_webhook_url="")
    warning = exposure_warning(settings.core.db, settings.core.lang)
    if warning:
        click.echo(warning, err=True)
    clock = VirtualClock(_start_time(now_text, settings))
    interactive = sys.stdin.isatty()
    console = Console(
        settings,
        clock,
        out_dir,
        write=click.echo,
        ask=_asker(interactive),
        echo_answers=not interactive,
    )
    try:
        if actor:
            resolved = console.directory.resolve(actor)
            if resolved is None:
                raise click.BadParameter(actor, param_hint="--as")
            console.actor = resolved
        history = _history(env) if interactive else None
        try:
            run(console, input, interactive=interactive)
        finally:
            if history is not None:
                _save_history(history)
    finally:
        console.close()


def _start_time(now_text: str | None, settings: BotSettings) -> dt.datetime:
    tz = settings.core.tz
    if not now_text:
        return dt.datetime.now(tz).replace(microsecond=0)
    try:
        moment = dt.datetime.fromisoformat(now_text)
    except ValueError:
        raise click.BadParameter(now_text, param_hint="--now") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def _asker(interactive: bool) -> Ask:
    """Form inputs: a prompt of their own on a terminal, the next line of a script otherwise."""

    def ask(label: str) -> str | None:
        try:
            return input(f"    {label}> " if interactive else "")
        except (EOFError, KeyboardInterrupt):
            return None

    return ask


def _history(env: dict[str, str]) -> Path | None:
    """Load readline history (arrow keys, Ctrl-R); None when readline or a file is unavailable."""
    try:
        import readline
    except ImportError:  # Windows without pyreadline
        return None
    name = env.get("DD_CONSOLE_HISTORY", HISTORY)
    if not name:
        return None
    path = Path(name).expanduser()
    readline.set_history_length(HISTORY_LINES)
    with contextlib.suppress(OSError):  # the first session: no history yet
        readline.read_history_file(path)
    return path


def _save_history(path: Path) -> None:
    import readline

    with contextlib.suppress(OSError):  # a read-only home: history is only a convenience
        readline.write_history_file(path)
