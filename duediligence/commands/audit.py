"""``duediligence audit``: prove the record is intact (``verify``) and who read what (``access``)."""

from __future__ import annotations

import sys

import click

from ..cli import Context, cli, friendly_errors, pass_ctx


@cli.group(help="Check the event log and the evidence files; list who read what. 監査。")
def audit() -> None:
    pass


@audit.command(
    "verify",
    help="Walk the hash-chained event log and every evidence file; exit 1 naming the first "
    "break. 履歴と提出ファイルの改ざんを検査します。",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_ctx
@friendly_errors
def audit_verify(ctx: Context, as_json: bool) -> None:
    import json

    from ..audit.verify import verify
    from ..evidence import BlobStore

    store = ctx.store()
    try:
        blobs = BlobStore(ctx.settings.evidence_dir)
        result = verify(store, blobs)
    finally:
        store.close()
    if as_json:
        click.echo(
            json.dumps(
                {
                    "ok": result.ok,
                    "events": result.events,
                    "files": result.files,
                    "head": result.head,
                    "first_broken_event": result.first_broken_event,
                    "problems": [
                        {"what": p.what, "id": p.id, "sha256": p.sha256 or None}
                        for p in result.problems
                    ],
                    "problem_count": result.problem_count,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    elif result.ok:
        click.echo(
            ctx.t("audit.verify.ok", events=result.events, files=result.files, head=result.head)
        )
    else:
        click.echo(ctx.t("audit.verify.broken", count=result.problem_count), err=True)
        for problem in result.problems:
            click.echo(
                "  " + ctx.t(f"audit.problem.{problem.what}", id=problem.id, sha256=problem.sha256),
                err=True,
            )
        if result.problem_count > len(result.problems):
            click.echo(
                "  "
                + ctx.t("audit.verify.more", count=result.problem_count - len(result.problems)),
                err=True,
            )
    if not result.ok:
        sys.exit(1)
