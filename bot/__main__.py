"""``ddbot``: run the bot (``serve``), one scheduler pass (``tick``), a local chat (``console``)
or the scripted walk-through of the sample meeting (``demo``)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "council-2021-02-10.yaml"
SUPERVISION_SAMPLE = SAMPLE.with_name("supervision-cloud.yaml")


@click.group(help="The due-diligence bot. 付帯条件フォローアップ・ボット。")
def cli() -> None:
    pass


@cli.command(help="Walk the sample meeting from import to report-back on a virtual clock.")
@click.option(
    "--db",
    default=None,
    help="SQLite file or postgresql:// URL (default: DD_DATABASE_URL, else a fresh SQLite file).",
)
@click.option("--out", "out_dir", default=None, help="Folder for the files the demo writes.")
@click.option("--lang", type=click.Choice(["ja", "en"]), default=None)
@click.option(
    "--transport",
    type=click.Choice(["console", "teams"]),
    default="console",
    show_default=True,
    help="Draw the replies as console text or as the Teams Adaptive Cards.",
)
@click.option(
    "--scenario",
    type=click.Choice(["council", "supervision"]),
    default="council",
    show_default=True,
    help="council: the sample meeting; supervision: a committee's cloud contract for a year.",
)
def demo(
    db: str | None, out_dir: str | None, lang: str | None, transport: str, scenario: str
) -> None:
    from .demo import DemoError, run_demo

    try:
        run_demo(
            SUPERVISION_SAMPLE if scenario == "supervision" else SAMPLE,
            scenario=scenario,
            db=db or os.environ.get("DD_DATABASE_URL") or None,
            out_dir=Path(out_dir) if out_dir else None,
            lang=lang or os.environ.get("DD_LANG") or "ja",
            transport=transport,
        )
    except DemoError as err:
        raise click.ClickException(str(err)) from None


@cli.command(help="Chat with the bot in the terminal (the same core as Slack, on SQLite).")
@click.option(
    "--db", default=None, help="SQLite file or postgresql:// URL (default: DD_DATABASE_URL, DD_DB)."
)
@click.option(
    "--as", "actor", default=None, help="Who you are: a user id, 事務局, 収納課, 収納課長."
)
@click.option("--lang", type=click.Choice(["ja", "en"]), default=None)
@click.option("--now", "now_text", default=None, help="Start the virtual clock at this ISO time.")
@click.option("--out", "out_dir", default="out", show_default=True, help="Folder for files.")
def console(
    db: str | None, actor: str | None, lang: str | None, now_text: str | None, out_dir: str
) -> None:
    from .console_main import start

    start(db=db, actor=actor, lang=lang, now_text=now_text, out_dir=Path(out_dir))


@cli.command(
    help="Run the bot: Slack (Socket Mode with SLACK_APP_TOKEN, else HTTP on --port); "
    "with --teams (or DD_TEAMS_APP_ID and DD_TEAMS_APP_PASSWORD set) Teams at /api/messages."
)
@click.option("--port", type=int, default=3000, show_default=True, help="HTTP port.")
@click.option("--host", default="0.0.0.0", show_default=True, help="HTTP address to listen on.")
@click.option("--teams", "teams", is_flag=True, help="Serve Microsoft Teams at POST /api/messages.")
@click.option(
    "--worker/--no-worker",
    default=True,
    show_default=True,
    help="Start `ddbot worker` as a child process to plan and deliver reminders.",
)
@click.option(
    "--accept-broken-log",
    is_flag=True,
    help="Start even if the event chain fails verification (recorded in the log).",
)
def serve(port: int, host: str, teams: bool, worker: bool, accept_broken_log: bool) -> None:
    from .config import BotSettings
    from .serve import serve as run
    from .serve import serve_teams
    from .worker import WorkerProcess

    _log_to_stderr()
    settings = BotSettings.from_env()
    child = WorkerProcess() if worker else None
    if teams or settings.teams.configured:
        serve_teams(
            settings, host=host, port=port, worker=child, accept_broken_log=accept_broken_log
        )
    else:
        run(settings, host=host, port=port, worker=child, accept_broken_log=accept_broken_log)


@cli.command(
    help="Plan and deliver reminders every DD_TICK_MINUTES in this process (serve starts one)."
)
@click.option(
    "--now",
    "now_text",
    default=None,
    help="Start the clock at this ISO time; it then runs at the real pace (default: now).",
)
@click.option(
    "--parent",
    type=int,
    default=None,
    help="Stop when the process with this pid is gone (serve passes its own).",
)
def worker(now_text: str | None, parent: int | None) -> None:
    from .config import BotSettings
    from .worker import offset_clock, run_worker

    settings = BotSettings.from_env()
    start = _moment(now_text, settings.core.tz) if now_text else None
    _log_to_stderr()
    run_worker(settings, clock=offset_clock(start, settings.core.tz), parent=parent)


def _log_to_stderr() -> None:
    import logging

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


def _moment(text: str, tz: dt.tzinfo) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(text, param_hint="--now") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


@cli.command(
    "teams-package",
    help="Build the Teams app package (manifest, localization, icons) for upload or sideloading.",
)
@click.option("--out", "out", default="app.zip", show_default=True, help="The zip to write.")
@click.option(
    "--app-id", default=None, help="The bot's Microsoft App ID (default: DD_TEAMS_APP_ID)."
)
@click.option(
    "--version", "version", default=None, help="The app version (default: the manifest's)."
)
@click.option("--lang", type=click.Choice(["ja", "en"]), default=None)
def teams_package(out: str, app_id: str | None, version: str | None, lang: str | None) -> None:
    from duediligence.messages import normalize_lang, t

    from .msteams.package import build

    language = normalize_lang(lang or os.environ.get("DD_LANG"))
    path = build(Path(out), app_id or os.environ.get("DD_TEAMS_APP_ID", ""), version=version)
    click.echo(t("bot.teams.package.written", language, path=str(path)))


@cli.command(help="One scheduler pass: plan due reminders and digests, then deliver them.")
@click.option(
    "--now", "now_text", default=None, help="Run as if it were this ISO time (default: now)."
)
def tick(now_text: str | None) -> None:
    from duediligence.messages import t
    from duediligence.private_files import exposure_warning

    from .config import BotSettings
    from .core import Core
    from .delivery.build import build_sender
    from .scheduler import tick as run_tick

    settings = BotSettings.from_env()
    warning = exposure_warning(settings.core.db, settings.core.lang)
    if warning:
        click.echo(warning, err=True)
    tz = settings.core.tz
    now = _moment(now_text, tz) if now_text else dt.datetime.now(tz)
    core = Core(
        settings.core, clock=lambda: now, status_command=settings.status_command, surface="tick"
    )
    try:
        result = run_tick(build_sender(settings, core), now, batch=settings.tick_batch)
    finally:
        core.close()
    click.echo(t("bot.tick.summary", settings.core.lang, **result.__dict__))


def main() -> None:
    from duediligence import DueDiligenceError
    from duediligence.messages import normalize_lang

    try:
        cli(prog_name="ddbot")
    except DueDiligenceError as err:  # a bad DD_* variable: one clear line, not a traceback
        click.echo(err.render(normalize_lang(os.environ.get("DD_LANG"))), err=True)
        raise SystemExit(err.exit_code) from None


if __name__ == "__main__":
    main()
