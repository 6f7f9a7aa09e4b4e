"""Registering a meeting without YAML: the workbook template and the export. See docs/intake.md."""

from __future__ import annotations

from pathlib import Path

import click

from ..cli import Context, cli, friendly_errors, pass_ctx
from .checks import template


@template.command(
    "meeting",
    help="The meeting registration workbook (会議, 所管課, 諮問, 委託先, 付帯条件, 記入方法), "
    "with drop-down lists and an example row per sheet. 会議登録用のひな形(Excel)。",
)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@pass_ctx
@friendly_errors
def template_meeting(ctx: Context, out: Path) -> None:
    from ..intake.write import write_template

    path = write_template(out, lang=ctx.lang)
    click.echo(ctx.t("intake.template_written", path=str(path)))


@cli.group("export", help="Write what was registered back to a file. 登録内容を書き出します。")
def export_group() -> None:
    pass


@export_group.command(
    "meeting",
    help="Write an imported meeting's registration (not its status) to --out, .xlsx or .yaml; "
    "importing it again changes nothing. 会議の登録内容を書き出します。",
)
@click.argument("meeting_id")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@pass_ctx
@friendly_errors
def export_meeting(ctx: Context, meeting_id: str, out: Path) -> None:
    from ..intake.export import count_conditions, export_meeting
    from ..meetings import resolve_meeting

    store = ctx.store()
    meeting = resolve_meeting(store, meeting_id, today=ctx.today())  # id, date, name or next
    doc = export_meeting(store, meeting.id, out, lang=ctx.lang)
    click.echo(
        ctx.t(
            "intake.exported",
            meeting=meeting.id,
            path=str(out),
            consultations=len(doc["consultations"]),
            conditions=count_conditions(doc),
        )
    )
