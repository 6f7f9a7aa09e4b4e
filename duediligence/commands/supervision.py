"""``duediligence evidence validity`` (the term of a file, 有効期間) and ``incident``.

A certificate or an insurance policy holds until a date; once that day has
passed the condition reopens (see :mod:`duediligence.validity`).
"""

from __future__ import annotations

import click

from ..cli import Context, cli, evidence, friendly_errors, pass_ctx
from ..model import IncidentKind


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


@cli.group(help="Incidents (漏えい等): report one, list them. 事故の報告。")
def incident() -> None:
    pass


@incident.command(
    "report",
    help="Report a leak, loss, damage or unauthorised access on an outsourcing: opens the "
    "first report, final report and prevention conditions, and alerts the secretariat at "
    "once. 事故を報告します。",
)
@click.argument("consultation_id")
@click.option(
    "--kind",
    "kind_name",
    required=True,
    type=click.Choice([k.value for k in IncidentKind]),
    help="leak (漏えい), loss (滅失・紛失), damage (毀損), unauthorized_access (不正アクセス).",
)
@click.option("--description", default="", help="What happened (kept in the log).")
@click.option("--vendor", default=None, help="Which vendor (default: the first of the case).")
@click.option("--as", "actor", required=True, help="Owner department member or secretariat.")
@pass_ctx
@friendly_errors
def incident_report(
    ctx: Context,
    consultation_id: str,
    kind_name: str,
    description: str,
    vendor: str | None,
    actor: str,
) -> None:
    from ..incidents import report_incident
    from ..kinds import kind_label

    kind = IncidentKind(kind_name)
    found = report_incident(
        ctx.tracker(),
        consultation_id,
        kind=kind,
        actor=actor,
        now=ctx.now(),
        description=description,
        vendor=vendor,
        lang=ctx.lang,
    )
    click.echo(
        ctx.t(
            "cli.incident.reported",
            id=consultation_id,
            what=ctx.t(f"incident.kind.{kind}"),
            number=found.id,
        )
    )
    store = ctx.store()
    for condition_id in found.conditions:
        condition = store.condition(condition_id)
        click.echo(
            ctx.t(
                "cli.incident.condition",
                id=condition.id,
                kind=kind_label(condition.kind, ctx.lang),
                due=condition.due.isoformat() if condition.due else "-",
            )
        )


@incident.command("list", help="The incidents reported, oldest first. 報告された事故の一覧。")
@click.option("--consultation", default=None, help="Only this consultation id.")
@pass_ctx
@friendly_errors
def incident_list(ctx: Context, consultation: str | None) -> None:
    found = ctx.store().incidents(consultation)
    if not found:
        click.echo(ctx.t("cli.incident.none"))
    for item in found:
        click.echo(
            ctx.t(
                "cli.incident.line",
                number=item.id,
                reported_at=item.reported_at.isoformat()[:16],
                id=item.consultation,
                what=ctx.t(f"incident.kind.{item.kind}"),
                vendor=item.vendor or "-",
                conditions=", ".join(item.conditions),
            )
        )
