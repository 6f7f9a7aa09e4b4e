"""``duediligence db copy``: move an installation to another database. See docs/postgresql.md."""

from __future__ import annotations

import click

from ..cli import Context, cli, friendly_errors, pass_ctx


@cli.group("db", help="Database maintenance. データベースの保守。")
def db_group() -> None:
    pass


@db_group.command(
    "copy",
    help="Copy this SQLite database (every table) into an empty database, e.g. "
    "--to postgresql://user@host/dbname, in one transaction; prints each table's row counts "
    "and sha256 digest, refuses a non-empty target. 空のデータベースへ全件を複製します。",
)
@click.option("--to", "target_url", required=True, help="The empty target: a postgresql:// URL.")
@pass_ctx
@friendly_errors
def db_copy(ctx: Context, target_url: str) -> None:
    from ..store import Store
    from ..store.copy import CopyError, copy_database
    from ..store.url import parse_database_url

    try:
        engine = parse_database_url(target_url).engine
    except ValueError:
        engine = ""
    if engine != "postgresql":  # refused before opening: Store.open would create a SQLite file
        raise CopyError("error.copy.target", target=target_url)
    source = ctx.store()
    try:
        target = Store.open(target_url, pool_size=ctx.settings.db_pool)
        try:
            report = copy_database(source, target)
        finally:
            target.close()
    finally:
        source.close()
    click.echo(ctx.t("cli.db.copied", source=source.path, target=target.path))
    for row in report:
        click.echo(
            ctx.t(
                "cli.db.copy_row",
                table=row.table,
                source_rows=row.source_rows,
                target_rows=row.target_rows,
                digest=row.target_digest[:16],
                verdict=ctx.t("cli.db.equal"),
            )
        )
