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


# -- amendments -----------------------------------------------------------------


@cli.group(
    "condition",
    help="Add, amend or withdraw a condition as a meeting decided. 確認事項の追加・変更・取消。",
)
def condition_group() -> None:
    pass


_MEETING_HELP = "The meeting that decided it: its id (R3-1), date, name (令和3年度第1回) or 前回."


@condition_group.command(
    "add",
    help="Add a condition to consultation CONSULTATION, as --meeting decided (secretariat). "
    "確認事項を追加します。",
)
@click.argument("consultation")
@click.option("--kind", required=True, help="roster, pledge, … or its label (名簿, 誓約書, …).")
@click.option("--text", required=True, help="The council's words.")
@click.option("--due", default="", help="As people write it (令和3年6月30日, 次回審議会, …).")
@click.option("--department", default="", help="Owner, if not the consultation's department.")
@click.option("--vendor", default="", help="A vendor of the consultation.")
@click.option("--report-back/--no-report-back", default=True, help="Must be reported back.")
@click.option("--recurrence", default="", help="none, on_change, yearly, fiscal_year_end.")
@click.option("--trigger", default="", help="contract_end, disk_replacement, staff_change, …")
@click.option("--days", type=int, default=None, help="Business days after the trigger event.")
@click.option("--id", "condition_id", default="", help="The new id (default: next free).")
@click.option("--meeting", required=True, help=_MEETING_HELP)
@click.option("--reason", default="", help="Why (recorded with the event).")
@click.option("--as", "actor", required=True, help="Slack user id or e-mail of the secretariat.")
@pass_ctx
@friendly_errors
def condition_add(ctx: Context, consultation: str, **options: object) -> None:
    from ..amend import Amendments, ConditionDraft

    meeting = str(options.pop("meeting"))
    reason = str(options.pop("reason"))
    actor = str(options.pop("actor"))
    draft = ConditionDraft(
        consultation=consultation,
        kind=str(options["kind"]),
        text=str(options["text"]),
        due=str(options["due"]),
        department=str(options["department"]),
        vendor=str(options["vendor"]),
        report_back=bool(options["report_back"]),
        recurrence=str(options["recurrence"]),
        trigger=str(options["trigger"]),
        days=options["days"],  # type: ignore[arg-type]
        id=str(options["condition_id"]),
    )
    amendments = Amendments(ctx.tracker())
    added = amendments.add(draft, meeting=meeting, reason=reason, actor=actor, now=ctx.now())
    click.echo(
        ctx.t(
            "amend.cli.added",
            id=added.id,
            meeting=amendments.meeting(meeting, today=ctx.today()).label,
            due=_due(ctx, added.due),
        )
    )


@condition_group.command(
    "edit",
    help="Change a condition's text, due date, department, kind, vendor, report-back or "
    "recurrence as --meeting decided (secretariat); the department is told. 確認事項を変更します。",
)
@click.argument("condition_id")
@click.option("--text", default=None)
@click.option("--due", default=None, help="As people write it (令和3年6月30日, 次回審議会, …).")
@click.option("--department", default=None, help="Move it to this department.")
@click.option("--kind", default=None)
@click.option("--vendor", default=None)
@click.option("--report-back/--no-report-back", default=None)
@click.option("--recurrence", default=None)
@click.option("--meeting", required=True, help=_MEETING_HELP)
@click.option("--reason", required=True, help="Why (required).")
@click.option("--as", "actor", required=True, help="Slack user id or e-mail of the secretariat.")
@pass_ctx
@friendly_errors
def condition_edit(ctx: Context, condition_id: str, **options: object) -> None:
    from ..amend import Amendments, ConditionEdit

    meeting = str(options.pop("meeting"))
    reason = str(options.pop("reason"))
    actor = str(options.pop("actor"))
    edit = ConditionEdit(**options)  # type: ignore[arg-type]
    tracker = ctx.tracker()
    before = tracker.store.condition(condition_id).department
    changes = Amendments(tracker).edit(
        condition_id, edit, meeting=meeting, reason=reason, actor=actor, now=ctx.now()
    )
    for change in changes:
        click.echo(
            ctx.t(
                "amend.cli.changed",
                id=condition_id,
                field=ctx.t(f"input.field.{change.field}"),
                old=_shown(ctx, change.field, change.old),
                new=_shown(ctx, change.field, change.new),
            )
        )
    after = tracker.store.condition(condition_id).department
    click.echo(ctx.t("amend.cli.notified", departments="、".join(dict.fromkeys((before, after)))))


@condition_group.command(
    "withdraw",
    help="Withdraw (取消) a condition as --meeting decided (secretariat): no more reminders, "
    "listed as withdrawn in the next report pack. 確認事項を取り消します。",
)
@click.argument("condition_id")
@click.option("--meeting", required=True, help=_MEETING_HELP)
@click.option("--reason", required=True, help="Why (required; shown in the report pack).")
@click.option("--as", "actor", required=True, help="Slack user id or e-mail of the secretariat.")
@pass_ctx
@friendly_errors
def condition_withdraw(
    ctx: Context, condition_id: str, meeting: str, reason: str, actor: str
) -> None:
    from ..amend import Amendments

    amendments = Amendments(ctx.tracker())
    done = amendments.withdraw(
        condition_id, meeting=meeting, reason=reason, actor=actor, now=ctx.now()
    )
    click.echo(
        ctx.t(
            "amend.cli.withdrawn",
            id=condition_id,
            meeting=amendments.meeting(meeting, today=ctx.today()).label,
            reason=reason,
        )
    )
    click.echo(ctx.t("amend.cli.notified", departments=done.department))


def _due(ctx: Context, day: object) -> str:
    import datetime as dt

    from ..dates import format_wareki

    if not isinstance(day, dt.date):
        return "-"
    return f"{format_wareki(day)} ({day.isoformat()})" if ctx.lang == "ja" else day.isoformat()


def _shown(ctx: Context, field: str, value: object) -> str:
    from ..amend import shown_value

    return shown_value(field, value, ctx.lang)
