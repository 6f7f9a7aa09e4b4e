"""``duediligence evidence validity``: the term of a file already received (有効期間).

A certificate or an insurance policy holds until a date; once that day has
passed the condition reopens (see :mod:`duediligence.validity`).
"""

from __future__ import annotations

import click

from ..cli import Context, evidence, friendly_errors, pass_ctx


@evidence.command(
    "validity",
    help="Record the term of a condition's latest file (or --sha256's): "
    "reminded 60/30/7 days before it lapses, reopened after. 提出ファイルの有効期間を記録します。",
)
@click.argument("condition_id")
@click.option("--valid-until", required=True, help="The last day the document holds (有効期限).")
@click.option("--effective", default=None, help="The day it holds from (有効開始日).")
@click.option("--sha256", default=None, help="Which file (default: the latest).")
@click.option("--as", "actor", required=True, help="Owner department member or secretariat.")
@pass_ctx
@friendly_errors
def evidence_validity(
    ctx: Context,
    condition_id: str,
    valid_until: str,
    effective: str | None,
    sha256: str | None,
    actor: str,
) -> None:
    from ..dates import parse_due

    end = parse_due(valid_until, today=ctx.today())
    start = parse_due(effective, today=ctx.today()) if effective else None
    found = ctx.tracker().set_validity(
        condition_id, actor=actor, now=ctx.now(), valid_until=end, effective=start, sha256=sha256
    )
    click.echo(
        ctx.t(
            "cli.validity_set",
            id=condition_id,
            filename=found.filename,
            until=end.isoformat(),
        )
    )
