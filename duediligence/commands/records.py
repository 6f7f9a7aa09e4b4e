"""``duediligence purge``: what retention makes due, its erasure, and the certificate (消去証明)."""

from __future__ import annotations

from pathlib import Path

import click

from ..cli import Context, cli, friendly_errors, pass_ctx
from ..errors import DueDiligenceError


@cli.command(
    "purge",
    help="Erase the evidence files and roster names whose retention has run out "
    "(--dry-run lists them; --as USER erases, secretariat; --certificate FILE.docx writes "
    "the erasure certificate of a run). 保存期間を過ぎた提出ファイルと名簿の氏名を消去します。",
)
@click.option("--dry-run", is_flag=True, help="Only list what is due; change nothing.")
@click.option("--as", "actor", default=None, help="Erase, as this secretariat member.")
@click.option(
    "--certificate",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the erasure certificate (.docx) of a purge run.",
)
@click.option("--run", "run_id", type=int, default=None, help="Which run (default: the latest).")
@pass_ctx
@friendly_errors
def purge(
    ctx: Context, dry_run: bool, actor: str | None, certificate: Path | None, run_id: int | None
) -> None:
    from ..audit.retention import RetentionPolicy, due_for_purge
    from ..audit.retention import purge as run_purge

    if (dry_run and certificate is not None) or not (dry_run or certificate or actor):
        raise DueDiligenceError("purge.one_mode")
    policy = RetentionPolicy(default_years=ctx.settings.retention_years)
    tracker = ctx.tracker()
    try:
        if certificate is not None:
            from ..audit.certificate import write_certificate

            written = write_certificate(
                tracker.store,
                certificate,
                run=run_id,
                actor=actor or "cli",
                now=ctx.now(),
                lang=ctx.lang,
            )
            click.echo(ctx.t("purge.cli.certificate", path=str(written.path), run=written.run))
            return
        if dry_run:
            items = due_for_purge(tracker, policy, now=ctx.now())
            if not items:
                click.echo(ctx.t("purge.cli.nothing"))
                return
            for item in items:
                click.echo(
                    ctx.t(
                        "purge.cli.due",
                        id=item.condition.id,
                        kind=ctx.t(f"kind.{item.condition.kind}"),
                        closed=item.closed_at.astimezone(ctx.settings.tz).date().isoformat(),
                        due=item.due_on.isoformat(),
                        files=len(item.files),
                        size=item.bytes,
                        names=item.names,
                        rule=item.rule,
                    )
                )
            click.echo(
                ctx.t(
                    "purge.cli.due_total",
                    conditions=len(items),
                    files=sum(len(i.files) for i in items),
                    names=sum(i.names for i in items),
                )
            )
            return
        done = run_purge(tracker, policy, actor=actor or "", now=ctx.now())
        if not done.items:
            click.echo(ctx.t("purge.cli.nothing"))
            return
        click.echo(
            ctx.t(
                "purge.cli.done",
                run=done.run,
                conditions=len(done.items),
                files=done.files,
                size=done.bytes,
                names=done.names,
            )
        )
    finally:
        tracker.store.close()


@cli.command(
    "backup",
    help="Write a consistent snapshot of the database, the evidence files and a sha256 "
    "manifest to FILE.tar.gz (0600), safe while the bot runs. バックアップを作成します。",
)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as", "actor", default="cli", help="Who takes it (recorded in the event).")
@pass_ctx
@friendly_errors
def backup_command(ctx: Context, out: Path, actor: str) -> None:
    from ..audit.backup import backup

    store = ctx.store()
    try:
        result = backup(store, ctx.settings.evidence_dir, out, actor=actor, now=ctx.now())
    finally:
        store.close()
    click.echo(
        ctx.t(
            "backup.cli.written",
            path=str(result.path),
            events=result.events,
            files=result.files,
            sha256=result.sha256,
        )
    )


@cli.command(
    "restore",
    help="Check a backup archive against its manifest, then write it to a new database "
    "(and evidence directory); a damaged archive is refused with nothing written. "
    "バックアップから復元します。",
)
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--db", "target_db", required=True, type=click.Path(path_type=Path), help="New database."
)
@click.option(
    "--evidence-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="New evidence directory (default: evidence/ beside --db).",
)
@pass_ctx
@friendly_errors
def restore_command(
    ctx: Context, archive: Path, target_db: Path, evidence_dir: Path | None
) -> None:
    from ..audit.backup import restore

    result = restore(
        archive, db=target_db, evidence_dir=evidence_dir or target_db.resolve().parent / "evidence"
    )
    click.echo(
        ctx.t(
            "backup.cli.restored",
            db=str(result.db),
            evidence=str(result.evidence_dir),
            events=result.events,
            files=result.files,
            head=result.chain_head,
        )
    )
