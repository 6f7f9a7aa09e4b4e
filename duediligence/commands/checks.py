"""Evidence checks on the command line: roster template and uploads, pledges, certificates,
events that open conditions, and the fiscal-year-end question. See docs/checks.md.

Names from rosters are printed only here, to the person at the terminal; they
never go into the event log.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from ..checks import certificates, pledges, roster, triggers
from ..cli import Context, certificate_fields, cli, friendly_errors, pass_ctx, submit_file
from ..dates import parse_due
from ..errors import EvidenceError
from ..model import Kind
from ..submission import check_summary, is_table


def _date(ctx: Context, text: str) -> dt.date:
    return parse_due(text, today=ctx.today())


# -- template -------------------------------------------------------------------


@cli.group(help="Write blank templates to fill in. 記入用のひな形を作成します。")
def template() -> None:
    pass


@template.command(
    "roster",
    help="The roster template (氏名, 所属, 役割, 雇用形態, 従事開始日, 従事終了日). 名簿のひな形。",
)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@pass_ctx
@friendly_errors
def template_roster(ctx: Context, out: Path) -> None:
    path = roster.write_template(out, lang=ctx.lang)
    click.echo(ctx.t("checks.cli.template_written", path=str(path)))


# -- rosters --------------------------------------------------------------------


@cli.group("roster", help="Check and submit rosters (xlsx or csv). 名簿の確認と提出。")
def roster_group() -> None:
    pass


@roster_group.command(
    "check", help="Check a roster file without storing anything. 名簿を確認します(登録しません)。"
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_ctx
@friendly_errors
def roster_check(ctx: Context, file: Path) -> None:
    result = roster.check_roster(file.read_bytes(), filename=file.name, today=ctx.today())
    click.echo(roster.private_summary(result, ctx.lang))
    if not result.ok:
        raise SystemExit(2)


@roster_group.command(
    "submit",
    help="Submit a roster for a roster condition: checked, stored, compared with the last one. "
    "名簿を提出します。",
)
@click.argument("condition_id")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "actor", required=True, help="Slack user id or e-mail of the submitter.")
@pass_ctx
@friendly_errors
def roster_submit(ctx: Context, condition_id: str, file: Path, actor: str) -> None:
    result = submit_file(ctx, condition_id, file, actor, kind=Kind.ROSTER)
    click.echo(check_summary(result, ctx.lang))


# -- pledges --------------------------------------------------------------------


@cli.group("pledge", help="Pledges per person of the roster, and coverage. 誓約書。")
def pledge_group() -> None:
    pass


@pledge_group.command("add", help="One person's pledge scan. 1人分の誓約書(スキャン)を提出します。")
@click.argument("condition_id")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--person", required=True, help="The name as it is on the roster (氏名).")
@click.option(
    "--not-after-leaving",
    is_flag=True,
    help="The pledge ends with employment (does not count as covered).",
)
@click.option("--as", "actor", required=True)
@pass_ctx
@friendly_errors
def pledge_add(
    ctx: Context, condition_id: str, file: Path, person: str, not_after_leaving: bool, actor: str
) -> None:
    result = submit_file(
        ctx,
        condition_id,
        file,
        actor,
        kind=Kind.PLEDGE,
        person=person,
        after_leaving=not not_after_leaving,
    )
    click.echo(check_summary(result, ctx.lang))


@pledge_group.command(
    "list",
    help="A pledge list (氏名, 退職後を含む) as xlsx or csv. 誓約書の一覧を提出します。",
)
@click.argument("condition_id")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "actor", required=True)
@pass_ctx
@friendly_errors
def pledge_list(ctx: Context, condition_id: str, file: Path, actor: str) -> None:
    ctx.store().condition(condition_id)  # an unknown id is said first
    if not is_table(file.name):
        raise EvidenceError(
            "checks.submit.pledge_list_not_table", id=condition_id, filename=file.name
        )
    result = submit_file(ctx, condition_id, file, actor, kind=Kind.PLEDGE)
    click.echo(check_summary(result, ctx.lang))


@pledge_group.command("coverage", help="Who on the current roster has a pledge. 誓約書の充足状況。")
@click.argument("condition_id")
@click.option("--json", "as_json", is_flag=True, help="Counts only, machine-readable.")
@pass_ctx
@friendly_errors
def pledge_coverage(ctx: Context, condition_id: str, as_json: bool) -> None:
    store = ctx.store()
    condition = store.condition(condition_id)
    if condition.kind is not Kind.PLEDGE:
        raise EvidenceError("checks.pledge.wrong_kind", id=condition_id)
    cover = pledges.coverage(store, condition)
    if as_json:
        click.echo(json.dumps(cover.as_json(), ensure_ascii=False))
    else:
        click.echo(pledges.private_summary(cover, ctx.lang))


@pledge_group.command(
    "accept",
    help="Accept a pledge condition although coverage is incomplete, with a reason "
    "(secretariat). 未充足のまま理由を付して確認済にします。",
)
@click.argument("condition_id")
@click.option("--override-reason", required=True, help="Why acceptance is right anyway.")
@click.option("--as", "actor", required=True)
@pass_ctx
@friendly_errors
def pledge_accept(ctx: Context, condition_id: str, override_reason: str, actor: str) -> None:
    tracker = ctx.tracker()
    before = tracker.store.condition(condition_id).status
    after = tracker.accept(
        condition_id, actor=actor, now=ctx.now(), override_reason=override_reason
    )
    click.echo(
        ctx.t(
            "cli.transitioned",
            id=condition_id,
            old=ctx.t(f"status.{before}"),
            new=ctx.t(f"status.{after.status}"),
        )
    )


# -- certificates ---------------------------------------------------------------


@cli.command(
    "certificate",
    help="Record a certificate's number, latest renewal and expiry for a certificate_renewal "
    "condition. 認証の番号・最新更新日・有効期限を登録します。",
)
@click.argument("condition_id")
@click.option("--number", required=True, help="Registration number, e.g. IS 500001.")
@click.option("--renewed", required=True, help="Latest renewal date.")
@click.option("--expires", required=True, help="Expiry date.")
@click.option("--scheme", default=None, help="ISMS, PrivacyMark, … (default: from the condition).")
@click.option(
    "--file",
    "scan",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The certificate scan (needed unless already submitted).",
)
@click.option("--as", "actor", required=True)
@pass_ctx
@friendly_errors
def certificate(
    ctx: Context,
    condition_id: str,
    number: str,
    renewed: str,
    expires: str,
    scheme: str | None,
    scan: Path | None,
    actor: str,
) -> None:
    if scan is not None:
        fields = certificate_fields(ctx, number, renewed, expires, scheme)
        submitted = submit_file(
            ctx, condition_id, scan, actor, kind=Kind.CERTIFICATE_RENEWAL, certificate=fields
        )
        assert submitted.certificate is not None
        click.echo(certificates.summary(submitted.certificate, ctx.lang))
        return
    result = certificates.record_certificate(
        ctx.tracker(),
        condition_id,
        number=number,
        renewed=_date(ctx, renewed),
        expires=_date(ctx, expires),
        scheme=scheme,
        actor=actor,
        now=ctx.now(),
    )
    click.echo(certificates.summary(result, ctx.lang))


# -- events and the fiscal-year-end question ---------------------------------------


@cli.command(
    "event",
    help="Report an event (contract_end, disk_replacement, staff_change) for a consultation: "
    "opens every condition waiting on it. 契約終了などの発生を報告します。",
)
@click.argument("consultation_id")
@click.argument(
    "trigger",
    type=click.Choice(
        [t.value for t in triggers.Trigger if t is not triggers.Trigger.FISCAL_YEAR_END_CHECK]
    ),
)
@click.option("--date", "day", required=True, help="The day it happened (or will happen).")
@click.option("--note", default="", help="A short note kept with the event.")
@click.option("--as", "actor", required=True)
@pass_ctx
@friendly_errors
def event(
    ctx: Context, consultation_id: str, trigger: str, day: str, note: str, actor: str
) -> None:
    report = triggers.report_event(
        ctx.tracker(),
        consultation_id,
        trigger,
        on=_date(ctx, day),
        actor=actor,
        now=ctx.now(),
        note=note,
    )
    label = triggers.trigger_label(report.trigger, ctx.lang)
    if report.duplicate:
        click.echo(
            ctx.t("checks.cli.event_duplicate", trigger=label, date=report.occurred_on.isoformat())
        )
        return
    click.echo(
        ctx.t(
            "checks.cli.event_reported",
            trigger=label,
            id=report.consultation,
            count=len(report.opened),
        )
    )
    for opened in report.opened:
        click.echo(
            ctx.t(
                "checks.cli.opened", id=opened.id, due=opened.due.isoformat() if opened.due else "-"
            )
        )


@cli.command(
    "fy-check",
    help="Answer the fiscal-year-end question for a condition: was data kept past the year? "
    "年度を跨いだ保存の有無に回答します。",
)
@click.argument("condition_id")
@click.option("--answer", required=True, type=click.Choice(["yes", "no"]))
@click.option(
    "--fiscal-year", type=int, default=None, help="The year it starts in (令和2年度 = 2020)."
)
@click.option("--as", "actor", required=True)
@pass_ctx
@friendly_errors
def fy_check(
    ctx: Context, condition_id: str, answer: str, fiscal_year: int | None, actor: str
) -> None:
    result = triggers.answer_fy_check(
        ctx.tracker(),
        condition_id,
        kept=answer == "yes",
        actor=actor,
        now=ctx.now(),
        fiscal_year=fiscal_year,
    )
    year = triggers.fiscal_year_label(result.answer.fiscal_year, ctx.lang)
    if result.opened is not None:
        due = result.opened.due.isoformat() if result.opened.due else "-"
        click.echo(ctx.t("checks.cli.fy_yes", year=year, id=result.opened.id, due=due))
    else:
        click.echo(ctx.t("checks.cli.fy_no", year=year, id=result.answer.series))


@cli.command(
    "fy-questions",
    help="Fiscal-year-end questions waiting for an answer. 未回答の年度末確認の一覧。",
)
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
@friendly_errors
def fy_questions(ctx: Context, as_json: bool) -> None:
    questions = triggers.fy_questions(ctx.store(), ctx.today())
    if as_json:
        records = [
            {
                "condition": q.condition.id,
                "department": q.condition.department,
                "fiscal_year": q.fiscal_year,
                "year_end": q.year_end.isoformat(),
            }
            for q in questions
        ]
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    elif not questions:
        click.echo(ctx.t("checks.cli.no_questions"))
    else:
        for q in questions:
            click.echo(f"{q.condition.department}: {q.text(ctx.lang)}")
