"""``duediligence report``: the report pack for a council meeting; and marking a meeting reported.

The pack-based marking is reached through the core ``mark-reported`` command
(without a condition ID), which calls :func:`echo_pack_marked` here.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..cli import Context, cli, friendly_errors, pass_ctx


@cli.command(
    "report",
    help="Write the report pack (Word, Excel, Markdown) for a council meeting "
    "(default: the next one). 審議会への報告資料を作成します。",
)
@click.option(
    "--meeting",
    default=None,
    help="The meeting: id, date, name (令和3年度第1回) or next (the default).",
)
@click.option(
    "--out",
    "out_dir",
    default="out",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write the three files into.",
)
@click.option("--as", "actor", default="cli", help="Who builds the pack (recorded in the event).")
@click.option(
    "--access-summary",
    is_flag=True,
    help="End the pack with evidence reads since the previous meeting, per department (no names).",
)
@pass_ctx
@friendly_errors
def report(
    ctx: Context, meeting: str | None, out_dir: Path, actor: str, access_summary: bool
) -> None:
    from ..report import build_pack

    store = ctx.store()
    pack = build_pack(
        store,
        meeting,
        out_dir,
        now=ctx.now(),
        lang=ctx.lang,
        actor=actor,
        surface="cli",
        access_summary=access_summary,
        secretariat=ctx.settings.secretariat_users,
    )
    click.echo(ctx.t("report.cli.built", meeting=pack.meeting.label, count=len(pack.condition_ids)))
    for path in pack.paths:
        click.echo(ctx.t("report.cli.file", path=str(path)))


def echo_pack_marked(ctx: Context, meeting: str, actor: str) -> None:
    """Mark reported what *meeting*'s pack showed as accepted, and say what was marked."""
    from ..report import mark_pack_reported

    result = mark_pack_reported(ctx.tracker(), meeting, actor=actor, now=ctx.now())
    label = result.meeting.label
    if result.marked:
        click.echo(ctx.t("report.cli.marked", meeting=label, count=len(result.marked)))
        for condition in result.marked:
            click.echo(ctx.t("report.cli.marked_item", id=condition.id, text=condition.text))
    else:
        click.echo(ctx.t("report.cli.none_marked", meeting=label))
    if result.skipped:
        click.echo(ctx.t("report.cli.skipped"))
        for skipped in result.skipped:
            packed = ctx.t(f"status.{skipped.packed}")
            why = (
                ctx.t("report.skip.accepted_after", packed=packed)
                if skipped.accepted_after_packing
                else ctx.t(
                    "report.skip.changed",
                    packed=packed,
                    current=ctx.t(f"status.{skipped.condition.status}"),
                )
            )
            click.echo(ctx.t("report.cli.skipped_item", id=skipped.condition.id, why=why))
