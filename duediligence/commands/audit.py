"""``duediligence audit``: prove the record is intact (``verify``) and who read what (``access``)."""

from __future__ import annotations

import datetime as dt
import sys

import click

from ..cli import Context, cli, friendly_errors, pass_ctx
from ..errors import DueDiligenceError


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


@audit.command(
    "access",
    help="Every read of evidence (who, when, which file, through what) and every export. "
    "提出ファイルの閲覧と書き出しの記録。",
)
@click.option("--since", default=None, help="From this ISO date or time (DD_TZ).")
@click.option("--condition", "condition_id", default=None, help="Only this condition id.")
@click.option("--user", default=None, help="Only this person (Slack id or e-mail).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_ctx
@friendly_errors
def audit_access(
    ctx: Context, since: str | None, condition_id: str | None, user: str | None, as_json: bool
) -> None:
    import json

    from ..audit.access import access_log
    from ..texttable import render_table

    start = _since(ctx, since)
    store = ctx.store()
    try:
        records = access_log(store, since=start, condition=condition_id, user=user)
    finally:
        store.close()
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "event": r.event_id,
                        "at": r.at.isoformat(),
                        "actor": r.actor,
                        "action": r.action,
                        "subject": r.subject,
                        "department": r.department,
                        "filename": r.filename,
                        "sha256": r.sha256 or None,
                        "surface": r.surface or None,
                    }
                    for r in records
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not records:
        click.echo(ctx.t("audit.access.none"))
        return
    columns = ("at", "actor", "action", "subject", "file", "surface")
    rows = [
        [
            r.at.astimezone(ctx.settings.tz).strftime("%Y-%m-%d %H:%M"),
            r.actor,
            _label(ctx, r.action),
            r.subject,
            r.filename + (f" ({r.sha256[:12]})" if r.sha256 else ""),
            r.surface or "-",
        ]
        for r in records
    ]
    click.echo(render_table([ctx.t(f"audit.access.col.{c}") for c in columns], rows, max_width=40))
    reads = sum(1 for r in records if r.is_read)
    click.echo(
        ctx.t("audit.access.summary", count=len(records), reads=reads, exports=len(records) - reads)
    )


def _label(ctx: Context, action: str) -> str:
    label = ctx.t(f"event.{action}")
    return action if label == f"event.{action}" else label


def _since(ctx: Context, text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise DueDiligenceError("audit.access.bad_since", value=text) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ctx.settings.tz)
