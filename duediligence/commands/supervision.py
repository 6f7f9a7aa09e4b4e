"""``duediligence evidence validity`` (有効期間), ``incident``, ``subcontract``, ``checklist``.

A certificate or an insurance policy holds until a date; once that day has
passed the condition reopens (see :mod:`duediligence.validity`).
"""

from __future__ import annotations

from pathlib import Path

import click

from ..chain import INHERITED, request_subcontract
from ..checklists import Checklist
from ..checklists import items as checklist_items
from ..cli import Context, cli, evidence, friendly_errors, pass_ctx
from ..model import IncidentKind, Kind


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
    store = ctx.store()
    if consultation is not None:
        store.consultation(consultation)  # a typo is refused, not answered with "none"
    found = store.incidents(consultation)
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


@cli.group(help="Sub-contracting (再委託): ask for approval of a sub-contractor. 再委託。")
def subcontract() -> None:
    pass


@subcontract.command(
    "request",
    help="Open the approval of a sub-contractor under a vendor of the consultation; once "
    "accepted it joins the chain and inherits the named conditions. 再委託の承認を申請します。",
)
@click.argument("consultation_id")
@click.option("--subcontractor", required=True, help="The sub-contractor's name.")
@click.option("--under", "parent", required=True, help="The vendor it works under.")
@click.option("--due", "due_text", required=True, help="When the approval is due.")
@click.option(
    "--inherit",
    default=",".join(str(k) for k in INHERITED),
    show_default=True,
    help="Kinds of the contractor's conditions it inherits, comma-separated.",
)
@click.option("--as", "actor", required=True, help="Owner department member or secretariat.")
@pass_ctx
@friendly_errors
def subcontract_request(
    ctx: Context,
    consultation_id: str,
    subcontractor: str,
    parent: str,
    due_text: str,
    inherit: str,
    actor: str,
) -> None:
    from ..dates import parse_due
    from ..kinds import kind_label

    try:
        kinds = tuple(Kind(k.strip()) for k in inherit.split(",") if k.strip())
    except ValueError:
        raise click.BadParameter(inherit, param_hint="--inherit") from None
    due = parse_due(due_text, today=ctx.today())
    condition = request_subcontract(
        ctx.tracker(),
        consultation_id,
        subcontractor=subcontractor,
        parent=parent,
        due=due,
        actor=actor,
        now=ctx.now(),
        inherit=kinds,
        lang=ctx.lang,
    )
    click.echo(
        ctx.t(
            "cli.subcontract.requested",
            id=condition.id,
            parent=parent,
            vendor=subcontractor,
            due=due.isoformat(),
            kinds="、".join(kind_label(k, ctx.lang) for k in kinds) or "-",
        )
    )


@cli.group(help="Checklists: required contract clauses, the yearly inspection. チェック項目。")
def checklist() -> None:
    pass


_LISTS = click.Choice([c.value for c in Checklist])


@checklist.command("show", help="The items of a checklist (clauses or inspection). 項目の一覧。")
@click.argument("name", type=_LISTS)
@pass_ctx
@friendly_errors
def checklist_show(ctx: Context, name: str) -> None:
    for item in checklist_items(ctx.store(), Checklist(name)):
        click.echo(ctx.t("cli.checklist.item", item=item.key, label=item.label(ctx.lang)))


@checklist.command(
    "load",
    help="Replace a checklist's items with FILE (YAML: a list of key / ja / en). "
    "項目を組織の一覧に置き換えます。",
)
@click.argument("name", type=_LISTS)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "actor", required=True, help="Who changes the list (recorded).")
@pass_ctx
@friendly_errors
def checklist_load(ctx: Context, name: str, file: Path, actor: str) -> None:
    import yaml

    from ..checklists import ChecklistError, Item, load_items

    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8-sig"))
        loaded = [Item(str(r["key"]), str(r["ja"]), str(r.get("en") or r["ja"])) for r in raw]
    except (yaml.YAMLError, KeyError, TypeError):
        raise ChecklistError("checklist.bad_list") from None
    load_items(ctx.store(), Checklist(name), loaded, actor=actor, now=ctx.now())
    click.echo(ctx.t("cli.checklist.loaded", checklist=name, count=len(loaded)))


@checklist.command(
    "record",
    help="Record a contract_clauses or inspection condition item by item: --answer KEY=TEXT "
    "(a clause: its article or なし; an inspection item: はい / いいえ / 該当なし and a note). "
    "項目ごとに記録します。",
)
@click.argument("condition_id")
@click.option("--answer", "answers", multiple=True, required=True, help="KEY=TEXT, once per item.")
@click.option("--as", "actor", required=True, help="Owner department member.")
@pass_ctx
@friendly_errors
def checklist_record(ctx: Context, condition_id: str, answers: tuple[str, ...], actor: str) -> None:
    from ..checklists import ChecklistError, checklist_of, parse_item, record
    from ..kinds import kind_label

    store = ctx.store()
    condition = store.condition(condition_id)
    which = checklist_of(condition)
    if which is None:
        raise ChecklistError("checklist.wrong_kind", id=condition_id)
    parsed = {}
    for given in answers:
        key, _, text = given.partition("=")
        parsed[key.strip()] = parse_item(which, text)
    result = record(ctx.tracker(), condition_id, parsed, actor=actor, now=ctx.now())
    click.echo(ctx.t("cli.checklist.recorded", id=condition_id, findings=len(result.findings)))
    for follow_id in result.follow_ups:
        follow = store.condition(follow_id)
        click.echo(
            ctx.t(
                "cli.checklist.follow_up",
                id=follow.id,
                kind=kind_label(follow.kind, ctx.lang),
                due=follow.due.isoformat() if follow.due else "-",
            )
        )
