"""`duediligence draft`: proposed conditions read from the minutes. See docs/draft.md."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..cli import Context, cli, friendly_errors, pass_ctx


@cli.command(
    "draft",
    help="Read council minutes (.txt UTF-8/Shift_JIS, .docx, text PDF) and write a draft "
    "meeting with the conditions they ask for, to review before importing; nothing is "
    "registered. 議事録から付帯条件の下書きを作成します。",
)
@click.argument("minutes", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The draft to write: .xlsx (the intake workbook) or .yaml.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the proposals as JSON instead.")
@pass_ctx
@friendly_errors
def draft(ctx: Context, minutes: Path, out: Path | None, as_json: bool) -> None:
    from ..draft import draft_minutes, proposals_json, summary, write_draft

    if out is None and not as_json:
        raise click.UsageError(ctx.t("draft.out_or_json"))
    result = draft_minutes(minutes, today=ctx.today())
    if as_json:
        click.echo(json.dumps(proposals_json(result), ensure_ascii=False, indent=2))
    if out is not None:
        write_draft(result, out, source=minutes.name, lang=ctx.lang)
        click.echo(ctx.t("draft.written", path=str(out)), err=as_json)
    click.echo(summary(result, ctx.lang), err=as_json)
