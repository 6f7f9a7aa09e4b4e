"""``ddbot``: run the bot (``serve``), one scheduler pass (``tick``), a local chat (``console``)
or the scripted walk-through of the sample meeting (``demo``)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

import click

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "council-2021-02-10.yaml"


@click.group(help="The due-diligence bot. 付帯条件フォローアップ・ボット。")
def cli() -> None:
    pass


@cli.command(help="Import the sample meeting into a fresh database and show its conditions.")
@click.option("--db", default=None, help="SQLite file (default: a fresh temporary one).")
@click.option("--lang", type=click.Choice(["ja", "en"]), default=None)
def demo(db: str | None, lang: str | None) -> None:
    from duediligence.cli import cli as admin

    workdir = Path(tempfile.mkdtemp(prefix="ddbot-demo-"))
    db = db or str(workdir / "demo.db")
    env = {"DD_DB": db, "DD_EVIDENCE_DIR": str(workdir / "evidence")}
    if lang:
        env["DD_LANG"] = lang
    os.environ.update(env)
    now = dt.datetime(2021, 2, 10, 19, 40, tzinfo=ZoneInfo("Asia/Tokyo")).isoformat()
    admin.main(["--now", now, "import", str(SAMPLE), "--as", "U01JIMU0001"], standalone_mode=False)
    admin.main(["--now", now, "status"], standalone_mode=False)
    click.echo(f"\nDB: {db}")


@cli.command(help="Run the Slack bot: Socket Mode with SLACK_APP_TOKEN, else HTTP on --port.")
@click.option("--port", type=int, default=3000, show_default=True, help="HTTP port.")
@click.option("--host", default="0.0.0.0", show_default=True, help="HTTP address to listen on.")
def serve(port: int, host: str) -> None:
    import logging

    from .config import BotSettings
    from .serve import serve as run

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    run(BotSettings.from_env(), host=host, port=port)


@cli.command(help="One scheduler pass: plan due reminders and digests, then deliver them.")
@click.option(
    "--now", "now_text", default=None, help="Run as if it were this ISO time (default: now)."
)
def tick(now_text: str | None) -> None:
    from duediligence.messages import t

    from .config import BotSettings
    from .core import Core
    from .delivery.build import build_sender
    from .scheduler import tick as run_tick

    settings = BotSettings.from_env()
    tz = settings.core.tz
    if now_text:
        try:
            moment = dt.datetime.fromisoformat(now_text)
        except ValueError:
            raise click.BadParameter(now_text, param_hint="--now") from None
        now = moment if moment.tzinfo else moment.replace(tzinfo=tz)
    else:
        now = dt.datetime.now(tz)
    core = Core(settings.core, clock=lambda: now, status_command=settings.status_command)
    try:
        result = run_tick(build_sender(settings, core), now)
    finally:
        core.close()
    click.echo(t("bot.tick.summary", settings.core.lang, **result.__dict__))


def main() -> None:
    cli(prog_name="ddbot")


if __name__ == "__main__":
    main()
